#include "eventgraph/status.h"

namespace eventgraph {

std::string Status::to_string() const {
  switch (kind_) {
    case Kind::kOk: return "OK";
    case Kind::kInvalidInput: return "invalid input: " + message_;
    case Kind::kNotFound: return "not found: " + message_;
    case Kind::kIOError: return "I/O error: " + message_;
    case Kind::kRuleError: return "rule error: " + message_;
    case Kind::kInternal: return "internal error: " + message_;
  }
  return message_;
}

}  // namespace eventgraph
