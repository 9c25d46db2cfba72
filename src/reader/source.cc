// open_sources() and the DocumentSource over all inputs. See
// include/eventgraph/reader.h.
#include <memory>
#include <utility>
#include <vector>

#include "eventgraph/reader.h"
#include "reader/dir_walker.h"
#include "reader/file_reader.h"

namespace eventgraph {
namespace {

using reader_internal::FileReader;
using reader_internal::InputFile;
using reader_internal::ReaderContext;

constexpr size_t kChunkBytes = 1 << 20;

// Reads the files one after another; one FileReader is alive at a time.
class MultiSource final : public DocumentSource {
 public:
  MultiSource(std::vector<InputFile> files, std::unique_ptr<ReaderContext> ctx)
      : files_(std::move(files)), ctx_(std::move(ctx)) {
    bool known = true;
    for (const InputFile& f : files_) {
      if (f.size < 0) known = false;
      else total_ += static_cast<uint64_t>(f.size);
    }
    if (!known) total_ = 0;
  }

  bool next(Document& doc) override {
    for (;;) {
      if (!current_) {
        if (index_ >= files_.size()) return false;
        current_ = std::make_unique<FileReader>(files_[index_++], ctx_.get());
        if (!current_->open()) {
          current_.reset();
          continue;
        }
      }
      if (current_->next(doc)) {
        doc.seq = seq_++;
        return true;
      }
      done_bytes_ += current_->raw_bytes();
      current_.reset();
    }
  }

  uint64_t total_bytes() const override { return total_; }
  uint64_t bytes_read() const override { return done_bytes_ + (current_ ? current_->raw_bytes() : 0); }

 private:
  std::vector<InputFile> files_;
  std::unique_ptr<ReaderContext> ctx_;
  std::unique_ptr<FileReader> current_;
  size_t index_ = 0;
  uint64_t seq_ = 0;
  uint64_t total_ = 0;
  uint64_t done_bytes_ = 0;
};

}  // namespace

Status open_sources(const std::vector<std::string>& inputs, const ReaderOptions& options, Reporter* reporter,
                    std::unique_ptr<DocumentSource>* out) {
  const std::string& fmt = options.input_format;
  if (fmt != "auto" && fmt != "text" && fmt != "jsonl") {
    return Status::invalid_input("unknown input format '" + fmt + "' (expected auto, text or jsonl)");
  }
  if (options.max_doc_bytes == 0 || options.max_line_bytes == 0) {
    return Status::invalid_input("max document and line sizes must be positive");
  }
  auto ctx = std::make_unique<ReaderContext>();
  ctx->options = options;
  ctx->reporter = reporter;
  if (!options.split_on.empty()) {
    RE2::Options re_options;
    re_options.set_log_errors(false);
    ctx->split_re = std::make_unique<RE2>(options.split_on, re_options);
    if (!ctx->split_re->ok()) {
      return Status::invalid_input("split pattern '" + options.split_on + "': " + ctx->split_re->error());
    }
  }
  Status st = reader_internal::check_inputs(inputs);
  if (!st.is_ok()) return st;
  std::vector<InputFile> files = reader_internal::expand_inputs(inputs, fmt, reporter);
  ctx->buffer.resize(kChunkBytes);
  *out = std::make_unique<MultiSource>(std::move(files), std::move(ctx));
  return Status::ok();
}

}  // namespace eventgraph
