// Rule pack parsing and compilation. The language is documented in
// rules/README.md; this file is its reference implementation.
//
// A pack is a list of files: *.rules (macros, rules, topics), *.gaz
// (gazetteers), topics.json (the taxonomy). Compilation expands macros
// (cycle-checked), compiles every pattern with RE2 under the memory budget,
// types every named capture, checks relations, and builds the RE2::Set
// prefilter over line-scope rules. Any error stops loading and names file:line.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <sstream>
#include <system_error>
#include <thread>

#include <nlohmann/json.hpp>

#include "eventgraph/rules.h"
#include "rules/rule_set_impl.h"

namespace eventgraph {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool ends_with(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

// Splits "word rest" into the first word and the trimmed rest.
std::pair<std::string, std::string> head_rest(std::string_view s) {
  s = trim(s);
  size_t sp = s.find_first_of(" \t");
  if (sp == std::string_view::npos) return {std::string(s), ""};
  return {std::string(s.substr(0, sp)), std::string(trim(s.substr(sp)))};
}

const std::vector<std::pair<std::string, CaptureType>>& capture_type_table() {
  static const std::vector<std::pair<std::string, CaptureType>> t = {
      {"Ignore", CaptureType::kIgnore},         {"Person", CaptureType::kPerson},
      {"Organization", CaptureType::kOrganization}, {"Place", CaptureType::kPlace},
      {"Role", CaptureType::kRole},             {"Descriptor", CaptureType::kDescriptor},
      {"PersonList", CaptureType::kPersonList}, {"Item", CaptureType::kItem},
      {"EventTitle", CaptureType::kEventTitle},
      {"Day", CaptureType::kDay},               {"Month", CaptureType::kMonth},
      {"Year", CaptureType::kYear},             {"Day2", CaptureType::kDay2},
      {"Month2", CaptureType::kMonth2},         {"Year2", CaptureType::kYear2},
      {"Online", CaptureType::kOnline}};
  return t;
}

// The type a capture has by its name when no `type` line says otherwise.
bool default_capture_type(const std::string& name, CaptureType* out) {
  static const std::vector<std::pair<std::string, CaptureType>> exact = {
      {"day", CaptureType::kDay},   {"month", CaptureType::kMonth},   {"year", CaptureType::kYear},
      {"day2", CaptureType::kDay2}, {"month2", CaptureType::kMonth2}, {"year2", CaptureType::kYear2},
      {"online", CaptureType::kOnline}};
  for (auto& [n, t] : exact)
    if (name == n) { *out = t; return true; }
  if (!name.empty() && name[0] == '_') { *out = CaptureType::kIgnore; return true; }
  std::string base = name;
  while (!base.empty() && (std::isdigit((unsigned char)base.back()) || base.back() == '_')) base.pop_back();
  static const std::vector<std::pair<std::string, CaptureType>> prefix = {
      {"person", CaptureType::kPerson}, {"org", CaptureType::kOrganization}, {"place", CaptureType::kPlace},
      {"title", CaptureType::kRole},    {"desc", CaptureType::kDescriptor},  {"list", CaptureType::kPersonList},
      {"item", CaptureType::kItem},
      {"event", CaptureType::kEventTitle}};
  for (auto& [n, t] : prefix)
    if (base == n) { *out = t; return true; }
  return false;
}

// Whether a walk over a pattern, byte by byte, is inside a bracket class.
// The walker skips escapes itself (a backslash and the byte after it) and
// calls at() on every other byte. "[]a]" and "[^]a]" hold a literal ']'
// (first in the class); "[[:alpha:]]" holds a named class, which at() tells
// the walker to step over.
class ClassTracker {
 public:
  bool in() const { return in_; }
  // At pattern byte p[i]: returns the index of the last byte of a "[:name:]"
  // that starts at i inside a class (the walker goes on after it), else i.
  size_t at(std::string_view p, size_t i) {
    if (!in_) {
      if (p[i] == '[') {
        in_ = true;
        start_ = i;
      }
      return i;
    }
    if (p[i] == '[' && i + 1 < p.size() && p[i + 1] == ':') {
      size_t close = p.find(":]", i + 2);
      if (close != std::string_view::npos) return close + 1;
    }
    if (p[i] == ']') {
      size_t first = start_ + 1;
      if (first < p.size() && p[first] == '^') ++first;
      if (i != first) in_ = false;
    }
    return i;
  }

 private:
  bool in_ = false;
  size_t start_ = 0;  // where the class opened
};

// A line rule cannot cross a line: ^ and $ match at line breaks, every
// negated class excludes \n, and the escapes that match \n are rewritten
// (\s -> [\t\v\f\r ], \D -> [^\d\n], \W -> [^\w\n], \P{X} -> [^\p{X}\n];
// inside a class, \s stands for the same blanks). The extractor relies on it:
// it runs a line rule only over the lines its prefilter lets through.
// `(?s)` (dot matches \n) is refused in a line rule.
Status line_scoped(const std::string& pat, std::string* out) {
  *out = "(?m)";
  ClassTracker cls;
  for (size_t i = 0; i < pat.size(); ++i) {
    const bool in_class = cls.in();
    char c = pat[i];
    if (c == '\\' && i + 1 < pat.size()) {
      char e = pat[++i];
      if (e == 's') {
        *out += in_class ? "\\t\\v\\f\\r " : "[\\t\\v\\f\\r ]";
      } else if ((e == 'D' || e == 'W') && !in_class) {
        *out += std::string("[^\\") + char(e + ('a' - 'A')) + "\\n]";
      } else if (e == 'P' && !in_class && i + 1 < pat.size() && pat[i + 1] == '{') {
        size_t close = pat.find('}', i);
        if (close == std::string::npos) close = pat.size() - 1;
        *out += "[^\\p" + pat.substr(i + 1, close - i) + "\\n]";
        i = close;
      } else if ((e == 'p' || e == 'P' || e == 'x') && i + 1 < pat.size() && pat[i + 1] == '{') {
        size_t close = pat.find('}', i);
        if (close == std::string::npos) close = pat.size() - 1;
        *out += c;
        *out += e;
        out->append(pat, i + 1, close - i);
        i = close;
      } else {
        *out += c;
        *out += e;
      }
      continue;
    }
    if (!in_class && c == '(' && pat.compare(i, 2, "(?") == 0) {
      size_t k = i + 2;
      while (k < pat.size() && (std::isalpha((unsigned char)pat[k]) || pat[k] == '-')) {
        if (pat[k] == 's') {
          bool negated = pat.find('-', i + 2) < k;
          if (!negated) return Status::rule_error("(?s) lets '.' match a line break: a line rule cannot use it (use `scope document`)");
        }
        ++k;
      }
    }
    *out += c;
    const size_t last = cls.at(pat, i);
    if (!in_class && cls.in()) {
      if (i + 1 < pat.size() && pat[i + 1] == '^') { *out += "^\\n"; ++i; }
    } else if (last > i) {  // [:name:]
      out->append(pat, i + 1, last - i);
      i = last;
    }
  }
  return Status::ok();
}

const std::set<std::string> kRelations = {"HOLDS_ROLE", "ROLE_AT", "AFFILIATED_WITH", "PARTICIPATED_IN",
                                          "ORGANIZED_BY", "HELD_IN"};
const std::set<std::string> kParts = {"moderator", "speaker", "organiser", "participant", "mentioned"};

struct RawRule {
  std::string id, file;
  int line = 0;
  int priority = 0;
  bool document_scope = false;
  std::string pattern;
  int pattern_line = 0;
  std::vector<std::tuple<std::string, std::string, int>> types;  // capture, type, line
  std::vector<std::tuple<std::string, int>> relations;          // text, line
  std::vector<Example> examples, counters;
  std::string flags;
};

struct RawTopic {
  std::string id, file;
  int line = 0;
  std::vector<std::pair<std::string, int>> cues;
  int min_hits = 2;
};

Example parse_example(const std::string& text, int line) {
  Example ex;
  ex.line = line;
  size_t arrow = text.find(" => ");
  std::string body = arrow == std::string::npos ? text : text.substr(0, arrow);
  // Escapes in example text: \n for a line break, \t for a tab.
  std::string unesc;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size() && (body[i + 1] == 'n' || body[i + 1] == 't')) {
      unesc += body[i + 1] == 'n' ? '\n' : '\t';
      ++i;
    } else {
      unesc += body[i];
    }
  }
  ex.text = unesc;
  if (arrow != std::string::npos) {
    std::string rest = text.substr(arrow + 4);
    size_t a = 0;
    while (a < rest.size()) {
      size_t b = rest.find("; ", a);
      if (b == std::string::npos) b = rest.size();
      std::string kv(trim(std::string_view(rest).substr(a, b - a)));
      size_t eq = kv.find('=');
      if (eq != std::string::npos) ex.expect.emplace_back(std::string(trim(kv.substr(0, eq))), std::string(trim(kv.substr(eq + 1))));
      a = b + 2;
    }
  }
  return ex;
}

