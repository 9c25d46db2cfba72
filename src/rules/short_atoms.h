// Internal; use include/eventgraph/rules.h.
//
// ShortAtomFilter: the line prefilter of the rules the pack's FilteredRE2
// cannot filter.
//
// The pack's prefilter (RuleSet::Impl::prefilter) keeps only literals of 3
// bytes or more, and a rule with none in every match (the date rules, "Name
// (Title, Org)", bullets, "| 10:00 | Place") ran over every line of every
// document. Kept to 1 and 2 bytes, literals do tell those rules apart (a
// digit, "(", "|", ": "), but as atoms of an RE2::Set they were too common
// and too many to pay (BENCHMARKS.md, sixth session). Here they are found
// without RE2: each of those rules gets a FilteredRE2 of its own, which keeps
// atoms of any length; their atoms of one or two bytes (up to 64 of them, all
// rules together) are looked up in two tables as a line is read, giving the
// line a 64-bit mask; longer atoms count as present on every line. Counting an
// atom present can only let a rule through, never keep one out, so a rule left
// out of a line has no match on it. Which rules a mask lets through is the
// answer of each rule's FilteredRE2, which the extractor remembers per mask
// and, for a mask not met before, per rule and the mask's bits that rule
// looks at.
#pragma once

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eventgraph {

class ShortAtomFilter {
 public:
  // At most this many atoms of 1 or 2 bytes are looked up; more count as
  // present on every line.
  static constexpr int kMaxShortAtoms = 64;

  // Builds the filter over `patterns` (those rules' compiled patterns; the
  // index in `patterns` is the filter's rule index). Returns false when RE2
  // does not take a pattern: the caller then keeps running those rules
  // over every line.
  bool build(const std::vector<const RE2*>& patterns);

  bool empty() const { return ones_.empty(); }
  // The mask of the short atoms in `lower` (a line, ASCII letters lower-cased).
  uint64_t mask(std::string_view lower) const {
    uint64_t m = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(lower.data());
    size_t n = lower.size();
    if (n == 0) return 0;
    for (size_t i = 0; i + 1 < n; ++i) m |= byte_bits_[p[i]] | bit_[pair_[size_t(p[i]) << 8 | p[i + 1]]];
    return m | byte_bits_[p[n - 1]];
  }
  // Whether rule `fi` (a filter rule index, not unfiltered()) may match a
  // line of this mask. Its answer depends only
  // on mask & rule_bits(fi) (the bits of the rule's own atoms), which is
  // what a caller remembers per rule: far fewer distinct values than whole
  // masks (a line's digits and punctuation make many).
  bool may_match(size_t fi, uint64_t mask) const;
  uint64_t rule_bits(size_t fi) const { return ones_[fi].bits; }
  size_t rule_count() const { return ones_.size(); }
  // Per filter rule index: 1 when the filter never excludes it (no atom
  // even at 1 byte: it still runs over every line).
  const std::vector<char>& unfiltered() const { return unfiltered_; }

 private:
  std::array<uint64_t, 256> byte_bits_{};  // byte -> bit of its 1-byte atom
  // (b0 << 8 | b1) -> 1 + the bit of its 2-byte atom, 0 for none (one byte
  // an entry keeps the table in the CPU's caches); bit_[k] = 1 << (k - 1).
  std::vector<uint8_t> pair_;
  std::array<uint64_t, kMaxShortAtoms + 1> bit_{};
  std::vector<char> unfiltered_;
  // Each rule's own filter (a FilteredRE2 over that rule alone): its atoms
  // that have a bit, and those counted present on every line.
  struct One {
    std::unique_ptr<re2::FilteredRE2> filter;  // null: nothing to filter on
    uint64_t bits = 0;
    std::vector<std::pair<int, int>> bit_atoms;  // (bit, the rule's atom id)
    std::vector<int> always;                     // the rule's atom ids
  };
  std::vector<One> ones_;
};

}  // namespace eventgraph
