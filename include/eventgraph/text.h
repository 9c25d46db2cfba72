// Text helpers shared by every stage: Unicode folding for comparison and the
// slugs that make node ids.
//
// fold(): NFKD-like folding for Latin scripts (diacritics dropped: é->e,
// ß->ss, ø->o, ł->l, đ->d ...), case folded, '&' -> " and ", every run of
// non-letter/digit characters -> one space, trimmed. Non-Latin letters are
// kept (lower-cased where simple). Apostrophes join ("Diplo's" -> "diplos").
// It is made for ids and grouping, and differs from score.py's fold() on
// apostrophes and on letters like đ ø ł æ (eval uses its own port of it).
// slug(): fold() with spaces -> '-': "Ana Kovač" -> "ana-kovac".
#pragma once

#include <string>
#include <string_view>

namespace eventgraph {

std::string fold(std::string_view s);
std::string slug(std::string_view s);

// Strips diacritics only, keeping case and punctuation: "Kovačević" -> "Kovacevic".
std::string strip_diacritics(std::string_view s);

// Valid UTF-8 check.
bool is_valid_utf8(std::string_view s);

}  // namespace eventgraph