// The prefilter's copies of a pack's rules (see PackCompiler::compile): a
// FilteredRE2 holding patterns[i] as rule i, with Add()'s answer for each.
struct ScanCopies {
  std::unique_ptr<re2::FilteredRE2> filter;
  std::vector<RE2::ErrorCode> errors;
  std::vector<int> ids;
};

// The scanning copies' reverse programs, made by both compiling threads.
// RE2 compiles a pattern's reverse program (how it finds where a match
// starts) on the pattern's first match; for the default pack that is ~0.2 s,
// which a run would otherwise spend in its first documents, one rule at a
// time, the other thread waiting when it needs the same rule. `copies` is
// filled before `ready` is set; then each thread takes the next copy until
// none is left.
struct ReverseQueue {
  std::vector<const RE2*> copies;
  std::promise<void> ready;
  std::atomic<size_t> next{0};
  void drain() {
    for (size_t i; (i = next.fetch_add(1)) < copies.size();) copies[i]->ReverseProgramSize();
  }
};

ScanCopies compile_scan_copies(const std::vector<std::string>& patterns, const RE2::Options& options,
                               ReverseQueue* reverse) {
  ScanCopies c;
  c.filter = std::make_unique<re2::FilteredRE2>(3);
  for (const std::string& p : patterns) {
    int id = -1;
    c.errors.push_back(c.filter->Add(p, options, &id));
    c.ids.push_back(id);
  }
  for (size_t i = 0; i < c.ids.size(); ++i)
    if (c.errors[i] == RE2::NoError && c.ids[i] >= 0) reverse->copies.push_back(&c.filter->GetRE2(c.ids[i]));
  reverse->ready.set_value();
  reverse->drain();
  return c;
}

