// FileReader: text and JSONL documents from one file. See file_reader.h.
#include "reader/file_reader.h"

#include <nlohmann/json.hpp>

#include <string_view>
#include <utility>

#include "eventgraph/normaliser.h"

namespace eventgraph {
namespace reader_internal {
namespace {

bool is_blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

std::string too_large(uint64_t bytes, uint64_t limit, const char* what) {
  return std::string(what) + " larger than " + std::to_string(limit) + " bytes (" + std::to_string(bytes) +
         " bytes)";
}

// "[json.exception.parse_error.101] parse error at ..." -> "parse error at ...".
std::string json_message(const char* what) {
  std::string_view m(what);
  if (!m.empty() && m[0] == '[') {
    size_t close = m.find("] ");
    if (close != std::string_view::npos) m.remove_prefix(close + 2);
  }
  return std::string(m);
}

}  // namespace

FileReader::FileReader(const InputFile& input, ReaderContext* ctx) : input_(input), ctx_(ctx) {}

void FileReader::report(uint64_t line, const std::string& doc, std::string reason) {
  if (ctx_->reporter == nullptr) return;
  Problem p;
  p.file = input_.path;
  p.line = line;
  p.doc = doc;
  p.reason = std::move(reason);
  p.skipped = true;
  ctx_->reporter->report(p);
}

bool FileReader::open() {
  std::string error;
  stream_ = open_byte_stream(input_.path, input_.gzip, &error);
  if (!stream_) {
    report(0, "", error);
    return false;
  }
  chunks_ = std::make_unique<ChunkReader>(stream_.get(), &ctx_->buffer);
  line_ = input_.jsonl ? 0 : 1;
  return true;
}

// Judges the whole file by its first 8 KiB (as ripgrep does), so that a
// large binary file is not read to the end only to be thrown away.
bool FileReader::sniff_binary() {
  if (!looks_binary(chunks_->peek(8192))) return false;
  report(0, "", "binary file");
  return true;
}

bool FileReader::next(Document& doc) {
  if (done_) return false;
  if (!started_) {
    started_ = true;
    if (sniff_binary()) {
      done_ = true;
      return false;
    }
  }
  return input_.jsonl ? next_jsonl(doc) : next_text(doc);
}

// ---- Text ----------------------------------------------------------------

bool FileReader::read_piece_whole(Document& doc, uint64_t* bytes, bool* overflow) {
  Segment seg;
  if (!chunks_->read_segment(&doc.text, /*split_nl=*/false, /*split_ff=*/true, ctx_->options.max_doc_bytes, &seg)) {
    return false;
  }
  *bytes = seg.bytes - (seg.terminator ? 1 : 0);
  *overflow = seg.overflow;
  line_ += seg.newlines;
  return seg.terminator == '\f';
}

// Line by line, for split_on: a line matching the pattern as a whole (a
// trailing \r ignored) ends the piece and belongs to neither side.
bool FileReader::read_piece_lines(Document& doc, uint64_t* bytes, bool* overflow) {
  const uint64_t max_doc = ctx_->options.max_doc_bytes;
  std::string& line = ctx_->line;
  Segment seg;
  for (;;) {
    line.clear();
    if (!chunks_->read_segment(&line, /*split_nl=*/true, /*split_ff=*/true, max_doc, &seg)) return false;
    line_ += seg.newlines;
    if (!seg.overflow && seg.terminator != '\f') {
      std::string_view l(line);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      if (RE2::FullMatch(l, *ctx_->split_re)) return true;
    }
    *bytes += seg.bytes;
    if (!*overflow && !seg.overflow && doc.text.size() + line.size() + 1 <= max_doc) {
      doc.text += line;
      if (seg.terminator == '\n') doc.text += '\n';
    } else {
      *overflow = true;
    }
    if (seg.terminator == '\f') return true;
    if (seg.terminator == 0) return false;
  }
}

bool FileReader::next_text(Document& doc) {
  const bool split_on = ctx_->split_re != nullptr;
  while (!done_) {
    doc.text.clear();
    const uint64_t start_line = line_;
    uint64_t bytes = 0;
    bool overflow = false;
    bool boundary = split_on ? read_piece_lines(doc, &bytes, &overflow) : read_piece_whole(doc, &bytes, &overflow);
    if (chunks_->failed()) {
      report(start_line, "", chunks_->error() + " (rest of file skipped)");
      done_ = true;
      return false;
    }
    if (!boundary) done_ = true;
    had_boundary_ = had_boundary_ || boundary;
    const bool split = split_on || had_boundary_;
    if (!overflow && is_blank(doc.text)) {
      if (!split) report(0, input_.path, "empty document");
      continue;  // an empty piece of a split file is just a gap
    }
    ++pieces_;
    doc.id = split ? input_.path + "#" + std::to_string(pieces_) : input_.path;
    if (overflow) {
      report(start_line, doc.id, too_large(bytes, ctx_->options.max_doc_bytes, "document"));
      continue;
    }
    if (looks_binary(doc.text)) {
      report(start_line, doc.id, split ? "binary document" : "binary file");
      continue;
    }
    doc.source = input_.path;
    doc.line = start_line;
    doc.attrs.clear();
    return true;
  }
  return false;
}

// ---- JSONL ---------------------------------------------------------------

bool FileReader::next_jsonl(Document& doc) {
  std::string& line = ctx_->line;
  while (!done_) {
    line.clear();
    Segment seg;
    if (!chunks_->read_segment(&line, /*split_nl=*/true, /*split_ff=*/false, ctx_->options.max_line_bytes, &seg)) {
      if (chunks_->failed()) report(line_ + 1, "", chunks_->error() + " (rest of file skipped)");
      done_ = true;
      return false;
    }
    const uint64_t ln = ++line_;
    if (seg.overflow) {
      report(ln, "", too_large(seg.bytes - (seg.terminator ? 1 : 0), ctx_->options.max_line_bytes, "line"));
      continue;
    }
    if (parse_record(ln, doc)) return true;
  }
  return false;
}

// Checks a record's text and, when it is good, moves it into doc.
bool FileReader::accept_record(uint64_t ln, std::string& id, std::string& body, Document& doc) {
  if (body.size() > ctx_->options.max_doc_bytes) {
    report(ln, id, too_large(body.size(), ctx_->options.max_doc_bytes, "document"));
    return false;
  }
  if (is_blank(body)) {
    report(ln, id, "empty document");
    return false;
  }
  if (looks_binary(body)) {
    report(ln, id, "binary document");
    return false;
  }
  doc.id.swap(id);
  doc.source = input_.path;
  doc.line = ln;
  doc.text.swap(body);  // swapping keeps both buffers' capacity in use
  doc.attrs.clear();
  return true;
}

// The common flat record takes the fast path; everything else, and every
// bad line, goes to nlohmann/json, whose exceptions stop here and become
// reports.
bool FileReader::parse_record(uint64_t ln, Document& doc) {
  std::string_view text(ctx_->line);
  if (ln == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a BOM
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (is_blank(text)) return false;  // blank lines are not records

  FlatRecord& fr = ctx_->flat;
  if (parse_flat_record(text, &fr)) {
    if (!fr.has_id) fr.id = input_.path + ":" + std::to_string(ln);
    if (!fr.has_text) {
      report(ln, fr.id, "missing \"text\"");
      return false;
    }
    if (!accept_record(ln, fr.id, fr.text, doc)) return false;
    if (fr.has_url) doc.attrs["url"] = fr.url;
    if (fr.has_title) doc.attrs["title"] = fr.title;
    if (fr.has_date) doc.attrs["date"] = fr.date;
    return true;
  }

  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    report(ln, "", "malformed JSON: " + json_message(e.what()));
    return false;
  }
  if (!j.is_object()) {
    report(ln, "", "not a JSON object");
    return false;
  }
  std::string id;
  auto id_it = j.find("id");
  if (id_it == j.end() || id_it->is_null()) {
    id = input_.path + ":" + std::to_string(ln);
  } else if (id_it->is_string()) {
    id = id_it->get<std::string>();
  } else {
    id = id_it->dump();
  }
  auto text_it = j.find("text");
  if (text_it == j.end()) {
    report(ln, id, "missing \"text\"");
    return false;
  }
  if (!text_it->is_string()) {
    report(ln, id, "\"text\" is not a string");
    return false;
  }
  if (!accept_record(ln, id, text_it->get_ref<std::string&>(), doc)) return false;
  for (const char* key : {"url", "title", "date"}) {
    auto it = j.find(key);
    if (it != j.end() && it->is_string()) doc.attrs[key] = it->get<std::string>();
  }
  return true;
}

}  // namespace reader_internal
}  // namespace eventgraph
