// Internal; use include/eventgraph/rules.h.
//
// The compiled form of a rule pack, read by the extractor. Everything here is
// immutable after RuleSet::load_*() returns and is shared by all threads.
#pragma once

#include <re2/re2.h>
#include <re2/filtered_re2.h>
#include <re2/set.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "eventgraph/rules.h"
#include "rules/gazetteer.h"
#include "rules/short_atoms.h"

namespace eventgraph {

// What a capture of a rule stands for.
enum class CaptureType : uint8_t {
  kIgnore,
  kPerson,
  kOrganization,
  kPlace,
  kRole,        // a job title
  kDescriptor,  // text after a name holding titles and bodies, parsed by the role grammar
  kPersonList,  // a span whose persons all get the rule's relations
  kItem,        // a person's name with its descriptor ("Name, Title at Org"), split by the role grammar
  kEventTitle,
  kDay, kMonth, kYear, kDay2, kMonth2, kYear2,  // date parts
  kOnline,      // the event is online
};
const char* capture_type_name(CaptureType t);
bool parse_capture_type(const std::string& s, CaptureType* out);

// Whether pattern `p`'s first capturing group always spans the whole match:
// the pattern is that named group, "(?P<name>...)", with nothing around it
// but zero-width assertions (^ $ \A \z \b \B) and flag groups such as
// "(?m)". For a rule with no other group, RE2's search for the match alone
// (its DFA) then gives the group too, and the capture pass (an NFA or a
// backtracker over the match) can be skipped: the same answer, cheaper.
bool group_spans_match(std::string_view p);

// A relation a rule states between two of its captures (or EVENT).
struct RelationDef {
  int from = -1;          // capture index; -1 = the document's event
  std::string type;       // HOLDS_ROLE, ROLE_AT, AFFILIATED_WITH, PARTICIPATED_IN, ORGANIZED_BY, HELD_IN
  int to = -1;            // capture index; -1 = the document's event
  std::string as;         // PARTICIPATED_IN: moderator, speaker, organiser, participant
};

struct Example {
  std::string text;
  std::vector<std::pair<std::string, std::string>> expect;  // capture -> text
  int line = 0;
};

// The RE2 memory budget of the copy of each rule the extractor scans with
// (CompiledRule::scan). More than the pack's budget
// (RuleOptions::regex_memory, which bounds the compiled program and is what
// check-rules and --regex-memory are about): the rules built on {NAME} meet
// new DFA states in every document, and with a small budget RE2 keeps
// flushing its state cache or gives up on the DFA (a rule such as
// org.head-of then scans at 0.3 MB/s instead of 30). 16 and 64 MiB gave the
// same speed and peak RSS on a 20 MB corpus; 32 MiB leaves room for more
// varied text. The budget changes speed only, never what matches: RE2 gives
// the same answer whichever engine runs.
inline constexpr int64_t kScanRegexMemory = int64_t(32) << 20;

struct CompiledRule {
  std::string id;
  std::string file;
  int line = 0;
  int priority = 0;
  bool document_scope = false;  // match against the whole text (else line by line)
  std::string source_pattern;   // as written, macros unexpanded
  std::unique_ptr<RE2> re;
  // The same pattern compiled with at least kScanRegexMemory, which the
  // extractor runs (its DFA states are shared by all threads): the prefilter's
  // copy (RuleSet::Impl::prefilter owns it). Null: `re` is used.
  const RE2* scan = nullptr;
  const RE2& scanner() const { return scan ? *scan : *re; }
  // The rule's one capturing group is its whole match (group_spans_match):
  // the extractor asks RE2 for the match only and copies it to the group.
  bool group_is_match = false;
  std::vector<std::string> capture_names;  // index = RE2 group number - 1
  std::vector<CaptureType> capture_types;
  std::vector<RelationDef> relations;
  std::vector<Example> examples;
  std::vector<Example> counters;
  std::vector<std::string> used_macros;
};

struct TopicDef {
  std::string id;
  std::string file;
  int line = 0;
  std::unique_ptr<RE2> cues;  // alternation of the topic's cue patterns, case-insensitive
  int min_hits = 3;           // cue hits needed (a hit in the event title counts min_hits)
  int weak_group = -1;        // group number of the cues' (?P<weak>...) group, or -1
};

struct RuleSet::Impl {
  std::vector<std::unique_ptr<CompiledRule>> rules;  // in load order
  // Prefilter (FilteredRE2): the literal strings ("atoms") each rule needs;
  // one RE2::Set over the atoms finds which occur in a document's lower-cased
  // text, and the FilteredRE2 tree turns them into the rules that can match.
  // Rules without atoms always run. Index in the FilteredRE2 = rule index.
  std::unique_ptr<re2::FilteredRE2> prefilter;
  std::unique_ptr<RE2::Set> atom_set;  // empty when there are no atoms
  size_t atom_count = 0;
  // An atom holds a line break (a document rule's "\n"): then the atoms of
  // a document are not the union of its lines' atoms.
  bool atom_has_newline = false;
  // The line rules `prefilter` cannot filter (it finds no atom of 3 bytes
  // or more in them), filtered by their atoms of 1 and 2 bytes instead
  // (short_atoms.h). short_rules: the filter's rule index -> rule index.
  ShortAtomFilter short_atoms;
  std::vector<int> short_rules;
  std::vector<std::unique_ptr<TopicDef>> topics;
  // One RE2::Set over every topic's cues (index = topic index), to find the
  // topics present on a line in one pass; null when it does not compile
  // within the budget (then every topic runs on every line).
  std::unique_ptr<RE2::Set> topic_set;
  Gazetteer gazetteer;
  Taxonomy taxonomy;
  std::map<std::string, std::string> macros;            // name -> expanded pattern
  std::map<std::string, std::pair<std::string, int>> macro_where;  // name -> file, line
  std::set<std::string> used_macros;
  RuleOptions options;
};

// Parses and compiles pack files into `impl`. `files` are (name, content) pairs
// in load order. Errors name file:line.
Status compile_pack(const std::vector<std::pair<std::string, std::string>>& files,
                    const RuleOptions& opt, RuleSet::Impl* impl);

// The built-in pack (generated from rules/ at build time).
const std::vector<std::pair<std::string_view, std::string_view>>& builtin_rule_files();

}  // namespace eventgraph