class PackCompiler {
 public:
  PackCompiler(const RuleOptions& opt, RuleSet::Impl* impl) : opt_(opt), impl_(impl) {}

  Status parse_rules_file(const std::string& name, std::string_view content) {
    enum { kNone, kRule, kTopic } block = kNone;
    int line_no = 0;
    size_t pos = 0;
    while (pos <= content.size()) {
      size_t nl = content.find('\n', pos);
      if (nl == std::string_view::npos) nl = content.size();
      std::string_view raw = content.substr(pos, nl - pos);
      pos = nl + 1;
      ++line_no;
      std::string_view line = trim(raw);
      if (line.empty() || line[0] == '#') continue;
      std::string where = name + ":" + std::to_string(line_no) + ": ";
      bool indented = raw[0] == ' ' || raw[0] == '\t';
      auto [key, rest] = head_rest(line);
      if (!indented) {
        if (key == "define") {
          auto [mname, pat] = head_rest(rest);
          if (mname.empty() || pat.empty()) return Status::rule_error(where + "define needs a NAME and a pattern");
          for (char c : mname)
            if (!(std::isupper((unsigned char)c) || std::isdigit((unsigned char)c) || c == '_'))
              return Status::rule_error(where + "macro name '" + mname + "' must be UPPER_CASE");
          if (raw_macros_.count(mname)) {
            auto& w = impl_->macro_where[mname];
            return Status::rule_error(where + "macro " + mname + " already defined at " + w.first + ":" + std::to_string(w.second));
          }
          raw_macros_[mname] = pat;
          impl_->macro_where[mname] = {name, line_no};
          block = kNone;
        } else if (key == "rule") {
          if (rest.empty() || rest.find_first_of(" \t") != std::string::npos)
            return Status::rule_error(where + "rule needs one id (no spaces)");
          if (auto it = rule_where_.find(rest); it != rule_where_.end())
            return Status::rule_error(where + "duplicate rule id '" + rest + "' (first at " + it->second + ")");
          rule_where_[rest] = name + ":" + std::to_string(line_no);
          rules_.push_back(RawRule{});
          rules_.back().id = rest;
          rules_.back().file = name;
          rules_.back().line = line_no;
          block = kRule;
        } else if (key == "topic") {
          if (rest.empty()) return Status::rule_error(where + "topic needs an id");
          topics_.push_back(RawTopic{rest, name, line_no, {}, 3});
          block = kTopic;
        } else {
          return Status::rule_error(where + "expected 'define', 'rule' or 'topic' at the start of a line, got '" + key + "'");
        }
        continue;
      }
      if (block == kNone) return Status::rule_error(where + "indented line outside a rule or topic");
      if (block == kTopic) {
        RawTopic& t = topics_.back();
        if (key == "cue") t.cues.emplace_back(rest, line_no);
        else if (key == "min-hits") {
          try { t.min_hits = std::stoi(rest); } catch (...) { return Status::rule_error(where + "min-hits needs a number"); }
        } else return Status::rule_error(where + "unknown topic attribute '" + key + "' (cue, min-hits)");
        continue;
      }
      RawRule& r = rules_.back();
      if (key == "priority") {
        try { r.priority = std::stoi(rest); } catch (...) { return Status::rule_error(where + "priority needs a number"); }
      } else if (key == "scope") {
        if (rest != "line" && rest != "document") return Status::rule_error(where + "scope is 'line' or 'document'");
        r.document_scope = rest == "document";
      } else if (key == "pattern") {
        if (r.pattern.empty()) r.pattern_line = line_no;
        r.pattern += rest;
      } else if (key == "type") {
        auto [cap, type] = head_rest(rest);
        r.types.emplace_back(cap, type, line_no);
      } else if (key == "relation") {
        r.relations.emplace_back(rest, line_no);
      } else if (key == "example") {
        r.examples.push_back(parse_example(rest, line_no));
      } else if (key == "counter") {
        r.counters.push_back(parse_example(rest, line_no));
      } else {
        return Status::rule_error(where + "unknown rule attribute '" + key +
                                  "' (priority, scope, pattern, type, relation, example, counter)");
      }
    }
    return Status::ok();
  }

