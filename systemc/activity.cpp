#include "systemc/activity.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "golden_model/energy/toggle.hpp"
#include "golden_model/io/files.hpp"
#include "systemc/rtl_models.hpp"
#include "systemc/saif.hpp"

namespace eligo::cosim {

using nlohmann::json;

uint64_t Toggles::total() const {
  uint64_t n = 0;
  for (const auto& p : points) n += p.count;
  return n;
}

std::vector<TogglePoint> read_coverage(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the coverage database");
  std::vector<TogglePoint> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    // C '<\001key\002value>...' count
    const size_t a = line.find('\'');
    const size_t b = line.rfind('\'');
    if (line.rfind("C '", 0) != 0 || b == a) {
      throw std::runtime_error(path + ":" + std::to_string(n) + ": not a coverage point (C '<keys>' <count>)");
    }
    std::map<std::string, std::string> kv;
    const std::string keys = line.substr(a + 1, b - a - 1);
    size_t i = 0;
    while (i < keys.size()) {
      if (keys[i] != '\001') throw std::runtime_error(path + ":" + std::to_string(n) + ": malformed keys");
      const size_t sep = keys.find('\002', i + 1);
      const size_t next = keys.find('\001', i + 1);
      if (sep == std::string::npos || (next != std::string::npos && sep > next)) {
        throw std::runtime_error(path + ":" + std::to_string(n) + ": a key without a value");
      }
      const size_t end = next == std::string::npos ? keys.size() : next;
      kv[keys.substr(i + 1, sep - i - 1)] = keys.substr(sep + 1, end - sep - 1);
      i = end;
    }
    const std::string page = kv["page"];
    if (page.rfind("v_toggle/", 0) != 0) continue;
    TogglePoint p;
    p.instance = kv["h"];
    p.module = page.substr(9, page.find("__") == std::string::npos ? std::string::npos : page.find("__") - 9);
    p.signal = kv["o"];
    try {
      p.count = std::stoull(line.substr(b + 1));
    } catch (const std::exception&) {
      throw std::runtime_error(path + ":" + std::to_string(n) + ": no count after the keys");
    }
    if (p.instance.empty() || p.signal.empty()) {
      throw std::runtime_error(path + ":" + std::to_string(n) + ": toggle point without hierarchy (h) or signal (o)");
    }
    out.push_back(std::move(p));
  }
  return out;
}

void accumulate(std::vector<TogglePoint>& into, const std::vector<TogglePoint>& window) {
  std::map<std::pair<std::string, std::string>, size_t> at;
  for (size_t i = 0; i < into.size(); ++i) at[{into[i].instance, into[i].signal}] = i;
  for (const auto& p : window) {
    const auto it = at.find({p.instance, p.signal});
    if (it == at.end()) {
      at[{p.instance, p.signal}] = into.size();
      into.push_back(p);
    } else {
      into[it->second].count += p.count;
    }
  }
}

ActivityEngine& activity_engine(Engine& e) {
  auto* a = dynamic_cast<ActivityEngine*>(&e);
  if (!a) throw std::logic_error(std::string("engine ") + e.name() + " does not count toggles");
  return *a;
}

std::string memory_of(const TogglePoint& p) {
  if (p.module != "sram") return "";
  const size_t g = p.instance.find("g_mem[");
  if (g == std::string::npos) return "";
  const int id = std::stoi(p.instance.substr(g + 6));
  if (id < 0 || id >= chip::spec::NUM_MEMS) return "";
  return chip::spec::kMems[static_cast<size_t>(id)].name;
}

std::string unit_of(const TogglePoint& p) { return p.module == "sram" ? "memory" : p.module; }

bool priced(const TogglePoint& p) {
  if (p.module == "eligo_core") return true;  // the chip's pins and its own signals
  std::string name = p.signal.substr(0, p.signal.find('['));
  auto ends = [&](const char* s) {
    const std::string x(s);
    return name.size() > x.size() && name.compare(name.size() - x.size(), x.size(), x) == 0;
  };
  return !(ends("_i") || ends("_ni"));
}

