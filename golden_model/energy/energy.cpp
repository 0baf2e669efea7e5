#include "golden_model/energy/energy.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "golden_model/io/files.hpp"
#include "golden_model/io/json_read.hpp"

namespace eligo::energy {

using nlohmann::json;

namespace {

const char* kBuiltIn =
#include "energy_28nm.inc"
    ;

[[noreturn]] void bad(const std::string& src, const std::string& field, const std::string& what) {
  throw std::runtime_error(src + ": " + field + ": " + what);
}

double positive(const json& j, const std::string& src, const std::string& field) {
  if (!j.is_number() || !(j.get<double>() > 0) || !std::isfinite(j.get<double>())) {
    bad(src, field, "must be a finite number > 0");
  }
  return j.get<double>();
}

// obj[key], which must exist (operator[] of a const json is undefined for a missing key).
const json& member(const json& obj, const char* key, const std::string& src, const std::string& field) {
  if (!obj.contains(key)) bad(src, field, "missing");
  return obj[key];
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

// Energy of one event of a unit (pJ at the table's node) from its operation counts.
double unit_pj(const Table& t, const std::string& unit) {
  const json& u = t.j["units"][unit];
  const json& ops = t.j["ops"];
  auto op = [&](const char* name) {
    return ops[name]["pj"].get<double>() * node_factor(t, ops[name]["node_nm"].get<double>(), t.node_nm);
  };
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
  }
  if (!j["sram"].contains("source")) bad(src, "sram.source", "every entry needs its source");
  positive(member(j["sram"], "node_nm", src, "sram.node_nm"), src, "sram.node_nm");
  positive(member(j["sram"], "leakage_mw_per_8kb", src, "sram.leakage_mw_per_8kb"), src, "sram.leakage_mw_per_8kb");
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

Table default_table() { return parse_table(json::parse(kBuiltIn), "built-in data/energy/28nm.json"); }

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

double sram_read_pj(const Table& t, int64_t words, int bits) {
  const double bytes = static_cast<double>(words) * bits / 8.0;
  return per_bit_pj(t, bytes, "read_pj") * bits * node_factor(t, t.j["sram"]["node_nm"].get<double>(), t.node_nm);
}

double sram_write_pj(const Table& t, int64_t words, int bits) {
  const double bytes = static_cast<double>(words) * bits / 8.0;
  return per_bit_pj(t, bytes, "write_pj") * bits * node_factor(t, t.j["sram"]["node_nm"].get<double>(), t.node_nm);
}

double sram_leakage_mw(const Table& t, int64_t words, int bits) {
  const double bits_total = static_cast<double>(words) * bits;
  return t.j["sram"]["leakage_mw_per_8kb"].get<double>() * bits_total / (8192.0 * 8.0) *
         node_factor(t, t.j["sram"]["node_nm"].get<double>(), t.node_nm);
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
  }
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

json to_json(const Estimate& e, const Table& t) {
  json lines = json::array();
  for (const auto& l : e.lines) {
    lines.push_back({{"unit", l.unit}, {"item", l.item}, {"count", l.count}, {"pj_each", l.pj_each}, {"pj", l.pj}});
  }
  return {{"table", t.source},
          {"node_nm", t.node_nm},
          {"clock_mhz", t.clock_mhz},
          {"total_pj", e.total_pj},
          {"dynamic_pj", e.dynamic_pj},
          {"leakage_pj", e.leakage_pj},
          {"pj_per_sop", e.pj_per_sop},
          {"pj_per_timestep", e.pj_per_timestep},
          {"pj_per_sample", e.pj_per_sample},
          {"pj_per_weight_update", e.pj_per_weight_update},
          {"cycles_per_timestep", e.cycles_per_timestep},
          {"latency_us_per_timestep", e.latency_us_per_timestep},
          {"by_unit", e.by_unit},
          {"by_memory", e.by_memory},
          {"lines", lines},
          {"warnings", e.warnings}};
}

}  // namespace eligo::energy
