// UTF-8 decoding for the normaliser (internal; use
// include/eventgraph/normaliser.h).
//
// decode_utf8() reads one sequence and says how many bytes it spans. It is
// structural: the lead byte fixes the length, then the continuation bytes
// are checked. A truncated sequence (a continuation byte missing) spans the
// bytes up to the first bad one; a complete sequence whose value is overlong,
// above U+10FFFF or a surrogate (CESU-8 halves such as ED A0 80) spans all its
// bytes. Either way it is reported as kInvalidCodePoint, so each invalid
// sequence becomes exactly one U+FFFD.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eventgraph {
namespace normaliser_internal {

inline constexpr uint32_t kInvalidCodePoint = 0xFFFFFFFFu;

// REQUIRES: i < n and p[i] >= 0x80.
// Sets *cp to the code point (or kInvalidCodePoint); returns the length >= 1.
inline size_t decode_utf8(const unsigned char* p, size_t i, size_t n, uint32_t* cp) {
  unsigned char c = p[i];
  size_t need;
  uint32_t v;
  if (c < 0xC2) {  // stray continuation byte, or an overlong 2-byte lead
    *cp = kInvalidCodePoint;
    return 1;
  } else if (c < 0xE0) {
    need = 1;
    v = c & 0x1F;
  } else if (c < 0xF0) {
    need = 2;
    v = c & 0x0F;
  } else if (c < 0xF5) {
    need = 3;
    v = c & 0x07;
  } else {
    *cp = kInvalidCodePoint;
    return 1;
  }
  for (size_t k = 1; k <= need; ++k) {
    if (i + k >= n || (p[i + k] & 0xC0) != 0x80) {
      *cp = kInvalidCodePoint;
      return k;
    }
    v = (v << 6) | (p[i + k] & 0x3F);
  }
  if ((need == 2 && v < 0x800) || (need == 3 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = kInvalidCodePoint;
  } else {
    *cp = v;
  }
  return need + 1;
}

}  // namespace normaliser_internal
}  // namespace eventgraph
