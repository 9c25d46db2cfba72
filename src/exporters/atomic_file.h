// Internal: signal safety of write_file_atomic() for programs (the CLI).
#pragma once

namespace eventgraph {

// Installs handlers for SIGINT, SIGTERM and SIGHUP (unless the signal is
// ignored already, as under nohup) that remove the temporary files of
// write_file_atomic() calls in progress, then die of the signal as before;
// and ignores SIGXFSZ, so that a file-size limit makes write() fail with
// EFBIG (reported, temporary removed) instead of killing the process.
// Files already renamed into place are not touched.
void remove_temporaries_on_signals();

}  // namespace eventgraph
