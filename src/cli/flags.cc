// The flag table. Each flag's check runs at parse time; file-system work
// (reading the pipeline, compiling rules, opening inputs) happens later.
#include "cli/flags.h"

#include <algorithm>
#include <cstdlib>

#include "eventgraph/exporter.h"

namespace eventgraph::cli {
namespace {

std::string check_uint(const std::string& v) {
  if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "expected a non-negative integer, got \"" + v + "\"";
  }
  return "";
}

std::string check_positive(const std::string& v) {
  std::string e = check_uint(v);
  if (!e.empty()) return e;
  if (std::strtoull(v.c_str(), nullptr, 10) == 0) return "expected a positive integer, got \"" + v + "\"";
  return "";
}

std::string check_threads(const std::string& v) {
  std::string e = check_uint(v);
  if (!e.empty()) return e;
  if (std::strtoull(v.c_str(), nullptr, 10) > 1024) return "at most 1024 threads";
  return "";
}

std::string check_formats(const std::string& v) {
  std::vector<std::string> items = split_list(v);
  if (items.empty()) return "expected a comma-separated list of formats";
  for (const auto& f : items) {
    if (!is_known_format(f)) {
      std::string known;
      for (const auto& k : known_formats()) known += (known.empty() ? "" : ", ") + k;
      return "unknown format \"" + f + "\" (known: " + known + ")";
    }
  }
  return "";
}

std::string check_input_format(const std::string& v) {
  if (v == "auto" || v == "text" || v == "jsonl") return "";
  return "expected auto, text or jsonl, got \"" + v + "\"";
}

std::string check_nonempty(const std::string& v) { return v.empty() ? "expected a value" : ""; }

constexpr unsigned kInput = kRun | kExtract;
constexpr unsigned kRules = kRun | kExtract | kEval | kExplain;

}  // namespace

const std::vector<CommandDef>& commands() {
  static const std::vector<CommandDef> kCommands = {
      {"run", kRun, "[OPTIONS] INPUT...", "extract a graph from texts and export it",
       "Reads INPUT (files, folders walked recursively for .txt/.md/.jsonl/.gz, or - for stdin), "
       "extracts people, roles, organisations, places, events and topics with the rule pack, and "
       "writes the graph into the output folder (graph.graphml, graph.jsonld by default). Prints a "
       "summary on stderr.",
       1, -1},
      {"extract", kExtract, "--fragments OUT.jsonl [OPTIONS] INPUT...", "extract a graph as mergeable fragments (JSONL)",
       "Like run, but writes the graph as mergeable fragments (JSONL, one node or edge per line) "
       "for a later `eventgraph merge`.",
       1, -1},
      {"merge", kMerge, "[OPTIONS] FRAGMENTS...", "merge fragment files into one graph and export it",
       "Reads fragment files (from `eventgraph extract`), merges them into one graph and exports it.",
       1, -1},
      {"eval", kEval, "--gold DIR [OPTIONS] [INPUT_DIR]", "score extraction against gold annotations (as score.py)",
       "For each NAME.gold.json in DIR (or the one file DIR names) with NAME.txt in INPUT_DIR "
       "(default: DIR), extracts NAME.txt and scores it against the gold the way "
       "../shared/corpus/score.py does: precision, recall and F1 per category.",
       0, 1},
      {"explain", kExplain, "[OPTIONS] FILE", "show every span found in a text, its rule and resolution",
       "Runs the extractor on FILE (or - for stdin) and shows every span found: the text with "
       "the spans marked, then a table of type, text, rule, capture and what the resolver did.",
       1, 1},
      {"check-rules", kCheckRules, "[OPTIONS] [FILES...]", "run rule self-tests and lint a rule pack",
       "Loads a rule pack (the built-in one when no FILES are given), runs every rule's examples "
       "and counter-examples and lints the pack. Exits 1 when anything is found.",
       0, -1},
  };
  return kCommands;
}

