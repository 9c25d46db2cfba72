// Pipeline specs: pipelines/default.json equals the built-in default, and
// every bad field is named in the error.
#include <catch2/catch.hpp>

#include "eventgraph/pipeline.h"
#include "pipeline/pipeline_internal.h"
#include "testutil/testutil.h"

using namespace eventgraph;

namespace {

Status parse(const std::string& json, PipelineSpec* spec) {
  return parse_pipeline("/some/dir/p.json", json, spec);
}

}  // namespace

TEST_CASE("pipelines/default.json is the built-in default") {
  PipelineSpec spec;
  Status st = load_pipeline(egtest::kSourceDir + "/pipelines/default.json", &spec);
  REQUIRE(st.is_ok());
  PipelineSpec def = default_pipeline();
  CHECK(spec.name == def.name);
  CHECK(spec.rule_packs == def.rule_packs);
  CHECK(spec.resolver_steps == def.resolver_steps);
  CHECK(spec.exporters == def.exporters);
  CHECK(spec.documents == def.documents);
  CHECK(def.resolver_steps == known_resolver_steps());
}

TEST_CASE("a spec with every field parses") {
  PipelineSpec spec;
  REQUIRE(parse(R"({"name":"x","rule_packs":["../rules","/abs/pack.rules"],"resolver_steps":["surnames"],
                   "exporters":["gexf"],"documents":false})",
                &spec)
              .is_ok());
  CHECK(spec.name == "x");
  // Relative packs are resolved against the spec file's folder; absolute kept.
  REQUIRE(spec.rule_packs.size() == 2);
  CHECK(spec.rule_packs[0] == "/some/rules");
  CHECK(spec.rule_packs[1] == "/abs/pack.rules");
  CHECK(spec.resolver_steps == std::vector<std::string>{"surnames"});
  CHECK(spec.exporters == std::vector<std::string>{"gexf"});
  CHECK_FALSE(spec.documents);
}

TEST_CASE("missing fields take the defaults") {
  PipelineSpec spec;
  REQUIRE(parse("{}", &spec).is_ok());
  CHECK(spec.rule_packs == std::vector<std::string>{"builtin"});
  CHECK(spec.exporters == default_pipeline().exporters);
  CHECK(spec.documents);
}

TEST_CASE("errors name the file and the field") {
  struct Case {
    const char* json;
    const char* field;
  };
  const Case cases[] = {
      {R"({"nmae":"x"})", "\"nmae\""},
      {R"({"name":3})", "\"name\""},
      {R"({"documents":"yes"})", "\"documents\""},
      {R"({"rule_packs":"builtin"})", "\"rule_packs\""},
      {R"({"rule_packs":[]})", "\"rule_packs\""},
      {R"({"rule_packs":["builtin",7]})", "\"rule_packs[1]\""},
      {R"({"exporters":["graphml","csv"]})", "\"exporters[1]\""},
      {R"({"resolver_steps":["acronyms","magic"]})", "\"resolver_steps[1]\""},
  };
  for (const Case& c : cases) {
    INFO(c.json);
    PipelineSpec spec;
    spec.name = "untouched";
    Status st = parse(c.json, &spec);
    REQUIRE_FALSE(st.is_ok());
    CHECK(st.kind() == Status::Kind::kInvalidInput);
    CHECK(st.message().find("/some/dir/p.json") != std::string::npos);
    CHECK(st.message().find(c.field) != std::string::npos);
    CHECK(spec.name == "untouched");  // no partial result
  }
}

TEST_CASE("bad JSON and missing files are errors naming the file") {
  PipelineSpec spec;
  Status st = parse("{\"name\": ", &spec);
  REQUIRE_FALSE(st.is_ok());
  CHECK(st.message().find("/some/dir/p.json") != std::string::npos);
  st = parse("[1,2]", &spec);
  CHECK_FALSE(st.is_ok());

  egtest::TempDir tmp;
  st = load_pipeline(tmp / "nope.json", &spec);
  REQUIRE_FALSE(st.is_ok());
  CHECK(st.kind() == Status::Kind::kNotFound);
  CHECK(st.message().find("nope.json") != std::string::npos);

  egtest::write_file(tmp / "p.json", R"({"name":"t","rule_packs":["r"]})");
  REQUIRE(load_pipeline(tmp / "p.json", &spec).is_ok());
  CHECK(spec.name == "t");
  CHECK(spec.rule_packs == std::vector<std::string>{tmp / "r"});
}