  // "abc" of a pattern that is exactly one bracket class "[abc]" (not negated);
  // empty otherwise.
  static std::string_view class_body(std::string_view p) {
    if (p.size() < 3 || p.front() != '[' || p.back() != ']' || p[1] == '^') return {};
    for (size_t i = 1; i + 1 < p.size(); ++i) {
      if (p[i] == '\\') { ++i; continue; }
      if (p[i] == '[' || p[i] == ']') return {};
    }
    return p.substr(1, p.size() - 2);
  }

  // Expands {MACRO} references, recursively, with cycle detection.
  Status expand(const std::string& pat, const std::string& where, std::vector<std::string>& stack,
                std::string* out, std::vector<std::string>* used) {
    out->clear();
    // Inside a bracket class ("[{LETTER}'.-]") a reference to a macro that is
    // itself one bracket class splices the class's contents in; any other
    // macro there is an error (a group cannot stand inside a class).
    ClassTracker cls;
    for (size_t i = 0; i < pat.size(); ++i) {
      // A class's '[' and ']' and a "[:name:]" in it are copied as they are.
      if (pat[i] == '[' || pat[i] == ']') {
        const bool was_in = cls.in();
        const size_t last = cls.at(pat, i);
        if (last > i || was_in != cls.in() || (was_in && pat[i] == ']')) {
          out->append(pat, i, last + 1 - i);
          i = last;
          continue;
        }
      }
      const bool in_class = cls.in();
      if (pat[i] == '\\' && i + 1 < pat.size()) {
        *out += pat[i];
        *out += pat[++i];
        // \p{Lu}, \x{C0}: the braces belong to the escape, not to a macro reference.
        if ((pat[i] == 'p' || pat[i] == 'P' || pat[i] == 'x') && i + 1 < pat.size() && pat[i + 1] == '{') {
          size_t close = pat.find('}', i);
          if (close == std::string::npos) close = pat.size() - 1;
          out->append(pat, i + 1, close - i);
          i = close;
        }
        continue;
      }
      if (pat[i] == '{' && i + 1 < pat.size() && (std::isupper((unsigned char)pat[i + 1]) || pat[i + 1] == '_')) {
        size_t close = pat.find('}', i);
        if (close != std::string::npos) {
          std::string name = pat.substr(i + 1, close - i - 1);
          bool is_name = std::all_of(name.begin(), name.end(), [](char c) {
            return std::isupper((unsigned char)c) || std::isdigit((unsigned char)c) || c == '_';
          });
          if (is_name) {
            auto it = raw_macros_.find(name);
            if (it == raw_macros_.end()) return Status::rule_error(where + "unknown macro {" + name + "}");
            if (std::find(stack.begin(), stack.end(), name) != stack.end()) {
              std::string cyc;
              for (auto& s : stack) cyc += s + " -> ";
              auto& w = impl_->macro_where[name];
              return Status::rule_error(w.first + ":" + std::to_string(w.second) + ": macro cycle: " + cyc + name);
            }
            impl_->used_macros.insert(name);
            if (used) used->push_back(name);
            stack.push_back(name);
            std::string inner;
            auto& w = impl_->macro_where[name];
            Status s = expand(it->second, w.first + ":" + std::to_string(w.second) + ": ", stack, &inner, nullptr);
            stack.pop_back();
            if (!s.is_ok()) return s;
            if (in_class) {
              std::string_view body = class_body(inner);
              if (body.empty())
                return Status::rule_error(where + "macro {" + name +
                                          "} is used inside [...] but is not one bracket class");
              out->append(body);
            } else {
              *out += "(?:" + inner + ")";
            }
            i = close;
            continue;
          }
        }
      }
      *out += pat[i];
    }
    return Status::ok();
  }

  RE2::Options re_options(bool case_insensitive = false) const {
    RE2::Options o;
    o.set_log_errors(false);
    o.set_max_mem(opt_.regex_memory);
    o.set_case_sensitive(!case_insensitive);
    return o;
  }