json activity_json(const Toggles& t, const energy::Counts& counts, const energy::Table& table) {
  const double pj = energy::pj_per_toggle(table);
  struct Sum {
    int64_t bits = 0, priced_bits = 0;
    uint64_t toggles = 0, priced = 0;
    std::string module;
  };
  std::map<std::string, Sum> units, memories, instances;
  Sum all;
  for (const auto& p : t.points) {
    const bool pr = priced(p);
    for (Sum* s : {&units[unit_of(p)], &instances[p.instance], &all}) {
      s->bits += 1;
      s->toggles += p.count;
      s->priced_bits += pr ? 1 : 0;
      s->priced += pr ? p.count : 0;
    }
    instances[p.instance].module = p.module;
    const std::string m = memory_of(p);
    if (!m.empty()) {
      Sum& s = memories[m];
      s.bits += 1;
      s.toggles += p.count;
      s.priced_bits += pr ? 1 : 0;
      s.priced += pr ? p.count : 0;
    }
  }
  auto sum_json = [&](const Sum& s) {
    json j = {{"bits", s.bits},
              {"toggles", s.toggles},
              {"priced_bits", s.priced_bits},
              {"priced_toggles", s.priced},
              {"pj", static_cast<double>(s.priced) * pj}};
    if (!s.module.empty()) j["module"] = s.module;
    return j;
  };
  json ju = json::object(), jm = json::object(), ji = json::object();
  for (const auto& [k, s] : units) ju[k] = sum_json(s);
  for (const auto& [k, s] : memories) jm[k] = sum_json(s);
  for (const auto& [k, s] : instances) ji[k] = sum_json(s);
  const energy::Estimate e = energy::estimate(table, t.sizes, counts);
  json counters = json::object();
  for (const auto& [k, v] : counts.counters) counters[k] = v;
  json mem = json::object();
  for (const auto& [k, v] : counts.memory) mem[k] = {{"reads", v.first}, {"writes", v.second}};
  counters["memory"] = mem;
  const double period_ns = 1000.0 / table.clock_mhz;
  return {{"engine", kActivityEngine},
          {"sizes",
           {{"n_in", t.sizes.n_in}, {"n_rec", t.sizes.n_rec}, {"n_out", t.sizes.n_out}, {"n_alif", t.sizes.n_alif},
            {"lanes", t.sizes.lanes}}},
          {"cycles", t.cycles},
          {"duration_ns", static_cast<double>(t.cycles) * period_ns},
          {"table", table.source},
          {"node_nm", table.node_nm},
          {"pj_per_toggle", pj},
          {"pricing",
           "priced toggles x pj_per_toggle; input ports (_i, _ni) of instances below eligo_core are counted in "
           "the SAIF file but not priced (the parent drives and counts that net)"},
          {"bits", all.bits},
          {"toggles", all.toggles},
          {"priced_toggles", all.priced},
          {"toggles_per_cycle", t.cycles ? static_cast<double>(all.toggles) / static_cast<double>(t.cycles) : 0.0},
          {"dynamic_pj", static_cast<double>(all.priced) * pj},
          {"by_unit", ju},
          {"by_memory", jm},
          {"by_instance", ji},
          {"event_based", energy::to_json(e, table)},
          {"agreement", energy::to_json(energy::compare_units(ju, jm, e, counts, table))},
          {"counters", counters}};
}

json write_activity(const std::string& dir, const Toggles& t, const energy::Counts& counts,
                    const energy::Table& table) {
  json j = activity_json(t, counts, table);
  std::ostringstream saif;
  SaifHeader h;
  h.version = "0.1.0";
  h.duration_ns = static_cast<uint64_t>(j["duration_ns"].get<double>() + 0.5);
  write_saif(saif, h, t.points);
  const std::string saif_path = (std::filesystem::path(dir) / "activity.saif").string();
  const std::string json_path = (std::filesystem::path(dir) / "activity.json").string();
  io::write_file_atomically(saif_path, saif.str());
  j["saif"] = saif_path;
  io::write_file_atomically(json_path, j.dump(2) + "\n");
  return j;
}

}  // namespace eligo::cosim
