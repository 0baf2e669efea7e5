// The backend comparison table of `eligo compare`: one row per backend and mode (float, the
// bit-exact digital chip model, the analog core deployed and in the loop) with accuracy, energy
// per inference, energy per update and latency; absent values are null / "n/a". Written as JSON
// and Markdown. Backend-neutral: the analog model only fills rows like any other backend.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace eligo::analog {

struct BackendRow {
  std::string backend;  // "float", "digital", "analog"
  std::string mode;     // e.g. "reference", "deployed float weights", "chip-in-the-loop"
  bool present = true;  // false: the backend does not exist (yet); note says why
  std::string note;
  std::optional<double> accuracy, energy_per_inference_j, energy_per_update_j, latency_s;
  nlohmann::json report;  // the backend's own report (e.g. the analog energy report), or null
};

// {"rows": [...], plus meta's members}.
nlohmann::json compare_json(const std::vector<BackendRow>& rows, const nlohmann::json& meta);
// A Markdown table with a title line and the notes of the rows below it.
std::string compare_markdown(const std::vector<BackendRow>& rows, const std::string& title);

}  // namespace eligo::analog
