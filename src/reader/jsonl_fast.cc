// The JSONL fast path. See jsonl_fast.h.
#include "reader/jsonl_fast.h"

#include <cstdint>

#include "util/utf8.h"

namespace eventgraph {
namespace reader_internal {
namespace {


class FlatParser {
 public:
  FlatParser(std::string_view s, FlatRecord* rec) : p_(s.data()), e_(s.data() + s.size()), rec_(rec) {}

  bool parse() {
    ws();
    if (!eat('{')) return false;
    ws();
    if (eat('}')) return end();
    for (;;) {
      if (!at('"')) return false;
      rec_->key.clear();
      if (!string(&rec_->key)) return false;
      ws();
      if (!eat(':')) return false;
      ws();
      if (!value()) return false;
      ws();
      if (eat(',')) {
        ws();
        continue;
      }
      if (eat('}')) return end();
      return false;
    }
  }

 private:
  bool end() {
    ws();
    return p_ == e_;
  }
  bool at(char c) const { return p_ < e_ && *p_ == c; }
  bool eat(char c) {
    if (!at(c)) return false;
    ++p_;
    return true;
  }
  void ws() {
    while (p_ < e_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  // The value of rec_->key.
  bool value() {
    const std::string& k = rec_->key;
    const bool is_id = k == "id", is_text = k == "text";
    if (at('"')) {
      std::string* target = nullptr;
      bool* flag = nullptr;
      if (is_id) target = &rec_->id, flag = &rec_->has_id;
      else if (is_text) target = &rec_->text, flag = &rec_->has_text;
      else if (k == "url") target = &rec_->url, flag = &rec_->has_url;
      else if (k == "title") target = &rec_->title, flag = &rec_->has_title;
      else if (k == "date") target = &rec_->date, flag = &rec_->has_date;
      if (target) {
        target->clear();
        *flag = true;
      }
      return string(target);
    }
    if (is_id || is_text) return false;  // non-string id/text: nlohmann decides
    // A later non-string value replaces an earlier string attribute.
    if (k == "url") rec_->has_url = false;
    if (k == "title") rec_->has_title = false;
    if (k == "date") rec_->has_date = false;
    if (at('-') || (p_ < e_ && *p_ >= '0' && *p_ <= '9')) return number();
    return literal("true") || literal("false") || literal("null");
  }

  bool literal(std::string_view lit) {
    if (static_cast<size_t>(e_ - p_) < lit.size() || std::string_view(p_, lit.size()) != lit) return false;
    p_ += lit.size();
    return true;
  }

  // Integers and plain decimals only; exponents and long numbers (which
  // nlohmann may reject as overflowing) go the slow way.
  bool number() {
    const char* start = p_;
    eat('-');
    if (eat('0')) {
    } else if (p_ < e_ && *p_ >= '1' && *p_ <= '9') {
      while (p_ < e_ && *p_ >= '0' && *p_ <= '9') ++p_;
    } else {
      return false;
    }
    if (eat('.')) {
      const char* digits = p_;
      while (p_ < e_ && *p_ >= '0' && *p_ <= '9') ++p_;
      if (p_ == digits) return false;
    }
    if (at('e') || at('E')) return false;
    return p_ - start <= 18;
  }

  // A UTF-8 sequence as RFC 3629 allows it; its length, or 0.
  size_t utf8_len() const {
    const unsigned char* u = reinterpret_cast<const unsigned char*>(p_);
    const size_t avail = static_cast<size_t>(e_ - p_);
    unsigned char c = u[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0xC2) return 0;
    if (c < 0xE0) {
      need = 1;
    } else if (c < 0xF0) {
      need = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c < 0xF5) {
      need = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return 0;
    }
    if (avail <= need) return 0;
    if (u[1] < lo || u[1] > hi) return 0;
    for (size_t k = 2; k <= need; ++k)
      if ((u[k] & 0xC0) != 0x80) return 0;
    return need + 1;
  }

  bool hex4(uint32_t* v) {
    if (e_ - p_ < 4) return false;
    uint32_t x = 0;
    for (int i = 0; i < 4; ++i) {
      char c = p_[i];
      x <<= 4;
      if (c >= '0' && c <= '9') x |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') x |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') x |= static_cast<uint32_t>(c - 'A' + 10);
      else return false;
    }
    p_ += 4;
    *v = x;
    return true;
  }

  bool escape(std::string* out) {
    if (p_ >= e_) return false;
    char c = *p_++;
    char r;
    switch (c) {
      case '"': r = '"'; break;
      case '\\': r = '\\'; break;
      case '/': r = '/'; break;
      case 'b': r = '\b'; break;
      case 'f': r = '\f'; break;
      case 'n': r = '\n'; break;
      case 'r': r = '\r'; break;
      case 't': r = '\t'; break;
      case 'u': {
        uint32_t cp;
        if (!hex4(&cp)) return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo;
          if (!eat('\\') || !eat('u') || !hex4(&lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        if (out) utf8::append(out, cp);
        return true;
      }
      default:
        return false;
    }
    if (out) out->push_back(r);
    return true;
  }

  // REQUIRES: at('"'). Appends the decoded string to *out when out is set.
  bool string(std::string* out) {
    ++p_;
    for (;;) {
      const char* s = p_;
      while (p_ < e_) {
        unsigned char c = static_cast<unsigned char>(*p_);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++p_;
      }
      if (out) out->append(s, static_cast<size_t>(p_ - s));
      if (p_ >= e_) return false;
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        size_t len = utf8_len();
        if (len == 0) return false;
        if (out) out->append(p_, len);
        p_ += len;
        continue;
      }
      ++p_;  // the backslash
      if (!escape(out)) return false;
    }
  }

  const char* p_;
  const char* e_;
  FlatRecord* rec_;
};

}  // namespace

bool parse_flat_record(std::string_view line, FlatRecord* rec) {
  rec->has_id = rec->has_text = rec->has_url = rec->has_title = rec->has_date = false;
  return FlatParser(line, rec).parse();
}

}  // namespace reader_internal
}  // namespace eventgraph
