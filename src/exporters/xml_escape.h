// Internal; use include/eventgraph/exporter.h.
// Text cleaning for exporters: whatever bytes a label holds, what they write
// is valid UTF-8 and valid XML 1.0 character data.
//
// sanitize_text(): invalid UTF-8 (bad lead or continuation bytes, overlong
// forms, truncated sequences, encoded surrogates, code points above U+10FFFF)
// becomes U+FFFD, one per offending byte; characters not allowed in XML 1.0
// are dropped: C0 controls other than \t \n \r (NUL included), U+FFFE, U+FFFF.
// append_xml_escaped(): sanitize_text() plus & < > " ' as entities, so the
// result may go in element content or an attribute value.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace eventgraph {

std::string sanitize_text(std::string_view s);
void append_sanitized(std::string& out, std::string_view s);
void append_xml_escaped(std::string& out, std::string_view s);
// The length of s's leading run of bytes that append_xml_escaped() copies as
// they are: printable ASCII but & < > " ', tab and line feed. When it is
// s.size(), s needs no escaping or cleaning. (It stops at the first byte past
// ASCII, even valid UTF-8 that the escaper keeps.)
size_t xml_plain_prefix(std::string_view s);
std::string xml_escape(std::string_view s);

}  // namespace eventgraph
