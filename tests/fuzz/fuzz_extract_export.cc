// libFuzzer target: one whole document through the built-in rule pack, the
// extractor, the graph builder and the GraphML and JSON-LD exporters.
// The input's first line is split into id and title/url attributes (raw
// bytes, as a JSONL record or a file name can carry them); the rest is the
// text. Asserts GraphML is well-formed XML (tests/hostile/xml_check.h) and
// JSON-LD parses (nlohmann::json), whatever the bytes.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "eventgraph/exporter.h"
#include "eventgraph/extractor.h"
#include "eventgraph/graph.h"
#include "eventgraph/rules.h"
#include "hostile/xml_check.h"

namespace {

const eventgraph::RuleSet& rules() {
  static std::unique_ptr<eventgraph::RuleSet> r = [] {
    std::unique_ptr<eventgraph::RuleSet> out;
    if (!eventgraph::RuleSet::load_builtin({}, &out).is_ok()) std::abort();
    return out;
  }();
  return *r;
}

std::string out_dir() {
  static std::string dir = [] {
    char tmpl[] = "/dev/shm/egfuzz-export-XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (d == nullptr) {
      char tmpl2[] = "/tmp/egfuzz-export-XXXXXX";
      d = mkdtemp(tmpl2);
      if (d == nullptr) std::abort();
      return std::string(d);
    }
    return std::string(d);
  }();
  return dir;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16384) return 0;  // the extractor is slow on long lines; keep execs fast
  std::string in(reinterpret_cast<const char*>(data), size);
  eventgraph::Document doc;
  size_t nl = in.find('\n');
  if (nl != std::string::npos && nl < 200) {
    std::string head = in.substr(0, nl);
    doc.text = in.substr(nl + 1);
    size_t bar = head.find('|');
    doc.id = head.substr(0, bar);
    if (bar != std::string::npos) {
      std::string rest = head.substr(bar + 1);
      size_t bar2 = rest.find('|');
      doc.attrs["title"] = rest.substr(0, bar2);
      if (bar2 != std::string::npos) doc.attrs["url"] = rest.substr(bar2 + 1);
    }
  } else {
    doc.text = in;
  }
  if (doc.id.empty()) doc.id = "fuzz";
  doc.source = "fuzz";

  static eventgraph::Extractor* extractor = new eventgraph::Extractor(rules());
  eventgraph::DocAnnotation ann = extractor->extract(doc);
  eventgraph::Graph g;
  eventgraph::add_annotation(g, ann, rules().taxonomy());

  const std::string dir = out_dir();
  eventgraph::ExportOptions eo;
  if (!eventgraph::export_graph(g, "graphml", dir, eo).is_ok()) std::abort();
  if (!eventgraph::export_graph(g, "jsonld", dir, eo).is_ok()) std::abort();
  std::string gml = slurp(dir + "/graph.graphml");
  std::string err = egtest::xml_wellformed(gml);
  if (!err.empty()) {
    std::fprintf(stderr, "GraphML not well-formed: %s\n", err.c_str());
    std::abort();
  }
  std::string jld = slurp(dir + "/graph.jsonld");
  if (!nlohmann::json::accept(jld)) {
    std::fprintf(stderr, "JSON-LD does not parse\n");
    std::abort();
  }
  return 0;
}
