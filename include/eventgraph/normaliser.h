// Normaliser: raw document bytes -> clean UTF-8 text with an offset map back
// to the raw bytes.
//
// What it does, in order, in one linear pass:
//  - invalid UTF-8 sequences, NUL and C0/C1 control characters other than
//    \t \n \f become U+FFFD (invalid) or a space (controls); U+FFFE/U+FFFF and
//    lone surrogates (CESU forms) become U+FFFD;
//  - \r\n and \r become \n; U+00A0, U+2000..U+200A, U+202F, U+205F, U+3000
//    become a plain space; zero-width characters (U+200B..U+200D, U+FEFF,
//    U+00AD soft hyphen) are dropped;
//  - typographic quotes become ASCII (' for U+2018/U+2019/U+201A/U+2032,
//    " for U+201C/U+201D/U+201E/U+2033/U+00AB/U+00BB); dashes U+2010..U+2015
//    and U+2212 become '-' ; U+2026 becomes "...";
//    bullets (U+2022, U+25CF, U+25AA, U+25E6, U+2023, U+2043, U+00B7 at a
//    line start) become '*'.
//  - runs of spaces/tabs collapse to one space; trailing spaces on a line are
//    dropped; line structure (\n) is kept, since rules are line-aware.
//
// Ensures: text is valid UTF-8 without NUL; offsets.size() == text.size()+1;
// offsets[i] is the raw byte offset where the character containing text[i]
// begins (offsets[text.size()] == raw.size()); offsets is non-decreasing.
// Cost: linear in raw.size(); no allocation beyond the two outputs.
// Thread safety: the functions are pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace eventgraph {

struct NormalisedText {
  std::string text;
  std::vector<uint32_t> offsets;  // text byte index -> raw byte index
  uint32_t invalid_utf8 = 0;      // how many invalid sequences were replaced
  uint32_t controls = 0;          // how many control characters were replaced

  // Maps a half-open range of `text` to the range of raw bytes it came from.
  std::pair<uint32_t, uint32_t> to_raw(uint32_t begin, uint32_t end) const {
    return {offsets[begin], offsets[end]};
  }
};

// Normalises `raw` into `out` (reusing out's capacity).
void normalise(std::string_view raw, NormalisedText& out);

// True when `raw` looks binary: a NUL byte in its first 8 KiB, or more than
// 10% of its first 8 KiB are control bytes or invalid UTF-8.
bool looks_binary(std::string_view raw);

}  // namespace eventgraph
