// Pipeline specs: pipelines/*.json -> PipelineSpec. See pipelines/README.md.
// nlohmann/json throws; every exception is caught here and becomes a Status.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eventgraph/exporter.h"
#include "eventgraph/pipeline.h"
#include "pipeline/pipeline_internal.h"

namespace eventgraph {
namespace {

using nlohmann::json;

Status field_error(const std::string& path, const std::string& field, const std::string& what) {
  return Status::invalid_input(path + ": field \"" + field + "\": " + what);
}

Status read_string_list(const std::string& path, const json& j, const std::string& field,
                        std::vector<std::string>* out) {
  if (!j.is_array()) return field_error(path, field, "expected an array of strings");
  out->clear();
  for (size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) {
      return field_error(path, field + "[" + std::to_string(i) + "]", "expected a string");
    }
    std::string s = j[i].get<std::string>();
    if (s.empty()) return field_error(path, field + "[" + std::to_string(i) + "]", "empty string");
    out->push_back(std::move(s));
  }
  return Status::ok();
}

}  // namespace

const std::vector<std::string>& known_resolver_steps() {
  static const std::vector<std::string> kSteps = {
      "acronyms", "surnames", "qualified-bodies", "gazetteer-canonical", "fold-case-diacritics"};
  return kSteps;
}

PipelineSpec default_pipeline() {
  PipelineSpec spec;
  spec.name = "default";
  spec.rule_packs = {"builtin"};
  spec.resolver_steps = known_resolver_steps();
  spec.exporters = {"graphml", "jsonld"};
  spec.documents = true;
  return spec;
}

Status parse_pipeline(const std::string& path, const std::string& content, PipelineSpec* out) {
  json j;
  try {
    j = json::parse(content);
  } catch (const json::parse_error& e) {
    return Status::invalid_input(path + ": not valid JSON: byte " + std::to_string(e.byte) + ": " +
                                 e.what());
  } catch (const std::exception& e) {
    return Status::invalid_input(path + ": not valid JSON: " + e.what());
  }
  if (!j.is_object()) return Status::invalid_input(path + ": expected a JSON object");

  PipelineSpec spec = default_pipeline();
  const std::filesystem::path base = std::filesystem::path(path).parent_path();
  try {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      const json& v = it.value();
      if (key == "name") {
        if (!v.is_string()) return field_error(path, key, "expected a string");
        spec.name = v.get<std::string>();
      } else if (key == "rule_packs") {
        std::vector<std::string> packs;
        Status s = read_string_list(path, v, key, &packs);
        if (!s) return s;
        if (packs.empty()) return field_error(path, key, "needs at least one rule pack");
        for (std::string& p : packs) {
          if (p == "builtin") continue;
          std::filesystem::path pp(p);
          if (pp.is_relative()) p = (base / pp).lexically_normal().string();
        }
        spec.rule_packs = std::move(packs);
      } else if (key == "resolver_steps") {
        std::vector<std::string> steps;
        Status s = read_string_list(path, v, key, &steps);
        if (!s) return s;
        const auto& known = known_resolver_steps();
        for (size_t i = 0; i < steps.size(); ++i) {
          if (std::find(known.begin(), known.end(), steps[i]) == known.end()) {
            std::string names;
            for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
            return field_error(path, key + "[" + std::to_string(i) + "]",
                               "unknown resolver step \"" + steps[i] + "\" (known: " + names + ")");
          }
        }
        spec.resolver_steps = std::move(steps);
      } else if (key == "exporters") {
        std::vector<std::string> ex;
        Status s = read_string_list(path, v, key, &ex);
        if (!s) return s;
        for (size_t i = 0; i < ex.size(); ++i) {
          if (!is_known_format(ex[i])) {
            std::string names;
            for (const auto& k : known_formats()) names += (names.empty() ? "" : ", ") + k;
            return field_error(path, key + "[" + std::to_string(i) + "]",
                               "unknown format \"" + ex[i] + "\" (known: " + names + ")");
          }
        }
        spec.exporters = std::move(ex);
      } else if (key == "documents") {
        if (!v.is_boolean()) return field_error(path, key, "expected true or false");
        spec.documents = v.get<bool>();
      } else if (key == "description" || key == "$comment") {
        if (!v.is_string()) return field_error(path, key, "expected a string");
      } else {
        return field_error(path, key,
                           "unknown field (known: name, description, rule_packs, resolver_steps, "
                           "exporters, documents)");
      }
    }
  } catch (const std::exception& e) {
    return Status::invalid_input(path + ": " + e.what());
  }
  *out = std::move(spec);
  return Status::ok();
}

Status load_pipeline(const std::string& path, PipelineSpec* out) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::not_found(path + ": pipeline file not found");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error(path + ": cannot open pipeline file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::io_error(path + ": cannot read pipeline file");
  return parse_pipeline(path, ss.str(), out);
}

}  // namespace eventgraph
