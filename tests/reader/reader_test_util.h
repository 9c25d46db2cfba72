// Helpers for the reader tests: read every document of some inputs, write
// gzip files.
#pragma once

#include <zlib.h>

#include <memory>
#include <string>
#include <vector>

#include "eventgraph/diagnostics.h"
#include "eventgraph/document.h"
#include "eventgraph/reader.h"
#include "eventgraph/status.h"

namespace readertest {

struct ReadAll {
  eventgraph::Status status;
  std::vector<eventgraph::Document> docs;
  std::vector<eventgraph::Problem> problems;
  uint64_t total_bytes = 0;
  uint64_t bytes_read = 0;

  // The problems whose reason contains `needle`.
  std::vector<eventgraph::Problem> with_reason(const std::string& needle) const {
    std::vector<eventgraph::Problem> out;
    for (const auto& p : problems)
      if (p.reason.find(needle) != std::string::npos) out.push_back(p);
    return out;
  }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& d : docs) out.push_back(d.id);
    return out;
  }
};

inline ReadAll read_all(const std::vector<std::string>& inputs,
                        const eventgraph::ReaderOptions& options = eventgraph::ReaderOptions()) {
  ReadAll r;
  eventgraph::CollectingReporter reporter;
  std::unique_ptr<eventgraph::DocumentSource> source;
  r.status = eventgraph::open_sources(inputs, options, &reporter, &source);
  if (r.status.is_ok()) {
    r.total_bytes = source->total_bytes();
    eventgraph::Document doc;
    while (source->next(doc)) r.docs.push_back(doc);
    r.bytes_read = source->bytes_read();
  }
  r.problems = reporter.problems();
  return r;
}

inline bool write_gz(const std::string& path, const std::string& content) {
  gzFile f = gzopen(path.c_str(), "wb");
  if (!f) return false;
  size_t off = 0;
  while (off < content.size()) {
    unsigned n = static_cast<unsigned>(std::min<size_t>(content.size() - off, 1 << 20));
    if (gzwrite(f, content.data() + off, n) != static_cast<int>(n)) {
      gzclose(f);
      return false;
    }
    off += n;
  }
  return gzclose(f) == Z_OK;
}

}  // namespace readertest
