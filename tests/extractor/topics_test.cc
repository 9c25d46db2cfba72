// Topic scoring (extractor/topics.cc): min-hits, title and description
// weight, weak cues, hits inside names, overlapping cues of two topics, and
// several packs in one process.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "eventgraph/extractor.h"
#include "eventgraph/rules.h"
#include "testutil/builtin_pack.h"

using namespace eventgraph;
namespace fs = std::filesystem;

namespace {

// A pack of its own: a taxonomy and one topics file, nothing else.
std::unique_ptr<RuleSet> topic_pack(const std::string& name, const std::string& rules) {
  fs::path dir = fs::temp_directory_path() / ("eg_topics_test_" + name);
  fs::create_directories(dir);
  std::ofstream(dir / "topics.json") << R"({"scheme": "test", "topics": [
    {"id": "alpha", "label": "Alpha"}, {"id": "beta", "label": "Beta"},
    {"id": "gamma", "label": "Gamma"}]})";
  std::ofstream(dir / "t.rules") << rules;
  std::unique_ptr<RuleSet> r;
  Status s = RuleSet::load_files({dir.string()}, {}, &r);
  if (!s.is_ok()) FAIL(s.to_string());
  return r;
}

const char* kRules =
    "topic alpha\n"
    "  cue alphanet|shared term\n"
    "topic beta\n"
    "  cue betaware|shared term\n"
    "  cue (?P<weak>plainword)\n"
    "topic gamma\n"
    "  min-hits 2\n"
    "  cue gammacast\n";

std::vector<std::string> topics_of(const RuleSet& rs, const std::string& text) {
  Extractor x(rs);
  Document d;
  d.id = "t";
  d.text = text;
  return x.extract(d).topics;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("A topic needs its min-hits; a passing word is not a topic", "[topics]") {
  auto rs = topic_pack("minhits", kRules);
  auto one = topics_of(*rs, "Notes\n\nsome words about alphanet here.\n");
  CHECK_FALSE(has(one, "alpha"));
  auto three = topics_of(*rs, "Notes\n\nalphanet one.\n\nalphanet two.\n\nalphanet three.\n");
  CHECK(has(three, "alpha"));
  // gamma asks for 2 hits only.
  auto two = topics_of(*rs, "Notes\n\ngammacast one.\n\ngammacast two.\n");
  CHECK(has(two, "gamma"));
  CHECK_FALSE(has(two, "alpha"));
}

TEST_CASE("A cue in the description counts min-hits", "[topics]") {
  auto rs = topic_pack("desc", kRules);
  std::string desc(220, 'x');
  desc = "Intro\n\nThis long paragraph is about betaware and more " + desc + ".\n";
  CHECK(has(topics_of(*rs, desc), "beta"));
  // The same single hit in a short line is a passing word.
  CHECK_FALSE(has(topics_of(*rs, "Intro\n\nA short line on betaware.\n"), "beta"));
}

TEST_CASE("One cue text shared by two topics counts for both", "[topics]") {
  auto rs = topic_pack("overlap", kRules);
  auto t = topics_of(*rs, "Notes\n\nshared term a.\n\nshared term b.\n\nshared term c.\n");
  CHECK(has(t, "alpha"));
  CHECK(has(t, "beta"));
}

TEST_CASE("Weak cues alone need another topic given on strong cues", "[topics]") {
  auto rs = topic_pack("weak", kRules);
  std::string weak = "Notes\n\nplainword a.\n\nplainword b.\n\nplainword c.\n";
  CHECK(topics_of(*rs, weak).empty());
  auto with_strong = topics_of(*rs, weak + "\ngammacast d.\n\ngammacast e.\n");
  CHECK(has(with_strong, "beta"));
  CHECK(has(with_strong, "gamma"));
  // A strong cue of the topic itself is enough.
  CHECK(has(topics_of(*rs, weak + "\nbetaware f.\n"), "beta"));
}

TEST_CASE("Packs with other cues in one process do not share their results", "[topics]") {
  auto a = topic_pack("pack_a", kRules);
  auto b = topic_pack("pack_b", "topic alpha\n  cue otherword\n");
  std::string text = "Notes\n\nalphanet otherword.\n\nalphanet otherword.\n\nalphanet otherword.\n";
  for (int i = 0; i < 2; ++i) {
    CHECK(has(topics_of(*a, text), "alpha"));
    CHECK(has(topics_of(*b, text), "alpha"));
    CHECK(topics_of(*b, "Notes\n\nalphanet.\n\nalphanet.\n\nalphanet.\n").empty());
  }
}

namespace {

const RuleSet& builtin() { return egtest::builtin_pack(); }

}  // namespace

TEST_CASE("Cue words inside a body's name are not what the text discusses", "[topics]") {
  std::string named =
      "Speakers\n\n"
      "* Ana Kovač, Adviser at the International Telecommunication Union\n"
      "* Ben Ortiz, Adviser at the International Telecommunication Union\n"
      "* Cleo Marsh, Adviser at the International Telecommunication Union\n";
  CHECK_FALSE(has(topics_of(builtin(), named), "telecom-infrastructure"));
  std::string discussed = named +
                          "\nThe panel discussed telecommunications markets.\n"
                          "Broadband rollout in rural areas was a theme.\n"
                          "Submarine cables carry most traffic.\n";
  CHECK(has(topics_of(builtin(), discussed), "telecom-infrastructure"));
}
