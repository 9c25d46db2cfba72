// Input checking and directory walking. See dir_walker.h.
#include "reader/dir_walker.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

namespace eventgraph {
namespace reader_internal {
namespace {

using DevIno = std::pair<uint64_t, uint64_t>;

bool ends_with_nocase(const std::string& s, const char* suffix) {
  size_t n = std::strlen(suffix);
  if (s.size() < n) return false;
  for (size_t i = 0; i < n; ++i) {
    char c = s[s.size() - n + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

std::string strip_gz(const std::string& name) {
  return ends_with_nocase(name, ".gz") ? name.substr(0, name.size() - 3) : name;
}

InputFile make_input(std::string path, const std::string& input_format, int64_t size) {
  InputFile f;
  f.gzip = path != "-" && ends_with_nocase(path, ".gz");
  f.jsonl = input_format == "jsonl" ||
            (input_format == "auto" && path != "-" && ends_with_nocase(strip_gz(path), ".jsonl"));
  f.size = size;
  f.path = std::move(path);
  return f;
}

std::string join(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

void report(Reporter* r, const std::string& file, const std::string& reason, bool skipped) {
  if (r == nullptr) return;
  Problem p;
  p.file = file;
  p.reason = reason;
  p.skipped = skipped;
  r->report(p);
}

class Walker {
 public:
  Walker(const std::string& input_format, Reporter* reporter, std::vector<InputFile>* out)
      : format_(input_format), reporter_(reporter), out_(out) {}

  void walk_root(const std::string& dir, const struct stat& st) {
    DevIno id{st.st_dev, st.st_ino};
    if (!visited_.insert(id).second) {
      report(reporter_, dir, "directory already read (not read again)", false);
      return;
    }
    ancestors_.push_back(id);
    walk(dir);
    ancestors_.pop_back();
  }

 private:
  void walk(const std::string& dir) {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      report(reporter_, dir, std::string("cannot read directory: ") + std::strerror(errno), true);
      return;
    }
    while (struct dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      names.emplace_back(e->d_name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());  // byte order: std::string compares as unsigned char
    for (const std::string& name : names) visit(join(dir, name), name);
  }

  void visit(const std::string& path, const std::string& name) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      // A dangling symlink, or an entry that went away: only worth a word
      // when it would have been read.
      if (wanted_in_directory(name)) {
        report(reporter_, path, std::string("cannot open: ") + std::strerror(errno), true);
      }
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      DevIno id{st.st_dev, st.st_ino};
      if (std::find(ancestors_.begin(), ancestors_.end(), id) != ancestors_.end()) {
        report(reporter_, path, "symlink loop (not followed)", false);
        return;
      }
      if (!visited_.insert(id).second) {
        report(reporter_, path, "directory already read through another link (not followed)", false);
        return;
      }
      ancestors_.push_back(id);
      walk(path);
      ancestors_.pop_back();
      return;
    }
    if (!wanted_in_directory(name)) return;
    if (S_ISREG(st.st_mode)) {
      out_->push_back(make_input(path, format_, static_cast<int64_t>(st.st_size)));
    } else {
      // A FIFO, socket or device under a text name: reading it could block
      // or never end, so it is skipped, and said so.
      report(reporter_, path, "not a regular file", true);
    }
  }

  const std::string& format_;
  Reporter* reporter_;
  std::vector<InputFile>* out_;
  std::set<DevIno> visited_;
  std::vector<DevIno> ancestors_;
};

}  // namespace

bool wanted_in_directory(const std::string& name) {
  std::string base = strip_gz(name);
  return ends_with_nocase(base, ".txt") || ends_with_nocase(base, ".md") || ends_with_nocase(base, ".jsonl");
}

Status check_inputs(const std::vector<std::string>& inputs) {
  for (const std::string& in : inputs) {
    if (in == "-") continue;
    struct stat st;
    if (::stat(in.c_str(), &st) != 0) {
      std::string msg = in + ": " + std::strerror(errno);
      return errno == ENOENT || errno == ENOTDIR ? Status::not_found(msg) : Status::io_error(msg);
    }
    int mode = S_ISDIR(st.st_mode) ? (R_OK | X_OK) : R_OK;
    if (::access(in.c_str(), mode) != 0) return Status::io_error(in + ": " + std::strerror(errno));
  }
  return Status::ok();
}

std::vector<InputFile> expand_inputs(const std::vector<std::string>& inputs, const std::string& input_format,
                                     Reporter* reporter) {
  std::vector<InputFile> files;
  Walker walker(input_format, reporter, &files);
  for (const std::string& in : inputs) {
    struct stat st;
    if (in == "-") {
      bool regular = ::fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode);
      files.push_back(make_input(in, input_format, regular ? static_cast<int64_t>(st.st_size) : -1));
      continue;
    }
    bool known = ::stat(in.c_str(), &st) == 0;
    if (known && S_ISDIR(st.st_mode)) {
      walker.walk_root(in, st);
    } else {
      bool regular = known && S_ISREG(st.st_mode);
      files.push_back(make_input(in, input_format, regular ? static_cast<int64_t>(st.st_size) : -1));
    }
  }
  return files;
}

}  // namespace reader_internal
}  // namespace eventgraph
