// A run's output directory compared across runs (issue 16, docs/runs.md): its files without
// the values of wall-time fields, and the kill-and-resume check of a command with checkpoints
// (run_outputs_test.cpp, cosim_checkpoint_test.cpp).
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "golden_model/io/files.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_command.hpp"

extern char** environ;

namespace eligo::testing {

// Every regular file below dir, by relative path, with the values of wall-time fields replaced:
// wall_s, wall_s_per_*, timesteps_per_s and sim_cycles_per_s (JSON numbers). manifest.json is
// left out: it holds the CRC-32 of files with wall times (io::check_manifest checks it).
// (No std::regex: GCC 12's <regex> trips -Wmaybe-uninitialized in the sanitizer build.)
inline bool is_wall_time_key(const std::string& key) {
  const bool wall_s = key.rfind("wall_s", 0) == 0 &&
                      std::all_of(key.begin() + 6, key.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
  return wall_s || key == "timesteps_per_s" || key == "sim_cycles_per_s";
}

inline std::string without_wall_times(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('"', i);
    const size_t close = open == std::string::npos ? open : text.find('"', open + 1);
    if (close == std::string::npos) break;
    out.append(text, i, close + 1 - i);
    i = close + 1;
    if (!is_wall_time_key(text.substr(open + 1, close - open - 1)) || text.compare(i, 2, ": ") != 0) continue;
    size_t end = i + 2;
    while (end < text.size() && std::strchr("-0123456789.e+", text[end]) != nullptr) ++end;
    if (end == i + 2) continue;  // not a number
    out += ": WALL";
    i = end;
  }
  out.append(text, i, std::string::npos);
  return out;
}

inline std::map<std::string, std::string> outputs_without_wall_times(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().filename() == eligo::io::kManifestFile) continue;
    files[std::filesystem::relative(e.path(), dir).string()] = without_wall_times(read_text(e.path()));
  }
  return files;
}

// Starts eligo with args (no shell), stdout and stderr to /dev/null; returns its pid.
inline pid_t spawn_eligo(const std::vector<std::string>& args) {
  std::vector<std::string> argv_s = {std::string(ELIGO_BINARY_DIR) + "/eligo"};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : -1;
}

// Polls every millisecond until path exists; false if the process `pid` ends first (or after two
// minutes).
inline bool wait_for_file(const std::filesystem::path& path, pid_t pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!std::filesystem::exists(path)) {
    if (std::chrono::steady_clock::now() > deadline || waitpid(pid, nullptr, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

inline std::string joined(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

// The kill-and-resume check of one command (args without --out): a run to the end into ref; a
// complete run into run, then the same run with --checkpoint-every `every` killed (SIGKILL) after
// its first checkpoint: no manifest.json is left (the directory does not look complete); resumed
// with --resume run from the middle (after K units, every <= K < total), it ends with the bytes
// of ref in each of its n_files files, a manifest that checks, and no checkpoint left.
inline void expect_kill_resume_same_bytes(const std::vector<std::string>& args, const std::filesystem::path& ref, const std::filesystem::path& run,
                                   const std::string& checkpoint, int every, int total, const std::string& unit,
                                   size_t n_files) {
  for (const std::filesystem::path& out : {ref, run}) {
    const auto full = run_eligo(joined(args) + " --out " + out.string());
    ASSERT_EQ(full.status, 0) << full.output;
  }
  ASSERT_TRUE(std::filesystem::exists(run / io::kManifestFile));
  std::vector<std::string> killed = args;
  killed.insert(killed.end(), {"--out", run.string(), "--checkpoint-every", std::to_string(every)});
  const pid_t pid = spawn_eligo(killed);
  ASSERT_GT(pid, 0);
  const bool checkpointed = wait_for_file(run / checkpoint, pid);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));  // a few more iterations
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(checkpointed);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it was killed: make it longer";
  EXPECT_FALSE(std::filesystem::exists(run / io::kManifestFile)) << "a killed run looks complete";
  EXPECT_THROW(io::check_manifest(run.string()), io::IoError);

  const auto resumed = run_eligo(joined(args) + " --resume " + run.string());
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  // "resumed from ...CHECKPOINT after N UNIT"
  const size_t from = resumed.output.find("resumed from ");
  const std::string after = checkpoint + " after ";
  const size_t at = from == std::string::npos ? from : resumed.output.find(after, from);
  ASSERT_NE(at, std::string::npos) << resumed.output;
  size_t digits = 0;
  const int done = std::stoi(resumed.output.substr(at + after.size()), &digits);
  EXPECT_EQ(resumed.output.compare(at + after.size() + digits, unit.size() + 1, " " + unit), 0) << resumed.output;
  EXPECT_GE(done, every);
  EXPECT_LT(done, total);  // a checkpoint is never written after the last
  io::check_manifest(run.string());
  EXPECT_FALSE(std::filesystem::exists(run / checkpoint)) << "the checkpoint of a complete run is removed";
  const auto a = outputs_without_wall_times(ref), b = outputs_without_wall_times(run);
  ASSERT_EQ(a.size(), n_files);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, bytes] : a) EXPECT_TRUE(b.count(name) && bytes == b.at(name)) << name;
}

}  // namespace eligo::testing
