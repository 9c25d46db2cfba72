// export_graph(): format name -> the format's writer (formats.h).
#include <sys/stat.h>

#include "eventgraph/exporter.h"
#include "exporters/formats.h"

namespace eventgraph {
namespace {

using ExportFn = Status (*)(const Graph&, const std::string&, const ExportOptions&);

struct Format {
  const char* name;
  ExportFn fn;
};

// The one table of formats, in the order known_formats() lists them.
const Format kFormats[] = {
    {"graphml", export_graphml}, {"jsonld", export_jsonld}, {"gexf", export_gexf},
    {"neo4j", export_neo4j},     {"cypher", export_cypher}, {"kuzu", export_kuzu},
    {"fragments", export_fragments},
};

}  // namespace

const std::vector<std::string>& known_formats() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& f : kFormats) v.push_back(f.name);
    return v;
  }();
  return names;
}

bool is_known_format(const std::string& name) {
  for (const auto& f : kFormats)
    if (name == f.name) return true;
  return false;
}

Status export_graph(const Graph& g, const std::string& format, const std::string& out_dir,
                    const ExportOptions& options) {
  for (const auto& f : kFormats) {
    if (format != f.name) continue;
    struct stat st;
    if (::stat(out_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      return Status::io_error(out_dir + ": output folder does not exist");
    return f.fn(g, out_dir, options);
  }
  std::string known;
  for (const auto& n : known_formats()) known += (known.empty() ? "" : ", ") + n;
  return Status::invalid_input("unknown format '" + format + "' (known: " + known + ")");
}

}  // namespace eventgraph
