// Expanding the inputs into the list of files to read (internal; use
// include/eventgraph/reader.h).
//
// check_inputs() is the up-front configuration check: every input exists and
// is readable, or a Status names the first that is not. expand_inputs() then
// walks directories recursively, children sorted by the bytes of their
// names, keeping *.txt, *.md, *.jsonl and their .gz forms. Symbolic links are
// followed, but a directory is entered at most once: its (device, inode)
// pair is remembered, and meeting it again (a symlink loop, or a second link
// to it) is reported and not followed. Unreadable directories and dangling
// links are reported and skipped.
//
// Cost: one stat per directory entry; the file list is held in memory
// (paths only).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eventgraph/diagnostics.h"
#include "eventgraph/status.h"

namespace eventgraph {
namespace reader_internal {

struct InputFile {
  std::string path;   // as given, or dir + "/" + relative name; "-" is stdin
  bool gzip = false;  // name ends in .gz
  bool jsonl = false;
  int64_t size = -1;  // bytes when it is a regular file, else -1
};

// True when a name found in a directory is one the walker takes.
bool wanted_in_directory(const std::string& name);

Status check_inputs(const std::vector<std::string>& inputs);

// REQUIRES: check_inputs(inputs) is OK. `input_format` is "auto", "text" or
// "jsonl". `reporter` may be null.
std::vector<InputFile> expand_inputs(const std::vector<std::string>& inputs, const std::string& input_format,
                                     Reporter* reporter);

}  // namespace reader_internal
}  // namespace eventgraph