  Status compile() {
    for (auto& [name, pat] : raw_macros_) {
      std::vector<std::string> stack{name};
      std::string out;
      auto& w = impl_->macro_where[name];
      Status s = expand(pat, w.first + ":" + std::to_string(w.second) + ": ", stack, &out, nullptr);
      if (!s.is_ok()) return s;
      impl_->macros[name] = out;
    }
    impl_->used_macros.clear();
    // Every rule's pattern is expanded first; then each is compiled twice at
    // once: its `re` on this thread, its scanning copy (the prefilter's, see
    // below) on another. Then both threads make the copies' reverse programs
    // (ReverseQueue). Errors are still returned in pack order.
    auto where_of = [](const RawRule& r) {
      return r.file + ":" + std::to_string(r.pattern_line ? r.pattern_line : r.line) + ": rule " + r.id + ": ";
    };
    std::vector<std::unique_ptr<CompiledRule>> built(rules_.size());
    std::vector<std::string> patterns(rules_.size());
    Status expand_error;  // why rule `expanded` (the first that does not expand) failed
    size_t expanded = 0;
    for (; expanded < rules_.size(); ++expanded) {
      const size_t i = expanded;
      RawRule& r = rules_[i];
      const std::string where = where_of(r);
      Status& s = expand_error;
      auto cr = std::make_unique<CompiledRule>();
      cr->id = r.id;
      cr->file = r.file;
      cr->line = r.line;
      cr->priority = r.priority;
      cr->document_scope = r.document_scope;
      cr->source_pattern = r.pattern;
      if (r.pattern.empty()) s = Status::rule_error(r.file + ":" + std::to_string(r.line) + ": rule " + r.id + ": no pattern");
      std::vector<std::string> stack;
      if (s.is_ok()) s = expand(r.pattern, where, stack, &patterns[i], &cr->used_macros);
      if (s.is_ok() && !cr->document_scope) {
        std::string scoped;
        Status ls = line_scoped(patterns[i], &scoped);
        if (!ls.is_ok()) s = Status::rule_error(where + ls.message());
        patterns[i] = std::move(scoped);
      }
      if (!s.is_ok()) break;  // (the rules after it are not looked at, as when compiling one by one)
      built[i] = std::move(cr);
    }
    RE2::Options scan_options = re_options();
    scan_options.set_max_mem(std::max<int64_t>(opt_.regex_memory, kScanRegexMemory));
    ReverseQueue reverse;  // (outlives the task: declared before its future)
    std::future<void> copies_made = reverse.ready.get_future();
    std::future<ScanCopies> scan_copies;
    if (expand_error.is_ok()) {
      auto start = [&](std::launch how) {
        return std::async(how, compile_scan_copies, std::cref(patterns), scan_options, &reverse);
      };
      try {
        scan_copies = start(std::thread::hardware_concurrency() > 1 ? std::launch::async : std::launch::deferred);
      } catch (const std::system_error&) {  // no thread to be had: compile them after the `re`s
        scan_copies = start(std::launch::deferred);
      }
    }
    // On an error return the task has no more reverse programs to make (its
    // future's destructor waits for it; this runs first).
    struct StopReverse {
      ReverseQueue& q;
      ~StopReverse() { q.next = size_t(1) << 62; }
    } stop_reverse{reverse};
    for (size_t i = 0; i < expanded; ++i) {
      RawRule& r = rules_[i];
      const std::string where = where_of(r);
      auto cr = std::move(built[i]);
      cr->re = std::make_unique<RE2>(patterns[i], re_options());
      if (!cr->re->ok()) {
        std::string msg = cr->re->error();
        if (cr->re->error_code() == RE2::ErrorPatternTooLarge)
          msg = "pattern too large for the regex memory budget (" + std::to_string(opt_.regex_memory) +
                " bytes; raise --regex-memory or simplify the rule): " + msg;
        return Status::rule_error(where + msg);
      }
      int ngroups = cr->re->NumberOfCapturingGroups();
      cr->group_is_match = ngroups == 1 && group_spans_match(patterns[i]);
      cr->capture_names.assign(ngroups, "");
      cr->capture_types.assign(ngroups, CaptureType::kIgnore);
      for (auto& [name, idx] : cr->re->NamedCapturingGroups()) cr->capture_names[idx - 1] = name;
      std::map<std::string, int> by_name;
      for (int i = 0; i < ngroups; ++i) {
        const std::string& n = cr->capture_names[i];
        if (n.empty()) continue;
        by_name[n] = i;
        if (!default_capture_type(n, &cr->capture_types[i])) cr->capture_types[i] = CaptureType(255);
      }
      for (auto& [cap, type, line] : r.types) {
        std::string w = r.file + ":" + std::to_string(line) + ": rule " + r.id + ": ";
        auto it = by_name.find(cap);
        if (it == by_name.end()) return Status::rule_error(w + "type for unknown capture '" + cap + "'");
        if (!parse_capture_type(type, &cr->capture_types[it->second]))
          return Status::rule_error(w + "unknown capture type '" + type + "' (Person, Organization, Place, Role, Descriptor, Item, PersonList, EventTitle, Day, Month, Year, Day2, Month2, Year2, Online, Ignore)");
      }
      for (int i = 0; i < ngroups; ++i)
        if (cr->capture_types[i] == CaptureType(255))
          return Status::rule_error(where + "capture '" + cr->capture_names[i] +
                                    "' has no type: name it person/org/place/title/desc/item/list/event/day/month/year/online (optionally with a number), or add 'type " +
                                    cr->capture_names[i] + " TYPE'");
      for (auto& [text, line] : r.relations) {
        std::string w = r.file + ":" + std::to_string(line) + ": rule " + r.id + ": ";
        std::istringstream in(text);
        std::string a, rel, b, as;
        in >> a >> rel >> b >> as;
        RelationDef d;
        if (!kRelations.count(rel)) return Status::rule_error(w + "unknown relation '" + rel + "'");
        d.type = rel;
        auto endpoint = [&](const std::string& x, int* out) -> bool {
          if (x == "EVENT") { *out = -1; return true; }
          auto it = by_name.find(x);
          if (it == by_name.end()) return false;
          *out = it->second;
          return true;
        };
        if (!endpoint(a, &d.from)) return Status::rule_error(w + "relation names unknown capture '" + a + "'");
        if (!endpoint(b, &d.to)) return Status::rule_error(w + "relation names unknown capture '" + b + "'");
        if (rel == "PARTICIPATED_IN") {
          if (as.rfind("as=", 0) != 0 || !kParts.count(as.substr(3)))
            return Status::rule_error(w + "PARTICIPATED_IN needs as=moderator|speaker|organiser|participant|mentioned");
          d.as = as.substr(3);
        }
        cr->relations.push_back(d);
      }
      cr->examples = r.examples;
      cr->counters = r.counters;
      impl_->rules.push_back(std::move(cr));
    }
    if (!expand_error.is_ok()) return expand_error;
    for (RawTopic& t : topics_) {
      auto td = std::make_unique<TopicDef>();
      td->id = t.id;
      td->file = t.file;
      td->line = t.line;
      td->min_hits = t.min_hits;
      std::string alt;
      for (auto& [cue, line] : t.cues) {
        std::string w = t.file + ":" + std::to_string(line) + ": topic " + t.id + ": ";
        std::vector<std::string> stack;
        std::string ex;
        Status s = expand(cue, w, stack, &ex, nullptr);
        if (!s.is_ok()) return s;
        RE2 probe(ex, re_options(true));
        if (!probe.ok()) return Status::rule_error(w + probe.error());
        if (!alt.empty()) alt += "|";
        alt += "(?:" + ex + ")";
      }
      if (alt.empty()) return Status::rule_error(t.file + ":" + std::to_string(t.line) + ": topic " + t.id + ": no cue");
      td->cues = std::make_unique<RE2>("\\b(" + alt + ")", re_options(true));
      if (!td->cues->ok()) return Status::rule_error(t.file + ":" + std::to_string(t.line) + ": topic " + t.id + ": " + td->cues->error());
      const auto& named = td->cues->NamedCapturingGroups();
      auto weak = named.find("weak");
      if (weak != named.end()) td->weak_group = weak->second;
      impl_->topics.push_back(std::move(td));
    }
    if (!impl_->topics.empty()) {
      auto set = std::make_unique<RE2::Set>(re_options(true), RE2::UNANCHORED);
      bool ok = true;
      for (const auto& td : impl_->topics) ok = ok && set->Add(td->cues->pattern(), nullptr) >= 0;
      if (ok && set->Compile()) impl_->topic_set = std::move(set);
    }
    // Prefilter: atoms of every rule, and a set to find them. FilteredRE2
    // compiles each pattern again (it has to, for the atoms); it does so with
    // the scanning budget (kScanRegexMemory), and its RE2 objects are the
    // ones the extractor runs (CompiledRule::scan), so no rule is compiled a
    // third time.
    // This thread's share of the reverse programs, when the copies are made
    // on another (deferred, get() makes them all, reverse programs included).
    if (scan_copies.wait_for(std::chrono::seconds(0)) != std::future_status::deferred) {
      copies_made.wait();
      reverse.drain();
    }
    ScanCopies copies = scan_copies.get();
    impl_->prefilter = std::move(copies.filter);
    for (size_t i = 0; i < impl_->rules.size(); ++i) {
      CompiledRule& r = *impl_->rules[i];
      const int id = copies.ids[i];
      RE2::ErrorCode ec = copies.errors[i];
      if (ec != RE2::NoError || id != int(i))
        return Status::rule_error(r.file + ":" + std::to_string(r.line) + ": rule " + r.id + ": prefilter: " + r.re->error());
      const RE2& scan = impl_->prefilter->GetRE2(id);
      // (It cannot differ: the same pattern, a budget at least as large.)
      if (scan.ok() && scan.NumberOfCapturingGroups() == r.re->NumberOfCapturingGroups()) r.scan = &scan;
    }
    std::vector<std::string> atoms;
    // (FilteredRE2 logs an error when compiled with no rule: a pack of topics alone.)
    if (!impl_->rules.empty()) impl_->prefilter->Compile(&atoms);
    impl_->atom_count = atoms.size();
    impl_->atom_has_newline = std::any_of(atoms.begin(), atoms.end(),
                                          [](const std::string& a) { return a.find('\n') != std::string::npos; });
    if (!impl_->rules.empty()) {
      std::vector<int> none;
      impl_->prefilter->AllPotentials({}, &none);
      std::vector<const RE2*> patterns;
      impl_->short_rules.clear();
      for (int i : none)
        if (!impl_->rules[i]->document_scope) {
          impl_->short_rules.push_back(i);
          patterns.push_back(impl_->rules[i]->re.get());
        }
      // (When RE2 refuses the second filter, those rules run on every line, as before.)
      if (!impl_->short_atoms.build(patterns)) impl_->short_rules.clear();
    }
    if (!atoms.empty()) {
      RE2::Options ao = re_options();
      ao.set_max_mem(opt_.regex_memory * 8);
      impl_->atom_set = std::make_unique<RE2::Set>(ao, RE2::UNANCHORED);
      for (const std::string& a : atoms) {
        std::string err;
        // RE2 lower-cases atoms in full Unicode ("École" -> "école"), the
        // extractor only the ASCII letters of the text: an atom with a byte
        // past ASCII is looked for in any case, or "École" in a text would
        // never let its rule run.
        bool ascii = std::all_of(a.begin(), a.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        std::string pat = ascii ? RE2::QuoteMeta(a) : "(?i:" + RE2::QuoteMeta(a) + ")";
        if (impl_->atom_set->Add(pat, &err) < 0) return Status::rule_error("prefilter atom '" + a + "': " + err);
      }
      if (!impl_->atom_set->Compile())
        return Status::rule_error("the rule pack's prefilter is too large for the regex memory budget (" +
                                  std::to_string(opt_.regex_memory) + " bytes); raise --regex-memory");
    }
    return Status::ok();
  }

 private:
  RuleOptions opt_;
  RuleSet::Impl* impl_;
  std::map<std::string, std::string> raw_macros_;
  std::map<std::string, std::string> rule_where_;
  std::vector<RawRule> rules_;
  std::vector<RawTopic> topics_;
};

Status parse_taxonomy(const std::string& name, const std::string& content, Taxonomy* tax) {
  try {
    auto j = nlohmann::json::parse(content);
    if (j.contains("scheme")) tax->scheme = j.at("scheme").get<std::string>();
    for (auto& t : j.at("topics")) tax->topics.push_back({t.at("id").get<std::string>(), t.at("label").get<std::string>()});
  } catch (const std::exception& e) {
    return Status::rule_error(name + ": bad topic taxonomy: " + e.what());
  }
  return Status::ok();
}

}  // namespace

