// The three inputs of eligo report (report.json, activity.json, area.json) parsed as the command
// parses them and rendered with the built-in energy table; the fuzz targets fuzz_report,
// fuzz_activity and fuzz_area each give one file the fuzz input and the others a fixed good one.
#pragma once

#include "fuzz/fuzz_util.hpp"
#include "golden_model/io/json_read.hpp"
#include "harness/commands/report_commands.hpp"

namespace eligo::fuzz {

// A small report of eligo chip with what render_report needs.
constexpr const char* kGoodReport =
    R"({"sizes": {"n_in": 4, "n_rec": 4, "n_out": 2, "n_alif": 1, "lanes": 2}, "counters": {"sops": 10},)"
    R"( "cycles": {"LOAD": 3}, "timesteps": 10})";

// Renders the report; `input` is the text of the file named by `which` ("report.json",
// "activity.json" or "area.json"), the others are kGoodReport / absent.
inline void render_report_input(const uint8_t* data, size_t size, const std::string& which) {
  static const energy::Table table = energy::default_table();
  const std::string text(reinterpret_cast<const char*>(data), size);
  const harness::ReportSources src{"report.json", "activity.json", "area.json"};
  expect_clean(
      [&] {
        const nlohmann::json parsed = io::parse_json(text, which);
        const nlohmann::json report = which == "report.json" ? parsed : io::parse_json(kGoodReport, "report.json");
        harness::render_report(report, which == "activity.json" ? parsed : nlohmann::json(),
                               which == "area.json" ? parsed : nlohmann::json(), table, src);
      },
      which);
}

}  // namespace eligo::fuzz
