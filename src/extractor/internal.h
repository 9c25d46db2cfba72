// Internal to the extractor: the per-document working state shared by the
// rule runner (extractor.cc), the role grammar (roles.cc), the per-document
// resolver (resolver.cc), event reading (event.cc) and topics (topics.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eventgraph/annotation.h"
#include "eventgraph/extractor.h"
#include "rules/gazetteer.h"
#include "rules/rule_set_impl.h"

namespace eventgraph::detail {

// Kinds of mention after typing (a subset of CaptureType plus gazetteer kinds).
enum class MKind : uint8_t { kPerson, kOrg, kPlace, kTitle, kDescriptor, kItem, kPersonList, kEventTitle, kDate, kOnline, kHonorific };

struct Mention {
  uint32_t b = 0, e = 0;  // normalised text range
  MKind kind = MKind::kPerson;
  int rule = -1;       // rule index, -1 gazetteer / grammar
  int priority = 0;
  int match = -1;      // match index (captures of one match share it)
  int gaz = -1;        // gazetteer entry when known
  bool adjective = false;
  bool alive = true;
  std::string why;     // resolver note for explain
  // Rule id, "gazetteer:<file>:<line>" or "grammar:<what>": points into the
  // rule pack, the Extractor's gazetteer ids or a literal, never into a
  // temporary (no string is copied per match).
  std::string_view rule_id;
  std::string text;    // surface text when it is not the range itself (a title rebuilt by the grammar)
};

struct Relation {
  int from = -1;  // mention index; -1 = the event
  std::string_view type;  // the rule pack's RelationDef or a literal, as Mention::rule_id
  int to = -1;    // mention index; -1 = the event
  std::string_view as;
  int priority = 0;
};

struct DateCand {
  std::string start, end;  // YYYY-MM-DD ("" when unknown)
  uint32_t b = 0, e = 0;
  int priority = 0;
  std::string_view rule_id;  // as Mention::rule_id
};

// A descriptor waiting for the role grammar; overlapping ones compete first.
struct PendingDesc {
  int person = -1;
  uint32_t b = 0, e = 0;
  int priority = 0;
  std::string_view rule_id;  // as Mention::rule_id
};

// Per-token facts the role grammar and the resolver ask for again and again,
// each computed once per document on first use (DocState::flags()).
enum TokenFlag : uint32_t {
  kTokTitleWord = 1u << 0,    // gazetteer title word
  kTokOrgWord = 1u << 1,      // gazetteer organisation head word
  kTokNotName = 1u << 2,      // never part of a person's name
  kTokHonorific = 1u << 3,    // an honorific alone ("Dr")
  kTokParticle = 1u << 4,     // "van", "al", ... (is_particle)
  kTokModifier = 1u << 5,     // "deputy", "senior", ... (not a title head)
  kTokSubunit = 1u << 6,      // "unit", "division", ...
  kTokFunction = 1u << 7,     // "of", "and", "the", ... (inside a body's name)
  kTokLeading = 1u << 8,      // opens a sentence, not a name ("recent", "during")
  kTokStop = 1u << 9,         // the token as written ends a descriptor ("said", "who")
  kTokJoined = 1u << 10,      // particle_joined() ("al-Hashimi")
  kTokTitleFirst = 1u << 11,  // the first word of the folded token is a title word
  kTokAdjective = 1u << 12,   // gazetteer adjective ("French")
  kTokHonorific2 = 1u << 13,  // this token and the next one are an honorific
  kTokHonorific3 = 1u << 14,  // this token and the next two are one
  kTokTitlePair = 1u << 15,   // fold(this) + " " + fold(next) is a title word
};

struct TokenInfo {
  std::string folded;     // fold() of the token's text
  bool folded_ready = false;
  uint32_t known = 0;     // TokenFlag bits computed
  uint32_t flags = 0;     // TokenFlag bits set (of those known)
};

// A small open-addressing map from a 64-bit key to an int (per-document
// memos of gazetteer lookups and of org_likeness() on text ranges).
class SpanMemo {
 public:
  // Returns the slot of `key`: *found tells whether it holds a value already.
  int* find_or_insert(uint64_t key, bool* found);
  // Empties the map for the next document (keeps a small table's memory).
  void clear();

 private:
  std::vector<uint64_t> keys_;  // key + 1; 0 = empty
  std::vector<int> values_;
  size_t used_ = 0;
};

struct DocState {
  const RuleSet::Impl* rules = nullptr;
  const Gazetteer* gaz = nullptr;
  std::string_view text;  // normalised
  std::vector<Token> tokens;
  std::vector<GazHit> hits;
  std::vector<Mention> mentions;
  std::vector<Relation> relations;
  std::vector<DateCand> dates;
  std::vector<PendingDesc> pending;
  std::vector<uint32_t> line_starts;