const char* capture_type_name(CaptureType t) {
  for (auto& [n, v] : capture_type_table())
    if (v == t) return n.c_str();
  return "?";
}

bool parse_capture_type(const std::string& s, CaptureType* out) {
  for (auto& [n, v] : capture_type_table())
    if (n == s) { *out = v; return true; }
  return false;
}

namespace {

// The length of the zero-width assertion (^ $ \A \z \b \B) or flag group
// ("(?m)", "(?i-s)") at p[i]; 0 when there is none.
size_t zero_width_at(std::string_view p, size_t i) {
  if (i >= p.size()) return 0;
  if (p[i] == '^' || p[i] == '$') return 1;
  if (p[i] == '\\' && i + 1 < p.size() && std::string_view("bBAz").find(p[i + 1]) != std::string_view::npos) return 2;
  if (p.compare(i, 2, "(?") == 0) {
    size_t k = i + 2;
    while (k < p.size() && (std::isalpha(static_cast<unsigned char>(p[k])) || p[k] == '-')) ++k;
    if (k > i + 2 && k < p.size() && p[k] == ')') return k + 1 - i;
  }
  return 0;
}

}  // namespace

bool group_spans_match(std::string_view p) {
  size_t i = 0;
  for (size_t n; (n = zero_width_at(p, i)) > 0;) i += n;
  if (p.compare(i, 4, "(?P<") != 0) return false;
  // The group's closing parenthesis: escapes, \Q...\E and classes skipped.
  int depth = 0;
  ClassTracker cls;
  size_t j = i;
  for (; j < p.size(); ++j) {
    const char c = p[j];
    if (c == '\\') {
      if (j + 1 < p.size() && p[j + 1] == 'Q') {
        size_t e = p.find("\\E", j + 2);
        if (e == std::string_view::npos) return false;
        j = e + 1;
      } else {
        ++j;
      }
      continue;
    }
    const bool in_class = cls.in();
    j = cls.at(p, j);
    if (in_class || cls.in()) continue;
    if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      break;
    }
  }
  if (j >= p.size()) return false;
  for (size_t k = j + 1, n; k < p.size(); k += n)
    if ((n = zero_width_at(p, k)) == 0) return false;
  return true;
}

