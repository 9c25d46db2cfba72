#include "rules/short_atoms.h"

#include <algorithm>

namespace eventgraph {

bool ShortAtomFilter::build(const std::vector<const RE2*>& patterns) {
  filter_.reset();
  if (patterns.empty()) return true;
  auto f = std::make_unique<re2::FilteredRE2>(1);
  for (size_t i = 0; i < patterns.size(); ++i) {
    int id = -1;
    if (f->Add(patterns[i]->pattern(), patterns[i]->options(), &id) != RE2::NoError || id != int(i)) return false;
  }
  std::vector<std::string> atoms;
  f->Compile(&atoms);
  byte_bits_.fill(0);
  pair_.assign(size_t(1) << 16, 0);
  bit_[0] = 0;
  atom_of_bit_.clear();
  always_.clear();
  for (size_t a = 0; a < atoms.size(); ++a) {
    const std::string& s = atoms[a];
    int bit = int(atom_of_bit_.size());
    // (An atom with a byte past ASCII is lower-cased by RE2 beyond what the
    // extractor lower-cases in the text: counted present, to be safe.)
    bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (s.size() > 2 || s.empty() || !ascii || bit >= kMaxShortAtoms) {
      always_.push_back(int(a));
      continue;
    }
    atom_of_bit_.push_back(int(a));
    bit_[size_t(bit) + 1] = uint64_t(1) << bit;
    auto b0 = static_cast<unsigned char>(s[0]);
    if (s.size() == 1) {
      byte_bits_[b0] |= uint64_t(1) << bit;
    } else {
      pair_[size_t(b0) << 8 | static_cast<unsigned char>(s[1])] = uint8_t(bit + 1);
    }
  }
  std::vector<int> none;
  f->AllPotentials({}, &none);
  unfiltered_.assign(patterns.size(), 0);
  for (int i : none) unfiltered_[size_t(i)] = 1;
  // Each rule alone: its atoms are found by the same bits (an atom of one or
  // two bytes that has none counts as present, like the long ones).
  ones_.clear();
  ones_.resize(patterns.size());
  for (size_t i = 0; i < patterns.size(); ++i) {
    if (unfiltered_[i]) continue;
    auto one = std::make_unique<re2::FilteredRE2>(1);
    int id = -1;
    if (one->Add(patterns[i]->pattern(), patterns[i]->options(), &id) != RE2::NoError) return false;
    std::vector<std::string> own;
    one->Compile(&own);
    One& o = ones_[i];
    for (size_t a = 0; a < own.size(); ++a) {
      int bit = -1;
      for (size_t b = 0; b < atom_of_bit_.size(); ++b)
        if (atoms[size_t(atom_of_bit_[b])] == own[a]) bit = int(b);
      if (bit < 0) {
        o.always.push_back(int(a));
      } else {
        o.bit_atoms.push_back({bit, int(a)});
        o.bits |= uint64_t(1) << bit;
      }
    }
    o.filter = std::move(one);
  }
  filter_ = std::move(f);
  return true;
}

bool ShortAtomFilter::may_match(size_t fi, uint64_t mask) const {
  const One& o = ones_[fi];
  if (!o.filter) return true;
  std::vector<int> atoms = o.always;
  for (auto [bit, atom] : o.bit_atoms)
    if (mask >> bit & 1) atoms.push_back(atom);
  std::vector<int> ids;
  o.filter->AllPotentials(atoms, &ids);
  return !ids.empty();
}

void ShortAtomFilter::rules_for(uint64_t mask, std::vector<int>* out) const {
  if (!filter_) return;
  for (size_t i = 0; i < ones_.size(); ++i)
    if (!unfiltered_[i] && may_match(i, mask)) out->push_back(int(i));
}

}  // namespace eventgraph
