// Strict UTF-8 decoding with replacement, and XML escaping (see xml_escape.h).
#include "exporters/xml_escape.h"

#include <cstdint>

namespace eventgraph {
namespace {

constexpr uint32_t kBad = 0xFFFFFFFF;

// Decodes one code point at s[i], advancing i. Invalid input: returns kBad
// and advances one byte, so each offending byte becomes one U+FFFD.
uint32_t decode_strict(std::string_view s, size_t& i) {
  const unsigned char c = s[i];
  if (c < 0x80) {
    ++i;
    return c;
  }
  size_t len;
  uint32_t cp, min;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    ++i;
    return kBad;
  }
  if (i + len > s.size()) {
    ++i;
    return kBad;
  }
  for (size_t k = 1; k < len; ++k) {
    const unsigned char cc = s[i + k];
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return kBad;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kBad;
  }
  i += len;
  return cp;
}

bool xml_allowed(uint32_t cp) {
  if (cp < 0x20) return cp == '\t' || cp == '\n' || cp == '\r';
  return cp != 0xFFFE && cp != 0xFFFF;
}

// Bytes that stand for themselves: ASCII from space up, tab, line feed, and
// for the sanitiser carriage return; for the escaper not & < > " ' (nor \r,
// which it writes as &#13;). Runs of them are copied whole; only the other
// bytes are decoded a code point at a time.
struct PlainTable {
  bool sanitize[256] = {};
  bool xml[256] = {};
  constexpr PlainTable() {
    for (int c = 0x20; c < 0x80; ++c) sanitize[c] = xml[c] = true;
    sanitize['\t'] = sanitize['\n'] = xml['\t'] = xml['\n'] = true;
    sanitize['\r'] = true;
    for (char c : {'&', '<', '>', '"', '\''}) xml[static_cast<unsigned char>(c)] = false;
  }
};
constexpr PlainTable kPlain;

// Calls run(bytes) for each run of bytes that plain[] keeps as they are, and
// emit(cp, bytes) for each other kept character: its valid encoding, or
// U+FFFD's for each byte that is not valid UTF-8.
template <typename Run, typename Emit>
void for_each_clean(std::string_view s, const bool* plain, Run run, Emit emit) {
  for (size_t i = 0; i < s.size();) {
    size_t j = i;
    while (j < s.size() && plain[static_cast<unsigned char>(s[j])]) ++j;
    if (j > i) {
      run(s.substr(i, j - i));
      i = j;
      if (i == s.size()) break;
    }
    const size_t start = i;
    const uint32_t cp = decode_strict(s, i);
    if (cp == kBad) {
      emit(0xFFFD, std::string_view("\xEF\xBF\xBD"));
    } else if (xml_allowed(cp)) {
      emit(cp, s.substr(start, i - start));
    }
  }
}

}  // namespace

void append_sanitized(std::string& out, std::string_view s) {
  auto append = [&](std::string_view bytes) { out.append(bytes); };
  for_each_clean(s, kPlain.sanitize, append, [&](uint32_t, std::string_view bytes) { append(bytes); });
}

std::string sanitize_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_sanitized(out, s);
  return out;
}

void append_xml_escaped(std::string& out, std::string_view s) {
  auto append = [&](std::string_view bytes) { out.append(bytes); };
  for_each_clean(s, kPlain.xml, append, [&](uint32_t cp, std::string_view bytes) {
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#13;"; break;  // kept as data, not normalised away
      default: out.append(bytes);
    }
  });
}

size_t xml_plain_prefix(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && kPlain.xml[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  append_xml_escaped(out, s);
  return out;
}

}  // namespace eventgraph
