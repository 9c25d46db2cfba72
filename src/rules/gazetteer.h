// Internal; use include/eventgraph/rules.h.
//
// Gazetteer: lists of known names (places, organisations, honorifics) and the
// word lists the role grammar uses (title words, organisation head words,
// words that are never part of a person's name), read from *.gaz files.
//
// File format (see rules/README.md):
//   @type Place | Organization | Honorific | TitleWord | OrgWord | NotName
//   @kind Country | City | Region            (places)
//   Canonical | alias | alias | ~adjective
//
// Matching: a token trie over folded tokens (text.h fold()), walked from every
// capitalised token; the longest entry wins. Entries written in capitals of up
// to 6 letters ("WHO", "US", "AU") match only as written, so "who" and "us"
// never do. Cost: one hash lookup per capitalised token, plus one per token of
// a phrase being extended. Immutable after building; shared by all threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "eventgraph/status.h"

namespace eventgraph {

enum class GazType : uint8_t { kPlace, kOrganization, kHonorific, kTitleWord, kOrgWord, kNotName };

struct GazEntry {
  std::string canonical;
  GazType type = GazType::kPlace;
  std::string kind;  // Country, City, Region for places
  std::vector<std::string> aliases;
  std::vector<std::string> adjectives;
  std::string file;
  int line = 0;
};

struct GazHit {
  uint32_t begin = 0, end = 0;  // byte range in the text
  int entry = -1;
  bool adjective = false;  // matched a ~adjective form ("French")
};

// A word of text: [begin, end) and whether it starts with a capital letter or digit.
struct Token {
  uint32_t begin = 0, end = 0;
  bool capital = false;
  bool upper = false;  // all letters upper case
};

// Splits text into word tokens: runs of letters and digits, with inner
// apostrophes, hyphens and dots joining ("O'Brien", "Ruiz-Okafor", "CGI.br");
// a possessive 's is split off ("UNESCO's" -> "UNESCO").
void tokenize(std::string_view text, std::vector<Token>* out);

class Gazetteer {
 public:
  // Parses one .gaz file and adds its entries. Errors name file:line.
  Status add_file(const std::string& name, std::string_view content);

  // Every entry hit in `text` (Place/Organization/Honorific), longest first at
  // each start, non-overlapping, in text order. `tokens` = tokenize(text).
  void match(std::string_view text, const std::vector<Token>& tokens, std::vector<GazHit>* out) const;

  // Exact lookup of a phrase (folded) among Place/Organization names and aliases.
  const GazEntry* lookup(std::string_view phrase) const;
  int lookup_index(std::string_view phrase) const;
  // Adjective lookup: "French" -> France.
  const GazEntry* lookup_adjective(std::string_view word) const;

  bool is_title_word(std::string_view folded_word) const { return title_words_.count(std::string(folded_word)) > 0; }
  bool is_org_word(std::string_view folded_word) const { return org_words_.count(std::string(folded_word)) > 0; }
  bool is_not_name(std::string_view folded_word) const { return not_name_.count(std::string(folded_word)) > 0; }
  bool is_honorific(std::string_view folded) const { return honorifics_.count(std::string(folded)) > 0; }
  const std::unordered_set<std::string>& title_words() const { return title_words_; }

  const std::vector<GazEntry>& entries() const { return entries_; }
  const GazEntry& entry(int i) const { return entries_[i]; }
  size_t size() const { return entries_.size(); }

 private:
  struct TrieNode {
    std::unordered_map<std::string, int> next;
    int entry = -1;
    bool adjective = false;
    bool exact_case = false;
    std::string surface;  // the form as written, for exact-case entries
  };
  void insert(const std::string& form, int entry, bool adjective);

  std::vector<GazEntry> entries_;
  std::vector<TrieNode> trie_ = std::vector<TrieNode>(1);
  std::unordered_map<std::string, int> phrase_;     // folded name/alias -> entry
  std::unordered_map<std::string, int> adjective_;  // folded adjective -> entry
  std::unordered_set<std::string> title_words_, org_words_, not_name_, honorifics_;
};

}  // namespace eventgraph
