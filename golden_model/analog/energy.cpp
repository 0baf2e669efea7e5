#include "golden_model/analog/energy.hpp"

#include "golden_model/io/json_read.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace eligo::analog {

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& problem,
                       const std::string& allowed = "") {
  std::string msg = source + ": " + key + ": " + problem;
  if (!allowed.empty()) msg += " (" + allowed + ")";
  throw EnergyTableError(msg);
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s;
}

}  // namespace

const std::vector<std::string>& EnergyTable::required() {
  static const std::vector<std::string> keys = {
      "synaptic_event_j", "dac_conversion_j", "neuron_update_j", "sample_j",
      "adc_conversion_j", "shift_add_j",      "device_write_j"};
  return keys;
}

const std::string& EnergyTable::builtin_text() {
  static const std::string text =
#include "analog_energy.inc"
      ;
  return text;
}

EnergyTable EnergyTable::builtin() { return parse(builtin_text(), "data/energy/analog.json"); }

EnergyTable EnergyTable::parse(const std::string& text, const std::string& src) {
  json j;
  try {
    j = io::parse_json(text, src);
  } catch (const io::ConfigError& e) {
    throw EnergyTableError(e.what());
  }
  if (!j.is_object()) fail(src, "(top level)", "expected an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() != "name" && it.key() != "note" && it.key() != "entries") {
      fail(src, it.key(), "unknown key", "allowed keys: name, note, entries");
    }
  }
  EnergyTable t;
  if (j.contains("name")) {
    if (!j["name"].is_string()) fail(src, "name", "expected a string");
    t.name = j["name"].get<std::string>();
  }
  if (!j.contains("entries") || !j["entries"].is_object()) {
    fail(src, "entries", "missing or not an object", "allowed: {\"<name>\": {\"value\": J, \"source\": \"...\"}}");
  }
  const auto& req = required();
  for (auto it = j["entries"].begin(); it != j["entries"].end(); ++it) {
    const std::string key = "entries." + it.key();
    if (std::find(req.begin(), req.end(), it.key()) == req.end()) {
      fail(src, key, "unknown entry", "allowed: " + join(req));
    }
    const json& e = it.value();
    if (!e.is_object() || !e.contains("value") || !e["value"].is_number()) {
      fail(src, key + ".value", "missing or not a number", "allowed: >= 0 and <= 1e-6 (joules)");
    }
    const double v = e["value"].get<double>();
    if (!(v >= 0.0 && v <= 1e-6)) fail(src, key + ".value", json(v).dump() + " is out of range", "allowed: >= 0 and <= 1e-6 (joules)");
    if (!e.contains("source") || !e["source"].is_string() || e["source"].get<std::string>().empty()) {
      fail(src, key + ".source", "missing or empty", "allowed: a non-empty string naming where the figure comes from");
    }
    for (auto f = e.begin(); f != e.end(); ++f) {
      if (f.key() != "value" && f.key() != "source") fail(src, key + "." + f.key(), "unknown key", "allowed keys: value, source");
    }
    t.entries[it.key()] = {v, e["source"].get<std::string>()};
  }
  for (const auto& k : req) {
    if (!t.entries.count(k)) fail(src, "entries." + k, "missing entry", "required: " + join(req));
  }
  return t;
}

EnergyTable EnergyTable::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw EnergyTableError(io::shown_path(path) + ": cannot open");
  std::stringstream s;
  s << in.rdbuf();
  return parse(s.str(), path);
}

double EnergyTable::at(const std::string& key) const {
  const auto it = entries.find(key);
  if (it == entries.end()) throw EnergyTableError("energy table " + name + ": no entry " + key);
  return it->second.value_j;
}

EnergyTable table_for(const AnalogParams& p) {
  EnergyTable t = p.energy_table.empty() ? EnergyTable::builtin() : EnergyTable::load(p.energy_table);
  for (const auto& [key, value] : p.energy_overrides) {
    const auto& req = EnergyTable::required();
    if (std::find(req.begin(), req.end(), key) == req.end()) {
      throw EnergyTableError("analog.energy." + key + ": unknown entry (allowed: " + join(req) + ")");
    }
    t.entries[key] = {value, "config override"};
  }
  return t;
}

std::map<std::string, double> energy_breakdown_j(const Counters& c, const EnergyTable& t) {
  const double conv = t.at("sample_j") + t.at("adc_conversion_j");
  return {
      {"synaptic_events", c.synaptic_events * t.at("synaptic_event_j")},
      {"dac", c.input_events * t.at("dac_conversion_j")},
      {"neurons", (c.neuron_updates + c.readout_updates) * t.at("neuron_update_j")},
      {"readout_adc", c.readout_conversions * (conv + t.at("shift_add_j"))},
      {"membrane_adc", c.membrane_conversions * conv},
      {"programming", c.device_writes * t.at("device_write_j")},
  };
}

double energy_total_j(const Counters& c, const EnergyTable& t) {
  double sum = 0.0;
  for (const auto& [k, v] : energy_breakdown_j(c, t)) sum += v;
  return sum;
}

double latency_s(int T, double dt_ms, double time_scale) { return T * dt_ms / 1000.0 / time_scale; }

EnergyReport make_report(const std::string& backend, const Counters& inference,
                         const Counters& training, long updates, const EnergyTable& t,
                         double latency) {
  EnergyReport r;
  r.backend = backend;
  r.inference = inference;
  r.training = training;
  r.updates = updates;
  r.latency_s = latency;
  if (inference.sequences > 0) {
    const double total = energy_total_j(inference, t);
    r.energy_per_inference_j = total / inference.sequences;
    if (inference.synaptic_events > 0) r.pj_per_sop = total / inference.synaptic_events * 1e12;
    for (const auto& [k, v] : energy_breakdown_j(inference, t)) {
      r.breakdown_per_inference_j[k] = v / inference.sequences;
    }
  }
  if (updates > 0) {
    r.energy_per_update_j = energy_total_j(training, t) / double(updates);
    for (const auto& [k, v] : energy_breakdown_j(training, t)) {
      r.breakdown_per_update_j[k] = v / double(updates);
    }
  }
  return r;
}

nlohmann::json to_json(const Counters& c) {
  return {{"steps", c.steps},
          {"sequences", c.sequences},
          {"input_events", c.input_events},
          {"synaptic_events", c.synaptic_events},
          {"neuron_updates", c.neuron_updates},
          {"readout_updates", c.readout_updates},
          {"readout_conversions", c.readout_conversions},
          {"membrane_conversions", c.membrane_conversions},
          {"device_writes", c.device_writes},
          {"programmings", c.programmings}};
}

nlohmann::json to_json(const EnergyReport& r, const EnergyTable& t) {
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  json j;
  j["backend"] = r.backend;
  j["energy_per_inference_j"] = opt(r.energy_per_inference_j);
  j["energy_per_update_j"] = opt(r.energy_per_update_j);
  j["pj_per_sop"] = opt(r.pj_per_sop);
  j["latency_s"] = opt(r.latency_s);
  j["breakdown"] = {{"per_inference_j", r.breakdown_per_inference_j},
                    {"per_update_j", r.breakdown_per_update_j}};
  j["counts"] = {{"inference", to_json(r.inference)}, {"training", to_json(r.training)},
                 {"updates", r.updates}};
  json entries = json::object();
  for (const auto& [k, e] : t.entries) entries[k] = {{"value", e.value_j}, {"source", e.source}};
  j["energy_table"] = {{"name", t.name}, {"entries", entries}};
  return j;
}

}  // namespace eligo::analog