Status compile_pack(const std::vector<std::pair<std::string, std::string>>& files, const RuleOptions& opt,
                    RuleSet::Impl* impl) {
  impl->options = opt;
  PackCompiler pc(opt, impl);
  for (auto& [name, content] : files) {
    Status s;
    if (ends_with(name, ".rules")) s = pc.parse_rules_file(name, content);
    else if (ends_with(name, ".gaz")) s = impl->gazetteer.add_file(name, content);
    else if (ends_with(name, ".json")) s = parse_taxonomy(name, content, &impl->taxonomy);
    if (!s.is_ok()) return s;
  }
  Status s = pc.compile();
  if (!s.is_ok()) return s;
  for (auto& t : impl->topics)
    if (!impl->taxonomy.topics.empty() && !impl->taxonomy.find(t->id))
      return Status::rule_error(t->file + ":" + std::to_string(t->line) + ": topic '" + t->id + "' is not in the taxonomy");
  return Status::ok();
}

RuleSet::RuleSet() : impl_(std::make_unique<Impl>()) {}
RuleSet::~RuleSet() = default;

const Taxonomy& RuleSet::taxonomy() const { return impl_->taxonomy; }
size_t RuleSet::rule_count() const { return impl_->rules.size(); }

RuleSet::RuleInfo RuleSet::rule_info(size_t i) const {
  const CompiledRule& r = *impl_->rules.at(i);
  return {r.id, r.file, r.line};
}

