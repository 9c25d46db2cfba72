// libFuzzer target: normalise() on arbitrary bytes. Asserts the header's
// contract: valid UTF-8 without NUL, no control characters but \t \n \f, no
// U+FFFE/U+FFFF or surrogates, offsets.size() == text.size()+1, offsets
// non-decreasing and within raw, offsets.back() == raw.size(); looks_binary()
// agrees with a NUL in the first 8 KiB.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "eventgraph/normaliser.h"
#include "hostile/xml_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  eventgraph::NormalisedText nt;
  eventgraph::normalise(raw, nt);
  if (nt.offsets.size() != nt.text.size() + 1) std::abort();
  if (nt.offsets.back() != raw.size()) std::abort();
  for (size_t i = 1; i < nt.offsets.size(); ++i) {
    if (nt.offsets[i] < nt.offsets[i - 1] || nt.offsets[i] > raw.size()) std::abort();
  }
  for (size_t i = 0; i < nt.text.size();) {
    uint32_t cp;
    size_t n = egtest::utf8_decode(nt.text, i, &cp);
    if (n == 0) std::abort();                                   // invalid UTF-8
    if (cp == 0 || cp == 0xFFFE || cp == 0xFFFF) std::abort();  // NUL, non-characters
    if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\f') std::abort();
    if (cp >= 0x7F && cp <= 0x9F) std::abort();                 // DEL, C1
    i += n;
  }
  // Idempotent on its own output's text (a second pass changes nothing but
  // what the first pass's rules produce again, e.g. nothing for clean text).
  eventgraph::NormalisedText again;
  eventgraph::normalise(nt.text, again);
  if (again.invalid_utf8 != 0) std::abort();
  if (raw.substr(0, 8192).find('\0') != std::string_view::npos && !eventgraph::looks_binary(raw)) std::abort();
  return 0;
}
