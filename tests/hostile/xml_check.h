// A small XML 1.0 well-formedness checker for the tests and fuzz targets:
// valid UTF-8, only XML Char code points (no C0 controls but \t \n \r, no
// surrogates, no U+FFFE/U+FFFF), balanced and properly nested tags, quoted
// attributes without '<', no duplicate attributes on an element, only the
// five predefined entities or character references to XML Chars, one root
// element. Enough to catch what an escaping bug in an exporter produces.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace egtest {

inline bool xml_char_ok(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

// Decodes one UTF-8 sequence at s[i]; returns its length or 0 when invalid.
inline size_t utf8_decode(std::string_view s, size_t i, uint32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return *cp = c, 1;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  uint32_t v = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF))) return 0;
  if (v >= 0xD800 && v <= 0xDFFF) return 0;
  *cp = v;
  return n;
}

inline bool name_char(char c, bool first) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x80 || c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return !first && (c == '-' || c == '.' || (c >= '0' && c <= '9'));
}

// Returns "" when `doc` is well-formed, else what is wrong and where.
inline std::string xml_wellformed(std::string_view doc) {
  auto at = [](size_t i, const std::string& what) { return "byte " + std::to_string(i) + ": " + what; };
  // 1. Encoding and characters.
  for (size_t i = 0; i < doc.size();) {
    uint32_t cp;
    size_t n = utf8_decode(doc, i, &cp);
    if (n == 0) return at(i, "invalid UTF-8");
    if (!xml_char_ok(cp)) return at(i, "character U+" + std::to_string(cp) + " not allowed in XML");
    i += n;
  }
  // 2. Structure.
  std::vector<std::string> stack;
  int roots = 0;
  size_t i = 0;
  auto check_ref = [&](size_t& k) -> std::string {  // doc[k] == '&'
    size_t semi = doc.find(';', k);
    if (semi == std::string_view::npos || semi - k > 12) return at(k, "unterminated entity reference");
    std::string_view ref = doc.substr(k + 1, semi - k - 1);
    if (ref == "amp" || ref == "lt" || ref == "gt" || ref == "quot" || ref == "apos") {
      k = semi + 1;
      return "";
    }
    if (ref.size() >= 2 && ref[0] == '#') {
      uint32_t v = 0;
      bool hex = ref[1] == 'x';
      size_t p = hex ? 2 : 1;
      if (p >= ref.size()) return at(k, "empty character reference");
      for (; p < ref.size(); ++p) {
        char c = ref[p];
        int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0 || v > 0x10FFFF) return at(k, "bad character reference");
        v = v * (hex ? 16 : 10) + d;
      }
      if (!xml_char_ok(v)) return at(k, "character reference to a non-XML character");
      k = semi + 1;
      return "";
    }
    return at(k, "unknown entity &" + std::string(ref) + ";");
  };
  while (i < doc.size()) {
    if (doc[i] == '&') {
      std::string e = check_ref(i);
      if (!e.empty()) return e;
      continue;
    }
    if (doc[i] == '>') {
      if (doc.substr(i > 1 ? i - 2 : 0, 3) == "]]>") return at(i, "]]> in text");
      ++i;
      continue;
    }
    if (doc[i] != '<') {
      if (stack.empty() && doc[i] != ' ' && doc[i] != '\n' && doc[i] != '\t' && doc[i] != '\r')
        return at(i, "text outside the root element");
      ++i;
      continue;
    }
    if (doc.substr(i, 4) == "<!--") {
      size_t e = doc.find("-->", i + 4);
      if (e == std::string_view::npos) return at(i, "unterminated comment");
      if (doc.substr(i + 4, e - i - 4).find("--") != std::string_view::npos) return at(i, "-- in comment");
      i = e + 3;
      continue;
    }
    if (doc.substr(i, 9) == "<![CDATA[") {
      if (stack.empty()) return at(i, "CDATA outside the root");
      size_t e = doc.find("]]>", i + 9);
      if (e == std::string_view::npos) return at(i, "unterminated CDATA");
      i = e + 3;
      continue;
    }
    if (doc.substr(i, 2) == "<?") {
      size_t e = doc.find("?>", i + 2);
      if (e == std::string_view::npos) return at(i, "unterminated processing instruction");
      i = e + 2;
      continue;
    }
    if (doc.substr(i, 2) == "<!") {  // DOCTYPE: not expected from our exporters
      return at(i, "unexpected <!");
    }
    bool closing = doc.substr(i, 2) == "</";
    size_t k = i + (closing ? 2 : 1);
    size_t name_begin = k;
    if (k >= doc.size() || !name_char(doc[k], true)) return at(i, "bad tag name");
    while (k < doc.size() && name_char(doc[k], false)) ++k;
    std::string name(doc.substr(name_begin, k - name_begin));
    if (closing) {
      while (k < doc.size() && (doc[k] == ' ' || doc[k] == '\n' || doc[k] == '\t')) ++k;
      if (k >= doc.size() || doc[k] != '>') return at(i, "bad closing tag");
      if (stack.empty() || stack.back() != name) return at(i, "mismatched </" + name + ">");
      stack.pop_back();
      i = k + 1;
      continue;
    }
    std::set<std::string> attrs;
    bool self_closing = false;
    for (;;) {
      size_t ws = k;
      while (k < doc.size() && (doc[k] == ' ' || doc[k] == '\n' || doc[k] == '\t' || doc[k] == '\r')) ++k;
      if (k >= doc.size()) return at(i, "unterminated tag");
      if (doc[k] == '>') break;
      if (doc.substr(k, 2) == "/>") {
        self_closing = true;
        ++k;
        break;
      }
      if (ws == k) return at(k, "attribute without white space before it");
      size_t ab = k;
      if (!name_char(doc[k], true)) return at(k, "bad attribute name");
      while (k < doc.size() && name_char(doc[k], false)) ++k;
      std::string an(doc.substr(ab, k - ab));
      if (!attrs.insert(an).second) return at(ab, "duplicate attribute " + an);
      if (k >= doc.size() || doc[k] != '=') return at(k, "attribute without =");
      ++k;
      if (k >= doc.size() || (doc[k] != '"' && doc[k] != '\'')) return at(k, "unquoted attribute");
      char quote = doc[k++];
      while (k < doc.size() && doc[k] != quote) {
        if (doc[k] == '<') return at(k, "< in attribute value");
        if (doc[k] == '&') {
          std::string e = check_ref(k);
          if (!e.empty()) return e;
          continue;
        }
        ++k;
      }
      if (k >= doc.size()) return at(ab, "unterminated attribute value");
      ++k;
    }
    if (stack.empty()) {
      if (++roots > 1) return at(i, "second root element");
    }
    if (!self_closing) stack.push_back(name);
    i = k + 1;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  if (roots != 1) return "no root element";
  return "";
}

}  // namespace egtest