Status RuleSet::load_builtin(const RuleOptions& opt, std::unique_ptr<RuleSet>* out) {
  std::vector<std::pair<std::string, std::string>> files;
  for (auto& [name, content] : builtin_rule_files()) files.emplace_back(std::string(name), std::string(content));
  auto rs = std::unique_ptr<RuleSet>(new RuleSet());
  Status s = compile_pack(files, opt, rs->impl_.get());
  if (!s.is_ok()) return s;
  *out = std::move(rs);
  return Status::ok();
}

Status RuleSet::load_files(const std::vector<std::string>& paths, const RuleOptions& opt, std::unique_ptr<RuleSet>* out) {
  namespace fs = std::filesystem;
  std::vector<std::string> names;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        std::string f = it->path().string();
        if (ends_with(f, ".rules") || ends_with(f, ".gaz") || ends_with(f, ".json")) found.push_back(f);
      }
      if (ec) return Status::io_error(p + ": " + ec.message());
      std::sort(found.begin(), found.end());
      names.insert(names.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      names.push_back(p);
    } else {
      return Status::not_found(p + ": no such rule file or folder");
    }
  }
  std::vector<std::pair<std::string, std::string>> files;
  for (auto& n : names) {
    std::ifstream in(n, std::ios::binary);
    if (!in) return Status::io_error(n + ": cannot read rule file");
    std::ostringstream ss;
    ss << in.rdbuf();
    files.emplace_back(n, ss.str());
  }
  auto rs = std::unique_ptr<RuleSet>(new RuleSet());
  Status s = compile_pack(files, opt, rs->impl_.get());
  if (!s.is_ok()) return s;
  *out = std::move(rs);
  return Status::ok();
}

std::vector<std::string> RuleSet::self_test() const {
  std::vector<std::string> out;
  const Impl& im = *impl_;
  for (auto& rp : im.rules) {
    const CompiledRule& r = *rp;
    std::string where = r.file + ":" + std::to_string(r.line) + ": rule " + r.id + ": ";
    auto run = [&](const std::string& text, std::vector<std::map<std::string, std::string>>* matches) {
      std::vector<std::string_view> scopes;
      if (r.document_scope) scopes.push_back(text);
      else {
        size_t a = 0;
        while (a <= text.size()) {
          size_t b = text.find('\n', a);
          if (b == std::string::npos) b = text.size();
          scopes.push_back(std::string_view(text).substr(a, b - a));
          a = b + 1;
        }
      }
      int n = r.re->NumberOfCapturingGroups() + 1;
      std::vector<re2::StringPiece> sub(n);
      for (auto sc : scopes) {
        size_t pos = 0;
        while (pos <= sc.size() && r.re->Match(sc, pos, sc.size(), RE2::UNANCHORED, sub.data(), n)) {
          std::map<std::string, std::string> m;
          for (int i = 1; i < n; ++i)
            if (sub[i].data() && !r.capture_names[i - 1].empty()) m[r.capture_names[i - 1]] = std::string(sub[i]);
          matches->push_back(m);
          size_t next = size_t(sub[0].data() - sc.data()) + sub[0].size();
          pos = next > pos ? next : pos + 1;
        }
      }
    };
    if (r.examples.empty()) out.push_back(where + "lint: no example (add 'example TEXT => capture=value')");
    for (const Example& ex : r.examples) {
      std::vector<std::map<std::string, std::string>> ms;
      run(ex.text, &ms);
      if (ms.empty()) { out.push_back(r.file + ":" + std::to_string(ex.line) + ": rule " + r.id + ": example does not match: " + ex.text); continue; }
      for (auto& [cap, val] : ex.expect) {
        bool found = false;
        std::string got;
        for (auto& m : ms) {
          auto it = m.find(cap);
          if (it != m.end()) { if (it->second == val) found = true; else got = it->second; }
        }
        if (!found)
          out.push_back(r.file + ":" + std::to_string(ex.line) + ": rule " + r.id + ": example: " + cap + " expected '" +
                        val + "', got '" + got + "'");
      }
    }
    for (const Example& ex : r.counters) {
      std::vector<std::map<std::string, std::string>> ms;
      run(ex.text, &ms);
      if (!ms.empty()) out.push_back(r.file + ":" + std::to_string(ex.line) + ": rule " + r.id + ": counter-example matches: " + ex.text);
    }
    // A rule that can never match anything: RE2 finds no possible match range
    // and the pattern does not match the empty string.
    std::string mn, mx;
    if (!r.re->PossibleMatchRange(&mn, &mx, 10) && !RE2::PartialMatch("", *r.re) && r.examples.empty())
      out.push_back(where + "lint: the pattern can never match");
  }
  for (auto& [name, w] : im.macro_where)
    if (!im.used_macros.count(name))
      out.push_back(w.first + ":" + std::to_string(w.second) + ": lint: macro " + name + " is never used");
  return out;
}

}  // namespace eventgraph
