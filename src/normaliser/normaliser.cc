// Normaliser: one linear pass over the raw bytes. See
// include/eventgraph/normaliser.h for the contract.
//
// The pass keeps three bits of state: a pending space (the first raw offset
// of a run of spaces/tabs/space-like characters, emitted lazily so that a run
// collapses to one space and a run before a line end is dropped), and whether
// the output is at a line start (for the U+00B7 bullet rule).
//
// Output is written through raw pointers into out.text/out.offsets. Their
// capacity is reserved for raw.size() bytes (replacements such as one
// invalid byte -> three bytes of U+FFFD may outgrow it; then they double);
// their size grows a block at a time (never past raw.size() while the output
// fits in it), so the zero-fill that resize() does stays in cache and covers
// no more than the document; at the end they are cut to the real length. Neither ever
// gives capacity back, so a reused NormalisedText stops allocating once it
// has seen its largest document. Printable ASCII takes a tight inner loop:
// words are memcpy'd with a vectorisable offset loop.
#include "eventgraph/normaliser.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "normaliser/utf8.h"

namespace eventgraph {
namespace {

using normaliser_internal::decode_utf8;
using normaliser_internal::kInvalidCodePoint;

// What a non-ASCII code point turns into.
enum class Action { kCopy, kSpace, kDrop, kReplace, kInvalid, kControl, kChar, kEllipsis, kBulletAtStart };

struct Mapping {
  Action action;
  char ch;  // for kChar
};

Mapping map_code_point(uint32_t cp) {
  if (cp == kInvalidCodePoint) return {Action::kInvalid, 0};
  if (cp < 0xA0) return {Action::kControl, 0};  // C1 controls U+0080..U+009F
  if (cp < 0x2000) {
    switch (cp) {
      case 0xA0: return {Action::kSpace, 0};
      case 0xAD: return {Action::kDrop, 0};
      case 0xAB:
      case 0xBB: return {Action::kChar, '"'};
      case 0xB7: return {Action::kBulletAtStart, 0};
      default: return {Action::kCopy, 0};
    }
  }
  if (cp <= 0x206F) {
    if (cp <= 0x200A) return {Action::kSpace, 0};
    if (cp <= 0x200D) return {Action::kDrop, 0};
    if (cp >= 0x2010 && cp <= 0x2015) return {Action::kChar, '-'};
    switch (cp) {
      case 0x2018: case 0x2019: case 0x201A: case 0x2032: return {Action::kChar, '\''};
      case 0x201C: case 0x201D: case 0x201E: case 0x2033: return {Action::kChar, '"'};
      case 0x2022: case 0x2023: case 0x2043: return {Action::kChar, '*'};
      case 0x2026: return {Action::kEllipsis, 0};
      case 0x202F: case 0x205F: return {Action::kSpace, 0};
      default: return {Action::kCopy, 0};
    }
  }
  switch (cp) {
    case 0x2212: return {Action::kChar, '-'};
    case 0x25CF: case 0x25AA: case 0x25E6: return {Action::kChar, '*'};
    case 0x3000: return {Action::kSpace, 0};
    case 0xFEFF: return {Action::kDrop, 0};
    case 0xFFFE: case 0xFFFF: return {Action::kReplace, 0};
    default: return {Action::kCopy, 0};
  }
}

// Input is processed in blocks of this many bytes, and the outputs grow (and
// get zero-filled by resize) a block at a time, so the zero-filling happens
// in cache just before the bytes are overwritten.
constexpr size_t kBlock = 32 * 1024;

// The output cursor: raw pointers into out.text / out.offsets. Capacity is
// reserved up front for the common case (output no longer than input), so
// growing within it never reallocates.
class Writer {
 public:
  Writer(NormalisedText& out, size_t expected) : out_(out), expected_(expected) {
    out_.text.reserve(expected);
    out_.offsets.reserve(expected + 1);
    out_.text.clear();
    out_.offsets.clear();
    refresh();
  }

