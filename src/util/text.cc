// Unicode folding and slugs. See include/eventgraph/text.h.
//
// The folding table covers U+00C0..U+024F (Latin-1 Supplement, Latin
// Extended-A and -B): each code point maps to its ASCII base letters ("" for a
// code point that is not a letter). Other non-ASCII code points are kept as
// they are when they are letters, and treated as separators when they are
// punctuation or symbols (U+00A0..U+00BF, U+2000..U+2BFF, U+3000..U+303F).
#include "eventgraph/text.h"

#include "util/utf8.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace eventgraph {
namespace {

const char* const kLatinFold[] = {
"A",
"A",
"A",
"A",
"A",
"A",
"AE",
"C",
"E",
"E",
"E",
"E",
"I",
"I",
"I",
"I",
"D",
"N",
"O",
"O",
"O",
"O",
"O",
"",
"O",
"U",
"U",
"U",
"U",
"Y",
"Th",
"ss",
"a",
"a",
"a",
"a",
"a",
"a",
"ae",
"c",
"e",
"e",
"e",
"e",
"i",
"i",
"i",
"i",
"d",
"n",
"o",
"o",
"o",
"o",
"o",
"",
"o",
"u",
"u",
"u",
"u",
"y",
"th",
"y",
"A",
"a",
"A",
"a",
"A",
"a",
"C",
"c",
"C",
"c",
"C",
"c",
"C",
"c",
"D",
"d",
"D",
"d",
"E",
"e",
"E",
"e",
"E",
"e",
"E",
"e",
"E",
"e",
"G",
"g",
"G",
"g",
"G",
"g",
"G",
"g",
"H",
"h",
"H",
"h",
"I",
"i",
"I",
"i",
"I",
"i",
"I",
"i",
"I",
"i",
"IJ",
"ij",
"J",
"j",
"K",
"k",
"k",
"L",
"l",
"L",
"l",
"L",
"l",
"",
"",
"L",
"l",
"N",
"n",
"N",
"n",
"N",
"n",
"",
"N",
"n",
"O",
"o",
"O",
"o",
"O",
"o",
"OE",
"oe",
"R",
"r",
"R",
"r",
"R",
"r",
"S",
"s",
"S",
"s",
"S",
"s",
"S",
"s",
"T",
"t",
"T",
"t",
"T",
"t",
"U",
"u",
"U",
"u",
"U",
"u",
"U",
"u",
"U",
"u",
"U",
"u",
"W",
"w",
"Y",
"y",
"Y",
"Z",
"z",
"Z",
"z",
"Z",
"z",
"s",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"O",
"o",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"U",
"u",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"DZ",
"Dz",
"dz",
"LJ",
"Lj",
"lj",
"NJ",
"Nj",
"nj",
"A",
"a",
"I",
"i",
"O",
"o",
"U",
"u",
"U",
"u",
"U",
"u",
"U",
"u",
"U",
"u",
"",
"A",
"a",
"A",
"a",
"",
"",
"",
"",
"G",
"g",
"K",
"k",
"O",
"o",
"O",
"o",
"",
"",
"j",
"DZ",
"Dz",
"dz",
"G",
"g",
"",
"",
"N",
"n",
"A",
"a",
"",
"",
"",
"",
"A",
"a",
"A",
"a",
"E",
"e",
"E",
"e",
"I",
"i",
"I",
"i",
"O",
"o",
"O",
"o",
"R",
"r",
"R",
"r",
"U",
"u",
"U",
"u",
"S",
"s",
"T",
"t",
"",
"",
"H",
"h",
"",
"",
"",
"",
"",
"",
"A",
"a",
"E",
"e",
"O",
"o",
"O",
"o",
"O",
"o",
"O",
"o",
"Y",
"y",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
"",
""};

using utf8::decode;

// What fold() makes of an ASCII byte: a letter or digit is kept (lower case),
// '&' is "and", an apostrophe is dropped ("Diplo's" -> "diplos", as score.py's
// \w rule keeps it joined), anything else separates.
constexpr char kFoldSeparator = 0, kFoldDrop = 1, kFoldAmp = 2;
constexpr std::array<char, 128> kAsciiFold = [] {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if (c >= 'A' && c <= 'Z') t[c] = char(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) t[c] = char(c);
    else if (c == '\'') t[c] = kFoldDrop;
    else if (c == '&') t[c] = kFoldAmp;
    else t[c] = kFoldSeparator;
  }
  return t;
}();


