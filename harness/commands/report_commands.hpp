// eligo report's text, apart from the command: report.md and energy.json from a run's parsed
// report.json (and activity.json, area.json when present). The fuzz target fuzz/fuzz_report.cpp
// feeds it hostile files without the plotter.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "golden_model/energy/energy.hpp"

namespace eligo::harness {

// The files the documents came from (for messages); activity and area are used only when their
// document is not null.
struct ReportSources {
  std::string report, activity, area;
};

struct ReportText {
  std::string markdown;   // report.md
  nlohmann::json energy;  // energy.json
  double total_pj = 0.0, pj_per_sop = 0.0, latency_us_per_timestep = 0.0;
};

// Throws std::runtime_error, one line naming the file and the field, for a document of the wrong
// shape (missing keys, wrong types).
ReportText render_report(nlohmann::json report, const nlohmann::json& activity, const nlohmann::json& area,
                         const energy::Table& table, const ReportSources& src);

}  // namespace eligo::harness
