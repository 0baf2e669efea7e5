// Files in tests: a fresh scratch directory per test (and a fixture that holds one), whole files
// read and written, JSON read, and errors whose message must be one line naming given phrases.
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace eligo::testing {

// The running test's directory, ELIGO_BINARY_DIR/test_tmp/[group/]<suite>.<test>: emptied on the
// first call in each test, the same directory on later calls (ctest runs tests in parallel, each
// in its own process).
inline std::filesystem::path scratch_dir(const std::string& group = "") {
  static std::filesystem::path last;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path d = std::filesystem::path(ELIGO_BINARY_DIR) / "test_tmp";
  if (!group.empty()) d /= group;
  d /= std::string(info->test_suite_name()) + "." + info->name();
  if (d != last) {
    std::filesystem::remove_all(d);
    last = d;
  }
  std::filesystem::create_directories(d);
  return d;
}

// The bytes of a file (empty if it cannot be read).
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline nlohmann::json read_json(const std::filesystem::path& path) {
  return nlohmann::json::parse(read_text(path));
}

// Writes bytes to path (replacing it).
inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Writes text to path (creating its directory) and returns the path.
inline std::string write_file(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  write_bytes(path, text);
  return path.string();
}

// Writes text to dir/name and returns the path.
inline std::string write_text(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
  return write_file(dir / name, text);
}

// The float config of a small chip run (evidence accumulation with short cues, 20 inputs, 6 LIF +
// 5 ALIF, 2 readouts, batches of 2) as dir/net.json, for chip configs that name it; returns its path.
inline std::string write_small_chip_network(const std::filesystem::path& dir, int iterations) {
  return write_text(dir, "net.json", R"({
    "seed": 2,
    "network": {"n_in": 20, "n_out": 2, "lif": {"n": 6}, "alif": {"n": 5}},
    "task": {"type": "evidence_accumulation", "n_cues": 3, "t_cue": 20, "t_cue_spacing": 30,
             "t_delay": 40, "t_recall": 20, "test_batches": 1},
    "train": {"iterations": )" + std::to_string(iterations) + R"(, "batch_size": 2, "loss": "mse"}
  })");
}

// A fixture whose every test starts in a fresh scratch_dir(group): dir_, file(name) in it and
// write(name, text) (returns the path).
class ScratchDirTest : public ::testing::Test {
 protected:
  explicit ScratchDirTest(std::string group = "") : group_(std::move(group)) {}
  void SetUp() override { dir_ = scratch_dir(group_); }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const { return write_text(dir_, name, text); }

  std::filesystem::path dir_;

 private:
  std::string group_;
};

// Runs fn and expects an exception E whose message is one line containing every phrase.
template <class E>
void expect_one_line_error(const std::function<void()>& fn, const std::vector<std::string>& phrases) {
  try {
    fn();
    ADD_FAILURE() << "nothing thrown; expected an error mentioning '" << phrases.front() << "'";
  } catch (const E& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    for (const std::string& p : phrases) {
      EXPECT_NE(msg.find(p), std::string::npos) << "missing '" << p << "' in: " << msg;
    }
  }
}

}  // namespace eligo::testing
