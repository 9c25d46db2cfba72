// The built-in rule pack, loaded once per test program, and extraction of a
// short invented text with it.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "eventgraph/extractor.h"
#include "eventgraph/rules.h"

namespace egtest {

inline const eventgraph::RuleSet& builtin_pack() {
  static std::unique_ptr<eventgraph::RuleSet> rs = [] {
    std::unique_ptr<eventgraph::RuleSet> r;
    eventgraph::Status s = eventgraph::RuleSet::load_builtin({}, &r);
    if (!s.is_ok()) FAIL(s.to_string());
    return r;
  }();
  return *rs;
}

// The annotation of `text` as document "t" (with the explanation if asked).
inline eventgraph::DocAnnotation extract_text(const std::string& text, eventgraph::Explanation* ex = nullptr) {
  eventgraph::Extractor x(builtin_pack());
  eventgraph::Document d;
  d.id = "t";
  d.text = text;
  return x.extract(d, ex);
}

}  // namespace egtest