const std::vector<FlagDef>& flags() {
  static const std::vector<FlagDef> kFlags = {
      {"--pipeline", "FILE", false, kRules, "pipeline spec (JSON, see pipelines/README.md); default: built in", check_nonempty},
      {"--rules", "PATH", true, kRules, "rule pack file or folder, instead of the pipeline's packs (repeatable)", check_nonempty},
      {"--out", "DIR", false, kRun | kMerge, "output folder (created if missing); default: out", check_nonempty},
      {"--format", "LIST", false, kRun | kMerge, "comma-separated export formats (graphml, jsonld, gexf, neo4j, cypher, kuzu, fragments); default: the pipeline's", check_formats},
      {"--fragments", "FILE", false, kExtract, "where to write the fragments (JSONL); required", check_nonempty},
      {"--threads", "N", false, kInput, "worker threads; 0 = all cores (default)", check_threads},
      {"--base-iri", "IRI", false, kRun | kMerge, "base IRI for JSON-LD @id values; default: urn:eventgraph:", check_nonempty},
      {"--input-format", "FMT", false, kInput, "auto (by file name, default), text or jsonl", check_input_format},
      {"--split-on", "REGEX", false, kInput, "in text input, a line matching REGEX (whole line) separates documents", check_nonempty},
      {"--max-doc-bytes", "N", false, kInput, "skip (and report) documents larger than N bytes; default: 67108864", check_positive},
      {"--regex-memory", "N", false, kRules | kCheckRules, "RE2 memory budget per pattern in bytes; default: 8388608", check_positive},
      {"--strict", nullptr, false, kInput | kMerge, "exit 1 when any document or line was skipped", nullptr},
      {"--quiet", nullptr, false, kInput | kMerge, "no progress line and no summary", nullptr},
      {"--no-progress", nullptr, false, kInput, "no progress line (it is shown only when stderr is a terminal)", nullptr},
      {"--graph-memory", "MB", false, kRun | kMerge, "memory budget of the in-memory graph in MiB; past it the graph is spilled to sorted runs on disk (graphml and jsonld are then written without loading it whole); 0 = no budget; default: 256", check_uint},
      {"--temp-dir", "DIR", false, kRun | kMerge, "folder for the graph's temporary runs (a private folder is made in it and removed at the end); default: $TMPDIR or /tmp", check_nonempty},
      {"--rule-stats", nullptr, false, kInput, "print on stderr what each rule cost: documents and bytes it scanned, matches, seconds (slowest first)", nullptr},
      {"--timings", nullptr, false, kRun, "print the time of each stage (rules, read, extract, merge, each export) and peak memory on stderr", nullptr},
      {"--gold", "DIR", false, kEval, "folder of NAME.gold.json files, or one such file; required", check_nonempty},
      {"--per-doc", nullptr, false, kEval, "also print the scores of each document", nullptr},
      {"--json", nullptr, false, kEval | kExplain, "print JSON instead of a table", nullptr},
      {"--write-pred", "DIR", false, kEval, "write each document's prediction as DIR/NAME.pred.json", check_nonempty},
  };
  return kFlags;
}

