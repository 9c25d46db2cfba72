#include "rules/short_atoms.h"

#include <algorithm>

namespace eventgraph {

bool ShortAtomFilter::build(const std::vector<const RE2*>& patterns) {
  ones_.clear();
  unfiltered_.clear();
  byte_bits_.fill(0);
  pair_.assign(size_t(1) << 16, 0);
  bit_.fill(0);
  std::vector<One> ones(patterns.size());
  std::vector<char> unfiltered(patterns.size(), 0);
  std::vector<std::string> bit_atom;  // bit -> its atom, the rules' atoms in the order met
  for (size_t i = 0; i < patterns.size(); ++i) {
    auto f = std::make_unique<re2::FilteredRE2>(1);
    int id = -1;
    if (f->Add(patterns[i]->pattern(), patterns[i]->options(), &id) != RE2::NoError || id != 0) return false;
    std::vector<std::string> atoms;
    f->Compile(&atoms);
    std::vector<int> none;
    f->AllPotentials({}, &none);
    if (!none.empty()) {  // no atom even at 1 byte
      unfiltered[i] = 1;
      continue;
    }
    One& o = ones[i];
    for (size_t a = 0; a < atoms.size(); ++a) {
      const std::string& s = atoms[a];
      int bit = int(std::find(bit_atom.begin(), bit_atom.end(), s) - bit_atom.begin());
      if (bit == int(bit_atom.size())) {
        // (An atom with a byte past ASCII is lower-cased by RE2 beyond what the
        // extractor lower-cases in the text: counted present, to be safe.)
        bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        if (s.size() > 2 || s.empty() || !ascii || bit >= kMaxShortAtoms) {
          o.always.push_back(int(a));
          continue;
        }
        bit_atom.push_back(s);
        bit_[size_t(bit) + 1] = uint64_t(1) << bit;
        auto b0 = static_cast<unsigned char>(s[0]);
        if (s.size() == 1) {
          byte_bits_[b0] |= uint64_t(1) << bit;
        } else {
          pair_[size_t(b0) << 8 | static_cast<unsigned char>(s[1])] = uint8_t(bit + 1);
        }
      }
      o.bit_atoms.push_back({bit, int(a)});
      o.bits |= uint64_t(1) << bit;
    }
    o.filter = std::move(f);
  }
  ones_ = std::move(ones);
  unfiltered_ = std::move(unfiltered);
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

}  // namespace eventgraph
