// eligo report with a hostile directory name: the plotter starts from an argument vector
// (harness/commands/run_program.hpp), so a name holding shell syntax reaches it intact and is
// never run as a command (issue 16: `eligo report 'run;touch INJECTED;#'` ran `touch INJECTED`).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "golden_model/io/files.hpp"
#include "tests/support/run_command.hpp"

namespace fs = std::filesystem;

namespace {

class ReportCommands : public eligo::testing::ScratchDirTest {};

TEST_F(ReportCommands, ShellSyntaxInTheDirectoryNameIsNotRun) {
  eligo::testing::write_small_chip_network(dir_, 1);
  write("chip.json", R"({"network_config": "net.json", "chip": {"lanes": 2}})");
  const std::string name = "run;touch INJECTED;#";
  const std::string eligo = std::string(ELIGO_BINARY_DIR) + "/eligo";
  // Quoted for the test's own shell; eligo receives the name as one argument.
  const std::string cd = "cd '" + dir_.string() + "' && ";
  const auto chip = eligo::testing::run_command(cd + eligo + " chip --config chip.json --out '" + name + "'");
  ASSERT_EQ(chip.status, 0) << chip.output;
  const auto report = eligo::testing::run_command(cd + eligo + " report '" + name + "'");
  ASSERT_EQ(report.status, 0) << report.output;
  EXPECT_FALSE(fs::exists(dir_ / "INJECTED")) << "the directory name was run by a shell";
  // The plotter got the name intact: its plots are in the directory.
  EXPECT_TRUE(fs::exists(dir_ / name / "report.md"));
  EXPECT_TRUE(fs::exists(dir_ / name / "cycles_per_phase.png")) << report.output;
  EXPECT_NE(report.output.find("with PNG plots"), std::string::npos) << report.output;
}

// A malformed report.json gives one line naming the file, never the JSON library's raw message.
TEST_F(ReportCommands, MalformedReportNamesTheFile) {
  const std::string rpath = (dir_ / "r" / "report.json").string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"timesteps": 1, "timesteps": 2})", rpath + ": timesteps: duplicate key"},
      {R"({"sizes": {"n_in": "40", "n_rec": 10, "n_out": 2, "n_alif": 0, "lanes": 2}, "counters": {}, "cycles": {},
          "timesteps": 1})",
       rpath + ": sizes.n_in: \"40\" is not an integer (allowed: integers -2147483648 .. 2147483647)"},
      {std::string(70, '[') + std::string(70, ']'), "nested more than 64 levels deep"},
  };
  for (const auto& [text, message] : cases) {
    eligo::testing::write_file(rpath, text);
    eligo::io::write_manifest((dir_ / "r").string(), "chip", {"report.json"});  // a complete run, bad inside
    const auto r = eligo::testing::run_eligo("report " + (dir_ / "r").string());
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
    EXPECT_EQ(r.output.rfind("eligo report: error: " + rpath + ": ", 0), 0u) << r.output;
    EXPECT_EQ(r.output.find("[json.exception"), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
}

// Inputs the fuzz targets fuzz_report and fuzz_activity found (fuzz/regressions/), each now one
// line naming the file that holds the bad field: a memory entry without "writes" was read with
// json's const operator[] (an assertion, undefined behaviour in a release build); sizes outside
// the chip's range gave chip::Sizes' message without the file; a counter of 3e32 was cast to
// uint64_t (undefined behaviour).
TEST_F(ReportCommands, FuzzFoundInputsNameTheFile) {
  const fs::path regressions = fs::path(ELIGO_SOURCE_DIR) / "fuzz" / "regressions";
  const std::string not_found = ": key 'writes' not found (a report of eligo chip or eligo cosim is needed)";
  const struct {
    std::string input, file, message;  // input copied into the run as `file`
  } cases[] = {{"report/crash-9c495d00", "report.json", not_found},
               {"report/crash-d817168f", "report.json", ": sizes: chip sizes: n_alif = 3 (allowed: 0 .. 2)"},
               {"activity/crash-3b2791ec", "activity.json", not_found},
               {"activity/crash-a444707b", "activity.json", ": counters.timesteps: 3.33333e+32 is not an integer"}};
  for (const auto& c : cases) {
    const fs::path run = dir_ / c.input;
    // activity.json comes with a report without sizes and memory counters (the activity's are used).
    eligo::testing::write_file(run / "report.json", c.file == "report.json"
                                                        ? eligo::testing::read_text(regressions / c.input)
                                                        : R"({"counters": {}, "cycles": {}, "timesteps": 100})");
    if (c.file == "activity.json") fs::copy_file(regressions / c.input, run / "activity.json");
    eligo::io::write_manifest(run.string(), "cosim", {"report.json", c.file});
    const auto r = eligo::testing::run_eligo("report " + run.string());
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_EQ(r.output.rfind("eligo report: error: " + (run / c.file).string() + c.message, 0), 0u) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
}

}  // namespace
