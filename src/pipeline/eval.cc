// Port of ../shared/corpus/score.py. Keep it line for line comparable: every
// function below names the Python function it mirrors.
#include "pipeline/eval.h"

#include <charconv>
#include <cstdio>
#include <optional>
#include <set>

#include "util/utf8.h"

namespace eventgraph::eval {
namespace {

#include "pipeline/fold_table.inc"

using nlohmann::json;

// Decodes one UTF-8 code point at s[i]; invalid bytes yield U+FFFD, 1 byte.
char32_t decode(const std::string& s, size_t* i) {
  unsigned char c = static_cast<unsigned char>(s[*i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char d = static_cast<unsigned char>(s[*i + k]);
    if ((d & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (d & 0x3F);
  }
  *i += len;
  return cp;
}


const std::set<std::string> kHonorifics = {
    "mr",       "mrs",    "ms",      "miss",  "dr",   "prof",       "professor", "he",
    "hon",      "sir",    "dame",    "ambassador", "amb", "minister", "president", "federal",
    "councillor", "judge", "senator", "rep",  "gen",  "general",    "col",       "colonel",
    "lord",     "lady",   "rev",     "excellency", "his", "her",    "madam",     "mme",
    "m"};

const std::set<std::string> kStopwords = {"of", "the", "and", "for", "at", "in", "on", "a", "an"};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string join(const std::vector<std::string>& toks, size_t from) {
  std::string out;
  for (size_t i = from; i < toks.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += toks[i];
  }
  return out;
}

// person_key()
std::string person_key(const std::string& s) {
  std::vector<std::string> toks = split(fold(s));
  size_t from = 0;
  while (toks.size() - from > 1 && kHonorifics.count(toks[from])) ++from;
  return join(toks, from);
}

// org_key()
std::string org_key(const std::string& s) {
  std::vector<std::string> toks = split(fold(s));
  return join(toks, !toks.empty() && toks[0] == "the" ? 1 : 0);
}

// tokens()
std::set<std::string> tokens(const std::string& s) {
  std::set<std::string> out;
  for (auto& t : split(fold(s))) {
    if (!kStopwords.count(t)) out.insert(std::move(t));
  }
  return out;
}

size_t intersection_size(const std::set<std::string>& a, const std::set<std::string>& b) {
  size_t n = 0;
  for (const auto& x : a) n += b.count(x);
  return n;
}

bool subset(const std::set<std::string>& a, const std::set<std::string>& b) {
  return intersection_size(a, b) == a.size();
}

// similar_title()
bool similar_title(const std::string& a, const std::string& b) {
  std::set<std::string> ta = tokens(a), tb = tokens(b);
  if (ta.empty() || tb.empty()) return false;
  if (subset(ta, tb) || subset(tb, ta)) return true;
  size_t inter = intersection_size(ta, tb);
  return static_cast<double>(inter) / static_cast<double>(ta.size() + tb.size() - inter) >= 0.5;
}

// Python truthiness of a JSON value.
bool truthy(const json& j) {
  if (j.is_null()) return false;
  if (j.is_boolean()) return j.get<bool>();
  if (j.is_string()) return !j.get_ref<const std::string&>().empty();
  if (j.is_array() || j.is_object()) return !j.empty();
  if (j.is_number_float()) return j.get<double>() != 0;
  if (j.is_number()) return j.get<int64_t>() != 0;
  return true;
}

// d.get(key) -> the value, or null when absent (or d not an object).
const json& get(const json& d, const char* key) {
  static const json kNull;
  if (!d.is_object()) return kNull;
  auto it = d.find(key);
  return it == d.end() ? kNull : *it;
}

// d.get(key, []) or []  -> a list (empty when missing, null or not a list).
const json& get_list(const json& d, const char* key) {
  static const json kEmpty = json::array();
  const json& v = get(d, key);
  return v.is_array() ? v : kEmpty;
}

std::string str(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "";
  return j.dump();
}

// forms()
std::vector<std::string> forms(const json& e) {
  std::vector<std::string> out;
  out.push_back(str(get(e, "name")));
  for (const auto& a : get_list(e, "aliases")) out.push_back(str(a));
  return out;
}

// role_class()
std::string role_class(const json& r) {
  std::string s = r.is_string() ? r.get<std::string>() : "";
  if (s == "moderator" || s == "speaker") return s;
  if (r.is_null() || s == "mentioned") return "mentioned";
  return "other";
}

// match_entities(): greedy one-to-one; returns pred index -> gold index.
std::map<size_t, size_t> match_entities(const json& gold, const json& pred,
                                         std::string (*key)(const std::string&)) {
  std::vector<std::set<std::string>> gold_forms;
  for (const auto& g : gold) {
    std::set<std::string> ks;
    for (const auto& f : forms(g)) {
      std::string k = key(f);
      if (!k.empty()) ks.insert(k);
    }
    gold_forms.push_back(std::move(ks));
  }
  std::vector<bool> used(gold_forms.size(), false);
  std::map<size_t, size_t> out;
  for (size_t p = 0; p < pred.size(); ++p) {
    std::set<std::string> pk;
    for (const auto& f : forms(pred[p])) {
      std::string k = key(f);
      if (!k.empty()) pk.insert(k);
    }
    for (size_t g = 0; g < gold_forms.size(); ++g) {
      if (!used[g] && intersection_size(pk, gold_forms[g]) > 0) {
        used[g] = true;
        out[p] = g;
        break;
      }
    }
  }
  return out;
}

std::set<std::string> fold_set(const json& list) {
  std::set<std::string> out;
  for (const auto& x : list) out.insert(fold(str(x)));
  return out;
}

template <typename T>
size_t count_minus(const std::set<T>& a, const std::set<T>& b) {  // len(a - b)
  size_t n = 0;
  for (const auto& x : a) n += !b.count(x);
  return n;
}
template <typename T>
size_t count_and(const std::set<T>& a, const std::set<T>& b) {  // len(a & b)
  size_t n = 0;
  for (const auto& x : a) n += b.count(x);
  return n;
}

void add3(Scores* s, const std::string& c, size_t tp, size_t fp, size_t fn) {
  (*s)[c].add(tp, fp, fn);
}

std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string pad_left(const std::string& s, size_t w) {
  return s.size() >= w ? s : std::string(w - s.size(), ' ') + s;
}
std::string pad_right(const std::string& s, size_t w) {
  return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
}

void json_scores(const Scores& scores, const std::string& indent, std::string* out) {
  const auto& cats = categories();
  *out += "{\n";
  for (size_t i = 0; i < cats.size(); ++i) {
    auto it = scores.find(cats[i]);
    Tally t = it == scores.end() ? Tally() : it->second;
    double p, r, f;
    t.prf(&p, &r, &f);
    std::string in = indent + " ";
    *out += in + "\"" + cats[i] + "\": {\n";
    *out += in + " \"precision\": " + py_round3(p) + ",\n";
    *out += in + " \"recall\": " + py_round3(r) + ",\n";
    *out += in + " \"f1\": " + py_round3(f) + ",\n";
    *out += in + " \"tp\": " + std::to_string(t.tp) + ",\n";
    *out += in + " \"fp\": " + std::to_string(t.fp) + ",\n";
    *out += in + " \"fn\": " + std::to_string(t.fn) + "\n";
    *out += in + "}" + (i + 1 < cats.size() ? ",\n" : "\n");
  }
  *out += indent + "}";
}

}  // namespace

std::string fold(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;  // a separator is pending
  auto emit = [&](const char* piece) {
    for (const char* p = piece; *p; ++p) {
      if (*p == ' ') {
        space = true;
      } else {
        if (space && !out.empty()) out += ' ';
        space = false;
        out += *p;
      }
    }
  };
  size_t i = 0;
  while (i < s.size()) {
    char32_t cp = decode(s, &i);
    if (cp < 0x80) {
      char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c == '&') {
        emit(" and ");
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
        char piece[2] = {c, 0};
        emit(piece);
      } else {
        space = true;
      }
      continue;
    }
    bool done = false;
    for (const FoldRange& r : kFoldRanges) {
      if (cp >= r.lo && cp < r.hi) {
        emit(r.out[cp - r.lo]);
        done = true;
        break;
      }
    }
    if (done) continue;
    if ((cp >= 0x80 && cp < 0xA0) || (cp >= 0x2000 && cp < 0x2C00) || (cp >= 0x3000 && cp < 0x3040) ||
        cp == 0xFFFD || (cp >= 0xFE00 && cp < 0xFE10)) {
      space = true;
      continue;
    }
    std::string piece;
    utf8::append(&piece, uint32_t(cp));
    emit(piece.c_str());
  }
  return out;
}

void Tally::prf(double* p, double* r, double* f) const {
  *p = tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : (fn == 0 ? 1.0 : 0.0);
  *r = tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 1.0;
  *f = *p + *r != 0 ? 2 * *p * *r / (*p + *r) : 0.0;
}

const std::vector<std::string>& categories() {
  static const std::vector<std::string> kCats = {
      "persons",     "organizations", "places",      "roles",       "affiliations",
      "participation", "event.title", "event.start", "event.end",   "event.places",
      "event.organizers", "topics"};
  return kCats;
}

json to_prediction(const DocAnnotation& ann, const std::string& id) {
  json out = json::object();
  out["id"] = id;
  out["source"] = ann.url.empty() ? std::string("eventgraph") : ann.url;
  if (ann.event) {
    const EventAnn& e = *ann.event;
    json ev = json::object();
    ev["title"] = e.title.empty() ? json(nullptr) : json(e.title);  // an untitled event
    ev["start"] = e.start ? json(*e.start) : json(nullptr);
    ev["end"] = e.end ? json(*e.end) : json(nullptr);
    ev["places"] = e.places;
    ev["organizers"] = e.organizers;
    out["event"] = ev;
  } else {
    out["event"] = nullptr;
  }
  json persons = json::array();
  for (const PersonAnn& p : ann.persons) {
    json roles = json::array();
    for (const RoleAnn& r : p.roles) {
      roles.push_back({{"title", r.title ? json(*r.title) : json(nullptr)},
                       {"org", r.org ? json(*r.org) : json(nullptr)}});
    }
    persons.push_back(
        {{"name", p.name}, {"aliases", p.aliases}, {"roles", roles}, {"event_role", p.event_role}});
  }
  out["persons"] = persons;
  json orgs = json::array();
  for (const OrgAnn& o : ann.organizations) orgs.push_back({{"name", o.name}, {"aliases", o.aliases}});
  out["organizations"] = orgs;
  json places = json::array();
  for (const PlaceAnn& p : ann.places) places.push_back(p.name);
  out["places"] = places;
  out["topics"] = ann.topics;
  return out;
}

void score_doc(const json& g, const json& p, Scores* T) {
  const json& gp = get_list(g, "persons");
  const json& pp = get_list(p, "persons");
  std::map<size_t, size_t> pm = match_entities(gp, pp, person_key);
  add3(T, "persons", pm.size(), pp.size() - pm.size(), gp.size() - pm.size());

  const json& go = get_list(g, "organizations");
  const json& po = get_list(p, "organizations");
  std::map<size_t, size_t> om = match_entities(go, po, org_key);
  add3(T, "organizations", om.size(), po.size() - om.size(), go.size() - om.size());

  {
    std::set<std::string> gpl = fold_set(get_list(g, "places"));
    std::set<std::string> ppl = fold_set(get_list(p, "places"));
    add3(T, "places", count_and(gpl, ppl), count_minus(ppl, gpl), count_minus(gpl, ppl));
  }

  // org_alias: org_key(form) -> identity ("o:<index>" or "p:<folded place>"), first wins.
  std::map<std::string, std::string> org_alias;
  for (size_t i = 0; i < go.size(); ++i) {
    for (const auto& f : forms(go[i])) org_alias.emplace(org_key(f), "o:" + std::to_string(i));
  }
  for (const auto& x : get_list(g, "places")) org_alias.emplace(org_key(str(x)), "p:" + fold(str(x)));
  auto org_ident = [&](const json& s) -> std::optional<std::string> {
    if (!truthy(s)) return std::nullopt;
    auto it = org_alias.find(org_key(str(s)));
    if (it == org_alias.end()) return std::nullopt;
    return it->second;
  };
  auto org_ident_or_unknown = [&](const json& s) -> std::string {
    std::optional<std::string> id = org_ident(s);
    return id ? *id : "u:" + org_key(str(s));
  };

  for (size_t gi = 0; gi < gp.size(); ++gi) {
    const json& ge = gp[gi];
    std::optional<size_t> pi;
    for (const auto& [k, v] : pm) {
      if (v == gi) {
        pi = k;
        break;
      }
    }
    const json& gall = get_list(ge, "roles");
    const json& pall = pi ? get_list(pp[*pi], "roles") : get_list(json(), "roles");
    std::vector<const json*> groles, proles;
    for (const auto& r : gall) {
      if (truthy(get(r, "title"))) groles.push_back(&r);
    }
    for (const auto& r : pall) {
      if (truthy(get(r, "title"))) proles.push_back(&r);
    }
    std::vector<bool> used(groles.size(), false);
    size_t tp = 0;
    for (const json* pr : proles) {
      for (size_t j = 0; j < groles.size(); ++j) {
        if (!used[j] && similar_title(str(get(*pr, "title")), str(get(*groles[j], "title")))) {
          used[j] = true;
          ++tp;
          break;
        }
      }
    }
    add3(T, "roles", tp, proles.size() - tp, groles.size() - tp);

    std::set<std::string> gorgs, porgs;
    for (const auto& r : gall) {
      if (!truthy(get(r, "org"))) continue;
      if (auto id = org_ident(get(r, "org"))) gorgs.insert(*id);
    }
    for (const auto& r : pall) {
      if (truthy(get(r, "org"))) porgs.insert(org_ident_or_unknown(get(r, "org")));
    }
    add3(T, "affiliations", count_and(gorgs, porgs), count_minus(porgs, gorgs),
         count_minus(gorgs, porgs));

    std::string gcls = role_class(get(ge, "event_role"));
    if (pi) {
      std::string pcls = role_class(get(pp[*pi], "event_role"));
      if (gcls != "mentioned" || pcls != "mentioned") {
        bool hit = gcls == pcls;
        add3(T, "participation", hit, !hit && pcls != "mentioned", !hit && gcls != "mentioned");
      }
    } else if (gcls != "mentioned") {
      add3(T, "participation", 0, 0, 1);
    }
  }
  for (size_t pi = 0; pi < pp.size(); ++pi) {
    if (pm.count(pi)) continue;
    const json& pe = pp[pi];
    size_t titled = 0;
    std::set<std::string> orgs;  // raw org strings, as score.py does here
    for (const auto& r : get_list(pe, "roles")) {
      if (truthy(get(r, "title"))) ++titled;
      if (truthy(get(r, "org"))) orgs.insert(get(r, "org").dump());
    }
    add3(T, "roles", 0, titled, 0);
    add3(T, "affiliations", 0, orgs.size(), 0);
    if (role_class(get(pe, "event_role")) != "mentioned") add3(T, "participation", 0, 1, 0);
  }

  const json& ge0 = get(g, "event");
  const json& pe0 = get(p, "event");
  if (truthy(ge0) || truthy(pe0)) {
    const json empty = json::object();
    const json& ge_ = truthy(ge0) ? ge0 : empty;
    const json& pe_ = truthy(pe0) ? pe0 : empty;
    for (const char* field : {"title", "start", "end"}) {
      const json& gv = get(ge_, field);
      const json& pv = get(pe_, field);
      if (gv.is_null() && pv.is_null()) continue;
      bool hit;
      if (std::string(field) == "title") {
        hit = false;
        if (truthy(gv) && truthy(pv)) {
          std::set<std::string> a = tokens(str(gv)), b = tokens(str(pv));
          if (!a.empty() && !b.empty()) {
            size_t inter = count_and(a, b);
            hit = static_cast<double>(inter) / static_cast<double>(a.size() + b.size() - inter) >= 0.7;
          }
        }
      } else {
        hit = gv == pv;
      }
      add3(T, std::string("event.") + field, hit, !pv.is_null() && !hit, !gv.is_null() && !hit);
    }
    std::set<std::string> gpl = fold_set(get_list(ge_, "places"));
    std::set<std::string> ppl = fold_set(get_list(pe_, "places"));
    add3(T, "event.places", count_and(gpl, ppl), count_minus(ppl, gpl), count_minus(gpl, ppl));
    std::set<std::string> gor, por;
    for (const auto& x : get_list(ge_, "organizers")) {
      if (auto id = org_ident(x)) gor.insert(*id);
    }
    for (const auto& x : get_list(pe_, "organizers")) por.insert(org_ident_or_unknown(x));
    add3(T, "event.organizers", count_and(gor, por), count_minus(por, gor), count_minus(gor, por));
  }

  std::set<std::string> gt, pt;
  for (const auto& x : get_list(g, "topics")) gt.insert(x.dump());
  for (const auto& x : get_list(p, "topics")) pt.insert(x.dump());
  add3(T, "topics", count_and(gt, pt), count_minus(pt, gt), count_minus(gt, pt));
}

std::string py_round3(double x) {
  // round(x, 3) is correctly rounded from the exact binary value, as printf is.
  double r = std::strtod(fixed(x, 3).c_str(), nullptr);
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, r, std::chars_format::fixed);
  std::string s(buf, res.ptr);
  if (s.find('.') == std::string::npos) s += ".0";
  return s;
}

std::string format_table(const Scores& total, const std::vector<DocScore>& docs, bool per_doc) {
  std::string out;
  if (per_doc) {
    for (const DocScore& d : docs) {
      out += d.name;
      for (const char* c : {"persons", "organizations", "roles", "affiliations", "topics"}) {
        auto it = d.scores.find(c);
        Tally t = it == d.scores.end() ? Tally() : it->second;
        double p, r, f;
        t.prf(&p, &r, &f);
        out += std::string(" ") + c + "=" + fixed(f, 2);
      }
      out += "\n";
    }
  }
  out += pad_right("category", 18) + " " + pad_left("P", 6) + " " + pad_left("R", 6) + " " +
         pad_left("F1", 6) + " " + pad_left("tp", 5) + " " + pad_left("fp", 5) + " " +
         pad_left("fn", 5) + "   (" + std::to_string(docs.size()) + " documents)\n";
  for (const std::string& c : categories()) {
    auto it = total.find(c);
    Tally t = it == total.end() ? Tally() : it->second;
    double p, r, f;
    t.prf(&p, &r, &f);
    auto r3 = [](double x) { return std::strtod(fixed(x, 3).c_str(), nullptr); };
    out += pad_right(c, 18) + " " + pad_left(fixed(r3(p), 3), 6) + " " + pad_left(fixed(r3(r), 3), 6) +
           " " + pad_left(fixed(r3(f), 3), 6) + " " + pad_left(std::to_string(t.tp), 5) + " " +
           pad_left(std::to_string(t.fp), 5) + " " + pad_left(std::to_string(t.fn), 5) + "\n";
  }
  return out;
}

std::string format_json(const Scores& total, const std::vector<DocScore>& docs, bool per_doc) {
  std::string out = "{\n \"documents\": " + std::to_string(docs.size()) + ",\n \"scores\": ";
  json_scores(total, " ", &out);
  if (per_doc) {
    out += ",\n \"per_doc\": {\n";
    for (size_t i = 0; i < docs.size(); ++i) {
      out += "  " + json(docs[i].name).dump() + ": ";
      json_scores(docs[i].scores, "  ", &out);
      out += i + 1 < docs.size() ? ",\n" : "\n";
    }
    out += " }";
  }
  out += "\n}\n";
  return out;
}

}  // namespace eventgraph::eval
