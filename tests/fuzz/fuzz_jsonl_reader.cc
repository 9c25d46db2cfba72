// libFuzzer target: the reader on arbitrary bytes as a .jsonl file, a text
// file with form feeds and with --split-on, each through open_sources() and
// DocumentSource::next(). Asserts every returned document is well-formed
// (non-empty id and text, 1-based line) and bytes_read() never exceeds the
// file size.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "eventgraph/diagnostics.h"
#include "eventgraph/reader.h"

namespace {

std::string temp_dir() {
  static std::string dir = [] {
    char tmpl[] = "/tmp/egfuzz-reader-XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (d == nullptr) std::abort();
    return std::string(d);
  }();
  return dir;
}

void read_all(const std::string& path, const eventgraph::ReaderOptions& ro, size_t size) {
  eventgraph::CollectingReporter rep;
  std::unique_ptr<eventgraph::DocumentSource> src;
  if (!eventgraph::open_sources({path}, ro, &rep, &src).is_ok()) std::abort();  // the file exists
  eventgraph::Document doc;
  size_t n = 0;
  while (src->next(doc)) {
    if (doc.id.empty() || doc.text.empty() || doc.line == 0) std::abort();
    if (doc.text.size() > ro.max_doc_bytes) std::abort();
    if (++n > size + 1) std::abort();  // more documents than bytes
  }
  if (src->bytes_read() > size) std::abort();
  for (const auto& p : rep.problems()) {
    if (p.file.empty() || p.reason.empty()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const std::string jsonl = temp_dir() + "/in.jsonl";
  const std::string text = temp_dir() + "/in.txt";
  {
    std::ofstream(jsonl, std::ios::binary | std::ios::trunc) << bytes;
    std::ofstream(text, std::ios::binary | std::ios::trunc) << bytes;
  }
  eventgraph::ReaderOptions ro;
  ro.max_doc_bytes = 4096;
  ro.max_line_bytes = 8192;
  read_all(jsonl, ro, size);
  read_all(text, ro, size);
  ro.split_on = "-{3,}";
  read_all(text, ro, size);
  return 0;
}
