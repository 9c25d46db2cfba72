// Internal: the node ids of a GraphView, for exporters that read the graph in
// passes and need to know whether an id is a node and its position (the
// node's index in id order). Memory: the ids once (one arena) plus a hash
// table over them, O(nodes); never the nodes' other fields.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eventgraph/graph_store.h"

namespace eventgraph {

class NodeIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // One pass over view.nodes(); `each` (if given) sees every node with its
  // index. REQUIRES: called once.
  Status build(const GraphView& view, const std::function<void(const Node&, uint32_t)>& each = {}) {
    auto cursor = view.nodes();
    while (const Node* n = cursor->next()) {
      if (each) each(*n, static_cast<uint32_t>(offsets_.size()));
      offsets_.push_back(arena_.size());
      arena_ += n->id;
      types_.push_back(static_cast<uint8_t>(n->type));
    }
    if (!cursor->status()) return cursor->status();
    offsets_.push_back(arena_.size());
    map_.reserve(size());
    for (uint32_t i = 0; i < size(); ++i) map_.emplace(id(i), i);
    return Status::ok();
  }

  size_t size() const { return types_.size(); }
  std::string_view id(uint32_t i) const {
    return std::string_view(arena_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  NodeType type(uint32_t i) const { return static_cast<NodeType>(types_[i]); }
  // The index of node `id`, or kNone when it is not a node.
  uint32_t find(std::string_view id) const {
    auto it = map_.find(id);
    return it == map_.end() ? kNone : it->second;
  }

 private:
  std::string arena_;
  std::vector<uint64_t> offsets_;
  std::vector<uint8_t> types_;
  std::unordered_map<std::string_view, uint32_t> map_;
};

}  // namespace eventgraph
