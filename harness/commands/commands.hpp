// The eligo subcommands. Each parses its own options (Boost.Program_options), has --help, and
// returns the process exit status; errors are thrown and reported by main() in one line.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace eligo::harness {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

const std::vector<Command>& commands();

int cmd_train(const std::vector<std::string>& args);
int cmd_grad(const std::vector<std::string>& args);
int cmd_chip(const std::vector<std::string>& args);
int cmd_quantize(const std::vector<std::string>& args);
int cmd_report(const std::vector<std::string>& args);
int cmd_cosim(const std::vector<std::string>& args);
int cmd_compare(const std::vector<std::string>& args);
int cmd_sweep(const std::vector<std::string>& args);

// An error in how a command was called (bad option value): exit status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// --checkpoint-every N and --resume DIR as every command with checkpoints checks them
// (docs/runs.md): N >= 0, and --resume DIR writes into DIR, so an --out that was given must name
// DIR. Returns the output directory: DIR when resuming, else `out`.
inline std::string checkpoint_output(int checkpoint_every, const std::string& resume, const std::string& out,
                                     bool out_given) {
  if (checkpoint_every < 0) throw UsageError("--checkpoint-every: must be >= 0");
  if (resume.empty()) return out;
  if (out_given && std::filesystem::path(out).lexically_normal() != std::filesystem::path(resume).lexically_normal()) {
    throw UsageError("--resume " + resume + " writes into " + resume + ": --out " + out + " differs");
  }
  return resume;
}

}  // namespace eligo::harness
