// libFuzzer target: the rule-file parser and compiler (compile_pack) on
// arbitrary rule-file text, with a small regex memory budget. Must return
// OK or an error whose message names the file ("fuzz.rules:"); must never
// crash, hang or blow the memory budget. A loaded pack's self_test() runs too.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "eventgraph/rules.h"
#include "rules/rule_set_impl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  eventgraph::RuleOptions opt;
  opt.regex_memory = 1 << 20;
  eventgraph::RuleSet::Impl impl;
  impl.options = opt;
  eventgraph::Status st = eventgraph::compile_pack({{"fuzz.rules", text}}, opt, &impl);
  if (!st.is_ok() && st.message().find("fuzz.rules") == std::string::npos) std::abort();
  return 0;
}
