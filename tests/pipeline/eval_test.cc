// The eval port equals ../shared/corpus/score.py: the same fold() on every
// string of the corpus gold, and the same printed scores (table, per-doc and
// --json, compared as strings) for perturbed predictions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "pipeline/eval.h"
#include "testutil/testutil.h"

using namespace eventgraph;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kCorpus = egtest::kSharedDir + "/corpus";

std::vector<std::string> gold_files() {
  std::vector<std::string> out = {kCorpus + "/seed.gold.json"};
  for (const auto& e : fs::directory_iterator(kCorpus + "/dev")) {
    std::string p = e.path().string();
    if (p.size() > 10 && p.compare(p.size() - 10, 10, ".gold.json") == 0) out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

json load(const std::string& path) { return json::parse(egtest::read_file(path)); }

void collect_strings(const json& j, std::vector<std::string>* out) {
  if (j.is_string()) {
    std::string s = j.get<std::string>();
    if (s.find('\n') == std::string::npos && s.find('\r') == std::string::npos) out->push_back(s);
  } else if (j.is_array() || j.is_object()) {
    for (const auto& v : j) collect_strings(v, out);
  }
}

std::string python(const std::string& args) {
  egtest::CmdResult r = egtest::run("PYTHONIOENCODING=utf-8 /usr/bin/python3 " + args);
  INFO(r.out);
  REQUIRE(r.status == 0);
  return r.out;
}

// A deterministic, branch-exercising prediction made from the gold.
json perturb(const json& g, unsigned seed) {
  json p = json::object();
  p["id"] = g.value("id", "");
  unsigned k = seed;
  auto next = [&k]() { return k = k * 1103515245u + 12345u, (k >> 16) & 0x7fff; };
  const char* roles[] = {"speaker", "moderator", "participant", "mentioned", "organiser"};
  json persons = json::array();
  for (const auto& gp : g.value("persons", json::array())) {
    unsigned r = next() % 6;
    if (r == 0) continue;  // missed
    json pp = gp;
    if (r == 1 && !gp["aliases"].empty()) pp["name"] = gp["aliases"][0];
    if (r == 2) pp["name"] = "Dr " + gp["name"].get<std::string>();
    if (r == 3) pp["event_role"] = roles[next() % 5];
    json rs = json::array();
    for (const auto& role : gp.value("roles", json::array())) {
      json rr = role;
      unsigned q = next() % 5;
      if (q == 0) continue;
      if (q == 1 && rr["title"].is_string()) rr["title"] = rr["title"].get<std::string>() + " of Something Else";
      if (q == 2) rr["org"] = "Unknown Body";
      if (q == 3) rr["title"] = nullptr;
      rs.push_back(rr);
    }
    if (next() % 4 == 0) rs.push_back({{"title", "Adviser"}, {"org", nullptr}});
    pp["roles"] = rs;
    persons.push_back(pp);
  }
  persons.push_back({{"name", "Invented Person"},
                     {"aliases", json::array()},
                     {"roles", {{{"title", "Chief Officer"}, {"org", "Unknown Body"}}, {{"title", nullptr}, {"org", "Other Body"}}}},
                     {"event_role", roles[next() % 5]}});
  p["persons"] = persons;
  json orgs = json::array();
  for (const auto& go : g.value("organizations", json::array())) {
    unsigned r = next() % 5;
    if (r == 0) continue;
    json po = go;
    if (r == 1 && !go["aliases"].empty()) {
      po["name"] = go["aliases"][0];
      po["aliases"] = json::array();
    }
    if (r == 2) po["name"] = "The " + go["name"].get<std::string>();
    orgs.push_back(po);
  }
  orgs.push_back({{"name", "Unknown Body"}, {"aliases", json::array()}});
  p["organizations"] = orgs;
  json places = json::array();
  for (const auto& pl : g.value("places", json::array())) {
    if (next() % 4) places.push_back(pl);
  }
  places.push_back("Atlantis");
  p["places"] = places;
  if (g.contains("event") && g["event"].is_object()) {
    json ev = g["event"];
    unsigned r = next() % 4;
    if (r == 0) ev["title"] = "A Different Meeting";
    if (r == 1) ev["start"] = "1999-01-01";
    if (r == 2) ev["end"] = nullptr;
    if (r == 3) ev["organizers"].push_back("Unknown Body");
    p["event"] = ev;
  } else if (seed % 2) {
    p["event"] = {{"title", "Invented Event"}, {"start", "2020-01-01"}, {"end", nullptr}, {"places", {"Online"}}};
  }
  json topics = json::array();
  for (const auto& t : g.value("topics", json::array())) {
    if (next() % 3) topics.push_back(t);
  }
  topics.push_back("not-a-topic");
  p["topics"] = topics;
  return p;
}

}  // namespace

TEST_CASE("eval::fold equals score.py's fold on every gold string and on hard cases") {
  std::vector<std::string> strings = {"Đorđe Đukić", "Łódź", "Ærø Straße", "O'Neill's", "AT&T",
                                      "ﬁnance", "naïve_x", "Ελληνικά", "Москва", "  spaced   out ",
                                      "İstanbul", "ǅemal", "Dr. H.E. Ms Ñuñez-Öberg", "x\xe2\x80\x99s",
                                      "Zürich (ZH)", "e\xcc\x81t\xc3\xa9", "R\xc3\xa9sum\xc3\xa9 \xe2\x80\x93 CV"};
  for (const auto& f : gold_files()) collect_strings(load(f), &strings);
  REQUIRE(strings.size() > 300);
  egtest::TempDir tmp;
  std::string in;
  for (const auto& s : strings) in += s + "\n";
  egtest::write_file(tmp / "in.txt", in);
  std::string py = python("-c \"import sys; sys.path.insert(0, '" + kCorpus +
                          "'); import score; out = open(sys.argv[2], 'w', encoding='utf-8'); "
                          "[out.write(score.fold(l[:-1]) + '\\n') for l in open(sys.argv[1], encoding='utf-8')]\" " +
                          tmp / "in.txt" + " " + tmp / "out.txt");
  std::string expected = egtest::read_file(tmp / "out.txt");
  std::string got;
  for (const auto& s : strings) got += eval::fold(s) + "\n";
  // Compare line by line for a readable failure.
  std::istringstream a(got), b(expected);
  std::string la, lb;
  size_t i = 0;
  while (std::getline(b, lb)) {
    REQUIRE(std::getline(a, la));
    INFO("input: " << strings[i]);
    CHECK(la == lb);
    ++i;
  }
  CHECK(i == strings.size());
}

TEST_CASE("eval scores equal score.py on perturbed predictions") {
  egtest::TempDir tmp;
  const std::string gold_dir = tmp / "gold";
  const std::string pred_dir = tmp / "pred";
  fs::create_directories(gold_dir);
  fs::create_directories(pred_dir);
  eval::Scores total;
  std::vector<eval::DocScore> docs;
  unsigned seed = 1;
  std::vector<std::pair<std::string, std::string>> names;
  for (const auto& f : gold_files()) {
    std::string name = fs::path(f).filename().string();
    name = name.substr(0, name.size() - 10);
    names.emplace_back(name, f);
  }
  std::sort(names.begin(), names.end());
  for (const auto& [name, f] : names) {
    fs::copy_file(f, gold_dir + "/" + name + ".gold.json");
    json g = load(f);
    json p = perturb(g, seed++);
    if (seed % 7 == 0) p = json::object();  // a missing prediction
    else egtest::write_file(pred_dir + "/" + name + ".pred.json", p.dump(1));
    eval::DocScore d;
    d.name = name;
    eval::score_doc(g, p, &d.scores);
    for (const auto& [c, t] : d.scores) total[c].add(t.tp, t.fp, t.fn);
    docs.push_back(d);
  }
  const std::string score = kCorpus + "/score.py " + gold_dir + " " + pred_dir;
  CHECK(eval::format_json(total, docs, false) == python(score + " --json"));
  CHECK(eval::format_table(total, docs, false) == python(score));
  CHECK(eval::format_table(total, docs, true) == python(score + " --per-doc"));
  // The perturbations reach every category with both hits and misses.
  for (const auto& c : eval::categories()) {
    INFO(c);
    CHECK(total[c].tp > 0);
    CHECK(total[c].fp + total[c].fn > 0);
  }
}

TEST_CASE("to_prediction writes the gold format") {
  DocAnnotation a;
  a.doc_id = "d";
  PersonAnn p;
  p.name = "Ann Example";
  p.aliases = {"Example"};
  RoleAnn r;
  r.title = "Director";
  r.org = "Example Institute";
  p.roles.push_back(r);
  RoleAnn aff;
  aff.org = "Other Body";
  p.roles.push_back(aff);
  p.event_role = "speaker";
  a.persons.push_back(p);
  OrgAnn org;
  org.name = "Example Institute";
  org.aliases = {"EI"};
  a.organizations.push_back(org);
  org.name = "Other Body";
  org.aliases.clear();
  a.organizations.push_back(org);
  PlaceAnn place;
  place.name = "Podgorica";
  place.kind = "City";
  a.places.push_back(place);
  EventAnn e;
  e.title = "Forum";
  e.start = "2024-06-11";
  e.places = {"Podgorica"};
  a.event = e;
  a.topics = {"cybersecurity"};
  json j = eval::to_prediction(a, "d");
  CHECK(j["id"] == "d");
  CHECK(j["persons"][0]["name"] == "Ann Example");
  CHECK(j["persons"][0]["aliases"] == json::array({"Example"}));
  CHECK(j["persons"][0]["roles"][0] == json({{"title", "Director"}, {"org", "Example Institute"}}));
  CHECK(j["persons"][0]["roles"][1]["title"].is_null());
  CHECK(j["persons"][0]["event_role"] == "speaker");
  CHECK(j["organizations"][0]["aliases"] == json::array({"EI"}));
  CHECK(j["places"] == json::array({"Podgorica"}));
  CHECK(j["event"]["start"] == "2024-06-11");
  CHECK(j["event"]["end"].is_null());
  CHECK(j["topics"] == json::array({"cybersecurity"}));
  DocAnnotation none;
  CHECK(eval::to_prediction(none, "x")["event"].is_null());
  // A prediction scored against itself as gold is perfect.
  eval::Scores s;
  eval::score_doc(j, j, &s);
  for (const auto& [c, t] : s) {
    INFO(c);
    CHECK(t.fp == 0);
    CHECK(t.fn == 0);
  }
}

TEST_CASE("py_round3 prints like Python's repr(round(x, 3))") {
  CHECK(eval::py_round3(1.0) == "1.0");
  CHECK(eval::py_round3(0.0) == "0.0");
  CHECK(eval::py_round3(2.0 / 3.0) == "0.667");
  CHECK(eval::py_round3(0.5) == "0.5");
  CHECK(eval::py_round3(0.8571428) == "0.857");
  CHECK(eval::py_round3(0.0005) == "0.001");
  CHECK(eval::py_round3(0.12) == "0.12");
}
