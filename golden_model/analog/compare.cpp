#include "golden_model/analog/compare.hpp"

#include <cstdio>

namespace eligo::analog {

namespace {

using json = nlohmann::json;

json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string cell(const std::optional<double>& v, const char* f, double scale) {
  if (!v) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, f, *v * scale);
  return buf;
}

}  // namespace

json compare_json(const std::vector<BackendRow>& rows, const json& meta) {
  json j = meta.is_object() ? meta : json::object();
  json list = json::array();
  for (const auto& r : rows) {
    list.push_back({{"backend", r.backend},
                    {"mode", r.mode},
                    {"present", r.present},
                    {"note", r.note},
                    {"accuracy", opt(r.accuracy)},
                    {"energy_per_inference_j", opt(r.energy_per_inference_j)},
                    {"energy_per_update_j", opt(r.energy_per_update_j)},
                    {"latency_s", opt(r.latency_s)},
                    {"report", r.report}});
  }
  j["rows"] = list;
  return j;
}

std::string compare_markdown(const std::vector<BackendRow>& rows, const std::string& title) {
  std::string s = "# " + title + "\n\n";
  s += "| backend | mode | accuracy | energy / inference (nJ) | energy / update (nJ) | latency (ms) |\n";
  s += "|---|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    if (!r.present) {
      s += "| " + r.backend + " | " + r.mode + " | absent | absent | absent | absent |\n";
      continue;
    }
    s += "| " + r.backend + " | " + r.mode + " | " + cell(r.accuracy, "%.3f", 1.0) + " | " +
         cell(r.energy_per_inference_j, "%.4g", 1e9) + " | " +
         cell(r.energy_per_update_j, "%.4g", 1e9) + " | " + cell(r.latency_s, "%.4g", 1e3) + " |\n";
  }
  bool notes = false;
  for (const auto& r : rows) {
    if (r.note.empty()) continue;
    if (!notes) s += "\n";
    notes = true;
    s += "- " + r.backend + " (" + r.mode + "): " + r.note + "\n";
  }
  return s;
}

}  // namespace eligo::analog
