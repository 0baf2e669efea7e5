#include "golden_model/energy/energy.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "golden_model/energy/checks.hpp"
#include "golden_model/io/files.hpp"
#include "golden_model/io/json_read.hpp"

namespace eligo::energy {

using nlohmann::json;

namespace {

const char* kBuiltIn =
#include "energy_28nm.inc"
    ;
const char* kBuiltInLp28nt =
#include "energy_lp28nt.inc"
    ;

using checks::bad;
using checks::in_range;
using checks::member;

double positive(const json& j, const std::string& src, const std::string& field) {
  if (!j.is_number() || !(j.get<double>() > 0) || !std::isfinite(j.get<double>())) {
    bad(src, field, "must be a finite number > 0");
  }
  return j.get<double>();
}

// A supply voltage in volts: 0.3 .. 1.5 V (near-threshold to the highest nominal supply of the
// nodes in the tables).
double supply(const json& obj, const std::string& src, const std::string& field) {
  if (!obj.contains("supply_v")) bad(src, field + ".supply_v", "missing (the supply the entry was measured at, in V)");
  return in_range(obj["supply_v"], src, field + ".supply_v", 0.3, 1.5);
}

// The operation counts of one unit (what unit_pj reads): add_bits [bits, ...], mul [[a, b], ...],
// compare and lfsr counts; every number finite and >= 0.
void check_unit(const json& u, const std::string& src, const std::string& field) {
  auto count = [&](const json& v, const std::string& f) {
    if (!v.is_number() || !(v.get<double>() >= 0) || !std::isfinite(v.get<double>())) {
      bad(src, f, "must be a finite number >= 0");
    }
  };
  if (!u.is_object()) bad(src, field, "must be an object {\"add_bits\": [...], \"mul\": [[a, b], ...]}");
  for (auto it = u.begin(); it != u.end(); ++it) {
    const std::string f = field + "." + it.key();
    if (it.key() == "add_bits") {
      if (!it->is_array()) bad(src, f, "must be a list of adder widths");
      for (size_t i = 0; i < it->size(); ++i) count((*it)[i], f + "[" + std::to_string(i) + "]");
    } else if (it.key() == "mul") {
      if (!it->is_array()) bad(src, f, "must be a list of [a, b] operand widths");
      for (size_t i = 0; i < it->size(); ++i) {
        const json& m = (*it)[i];
        const std::string fi = f + "[" + std::to_string(i) + "]";
        if (!m.is_array() || m.size() != 2) bad(src, fi, "must be a pair of operand widths [a, b]");
        count(m[0], fi + "[0]");
        count(m[1], fi + "[1]");
      }
    } else if (it.key() == "compare" || it.key() == "lfsr") {
      count(*it, f);
    } else {
      bad(src, f, "unknown key (allowed: add_bits, mul, compare, lfsr)");
    }
  }
}

// The SRAM points (what per_bit_pj reads): bytes and width > 0, read_pj / write_pj > 0 where
// present, and each of read_pj and write_pj in at least one point.
void check_sram_points(const json& pts, const std::string& src) {
  if (!pts.is_array() || pts.empty()) bad(src, "sram.points", "needs at least one point");
  bool read = false, write = false;
  for (size_t i = 0; i < pts.size(); ++i) {
    const json& p = pts[i];
    const std::string f = "sram.points[" + std::to_string(i) + "]";
    if (!p.is_object()) bad(src, f, "must be an object {\"bytes\", \"width\", \"read_pj\", \"write_pj\"}");
    for (const char* k : {"bytes", "width"}) positive(member(p, k, src, f + "." + k), src, f + "." + k);
    for (const char* k : {"read_pj", "write_pj"}) {
      if (p.contains(k)) positive(p[k], src, f + "." + k);
    }
    read = read || p.contains("read_pj");
    write = write || p.contains("write_pj");
  }
  if (!read) bad(src, "sram.points", "no point has read_pj");
  if (!write) bad(src, "sram.points", "no point has write_pj");
}

// The profile's voltage scaling, bands, dynamic overhead and area entries.
void check_profile(const json& j, const std::string& src) {
  const json& vs = member(j, "voltage_scaling", src, "voltage_scaling");
  if (!vs.is_object() || !vs.contains("source")) bad(src, "voltage_scaling.source", "every entry needs its source");
  in_range(member(vs, "leakage_k_per_v", src, "voltage_scaling.leakage_k_per_v"), src, "voltage_scaling.leakage_k_per_v", 0.0, 20.0);
  const json& b = member(j, "band", src, "band");
  if (!b.is_object() || !b.contains("source")) bad(src, "band.source", "every entry needs its source");
  for (const char* k : {"dynamic", "leakage", "area"}) {
    const std::string f = std::string("band.") + k;
    const json& v = member(b, k, src, f);
    if (!v.is_array() || v.size() != 2) bad(src, f, "must be [low, high] factors");
    in_range(v[0], src, f + "[0]", 0.01, 1.0);
    in_range(v[1], src, f + "[1]", 1.0, 100.0);
  }
  if (j.contains("dynamic_overhead")) {
    const json& o = j["dynamic_overhead"];
    if (!o.is_object() || !o.contains("source")) bad(src, "dynamic_overhead.source", "every entry needs its source");
    in_range(member(o, "factor", src, "dynamic_overhead.factor"), src, "dynamic_overhead.factor", 1.0, 10.0);
  }
  const json& a = member(j, "area", src, "area");
  if (!a.is_object()) bad(src, "area", "must be an object {\"sram\", \"logic\"}");
  const json& sa = member(a, "sram", src, "area.sram");
  if (!sa.is_object() || !sa.contains("source")) bad(src, "area.sram.source", "every entry needs its source");
  in_range(member(sa, "bitcell_um2", src, "area.sram.bitcell_um2"), src, "area.sram.bitcell_um2", 0.01, 10.0);
  in_range(member(sa, "periphery_k", src, "area.sram.periphery_k"), src, "area.sram.periphery_k", 0.0, 10000.0);
  const json& la = member(a, "logic", src, "area.logic");
  if (!la.is_object() || !la.contains("source")) bad(src, "area.logic.source", "every entry needs its source");
  in_range(member(la, "nand2_um2", src, "area.logic.nand2_um2"), src, "area.logic.nand2_um2", 0.01, 100.0);
  in_range(member(la, "default_ge", src, "area.logic.default_ge"), src, "area.logic.default_ge", 0.1, 20.0);
  const json& ge = member(la, "ge", src, "area.logic.ge");
  if (!ge.is_object()) bad(src, "area.logic.ge", "must be an object {cell type: NAND2 equivalents}");
  for (auto it = ge.begin(); it != ge.end(); ++it) in_range(it.value(), src, "area.logic.ge." + it.key(), 0.1, 20.0);
}

// Energy of one event of a unit (pJ at the table's node) from its operation counts.
double unit_pj(const Table& t, const std::string& unit) {
  const json& u = t.j["units"][unit];
  auto op = [&](const char* name) { return op_pj(t, name); };
  double e = 0.0;
  for (const auto& bits : u["add_bits"]) e += op("add32") * bits.get<double>() / 32.0;
  for (const auto& m : u["mul"]) e += op("mul32") * m[0].get<double>() * m[1].get<double>() / (32.0 * 32.0);
  if (u.contains("compare")) e += op("compare") * u["compare"].get<double>();
  if (u.contains("lfsr")) e += op("lfsr_draw") * u["lfsr"].get<double>();
  return e;
}

// Per-bit access energy at the source node, log-log interpolated in the capacity (bytes).
double per_bit_pj(const Table& t, double bytes, const char* key) {
  std::vector<std::pair<double, double>> pts;  // (ln bytes, ln pJ per bit)
  for (const auto& p : t.j["sram"]["points"]) {
    if (!p.contains(key)) continue;
    pts.push_back({std::log(p["bytes"].get<double>()), std::log(p[key].get<double>() / p["width"].get<double>())});
  }
  std::sort(pts.begin(), pts.end());
  const double x = std::log(std::max(bytes, 1.0));
  if (pts.size() == 1 || x <= pts.front().first) return std::exp(pts.front().second);
  if (x >= pts.back().first) return std::exp(pts.back().second);
  for (size_t i = 1; i < pts.size(); ++i) {
    if (x <= pts[i].first) {
      const double a = (x - pts[i - 1].first) / (pts[i].first - pts[i - 1].first);
      return std::exp(pts[i - 1].second + a * (pts[i].second - pts[i - 1].second));
    }
  }
  return std::exp(pts.back().second);
}

}  // namespace

Table parse_table(const json& j, const std::string& src) {
  Table t;
  t.source = src;
  t.j = j;
  if (!j.is_object()) bad(src, "(top)", "must be a JSON object");
  for (const char* k : {"node_nm", "scaling", "sram", "ops", "units", "clock_mhz", "timestep_us"}) {
    if (!j.contains(k)) bad(src, k, "missing");
  }
  t.node_nm = static_cast<int>(positive(j["node_nm"], src, "node_nm"));
  t.supply_v = supply(j, src, "(top)");
  t.clock_mhz = positive(j["clock_mhz"], src, "clock_mhz");
  t.timestep_us = positive(j["timestep_us"], src, "timestep_us");
  for (const char* k : {"scaling", "sram", "ops", "units"}) {
    if (!j[k].is_object()) bad(src, k, "must be an object");
  }
  const json& f = member(j["scaling"], "factor_vs_45nm", src, "scaling.factor_vs_45nm");
  if (!f.is_object() || f.size() < 2) bad(src, "scaling.factor_vs_45nm", "needs at least two nodes");
  for (auto it = f.begin(); it != f.end(); ++it) {
    const std::string field = "scaling.factor_vs_45nm." + it.key();
    size_t used = 0;
    double nm = 0;
    try {
      nm = std::stod(it.key(), &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != it.key().size() || !(nm > 0) || !std::isfinite(nm)) {
      bad(src, field, "the key must be a node in nm, a number > 0");
    }
    positive(it.value(), src, field);
  }
  for (const char* op : {"add32", "mul32", "compare", "register_bit", "lfsr_draw"}) {
    if (!j["ops"].contains(op)) bad(src, std::string("ops.") + op, "missing");
    if (!j["ops"][op].is_object()) bad(src, std::string("ops.") + op, "must be an object {\"pj\", \"node_nm\", \"source\"}");
    for (const char* k : {"pj", "node_nm"}) {
      const std::string field = std::string("ops.") + op + "." + k;
      positive(member(j["ops"][op], k, src, field), src, field);
    }
    if (!j["ops"][op].contains("source")) bad(src, std::string("ops.") + op + ".source", "every entry needs its source");
    supply(j["ops"][op], src, std::string("ops.") + op);
  }
  check_profile(j, src);
  if (!j["sram"].contains("source")) bad(src, "sram.source", "every entry needs its source");
  positive(member(j["sram"], "node_nm", src, "sram.node_nm"), src, "sram.node_nm");
  positive(member(j["sram"], "leakage_mw_per_8kb", src, "sram.leakage_mw_per_8kb"), src, "sram.leakage_mw_per_8kb");
  supply(j["sram"], src, "sram");
  if (j["sram"].contains("leakage_node_nm")) positive(j["sram"]["leakage_node_nm"], src, "sram.leakage_node_nm");
  if (j["sram"].contains("leakage_supply_v")) in_range(j["sram"]["leakage_supply_v"], src, "sram.leakage_supply_v", 0.3, 1.5);
  check_sram_points(member(j["sram"], "points", src, "sram.points"), src);
  for (const char* u : {"sop", "neuron_update", "readout_update", "trace_update", "learn_mac", "weight_update", "probe"}) {
    if (!j["units"].contains(u)) bad(src, std::string("units.") + u, "missing");
    check_unit(j["units"][u], src, std::string("units.") + u);
  }
  return t;
}

Table load_table(const std::string& path) {
  return parse_table(io::parse_json(io::read_file(path), path), path);
}

Table default_table() { return named_table(kDefaultProfile); }

Table named_table(const std::string& name) {
  if (name == "28nm") return parse_table(json::parse(kBuiltIn), "built-in data/energy/28nm.json");
  if (name == "lp28nt") return parse_table(json::parse(kBuiltInLp28nt), "built-in data/energy/lp28nt.json");
  throw std::runtime_error("energy profile " + name + ": unknown (allowed: 28nm, lp28nt)");
}

Table select_table(const std::string& profile, const std::string& path, const std::string& what) {
  if (!profile.empty() && !path.empty()) throw std::runtime_error(what + " exclude each other");
  if (!path.empty()) return load_table(path);
  return named_table(profile.empty() ? kDefaultProfile : profile);
}

double op_pj(const Table& t, const std::string& name) {
  const json& o = t.j["ops"][name];
  return o["pj"].get<double>() * node_factor(t, o["node_nm"].get<double>(), t.node_nm) *
         dynamic_voltage_factor(t, o["supply_v"].get<double>()) * dynamic_overhead(t);
}

double dynamic_voltage_factor(const Table& t, double from_v) { return (t.supply_v / from_v) * (t.supply_v / from_v); }

double leakage_voltage_factor(const Table& t, double from_v) {
  return t.supply_v / from_v * std::exp(t.j["voltage_scaling"]["leakage_k_per_v"].get<double>() * (t.supply_v - from_v));
}

double dynamic_overhead(const Table& t) {
  return t.j.contains("dynamic_overhead") ? t.j["dynamic_overhead"]["factor"].get<double>() : 1.0;
}

Band band(const Table& t, const std::string& kind) {
  return {t.j["band"][kind][0].get<double>(), t.j["band"][kind][1].get<double>()};
}

double node_factor(const Table& t, double from_nm, double to_nm) {
  std::vector<std::pair<double, double>> pts;  // (ln node, ln factor)
  const json& f = t.j["scaling"]["factor_vs_45nm"];
  for (auto it = f.begin(); it != f.end(); ++it) pts.push_back({std::log(std::stod(it.key())), std::log(it.value().get<double>())});
  std::sort(pts.begin(), pts.end());
  auto at = [&](double nm) {
    const double x = std::log(nm);
    size_t i = 1;
    while (i + 1 < pts.size() && x > pts[i].first) ++i;
    const double a = (x - pts[i - 1].first) / (pts[i].first - pts[i - 1].first);
    return pts[i - 1].second + a * (pts[i].second - pts[i - 1].second);
  };
  return std::exp(at(to_nm) - at(from_nm));
}

namespace {

// Energy of one access (pJ at the table's node and supply, with the dynamic overhead).
double sram_access_pj(const Table& t, int64_t words, int bits, const char* key) {
  const json& s = t.j["sram"];
  const double bytes = static_cast<double>(words) * bits / 8.0;
  return per_bit_pj(t, bytes, key) * bits * node_factor(t, s["node_nm"].get<double>(), t.node_nm) *
         dynamic_voltage_factor(t, s["supply_v"].get<double>()) * dynamic_overhead(t);
}

}  // namespace

double sram_read_pj(const Table& t, int64_t words, int bits) { return sram_access_pj(t, words, bits, "read_pj"); }

double sram_write_pj(const Table& t, int64_t words, int bits) { return sram_access_pj(t, words, bits, "write_pj"); }

double sram_leakage_mw(const Table& t, int64_t words, int bits) {
  const json& s = t.j["sram"];
  const double bits_total = static_cast<double>(words) * bits;
  const double node = s.value("leakage_node_nm", s["node_nm"].get<double>());
  const double v = s.value("leakage_supply_v", s["supply_v"].get<double>());
  return s["leakage_mw_per_8kb"].get<double>() * bits_total / (8192.0 * 8.0) * node_factor(t, node, t.node_nm) *
         leakage_voltage_factor(t, v);
}

double sram_area_mm2(const Table& t, int64_t words, int bits) {
  const json& a = t.j["area"]["sram"];
  const double n = static_cast<double>(words) * bits;
  if (n <= 0) return 0.0;
  return n * a["bitcell_um2"].get<double>() * (1.0 + a["periphery_k"].get<double>() / std::sqrt(n)) * 1e-6;
}

double cell_ge(const Table& t, const std::string& type) {
  const json& l = t.j["area"]["logic"];
  return l["ge"].contains(type) ? l["ge"][type].get<double>() : l["default_ge"].get<double>();
}

double logic_area_mm2(const Table& t, const std::map<std::string, double>& cells_by_type) {
  double ge = 0.0;
  for (const auto& [type, n] : cells_by_type) ge += n * cell_ge(t, type);
  return ge * t.j["area"]["logic"]["nand2_um2"].get<double>() * 1e-6;
}

Counts counts_of(const chip::Core& core) {
  Counts c;
  for (int i = 0; i < chip::spec::NUM_COUNTERS; ++i) {
    c.counters[chip::spec::kCounterNames[static_cast<size_t>(i)]] = core.counters().value[static_cast<size_t>(i)];
  }
  for (int m = 0; m < chip::spec::NUM_MEMS; ++m) {
    const auto id = static_cast<chip::spec::Mem>(m);
    c.memory[chip::spec::kMems[static_cast<size_t>(m)].name] = {core.mem_reads(id), core.mem_writes(id)};
  }
  return c;
}

Counts counts_from_json(const json& j, const std::string& source) {
  Counts c;
  auto count = [&](const json& v, const std::string& key) { return io::json_integer<uint64_t>(v, source, key); };
  for (int i = 0; i < chip::spec::NUM_COUNTERS; ++i) {
    const char* n = chip::spec::kCounterNames[static_cast<size_t>(i)];
    c.counters[n] = j.contains(n) ? count(j[n], std::string("counters.") + n) : 0;
  }
  if (j.contains("memory")) {
    for (auto it = j["memory"].begin(); it != j["memory"].end(); ++it) {
      // at(): a missing field throws (json's const operator[] is undefined behaviour then).
      const std::string key = "counters.memory." + it.key();
      c.memory[it.key()] = {count(it.value().at("reads"), key + ".reads"), count(it.value().at("writes"), key + ".writes")};
    }
  }
  return c;
}

Estimate estimate(const Table& t, const chip::Sizes& s, const Counts& c) {
  Estimate e;
  auto cnt = [&](const char* n) {
    const auto it = c.counters.find(n);
    return it == c.counters.end() ? 0.0 : static_cast<double>(it->second);
  };
  auto add = [&](const std::string& unit, const std::string& item, double count, double each) {
    if (count <= 0) return;
    e.lines.push_back({unit, item, count, each, count * each});
    e.by_unit[unit] += count * each;
    e.dynamic_pj += count * each;
  };
  add("synapse_acc", "synaptic operation", cnt("sops"), unit_pj(t, "sop"));
  add("neuron_unit", "neuron update", cnt("neuron_updates"), unit_pj(t, "neuron_update"));
  add("readout_unit", "readout update", cnt("timesteps") * s.n_out, unit_pj(t, "readout_update"));
  add("trace_unit", "trace update", cnt("trace_updates"), unit_pj(t, "trace_update"));
  add("learn_unit", "learning MAC", cnt("learn_macs"), unit_pj(t, "learn_mac"));
  add("learn_unit", "weight update", cnt("weight_updates"), unit_pj(t, "weight_update"));
  add("rewire_unit", "rewiring probe", cnt("probes"), unit_pj(t, "probe"));
  double leak_mw = 0.0;
  for (int m = 0; m < chip::spec::NUM_MEMS; ++m) {
    const auto id = static_cast<chip::spec::Mem>(m);
    const char* name = chip::spec::kMems[static_cast<size_t>(m)].name;
    const int bits = chip::spec::kMems[static_cast<size_t>(m)].bits;
    const int64_t words = s.depth(id);
    const auto it = c.memory.find(name);
    if (it != c.memory.end()) {
      const double before = e.dynamic_pj;
      add("memory", std::string(name) + " read", static_cast<double>(it->second.first), sram_read_pj(t, words, bits));
      add("memory", std::string(name) + " write", static_cast<double>(it->second.second), sram_write_pj(t, words, bits));
      e.by_memory[name] += e.dynamic_pj - before;
    }
    leak_mw += sram_leakage_mw(t, words, bits);
    e.area_by_memory_mm2[name] = sram_area_mm2(t, words, bits);
    e.memory_area_mm2 += e.area_by_memory_mm2[name];
  }
  e.leakage_mw = leak_mw;
  double cycles = 0.0, step_cycles = 0.0;
  for (int p = 0; p < chip::spec::NUM_PHASES; ++p) {
    const std::string n = std::string("cycles_") + chip::spec::kPhaseNames[static_cast<size_t>(p)];
    cycles += cnt(n.c_str());
    if (n != "cycles_RST" && n != "cycles_RWR") step_cycles += cnt(n.c_str());
  }
  const double seconds = cycles / (t.clock_mhz * 1e6);
  e.leakage_pj = leak_mw * 1e-3 * seconds * 1e12;
  e.lines.push_back({"leakage", "SRAM leakage", cycles, leak_mw * 1e-3 / (t.clock_mhz * 1e6) * 1e12, e.leakage_pj});
  e.by_unit["leakage"] += e.leakage_pj;
  e.total_pj = e.dynamic_pj + e.leakage_pj;
  const double steps = cnt("timesteps"), samples = cnt("samples"), sops = cnt("sops");
  // Real time: every timestep lasts timestep_us (or its latency, when longer), the memories leak
  // all of it.
  const double rt_seconds = std::max(steps * t.timestep_us * 1e-6, seconds);
  e.leakage_realtime_pj = leak_mw * 1e-3 * rt_seconds * 1e12;
  e.total_realtime_pj = e.dynamic_pj + e.leakage_realtime_pj;
  e.realtime_power_uw = rt_seconds > 0 ? e.total_realtime_pj * 1e-12 / rt_seconds * 1e6 : 0.0;
  const Band bd = band(t, "dynamic"), bl = band(t, "leakage"), ba = band(t, "area");
  auto mix = [&](double dyn, double leak, double per) {
    return per > 0 ? Band{(dyn * bd.low + leak * bl.low) / per, (dyn * bd.high + leak * bl.high) / per} : Band{};
  };
  e.total_band = mix(e.dynamic_pj, e.leakage_pj, 1.0);
  e.realtime_total_band = mix(e.dynamic_pj, e.leakage_realtime_pj, 1.0);
  e.realtime_power_band = mix(e.dynamic_pj * 1e-6, e.leakage_realtime_pj * 1e-6, rt_seconds);  // pJ/s x 1e-6 = uW
  e.per_sop_band = mix(e.dynamic_pj, e.leakage_pj, sops);
  e.per_timestep_band = mix(e.dynamic_pj, e.leakage_pj, steps);
  e.per_sample_band = mix(e.dynamic_pj, e.leakage_pj, samples);
  e.memory_area_band = {e.memory_area_mm2 * ba.low, e.memory_area_mm2 * ba.high};
  e.pj_per_sop = sops > 0 ? e.total_pj / sops : 0.0;
  e.pj_per_timestep = steps > 0 ? e.total_pj / steps : 0.0;
  e.pj_per_sample = samples > 0 ? e.total_pj / samples : 0.0;
  const double wu = cnt("weight_updates");
  if (wu > 0) {
    double learn = wu * unit_pj(t, "weight_update") + cnt("probes") * unit_pj(t, "probe");
    for (const char* m : {"W_IN", "W_REC", "W_OUT"}) {
      for (const auto& l : e.lines) {
        if (l.item == std::string(m) + " write") learn += l.pj;
      }
    }
    e.pj_per_weight_update = learn / wu;
    e.per_weight_update_band = {e.pj_per_weight_update * bd.low, e.pj_per_weight_update * bd.high};
  }
  // UPD at END_SAMPLE belongs to the sample, not a timestep; with online updates it is per step.
  e.cycles_per_timestep = steps > 0 ? step_cycles / steps : 0.0;
  e.latency_us_per_timestep = e.cycles_per_timestep / t.clock_mhz;
  if (e.latency_us_per_timestep > t.timestep_us) {
    e.warnings.push_back("a timestep takes " + std::to_string(e.latency_us_per_timestep) + " us on average at " +
                         std::to_string(t.clock_mhz) + " MHz, more than its budget of " +
                         std::to_string(t.timestep_us) + " us");
  }
  if (cnt("overruns") > 0) {
    e.warnings.push_back(std::to_string(static_cast<uint64_t>(cnt("overruns"))) +
                         " timesteps overran TS_BUDGET cycles");
  }
  return e;
}

Counts minus(const Counts& a, const Counts& b) {
  Counts d = a;
  for (const auto& [k, v] : b.counters) {
    const uint64_t have = a.counters.count(k) ? a.counters.at(k) : 0;
    if (v > have) throw std::runtime_error("counter " + k + ": the training part exceeds the whole run");
    d.counters[k] = have - v;
  }
  for (const auto& [k, v] : b.memory) {
    const auto have = a.memory.count(k) ? a.memory.at(k) : std::pair<uint64_t, uint64_t>{0, 0};
    if (v.first > have.first || v.second > have.second) {
      throw std::runtime_error("memory " + k + ": the training part exceeds the whole run");
    }
    d.memory[k] = {have.first - v.first, have.second - v.second};
  }
  return d;
}

Estimate estimate_split(const Table& t, const chip::Sizes& s, const Counts& c, const Counts* train) {
  Estimate e = estimate(t, s, c);
  if (!train) {
    const auto w = c.counters.find("weight_updates");
    if (w == c.counters.end() || w->second == 0) {  // no learning: every sample an inference
      e.pj_per_inference = e.pj_per_sample;
      e.per_inference_band = e.per_sample_band;
    }
    return e;
  }
  const Estimate tr = estimate(t, s, *train), te = estimate(t, s, minus(c, *train));
  e.pj_per_training_sample = tr.pj_per_sample;
  e.per_training_sample_band = tr.per_sample_band;
  e.pj_per_inference = te.pj_per_sample;
  e.per_inference_band = te.per_sample_band;
  return e;
}

json band_json(const Band& b) { return {{"low", b.low}, {"high", b.high}}; }

json to_json(const Estimate& e, const Table& t) {
  json lines = json::array();
  for (const auto& l : e.lines) {
    lines.push_back({{"unit", l.unit}, {"item", l.item}, {"count", l.count}, {"pj_each", l.pj_each}, {"pj", l.pj}});
  }
  return {{"table", t.source},
          {"profile", t.j.value("profile", std::string())},
          {"node_nm", t.node_nm},
          {"clock_mhz", t.clock_mhz},
          {"total_pj", e.total_pj},
          {"dynamic_pj", e.dynamic_pj},
          {"leakage_pj", e.leakage_pj},
          {"pj_per_sop", e.pj_per_sop},
          {"pj_per_timestep", e.pj_per_timestep},
          {"pj_per_sample", e.pj_per_sample},
          {"pj_per_weight_update", e.pj_per_weight_update},
          {"pj_per_training_sample", e.pj_per_training_sample > 0 ? json(e.pj_per_training_sample) : json(nullptr)},
          {"pj_per_inference", e.pj_per_inference > 0 ? json(e.pj_per_inference) : json(nullptr)},
          {"cycles_per_timestep", e.cycles_per_timestep},
          {"latency_us_per_timestep", e.latency_us_per_timestep},
          {"supply_v", t.supply_v},
          {"leakage_realtime_pj", e.leakage_realtime_pj},
          {"total_realtime_pj", e.total_realtime_pj},
          {"realtime_power_uw", e.realtime_power_uw},
          {"leakage_uw", e.leakage_mw * 1e3},
          {"bands", {{"total_pj", band_json(e.total_band)},
                     {"total_realtime_pj", band_json(e.realtime_total_band)},
                     {"realtime_power_uw", band_json(e.realtime_power_band)},
                     {"pj_per_sop", band_json(e.per_sop_band)},
                     {"pj_per_timestep", band_json(e.per_timestep_band)},
                     {"pj_per_sample", band_json(e.per_sample_band)},
                     {"pj_per_weight_update", band_json(e.per_weight_update_band)},
                     {"pj_per_training_sample", band_json(e.per_training_sample_band)},
                     {"pj_per_inference", band_json(e.per_inference_band)},
                     {"memory_area_mm2", band_json(e.memory_area_band)}}},
          {"memory_area_mm2", e.memory_area_mm2},
          {"area_by_memory_mm2", e.area_by_memory_mm2},
          {"by_unit", e.by_unit},
          {"by_memory", e.by_memory},
          {"lines", lines},
          {"warnings", e.warnings}};
}

}  // namespace eligo::energy