  // Empties the state for the next document, keeping the vectors' capacity
  // (DocWork reuses one DocState per slot of a batch).
  void reset();

  std::string_view slice(uint32_t b, uint32_t e) const { return text.substr(b, e - b); }
  int add(Mention m) { mentions.push_back(std::move(m)); return int(mentions.size()) - 1; }
  // Index of the first token starting at or after byte `pos`.
  size_t token_at(uint32_t pos) const;

  // Facts about token `i` (roles.cc); `tokens` must not change once asked.
  // flags(): those of `mask` that hold (each computed once).
  uint32_t flags(size_t i, uint32_t mask) const {
    if (token_info.size() == tokens.size()) {
      const TokenInfo& t = token_info[i];
      if ((t.known & mask) == mask) return t.flags & mask;
    }
    return compute_flags(i, mask);
  }
  bool has(size_t i, uint32_t mask) const { return flags(i, mask) != 0; }
  std::string_view folded(size_t i) const;
  // Gazetteer::lookup_index() of the text range [b, e), memoised.
  int lookup_range(uint32_t b, uint32_t e) const;

  uint32_t compute_flags(size_t i, uint32_t mask) const;
  // Memos (roles.cc).
  mutable std::vector<TokenInfo> token_info;
  mutable SpanMemo range_gaz, range_org, range_known;
  // (b << 32 | e) of the organisations rules and the gazetteer found, sorted;
  // made on first use, before the role grammar adds any (roles.cc found_org()).
  mutable std::vector<uint64_t> org_spans;
  mutable bool org_spans_ready = false;
};

// Text helpers.
std::string_view trim_view(std::string_view s);
bool is_particle(std::string_view folded);
bool particle_joined(std::string_view word);
bool is_title_head(const Gazetteer& g, std::string_view folded);

// Chooses among overlapping pending descriptors (higher priority, then longer)
// and runs the role grammar on the winners.
void parse_pending_descriptors(DocState& st);
// Role grammar (roles.cc): parses a descriptor range into titles and bodies,
// adding Title/Org/Place mentions and HOLDS_ROLE/ROLE_AT/AFFILIATED_WITH
// relations from `person` (a mention index).
void parse_descriptor(DocState& st, uint32_t b, uint32_t e, int person, int priority, std::string_view rule_id);
// Adds the people named in a cue list (bare names included).
void find_listed_people(DocState& st, uint32_t b, uint32_t e, int priority, std::string_view rule_id);
// Splits an item holding several people at "; " (and at " & " before a name).
std::vector<std::pair<uint32_t, uint32_t>> split_items(const DocState& st, uint32_t b, uint32_t e);
// Splits an item ("Name, Title at Org", "Name (Title, Org)", "Title, Name")
// into a person mention and a descriptor; returns the person mention or -1.
int parse_item(DocState& st, uint32_t b, uint32_t e, int priority, std::string_view rule_id);
// Trims a person range: drops honorifics in front and punctuation around.
// Returns false when what is left does not look like a person's name.
bool clean_person(const DocState& st, uint32_t* b, uint32_t* e, std::string* why);
// Trims an organisation range ("the", possessive 's, punctuation).
void clean_org(const DocState& st, uint32_t* b, uint32_t* e);
// Drops a job title in front of a body's name: "Deputy Secretary-General of
// the International Telecommunication Union" -> the Union.
void strip_title_prefix(const DocState& st, uint32_t* b, uint32_t* e);
// How org-like a phrase is: 2 = known body or clearly an organisation name,
// 1 = could be, 0 = no. Sets *place when it is a gazetteer place.
int org_likeness(const DocState& st, uint32_t b, uint32_t e, bool* place, bool allow_subunit);

// Is the phrase a known body or place (gazetteer), an acronym, or "ACR of Country"?
bool is_known_body(const DocState& st, uint32_t b, uint32_t e);

// Dates (event.cc).
void add_date(DocState& st, const CompiledRule& r, int priority, const std::vector<std::string_view>& caps,
              std::string_view whole);
// Event, participation defaults, topics and the final annotation (resolver.cc).
void resolve(DocState& st, const Document& doc, DocAnnotation* out, Explanation* explain);
std::vector<std::string> find_topics(const DocState& st, std::string_view event_title);

}  // namespace eventgraph::detail
