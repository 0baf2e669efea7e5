#include "golden_model/energy/calibration.hpp"

#include <algorithm>
#include <stdexcept>

#include "golden_model/energy/checks.hpp"

namespace eligo::energy {

using nlohmann::json;

namespace {

const char* kReckon =
#include "energy_chip_reckon.inc"
    ;
const char* kOdin =
#include "energy_chip_odin.inc"
    ;

using checks::bad;
using checks::in_range;
using checks::member;

}  // namespace

void check_chip(const json& c, const std::string& src) {
  if (!c.is_object()) bad(src, "(top)", "must be a JSON object");
  for (const char* k : {"name", "source"}) {
    if (!member(c, k, src, k).is_string()) bad(src, k, "must be a string");
  }
  in_range(member(c, "node_nm", src, "node_nm"), src, "node_nm", 5, 200);
  in_range(member(c, "supply_v", src, "supply_v"), src, "supply_v", 0.3, 1.5);
  in_range(member(c, "clock_mhz", src, "clock_mhz"), src, "clock_mhz", 0.001, 5000);
  const json& mems = member(c, "memories", src, "memories");
  if (!mems.is_array() || mems.empty()) bad(src, "memories", "needs at least one memory {name, words, bits}");
  std::vector<std::string> names;
  for (size_t i = 0; i < mems.size(); ++i) {
    const std::string f = "memories[" + std::to_string(i) + "]";
    if (!member(mems[i], "name", src, f + ".name").is_string()) bad(src, f + ".name", "must be a string");
    in_range(member(mems[i], "words", src, f + ".words"), src, f + ".words", 1, 1e9);
    in_range(member(mems[i], "bits", src, f + ".bits"), src, f + ".bits", 1, 4096);
    names.push_back(mems[i]["name"].get<std::string>());
  }
  const json& sop = member(c, "per_sop", src, "per_sop");
  for (const char* k : {"reads", "writes"}) {
    const json& m = member(sop, k, src, std::string("per_sop.") + k);
    if (!m.is_object()) bad(src, std::string("per_sop.") + k, "must be an object {memory: accesses per SOP}");
    for (auto it = m.begin(); it != m.end(); ++it) {
      const std::string f = std::string("per_sop.") + k + "." + it.key();
      if (std::find(names.begin(), names.end(), it.key()) == names.end()) bad(src, f, "not a memory of the chip");
      in_range(it.value(), src, f, 0, 1e6);
    }
  }
  const json& adds = member(sop, "add_bits", src, "per_sop.add_bits");
  if (!adds.is_array()) bad(src, "per_sop.add_bits", "must be a list of adder widths");
  for (size_t i = 0; i < adds.size(); ++i) in_range(adds[i], src, "per_sop.add_bits[" + std::to_string(i) + "]", 1, 64);
  in_range(member(sop, "cycles", src, "per_sop.cycles"), src, "per_sop.cycles", 1e-3, 1e6);
  if (c.contains("realtime")) {
    in_range(member(c["realtime"], "timestep_us", src, "realtime.timestep_us"), src, "realtime.timestep_us", 1e-3, 1e9);
    in_range(member(c["realtime"], "cycles_per_timestep", src, "realtime.cycles_per_timestep"), src,
           "realtime.cycles_per_timestep", 0, 1e12);
  }
  const json& cells = member(c, "logic_cells", src, "logic_cells");
  if (!cells.is_object()) bad(src, "logic_cells", "must be an object {Yosys cell type: count}");
  for (auto it = cells.begin(); it != cells.end(); ++it) in_range(it.value(), src, "logic_cells." + it.key(), 0, 1e9);
  const json& pub = member(c, "published", src, "published");
  for (const char* k : {"pj_per_sop", "area_mm2"}) {
    in_range(member(pub, k, src, std::string("published.") + k), src, std::string("published.") + k, 1e-6, 1e9);
  }
  for (const char* k : {"realtime_uw", "min_power_uw"}) {
    if (pub.contains(k)) in_range(pub[k], src, std::string("published.") + k, 1e-6, 1e9);
  }
}

Calibration calibrate(const Table& profile, const json& c, const std::string& src) {
  check_chip(c, src);
  Table t = profile;
  t.supply_v = c["supply_v"].get<double>();
  t.node_nm = c["node_nm"].get<int>();
  Calibration out;
  out.chip = c["name"].get<std::string>();
  out.source = src;
  out.supply_v = t.supply_v;
  double leak_mw = 0.0;
  const json& sop = c["per_sop"];
  for (const auto& m : c["memories"]) {
    const auto words = m["words"].get<int64_t>();
    const int bits = m["bits"].get<int>();
    const std::string name = m["name"].get<std::string>();
    leak_mw += sram_leakage_mw(t, words, bits);
    out.memory_area_mm2 += sram_area_mm2(t, words, bits);
    if (sop["reads"].contains(name)) out.dynamic_pj_per_sop += sop["reads"][name].get<double>() * sram_read_pj(t, words, bits);
    if (sop["writes"].contains(name)) out.dynamic_pj_per_sop += sop["writes"][name].get<double>() * sram_write_pj(t, words, bits);
  }
  for (const auto& b : sop["add_bits"]) out.dynamic_pj_per_sop += op_pj(t, "add32") * b.get<double>() / 32.0;
  out.leakage_uw = leak_mw * 1e3;
  std::map<std::string, double> cells;
  for (auto it = c["logic_cells"].begin(); it != c["logic_cells"].end(); ++it) cells[it.key()] = it.value().get<double>();
  out.logic_area_mm2 = logic_area_mm2(t, cells);

  const Band bd = band(t, "dynamic"), bl = band(t, "leakage"), ba = band(t, "area");
  const json& pub = c["published"];
  const std::string psrc = pub.value("source", std::string());
  // Energy per SOP at the chip's full SOP rate: the dynamic energy plus the leakage over the SOP's
  // cycles at the clock.
  const double leak_pj = out.leakage_uw * 1e-6 * sop["cycles"].get<double>() / (c["clock_mhz"].get<double>() * 1e6) * 1e12;
  const double dyn = out.dynamic_pj_per_sop;
  out.figures.push_back({"pJ/SOP", dyn + leak_pj, {dyn * bd.low + leak_pj * bl.low, dyn * bd.high + leak_pj * bl.high},
                         pub["pj_per_sop"].get<double>(), psrc});
  const double area = out.memory_area_mm2 + out.logic_area_mm2;
  out.figures.push_back({"area mm2", area, {area * ba.low, area * ba.high}, pub["area_mm2"].get<double>(), psrc});
  if (c.contains("realtime")) {
    // Real time: the memories leak all the time; each busy cycle of a timestep costs what a cycle
    // of synaptic operations costs (dynamic energy per SOP / cycles per SOP).
    const json& rt = c["realtime"];
    const double dyn_uw = rt["cycles_per_timestep"].get<double>() * dyn / sop["cycles"].get<double>() /
                          rt["timestep_us"].get<double>();  // pJ per us = uW
    out.figures.push_back({"real-time power uW", dyn_uw + out.leakage_uw,
                           {dyn_uw * bd.low + out.leakage_uw * bl.low, dyn_uw * bd.high + out.leakage_uw * bl.high},
                           pub.value("realtime_uw", 0.0), psrc});
  }
  if (pub.contains("min_power_uw")) {
    // The chip's lowest published power (idle: clock stopped or slow) against the model's leakage.
    out.figures.push_back({"idle power uW", out.leakage_uw, {out.leakage_uw * bl.low, out.leakage_uw * bl.high},
                           pub["min_power_uw"].get<double>(), psrc});
  }
  return out;
}

std::vector<std::pair<std::string, json>> builtin_chips() {
  return {{"built-in data/energy/chips/reckon.json", json::parse(kReckon)},
          {"built-in data/energy/chips/odin.json", json::parse(kOdin)}};
}

json to_json(const Calibration& c) {
  json figs = json::array();
  for (const auto& f : c.figures) {
    figs.push_back({{"name", f.name}, {"model", f.model}, {"low", f.band.low}, {"high", f.band.high},
                    {"published", f.published}, {"ratio", f.ratio()}, {"source", f.source}});
  }
  return {{"chip", c.chip},
          {"description", c.source},
          {"supply_v", c.supply_v},
          {"dynamic_pj_per_sop", c.dynamic_pj_per_sop},
          {"leakage_uw", c.leakage_uw},
          {"memory_area_mm2", c.memory_area_mm2},
          {"logic_area_mm2", c.logic_area_mm2},
          {"figures", figs}};
}

}  // namespace eligo::energy
