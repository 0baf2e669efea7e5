// Helpers of the tests that drive programs end to end: run a shell command (or the eligo program
// of this build) for its exit status and output (stdout and stderr together). Scratch
// directories and files: files.hpp (included).
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "tests/support/files.hpp"

namespace eligo::testing {

struct CommandResult {
  int status;          // exit status, -1 if the command did not exit normally
  std::string output;  // stdout + stderr
};

inline CommandResult run_command(const std::string& cmd) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  std::string out;
  if (!p) return {-1, "popen failed: " + cmd};
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int st = pclose(p);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

// `eligo ARGS` of this build (ELIGO_BINARY_DIR is defined by tests/CMakeLists.txt).
inline CommandResult run_eligo(const std::string& args) {
  return run_command(std::string(ELIGO_BINARY_DIR) + "/eligo " + args);
}

}  // namespace eligo::testing