bool is_separator(uint32_t cp) {
  if (cp < 0x80) return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
         (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFFFD || cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F);
}

// Simple lower-casing for Greek and Cyrillic capitals.
uint32_t lower_other(uint32_t cp) {
  if (cp >= 0x391 && cp <= 0x3A9) return cp + 0x20;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  return cp;
}

}  // namespace

std::string fold(std::string_view s) {
  // Written in place, into a string long enough: every byte gives at most one
  // byte (a letter, or the space a separator leaves), but for '&', which
  // gives at most five (" and ").
  size_t amps = 0;
  for (const char* p = s.data(), *end = p + s.size(); (p = static_cast<const char*>(std::memchr(p, '&', size_t(end - p)))); ++p)
    ++amps;
  std::string out(s.size() + 4 * amps, '\0');
  char* o = out.data();
  size_t n = 0;
  bool pending_space = false;
  auto emit = [&](std::string_view piece) {
    if (piece.empty()) return;
    if (pending_space && n > 0) o[n++] = ' ';
    pending_space = false;
    std::memcpy(o + n, piece.data(), piece.size());
    n += piece.size();
  };
  for (size_t i = 0; i < s.size();) {
    // ASCII, most of any text, byte by byte (kAsciiFold).
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      ++i;
      char f = kAsciiFold[c];
      if (f > kFoldAmp) {
        if (pending_space && n > 0) o[n++] = ' ';
        pending_space = false;
        o[n++] = f;
      } else if (f == kFoldSeparator) {
        pending_space = true;
      } else if (f == kFoldAmp) {
        pending_space = true;
        emit("and");
        pending_space = true;
      }  // (kFoldDrop: nothing)
      continue;
    }
    uint32_t cp = decode(s, i);
    if (cp == 0x2019) continue;  // a typographic apostrophe, as '\''
    if (is_separator(cp)) { pending_space = true; continue; }
    if (cp >= 0xC0 && cp <= 0x24F) {
      // (two bytes in; the table's strings have at most two letters)
      char low[2];
      size_t k = 0;
      for (const char* p = kLatinFold[cp - 0xC0]; *p; ++p) low[k++] = (*p >= 'A' && *p <= 'Z') ? char(*p - 'A' + 'a') : *p;
      emit(std::string_view(low, k));
    } else {
      // (as many bytes out as in: lower_other() keeps the encoded length)
      std::string tmp;
      utf8::append(&tmp, lower_other(cp));
      emit(tmp);
    }
  }
  out.resize(n);
  return out;
}

std::string slug(std::string_view s) {
  std::string f = fold(s);
  for (char& c : f)
    if (c == ' ') c = '-';
  return f;
}

std::string strip_diacritics(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    uint32_t cp = decode(s, i);
    if (cp >= 0xC0 && cp <= 0x24F && *kLatinFold[cp - 0xC0]) out += kLatinFold[cp - 0xC0];
    else if (cp >= 0x300 && cp <= 0x36F) continue;  // combining marks
    else out.append(s.substr(start, i - start));
  }
  return out;
}

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    if (c < 0x80) { ++i; continue; }
    size_t before = i;
    uint32_t cp = decode(s, i);
    if (cp == 0xFFFD && !(i - before == 3 && (unsigned char)s[before] == 0xEF)) return false;
  }
  return true;
}

}  // namespace eventgraph
