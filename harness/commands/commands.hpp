// The eligo subcommands. Each parses its own options (Boost.Program_options), has --help, and
// returns the process exit status; errors are thrown and reported by main() in one line.
#pragma once

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

}  // namespace eligo::harness