const CommandDef* find_command(const std::string& name) {
  for (const auto& c : commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

std::string Args::get(const std::string& flag, const std::string& fallback) const {
  auto it = values.find(flag);
  return it == values.end() || it->second.empty() ? fallback : it->second.back();
}

const std::vector<std::string>& Args::all(const std::string& flag) const {
  static const std::vector<std::string> kNone;
  auto it = values.find(flag);
  return it == values.end() ? kNone : it->second;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    std::string item = s.substr(i, j - i);
    size_t a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
    if (a != std::string::npos) out.push_back(item.substr(a, b - a + 1));
    i = j + 1;
  }
  return out;
}

Status parse_args(const std::vector<std::string>& argv, Args* out) {
  Args args;
  size_t i = 1;
  // Top level: --help, --version, help [CMD], or a subcommand.
  while (i < argv.size() && args.command.empty()) {
    const std::string& a = argv[i];
    if (a == "--help" || a == "-h") {
      args.help = true;
      ++i;
    } else if (a == "--version" || a == "-V") {
      args.version = true;
      ++i;
    } else if (a == "help") {
      args.help = true;
      if (i + 1 < argv.size()) {
        if (!find_command(argv[i + 1])) return Status::invalid_input("unknown subcommand \"" + argv[i + 1] + "\"");
        args.command = argv[i + 1];
      }
      *out = std::move(args);
      return Status::ok();
    } else if (find_command(a)) {
      args.command = a;
      ++i;
    } else {
      return Status::invalid_input(a.rfind("-", 0) == 0 ? "unknown option \"" + a + "\" (a subcommand comes first; see --help)"
                                                        : "unknown subcommand \"" + a + "\" (see --help)");
    }
  }
  if (args.command.empty()) {
    *out = std::move(args);
    return Status::ok();
  }
  const CommandDef* cmd = find_command(args.command);
  bool options_done = false;
  for (; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (options_done || a == "-" || a.size() < 2 || a[0] != '-') {
      args.positionals.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      args.help = true;
      continue;
    }
    std::string name = a, value;
    bool inline_value = false;
    size_t eq = a.find('=');
    if (eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      inline_value = true;
    }
    const FlagDef* def = nullptr;
    for (const auto& f : flags()) {
      if (name == f.name) def = &f;
    }
    if (!def || !(def->commands & cmd->bit)) {
      return Status::invalid_input("unknown option \"" + name + "\" for " + args.command + " (see eventgraph help " +
                                   args.command + ")");
    }
    if (def->value) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) return Status::invalid_input(name + " needs a value (" + def->value + ")");
        value = argv[++i];
      }
      if (def->check) {
        std::string e = def->check(value);
        if (!e.empty()) return Status::invalid_input(name + ": " + e);
      }
    } else if (inline_value) {
      return Status::invalid_input(name + " takes no value");
    }
    std::vector<std::string>& vals = args.values[name];
    if (!vals.empty() && !def->repeat && def->value) {
      return Status::invalid_input(name + " given more than once");
    }
    vals.push_back(value);
  }
  if (!args.help) {
    int n = static_cast<int>(args.positionals.size());
    if (n < cmd->min_positionals) {
      return Status::invalid_input(args.command + ": missing " + (cmd->bit == kMerge ? "FRAGMENTS" : cmd->bit == kExplain ? "FILE" : "INPUT") +
                                   " (usage: eventgraph " + args.command + " " + cmd->usage + ")");
    }
    if (cmd->max_positionals >= 0 && n > cmd->max_positionals) {
      return Status::invalid_input(args.command + ": too many arguments (usage: eventgraph " + args.command + " " +
                                   cmd->usage + ")");
    }
    if (cmd->bit == kExtract && !args.has("--fragments")) return Status::invalid_input("extract: --fragments FILE is required");
    if (cmd->bit == kEval && !args.has("--gold")) return Status::invalid_input("eval: --gold DIR is required");
  }
  *out = std::move(args);
  return Status::ok();
}

std::string help_text(const std::string& command) {
  std::string out;
  if (command.empty()) {
    out += "eventgraph " + std::string(kVersion) + ": event text -> knowledge graph (people, roles, organisations,\n";
    out += "places, events, topics) exported as GraphML, JSON-LD and graph-database files.\n\n";
    out += "usage: eventgraph SUBCOMMAND [OPTIONS] ARGS...\n\nSubcommands:\n";
    for (const auto& c : commands()) {
      out += "  " + std::string(c.name) + std::string(14 - std::string(c.name).size(), ' ') + c.summary + "\n";
    }
    out += "\n  --help, -h    this help; `eventgraph help SUBCOMMAND` or `eventgraph SUBCOMMAND --help`\n";
    out += "  --version     print the version\n";
    out += "\nExit codes: 0 success (even with skipped documents), 1 with --strict when anything\n";
    out += "was skipped (check-rules: findings), 2 fatal or configuration error.\n";
    return out;
  }
  const CommandDef* c = find_command(command);
  if (!c) return "";
  out += "usage: eventgraph " + std::string(c->name) + " " + c->usage + "\n\n";
  // Wrap the description at 78 columns.
  std::string about = c->about, line;
  size_t pos = 0;
  while (pos < about.size()) {
    size_t sp = about.find(' ', pos);
    if (sp == std::string::npos) sp = about.size();
    std::string word = about.substr(pos, sp - pos);
    if (!line.empty() && line.size() + 1 + word.size() > 78) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    pos = sp + 1;
  }
  if (!line.empty()) out += line + "\n";
  out += "\nOptions:\n";
  for (const auto& f : flags()) {
    if (!(f.commands & c->bit)) continue;
    std::string left = std::string("  ") + f.name + (f.value ? std::string(" ") + f.value : "");
    if (left.size() < 26) left += std::string(26 - left.size(), ' ');
    else left += "\n" + std::string(26, ' ');
    out += left + f.help + "\n";
  }
  out += "  --help, -h              this help\n";
  return out;
}

}  // namespace eventgraph::cli
