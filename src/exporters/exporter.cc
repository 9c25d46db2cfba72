// export_graph(): format name -> the format's writer (formats.h).
#include <sys/stat.h>

#include "eventgraph/exporter.h"
#include "exporters/formats.h"

namespace eventgraph {
namespace {

using ExportFn = Status (*)(const Graph&, const std::string&, const ExportOptions&);
using StreamFn = Status (*)(const GraphView&, const std::string&, const ExportOptions&);

// One of fn (needs the whole Graph) and stream (reads a GraphView in passes).
struct Format {
  const char* name;
  ExportFn fn;
  StreamFn stream;
};

// The one table of formats, in the order known_formats() lists them.
const Format kFormats[] = {
    {"graphml", nullptr, export_graphml}, {"jsonld", nullptr, export_jsonld},
    {"gexf", export_gexf, nullptr},       {"neo4j", export_neo4j, nullptr},
    {"cypher", export_cypher, nullptr},   {"kuzu", export_kuzu, nullptr},
    {"fragments", export_fragments, nullptr},
};

const Format* find_format(const std::string& name) {
  for (const auto& f : kFormats)
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace

const std::vector<std::string>& known_formats() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& f : kFormats) v.push_back(f.name);
    return v;
  }();
  return names;
}

bool is_known_format(const std::string& name) { return find_format(name) != nullptr; }

bool format_streams(const std::string& name) {
  const Format* f = find_format(name);
  return f != nullptr && f->stream != nullptr;
}

Status export_graph(const GraphView& g, const std::string& format, const std::string& out_dir,
                    const ExportOptions& options) {
  const Format* f = find_format(format);
  if (f == nullptr) {
    std::string known;
    for (const auto& n : known_formats()) known += (known.empty() ? "" : ", ") + n;
    return Status::invalid_input("unknown format '" + format + "' (known: " + known + ")");
  }
  struct stat st;
  if (::stat(out_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Status::io_error(out_dir + ": output folder does not exist");
  if (f->stream != nullptr) return f->stream(g, out_dir, options);
  if (const Graph* whole = g.graph_in_memory()) return f->fn(*whole, out_dir, options);
  Graph whole;
  Status s = materialize(g, &whole);
  if (!s) return s;
  return f->fn(whole, out_dir, options);
}

Status export_graph(const Graph& g, const std::string& format, const std::string& out_dir,
                    const ExportOptions& options) {
  return export_graph(MemoryGraphView(g), format, out_dir, options);
}

}  // namespace eventgraph