  // Makes room for `extra` more bytes.
  void ensure(size_t extra) {
    if (n_ + extra > cap_) grow(n_ + extra);
  }
  void put(char c, uint32_t off) {
    text_[n_] = c;
    offs_[n_] = off;
    ++n_;
  }
  char* text() { return text_; }
  uint32_t* offsets() { return offs_; }
  size_t size() const { return n_; }
  void set_size(size_t n) { n_ = n; }
  void finish(uint32_t raw_size) {
    out_.text.resize(n_);
    out_.offsets.resize(n_ + 1);
    out_.offsets[n_] = raw_size;
  }

 private:
  // A block past `need`, but never past the expected size while the output
  // fits in it: a 3 KB document zero-fills 3 KB of text and offsets, not a
  // whole block (180 KB) of them.
  void grow(size_t need) {
    size_t size = need + kBlock;
    if (need <= expected_) size = std::min(size, expected_);
    // Beyond the reserved capacity, let the containers double.
    out_.text.resize(size);
    out_.offsets.resize(size + 1);
    refresh();
  }
  void refresh() {
    cap_ = out_.text.size();
    text_ = out_.text.data();
    offs_ = out_.offsets.data();
  }

  NormalisedText& out_;
  char* text_;
  uint32_t* offs_;
  size_t n_ = 0;
  size_t cap_ = 0;
  size_t expected_;
};

class Normaliser {
 public:
  Normaliser(std::string_view raw, NormalisedText& out)
      : p_(reinterpret_cast<const unsigned char*>(raw.data())),
        n_(raw.size()),
        out_(out),
        w_(out, raw.size() + 8) {}

  void run() {
    size_t i = 0;
    while (i < n_) {
      unsigned char c = p_[i];
      if (c >= 0x20 && c < 0x7F) {
        i = ascii_run(i);
      } else if (c < 0x80) {
        i = control(i);
      } else {
        uint32_t cp;
        size_t len = decode_utf8(p_, i, n_, &cp);
        w_.ensure(5);  // a pending space plus a 4-byte sequence at most
        non_ascii(cp, static_cast<uint32_t>(i), len);
        i += len;
      }
    }
    w_.finish(static_cast<uint32_t>(n_));
  }

 private:
  // Printable ASCII, the fast path. Returns the index after the run.
  // Works on local copies of the cursor: stores through char* may alias
  // anything, so members would be reloaded after every byte written.
  // Words (runs of 0x21..0x7E) are copied with memcpy and an offset loop
  // the compiler vectorises.
  size_t ascii_run(size_t i) {
    const size_t n = std::min(n_, i + kBlock);
    w_.ensure(n - i + 1);  // the run writes at most one byte per input byte
    const unsigned char* p = p_;
    char* text = w_.text();
    uint32_t* offs = w_.offsets();
    size_t k = w_.size();
    bool pending = pending_;
    uint32_t pending_off = pending_off_;
    bool wrote = false;
    while (i < n) {
      unsigned char c = p[i];
      if (c == ' ') {
        if (!pending) {
          pending = true;
          pending_off = static_cast<uint32_t>(i);
        }
        ++i;
        continue;
      }
      if (c < 0x21 || c >= 0x7F) break;
      if (pending) {
        text[k] = ' ';
        offs[k++] = pending_off;
        pending = false;
      }
      do {
        text[k] = static_cast<char>(c);
        offs[k] = static_cast<uint32_t>(i);
        ++k;
        ++i;
      } while (i < n && (c = p[i]) > 0x20 && c < 0x7F);
      wrote = true;
    }
    w_.set_size(k);
    pending_ = pending;
    pending_off_ = pending_off;
    if (wrote) line_start_ = false;
    return i;
  }

  // ASCII control characters (and DEL). Returns the index after it.
  size_t control(size_t i) {
    w_.ensure(2);
    switch (p_[i]) {
      case '\t':
        space(i);
        return i + 1;
      case '\n':
        line_break('\n', i);
        return i + 1;
      case '\r':
        line_break('\n', i);
        return (i + 1 < n_ && p_[i + 1] == '\n') ? i + 2 : i + 1;
      case '\f':
        line_break('\f', i);
        return i + 1;
      default:  // NUL, other C0 controls, DEL
        ++out_.controls;
        space(i);
        return i + 1;
    }
  }

