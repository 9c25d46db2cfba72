// Internal: the node ids of a GraphView, for exporters that read the graph in
// passes and need to know whether an id is a node and its position (the
// node's index in id order). Memory: the ids once (one arena) plus a hash
// table over them (8 bytes a slot, at most half full), O(nodes); never the
// nodes' other fields.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "eventgraph/graph_store.h"

namespace eventgraph {

class NodeIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // One pass over view.node_keys() (no sources); `each` (if given) sees every
  // node with its index. REQUIRES: called once.
  Status build(const GraphView& view, const std::function<void(const Node&, uint32_t)>& each = {}) {
    auto cursor = view.node_keys();
    while (const Node* n = cursor->next()) {
      if (each) each(*n, static_cast<uint32_t>(offsets_.size()));
      offsets_.push_back(arena_.size());
      arena_ += n->id;
      types_.push_back(static_cast<uint8_t>(n->type));
    }
    if (!cursor->status()) return cursor->status();
    offsets_.push_back(arena_.size());
    // Open addressing, linear probing, at most half full: a lookup is one
    // probe of one array most of the time (std::unordered_map's was three
    // cache misses: bucket, node, then the id), and the stored hash half
    // spares comparing ids that only share a slot.
    size_t cap = 16;
    while (cap < 2 * size()) cap *= 2;
    mask_ = cap - 1;
    slots_.assign(cap, 0);
    for (uint32_t i = 0; i < size(); ++i) {
      const uint64_t h = hash(id(i));
      size_t s = h & mask_;
      while (slots_[s] != 0) {
        if (id(static_cast<uint32_t>(slots_[s]) - 1) == id(i)) break;  // a repeated id keeps its first index
        s = (s + 1) & mask_;
      }
      if (slots_[s] == 0) slots_[s] = (h & kHashBits) | (uint64_t{i} + 1);
    }
    return Status::ok();
  }

  size_t size() const { return types_.size(); }
  std::string_view id(uint32_t i) const {
    return std::string_view(arena_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  NodeType type(uint32_t i) const { return static_cast<NodeType>(types_[i]); }
  // The index of node `id`, or kNone when it is not a node.
  uint32_t find(std::string_view key) const {
    if (slots_.empty()) return kNone;
    const uint64_t h = hash(key);
    for (size_t s = h & mask_;; s = (s + 1) & mask_) {
      const uint64_t e = slots_[s];
      if (e == 0) return kNone;
      const uint32_t i = static_cast<uint32_t>(e) - 1;
      if ((e & kHashBits) == (h & kHashBits) && id(i) == key) return i;
    }
  }

 private:
  std::string arena_;
  std::vector<uint64_t> offsets_;
  std::vector<uint8_t> types_;
  static constexpr uint64_t kHashBits = 0xFFFFFFFF00000000ull;  // the hash's high half, kept in a slot
  static uint64_t hash(std::string_view s) { return std::hash<std::string_view>()(s); }

  // Slots: 0 = empty, else the high half of the id's hash | (index + 1).
  std::vector<uint64_t> slots_;
  size_t mask_ = 0;
};

}  // namespace eventgraph
