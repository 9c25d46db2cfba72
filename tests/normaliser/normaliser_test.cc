// Tests for the normaliser: text clean-up, the offset map and binary sniffing.
#include "eventgraph/normaliser.h"

#include <catch2/catch.hpp>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "eventgraph/text.h"

using eventgraph::looks_binary;
using eventgraph::normalise;
using eventgraph::NormalisedText;

namespace {

// Checks the header's "Ensures" list.
void check_invariants(std::string_view raw, const NormalisedText& n) {
  REQUIRE(n.offsets.size() == n.text.size() + 1);
  REQUIRE(n.offsets.back() == raw.size());
  REQUIRE(eventgraph::is_valid_utf8(n.text));
  REQUIRE(n.text.find('\0') == std::string::npos);
  for (size_t i = 0; i + 1 < n.offsets.size(); ++i) {
    REQUIRE(n.offsets[i] <= n.offsets[i + 1]);
    REQUIRE(n.offsets[i] < raw.size());
  }
}

NormalisedText norm(std::string_view raw) {
  NormalisedText n;
  normalise(raw, n);
  check_invariants(raw, n);
  return n;
}

std::vector<uint32_t> offs(std::initializer_list<uint32_t> l) { return l; }

}  // namespace

TEST_CASE("normalise keeps plain ASCII and maps offsets one to one", "[normaliser]") {
  NormalisedText n = norm("Hello, world.\nSecond line");
  CHECK(n.text == "Hello, world.\nSecond line");
  for (size_t i = 0; i <= n.text.size(); ++i) CHECK(n.offsets[i] == i);
  CHECK(n.invalid_utf8 == 0);
  CHECK(n.controls == 0);
}

TEST_CASE("normalise of empty input", "[normaliser]") {
  NormalisedText n = norm("");
  CHECK(n.text.empty());
  CHECK(n.offsets == offs({0}));
}

TEST_CASE("normalise maps offsets of multi-byte characters to their start", "[normaliser]") {
  // "é" is C3 A9, "€" is E2 82 AC, "😀" is F0 9F 98 80.
  std::string raw = "a\xC3\xA9" "b\xE2\x82\xAC" "c\xF0\x9F\x98\x80";
  NormalisedText n = norm(raw);
  CHECK(n.text == raw);
  CHECK(n.offsets == offs({0, 1, 1, 3, 4, 4, 4, 7, 8, 8, 8, 8, 12}));
}

