// The one flag table of the CLI: every option's name, value, help and check.
// --help for each subcommand is generated from it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "eventgraph/status.h"

namespace eventgraph::cli {

enum CommandBit : unsigned {
  kRun = 1u << 0,
  kExtract = 1u << 1,
  kMerge = 1u << 2,
  kEval = 1u << 3,
  kExplain = 1u << 4,
  kCheckRules = 1u << 5,
};

struct CommandDef {
  const char* name;   // "run"
  unsigned bit;
  const char* usage;  // "[OPTIONS] INPUT..."
  const char* summary;  // one line, for the overview
  const char* about;  // one paragraph
  int min_positionals;
  int max_positionals;  // -1: any number
};

struct FlagDef {
  const char* name;   // "--threads"
  const char* value;  // "N", or nullptr for a switch
  bool repeat;        // may be given more than once
  unsigned commands;  // CommandBit mask
  const char* help;
  // Checks a value; returns "" when fine, else the reason. May be null.
  std::string (*check)(const std::string& value);
};

const std::vector<CommandDef>& commands();
const std::vector<FlagDef>& flags();
const CommandDef* find_command(const std::string& name);

// Raw arguments, validated against the table only (no file-system access).
struct Args {
  std::string command;  // "" for the top level
  bool help = false;
  bool version = false;
  std::map<std::string, std::vector<std::string>> values;  // "--threads" -> {"2"}
  std::vector<std::string> positionals;

  bool has(const std::string& flag) const { return values.count(flag) > 0; }
  std::string get(const std::string& flag, const std::string& fallback = "") const;
  const std::vector<std::string>& all(const std::string& flag) const;
};

// Parses argv (argv[0] is the program). Accepts "--flag VALUE" and
// "--flag=VALUE"; "--" ends the options; "-" is a positional (stdin).
Status parse_args(const std::vector<std::string>& argv, Args* out);

// Help for one subcommand, or the overview when `command` is empty.
std::string help_text(const std::string& command);

// Splits "a,b , c" into {"a","b","c"} (empty items dropped).
std::vector<std::string> split_list(const std::string& s);

inline constexpr const char* kVersion = "0.1.0";

}  // namespace eventgraph::cli
