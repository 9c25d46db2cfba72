// Status: the result of an operation that can fail, after LevelDB's Status.
// OK costs nothing (an empty message); an error carries a kind and a message
// that names the file, line and reason. No exception crosses a public header.
#pragma once

#include <string>
#include <utility>

namespace eventgraph {

class Status {
 public:
  enum class Kind { kOk = 0, kInvalidInput, kNotFound, kIOError, kRuleError, kInternal };

  Status() = default;
  static Status ok() { return Status(); }
  static Status invalid_input(std::string msg) { return Status(Kind::kInvalidInput, std::move(msg)); }
  static Status not_found(std::string msg) { return Status(Kind::kNotFound, std::move(msg)); }
  static Status io_error(std::string msg) { return Status(Kind::kIOError, std::move(msg)); }
  static Status rule_error(std::string msg) { return Status(Kind::kRuleError, std::move(msg)); }
  static Status internal(std::string msg) { return Status(Kind::kInternal, std::move(msg)); }

  bool is_ok() const { return kind_ == Kind::kOk; }
  explicit operator bool() const { return is_ok(); }
  Kind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  // "IO error: out/graph.graphml: No space left on device"
  std::string to_string() const;

 private:
  Status(Kind k, std::string m) : kind_(k), message_(std::move(m)) {}
  Kind kind_ = Kind::kOk;
  std::string message_;
};

}  // namespace eventgraph