TEST_CASE("normalise replaces invalid UTF-8 with U+FFFD", "[normaliser]") {
  SECTION("a stray continuation byte") {
    NormalisedText n = norm("a\x80z");
    CHECK(n.text == "a\xEF\xBF\xBDz");
    CHECK(n.offsets == offs({0, 1, 1, 1, 2, 3}));
    CHECK(n.invalid_utf8 == 1);
  }
  SECTION("a truncated sequence at the end") {
    NormalisedText n = norm("ab\xE2\x82");
    CHECK(n.text == "ab\xEF\xBF\xBD");
    CHECK(n.offsets == offs({0, 1, 2, 2, 2, 4}));
    CHECK(n.invalid_utf8 == 1);
  }
  SECTION("a truncated sequence followed by ASCII keeps the ASCII") {
    NormalisedText n = norm("\xE2\x82X");
    CHECK(n.text == "\xEF\xBF\xBDX");
    CHECK(n.offsets == offs({0, 0, 0, 2, 3}));
  }
  SECTION("overlong forms") {
    NormalisedText n = norm("\xC0\xAF|\xE0\x80\xAF|\xF0\x80\x80\xAF");
    CHECK(n.text == "\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD");
    CHECK(n.invalid_utf8 == 4);  // C0, AF, then one per 3- and 4-byte form
  }
  SECTION("beyond U+10FFFF and bytes F5..FF") {
    NormalisedText n = norm("\xF4\x90\x80\x80\xFF\xFE");
    CHECK(n.text == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(n.invalid_utf8 == 3);
  }
  SECTION("lone surrogate bytes (CESU-8) ED A0 80 become one U+FFFD") {
    NormalisedText n = norm("x\xED\xA0\x80y");
    CHECK(n.text == "x\xEF\xBF\xBDy");
    CHECK(n.offsets == offs({0, 1, 1, 1, 4, 5}));
    CHECK(n.invalid_utf8 == 1);
  }
  SECTION("a CESU-8 surrogate pair becomes two U+FFFD") {
    NormalisedText n = norm("\xED\xA0\xBD\xED\xB8\x80");
    CHECK(n.text == "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(n.offsets == offs({0, 0, 0, 3, 3, 3, 6}));
    CHECK(n.invalid_utf8 == 2);
  }
}

TEST_CASE("normalise replaces U+FFFE and U+FFFF", "[normaliser]") {
  NormalisedText n = norm("a\xEF\xBF\xBE" "b\xEF\xBF\xBF");
  CHECK(n.text == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
  CHECK(n.offsets == offs({0, 1, 1, 1, 4, 5, 5, 5, 8}));
}

TEST_CASE("normalise turns controls and NUL into spaces", "[normaliser]") {
  SECTION("NUL between words") {
    NormalisedText n = norm(std::string("a\0b", 3));
    CHECK(n.text == "a b");
    CHECK(n.offsets == offs({0, 1, 2, 3}));
    CHECK(n.controls == 1);
  }
  SECTION("controls collapse with neighbouring spaces") {
    NormalisedText n = norm("a \x01\x1B\x7F b");
    CHECK(n.text == "a b");
    CHECK(n.offsets == offs({0, 1, 6, 7}));
    CHECK(n.controls == 3);
  }
  SECTION("C1 controls (U+0085, U+009B)") {
    NormalisedText n = norm("a\xC2\x85" "b\xC2\x9B");
    CHECK(n.text == "a b");
    CHECK(n.controls == 2);
  }
  SECTION("tab and form feed are kept as structure") {
    NormalisedText n = norm("a\tb\fc");
    CHECK(n.text == "a b\fc");
    CHECK(n.controls == 0);
  }
}

TEST_CASE("normalise converts CRLF and CR to LF", "[normaliser]") {
  NormalisedText n = norm("a\r\nb\rc\n\r\nd");
  CHECK(n.text == "a\nb\nc\n\nd");
  CHECK(n.offsets == offs({0, 1, 3, 4, 5, 6, 7, 9, 10}));
}

TEST_CASE("normalise collapses spaces and drops trailing ones", "[normaliser]") {
  SECTION("runs collapse to the first space's offset") {
    NormalisedText n = norm("a  \t b");
    CHECK(n.text == "a b");
    CHECK(n.offsets == offs({0, 1, 5, 6}));
  }
  SECTION("trailing spaces before a newline and at the end") {
    NormalisedText n = norm("a   \nb \t ");
    CHECK(n.text == "a\nb");
    CHECK(n.offsets == offs({0, 4, 5, 9}));
  }
  SECTION("blank lines are kept") {
    CHECK(norm("a\n  \n\nb").text == "a\n\n\nb");
  }
  SECTION("leading indentation collapses to one space") {
    CHECK(norm("    indented").text == " indented");
  }
  SECTION("Unicode spaces are spaces") {
    // U+00A0, U+2003, U+202F, U+205F, U+3000
    NormalisedText n = norm("a\xC2\xA0" "b\xE2\x80\x83\xE2\x80\xAF" "c\xE2\x81\x9F" "d\xE3\x80\x80");
    CHECK(n.text == "a b c d");
    CHECK(n.offsets == offs({0, 1, 3, 4, 10, 11, 14, 18}));
  }
}

TEST_CASE("normalise drops zero-width characters", "[normaliser]") {
  // BOM, ZWSP, ZWJ, soft hyphen.
  NormalisedText n = norm("\xEF\xBB\xBF" "co\xE2\x80\x8Bop\xE2\x80\x8D" "er\xC2\xAD" "ate");
  CHECK(n.text == "cooperate");
  CHECK(n.offsets == offs({3, 4, 8, 9, 13, 14, 17, 18, 19, 20}));
}

TEST_CASE("normalise converts quotes, dashes, ellipsis and bullets", "[normaliser]") {
  SECTION("quotes") {
    NormalisedText n = norm("\xE2\x80\x9CHi\xE2\x80\x9D \xE2\x80\x98x\xE2\x80\x99 \xC2\xAB" "y\xC2\xBB \xE2\x80\x9E" "z");
    CHECK(n.text == "\"Hi\" 'x' \"y\" \"z");
    CHECK(n.offsets[0] == 0);
    CHECK(n.offsets[1] == 3);
    CHECK(n.offsets[3] == 5);
  }
  SECTION("prime marks") {
    CHECK(norm("5\xE2\x80\xB2 6\xE2\x80\xB3").text == "5' 6\"");
  }
  SECTION("dashes and minus") {
    NormalisedText n = norm("2019\xE2\x80\x93" "2020 a\xE2\x80\x94" "b \xE2\x88\x92" "5 x\xE2\x80\x90y");
    CHECK(n.text == "2019-2020 a-b -5 x-y");
    CHECK(n.offsets[4] == 4);
    CHECK(n.offsets[5] == 7);
  }
  SECTION("ellipsis") {
    NormalisedText n = norm("wait\xE2\x80\xA6!");
    CHECK(n.text == "wait...!");
    CHECK(n.offsets == offs({0, 1, 2, 3, 4, 4, 4, 7, 8}));
  }
  SECTION("bullets") {
    NormalisedText n = norm("\xE2\x80\xA2 one\n\xE2\x97\x8F two\n  \xE2\x96\xAA three\n\xE2\x97\xA6 four\n\xE2\x80\xA3 five\n\xE2\x81\x83 six");
    CHECK(n.text == "* one\n* two\n * three\n* four\n* five\n* six");
  }
  SECTION("middle dot is a bullet only at a line start") {
    NormalisedText n = norm("\xC2\xB7 item\n  \xC2\xB7 item\nl\xC2\xB7l");
    CHECK(n.text == "* item\n * item\nl\xC2\xB7l");
  }
}

TEST_CASE("normalise reuses the output buffers", "[normaliser]") {
  NormalisedText n;
  normalise(std::string(1000, 'x'), n);
  const char* data = n.text.data();
  const uint32_t* odata = n.offsets.data();
  normalise("short \xC3\xA9 text", n);
  check_invariants("short \xC3\xA9 text", n);
  CHECK(n.text == "short \xC3\xA9 text");
  CHECK(n.text.data() == data);
  CHECK(n.offsets.data() == odata);
  // Counters are reset per call.
  normalise("\x80", n);
  CHECK(n.invalid_utf8 == 1);
  normalise("ok", n);
  CHECK(n.invalid_utf8 == 0);
}

TEST_CASE("normalise grows when replacements outgrow the input", "[normaliser]") {
  std::string raw(5000, '\xFF');
  NormalisedText n = norm(raw);
  CHECK(n.text.size() == 15000);
  CHECK(n.invalid_utf8 == 5000);
  CHECK(n.offsets[14999] == 4999);
}

TEST_CASE("normalise property: random bytes give valid UTF-8 and monotone offsets", "[normaliser]") {
  std::mt19937 rng(12345);
  // Bias towards interesting bytes: ASCII, spaces, controls, lead and
  // continuation bytes, CR/LF.
  const unsigned char interesting[] = {'a', ' ', '\t', '\n', '\r', '\f', 0, 0x1B, 0x7F, 0x80, 0xBF, 0xC2, 0xA0,
                                       0xC3, 0xED, 0xA0, 0xE2, 0x80, 0x99, 0xEF, 0xBB, 0xBF, 0xF0, 0x9F, 0xF4,
                                       0xF5, 0xFF, 0xB7, 0xE3, 0xAD};
  NormalisedText n;
  for (int iter = 0; iter < 3000; ++iter) {
    size_t len = rng() % 64;
    std::string raw;
    for (size_t k = 0; k < len; ++k) {
      raw += (rng() % 2) ? static_cast<char>(interesting[rng() % sizeof interesting])
                         : static_cast<char>(rng() % 256);
    }
    normalise(raw, n);
    INFO("iteration " << iter);
    check_invariants(raw, n);
    // No line ends with a space; no two spaces in a row.
    CHECK(n.text.find("  ") == std::string::npos);
    CHECK(n.text.find(" \n") == std::string::npos);
    CHECK((n.text.empty() || n.text.back() != ' '));
    // Idempotent: normalising clean text changes nothing.
    NormalisedText again;
    normalise(n.text, again);
    CHECK(again.text == n.text);
  }
}

TEST_CASE("looks_binary", "[normaliser]") {
  CHECK_FALSE(looks_binary(""));
  CHECK_FALSE(looks_binary("Plain text\r\nwith\ttabs\fand form feeds."));
  CHECK_FALSE(looks_binary("Z\xC3\xBCrich \xE2\x80\x94 caf\xC3\xA9"));
  SECTION("a NUL in the first 8 KiB") {
    std::string s(100, 'a');
    s[50] = '\0';
    CHECK(looks_binary(s));
    std::string late(9000, 'a');
    late[8500] = '\0';
    CHECK_FALSE(looks_binary(late));
  }
  SECTION("more than 10% control or invalid bytes") {
    std::string s(100, 'a');
    for (int i = 0; i < 11; ++i) s[i * 9] = '\x01';
    CHECK(looks_binary(s));
    std::string t(100, 'a');
    for (int i = 0; i < 10; ++i) t[i * 9] = '\x01';
    CHECK_FALSE(looks_binary(t));
    std::string u(100, 'a');
    for (int i = 0; i < 11; ++i) u[i * 9] = '\xFF';
    CHECK(looks_binary(u));
  }
  SECTION("a multi-byte character cut by the 8 KiB window is not invalid") {
    std::string s(8191, 'a');
    s += "\xE2\x80\x94 and more";
    CHECK_FALSE(looks_binary(s));
  }
  SECTION("typical binary header") {
    std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
    CHECK(looks_binary(png));
  }
}

TEST_CASE("normalise keeps its invariants on 8 MB of mostly ASCII text", "[normaliser]") {
  // Speed is measured by scripts/bench.sh, not here (no timed tests).
  std::string chunk =
      "The panel on \xE2\x80\x9C" "cyber capacity\xE2\x80\x9D brought together ministers,   "
      "ambassadors and experts \xE2\x80\x94 moderated by a director.\r\n";
  std::string raw;
  while (raw.size() < (8u << 20)) raw += chunk;
  NormalisedText n;
  normalise(raw, n);
  normalise(raw, n);  // a reused output gives the same result
  // Invariants, checked without an assertion per byte.
  bool monotone = true;
  for (size_t i = 0; i + 1 < n.offsets.size(); ++i) monotone = monotone && n.offsets[i] <= n.offsets[i + 1];
  CHECK(monotone);
  CHECK(n.offsets.size() == n.text.size() + 1);
  CHECK(eventgraph::is_valid_utf8(n.text));
  CHECK(n.text.find('\r') == std::string::npos);
}