  void non_ascii(uint32_t cp, uint32_t off, size_t len) {
    Mapping m = map_code_point(cp);
    switch (m.action) {
      case Action::kCopy:
        flush_space();
        for (size_t k = 0; k < len; ++k) w_.put(static_cast<char>(p_[off + k]), off);
        line_start_ = false;
        break;
      case Action::kSpace:
        space(off);
        break;
      case Action::kDrop:
        break;
      case Action::kInvalid:
        ++out_.invalid_utf8;
        emit_replacement(off);
        break;
      case Action::kReplace:
        emit_replacement(off);
        break;
      case Action::kControl:
        ++out_.controls;
        space(off);
        break;
      case Action::kChar:
        emit_char(m.ch, off);
        break;
      case Action::kEllipsis:
        flush_space();
        w_.put('.', off);
        w_.put('.', off);
        w_.put('.', off);
        line_start_ = false;
        break;
      case Action::kBulletAtStart:
        if (line_start_) {
          emit_char('*', off);
        } else {
          flush_space();
          for (size_t k = 0; k < len; ++k) w_.put(static_cast<char>(p_[off + k]), off);
        }
        break;
    }
  }

  void emit_char(char c, uint32_t off) {
    flush_space();
    w_.put(c, off);
    line_start_ = false;
  }

  void emit_replacement(uint32_t off) {
    flush_space();
    w_.put('\xEF', off);
    w_.put('\xBF', off);
    w_.put('\xBD', off);
    line_start_ = false;
  }

  void space(size_t off) {
    if (!pending_) {
      pending_ = true;
      pending_off_ = static_cast<uint32_t>(off);
    }
  }

  void flush_space() {
    if (pending_) {
      w_.put(' ', pending_off_);
      pending_ = false;
    }
  }

  // \n or \f: trailing spaces on the line are dropped.
  void line_break(char c, size_t off) {
    pending_ = false;
    w_.put(c, static_cast<uint32_t>(off));
    line_start_ = true;
  }

  const unsigned char* p_;
  size_t n_;
  NormalisedText& out_;
  Writer w_;
  bool pending_ = false;
  uint32_t pending_off_ = 0;
  bool line_start_ = true;
};

}  // namespace

void normalise(std::string_view raw, NormalisedText& out) {
  // Offsets are 32-bit: documents are capped well below 4 GiB by the reader
  // (ReaderOptions::max_doc_bytes); anything beyond is cut rather than
  // producing offsets that wrap.
  if (raw.size() >= std::numeric_limits<uint32_t>::max()) raw = raw.substr(0, std::numeric_limits<uint32_t>::max() - 1);
  out.invalid_utf8 = 0;
  out.controls = 0;
  Normaliser(raw, out).run();
}

bool looks_binary(std::string_view raw) {
  constexpr size_t kWindow = 8192;
  const size_t window = std::min(raw.size(), kWindow);
  if (window == 0) return false;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(raw.data());
  if (std::memchr(p, 0, window) != nullptr) return true;
  size_t bad = 0;
  for (size_t i = 0; i < window;) {
    unsigned char c = p[i];
    if (c >= 0x20 && c < 0x7F) {
      ++i;
    } else if (c < 0x80) {
      if (c != '\t' && c != '\n' && c != '\r' && c != '\f') ++bad;
      ++i;
    } else {
      uint32_t cp;
      // Decode against the whole input so that a sequence cut by the window
      // edge is judged on its real bytes.
      size_t len = decode_utf8(p, i, raw.size(), &cp);
      if (cp == kInvalidCodePoint) bad += std::min(len, window - i);
      i += len;
    }
  }
  return bad * 10 > window;
}

}  // namespace eventgraph
