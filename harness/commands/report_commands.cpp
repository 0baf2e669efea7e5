// eligo report DIR: a run's report.json (eligo chip) turned into a human report: energy
// (golden_model/energy, the built-in 28 nm table or --table FILE), latency, cycles per phase,
// a comparison with published chips, as DIR/report.md with PNG plots (scripts/plot_report.py),
// and the numbers as DIR/energy.json.
#include <boost/program_options.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "golden_model/energy/energy.hpp"
#include "golden_model/energy/toggle.hpp"
#include "golden_model/io/files.hpp"
#include "golden_model/io/json_read.hpp"
#include "harness/commands/commands.hpp"
#include "harness/commands/run_program.hpp"

namespace eligo::harness {

namespace po = boost::program_options;
using nlohmann::json;

namespace {

std::string num(double v, const char* f = "%.4g") {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// Published chips (pJ per synaptic operation as published; SOP definitions differ).
struct Published {
  const char* chip;
  double pj_per_sop;
  const char* source;
};
const Published kPublished[] = {
    {"ReckOn", 5.3, "Frenkel & Indiveri, ISSCC 2022 (28 nm FDSOI, on-chip e-prop)"},
    {"ODIN", 12.7, "Frenkel et al., IEEE TBioCAS 2019 (28 nm)"},
    {"Loihi", 23.6, "Davies et al., IEEE Micro 2018 (14 nm)"},
};

json read_json(const std::string& path) {
  return io::parse_json(io::read_file(path), path);
}

// DIR/activity.json of `eligo cosim --activity` (systemc/activity.hpp): the activity-based
// estimate beside the event-based one, both with the report's table.
std::string activity_section(const json& act, const std::string& apath, const energy::Table& t, const energy::Estimate& e) {
  for (const char* k : {"by_unit", "priced_toggles", "toggles", "cycles"}) {
    if (!act.contains(k)) throw std::runtime_error(apath + ": " + k + ": missing (eligo cosim --activity writes it)");
  }
  std::ostringstream md;
  double pj = 0.0;
  std::string note;
  try {
    pj = energy::pj_per_toggle(t);
  } catch (const std::runtime_error& ex) {
    note = ex.what();
  }
  const double cycles = act["cycles"].get<double>();
  md << "\n## Activity-based estimate (toggles)\n\n"
     << "`eligo cosim --activity` counted " << act["toggles"].get<uint64_t>() << " toggles of "
     << act.value("bits", 0) << " RTL signal bits over " << num(cycles, "%.0f") << " cycles ("
     << num(cycles > 0 ? act["toggles"].get<double>() / cycles : 0.0, "%.1f") << " per cycle; SAIF: `"
     << act.value("saif", std::string("activity.saif")) << "`). ";
  if (!note.empty()) {
    md << "No energy from toggles: " << note << ".\n";
    return md.str();
  }
  md << "Dynamic energy = priced toggles x " << num(pj, "%.3g") << " pJ (ops.toggle of " << t.source
     << "); input ports of sub-instances are not priced (their net is counted where it is driven), the SRAM "
        "arrays are not counted (their energy is per access). The event-based column is the table's energy "
        "per event of the same run.\n\n"
     << "| unit | toggles | priced toggles | energy from toggles | event-based energy |\n|---|---|---|---|---|\n";
  double total = 0.0;
  for (auto it = act["by_unit"].begin(); it != act["by_unit"].end(); ++it) {
    const double u_pj = it.value()["priced_toggles"].get<double>() * pj;
    total += u_pj;
    const auto ev = e.by_unit.find(it.key());
    md << "| " << it.key() << " | " << it.value()["toggles"].get<uint64_t>() << " | "
       << it.value()["priced_toggles"].get<uint64_t>() << " | " << num(u_pj * 1e-3) << " nJ | "
       << (ev == e.by_unit.end() ? std::string("-") : num(ev->second * 1e-3) + " nJ") << " |\n";
  }
  md << "| **dynamic total** | " << act["toggles"].get<uint64_t>() << " | " << act["priced_toggles"].get<uint64_t>()
     << " | " << num(total * 1e-3) << " nJ | " << num(e.dynamic_pj * 1e-3) << " nJ |\n";
  return md.str();
}

}  // namespace

int cmd_report(const std::vector<std::string>& args) {
  std::string dir, table_path, area_path;
  po::options_description d("usage: eligo report DIR [--table ENERGY.json] [--area AREA.json]");
  d.add_options()("help,h", "show this help")("dir", po::value(&dir)->required(), "a run directory with report.json")(
      "table", po::value(&table_path), "energy table (default: the built-in data/energy/28nm.json)")(
      "area", po::value(&area_path), "area.json of scripts/synth.sh (default: DIR/area.json if present)");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(d).positional(pos).run(), vm);
  if (vm.count("help")) {
    std::cout << d;
    return 0;
  }
  po::notify(vm);
  const std::string rpath = (std::filesystem::path(dir) / "report.json").string();
  // A field of the wrong type or shape gives the library's message: it names the file here.
  try {
    json r = read_json(rpath);
    // A co-simulation run (eligo cosim --activity) carries its sizes and the model's counters in
    // activity.json.
    const std::string apath = (std::filesystem::path(dir) / "activity.json").string();
    json act;
    if (std::filesystem::exists(apath)) {
      act = read_json(apath);
      if (!r.contains("sizes") && act.contains("sizes")) r["sizes"] = act["sizes"];
      if (act.contains("counters") && (!r.contains("counters") || !r["counters"].contains("memory"))) {
        r["counters"] = act["counters"];
      }
    }
    for (const char* k : {"sizes", "counters", "cycles", "timesteps"}) {
      if (!r.contains(k)) throw std::runtime_error(rpath + ": " + k + ": missing (a report of eligo chip is needed)");
    }
    const json& sz = r["sizes"];
    const chip::Sizes s(sz["n_in"].get<int>(), sz["n_rec"].get<int>(), sz["n_out"].get<int>(),
                        sz["n_alif"].get<int>(), sz["lanes"].get<int>());
    const energy::Table t = table_path.empty() ? energy::default_table() : energy::load_table(table_path);
    const energy::Estimate e = energy::estimate(t, s, energy::counts_from_json(r["counters"]));
    const json ej = energy::to_json(e, t);
    io::write_file_atomically((std::filesystem::path(dir) / "energy.json").string(), ej.dump(2) + "\n");

    std::ostringstream md;
    md << "# eligo run report\n\n"
       << "Run: `" << r.value("config", std::string("?")) << "` (" << r.value("mode", std::string("?")) << "), core "
       << s.n_in << "-" << s.n_rec << "-" << s.n_out << " (" << s.n_alif << " ALIF), " << s.lanes << " lanes; "
       << r["timesteps"].get<int64_t>() << " timesteps";
    if (r.contains("accuracy") && !r["accuracy"].is_null()) md << ", test accuracy " << num(r["accuracy"].get<double>(), "%.3f");
    md << ".\n\n## Latency\n\n"
       << "| cycles per timestep | latency per timestep at " << num(t.clock_mhz) << " MHz | budget |\n|---|---|---|\n| "
       << num(e.cycles_per_timestep, "%.1f") << " | " << num(e.latency_us_per_timestep, "%.3g") << " us | "
       << num(t.timestep_us) << " us |\n\n";
    for (const auto& w : e.warnings) md << "**Warning:** " << w << "\n\n";
    md << "## Cycles per phase\n\n| phase | cycles | per timestep |\n|---|---|---|\n";
    for (int p = 0; p < chip::spec::NUM_PHASES; ++p) {
      const char* n = chip::spec::kPhaseNames[static_cast<size_t>(p)];
      const double c = r["cycles"].value(n, 0.0);
      if (c > 0) md << "| " << n << " | " << num(c, "%.0f") << " | " << num(c / r["timesteps"].get<double>(), "%.2f") << " |\n";
    }
    md << "\n![cycles per phase](cycles_per_phase.png)\n\n## Energy (" << t.source << ", " << t.node_nm << " nm)\n\n"
       << "| total | dynamic | leakage | per timestep | per sample | per synaptic operation | per weight update |\n"
       << "|---|---|---|---|---|---|---|\n| " << num(e.total_pj * 1e-6) << " uJ | " << num(e.dynamic_pj * 1e-6)
       << " uJ | " << num(e.leakage_pj * 1e-6) << " uJ | " << num(e.pj_per_timestep * 1e-3) << " nJ | "
       << num(e.pj_per_sample * 1e-3) << " nJ | " << num(e.pj_per_sop) << " pJ | " << num(e.pj_per_weight_update)
       << " pJ |\n\n| unit | energy | share |\n|---|---|---|\n";
    for (const auto& [unit, pj] : e.by_unit) {
      md << "| " << unit << " | " << num(pj * 1e-6) << " uJ | " << num(100 * pj / e.total_pj, "%.1f") << "% |\n";
    }
    md << "\n| memory | energy (reads + writes) |\n|---|---|\n";
    for (const auto& [mem, pj] : e.by_memory) md << "| " << mem << " | " << num(pj * 1e-6) << " uJ |\n";
    md << "\n![energy breakdown](energy_breakdown.png)\n\n## Published chips\n\n"
       << "| chip | pJ/SOP | source |\n|---|---|---|\n| this run (model) | " << num(e.pj_per_sop) << " | "
       << t.source << " |\n";
    for (const auto& p : kPublished) md << "| " << p.chip << " | " << p.pj_per_sop << " | " << p.source << " |\n";
    md << "\nSOP definitions differ between chips (comparison table: SENECA, Frontiers in Neuroscience 2023, "
          "Table 3); this model's SOP is one active weight added to an accumulator, and its energy per SOP "
          "divides the whole core's energy, memories and leakage included, by the SOPs.\n";
    if (!act.is_null()) md << activity_section(act, apath, t, e);
    if (r.contains("first_test_sample")) md << "\n## Activity\n\n![spike raster](raster.png)\n";
    if (r.contains("learning_curve") && !r["learning_curve"].empty()) md << "\n## Learning\n\n![learning curve](learning_curve.png)\n";
    if (area_path.empty() && std::filesystem::exists(std::filesystem::path(dir) / "area.json")) {
      area_path = (std::filesystem::path(dir) / "area.json").string();
    }
    if (!area_path.empty()) {
      const json a = read_json(area_path);
      if (!a.contains("cells_per_module_definition") || !a.contains("configuration")) {
        throw std::runtime_error(area_path + ": cells_per_module_definition, configuration: missing (scripts/synth.sh writes them)");
      }
      md << "\n## Area (Yosys generic cells, " << a["configuration"].get<std::string>() << ")\n\n| module | cells |\n|---|---|\n";
      for (auto it = a["cells_per_module_definition"].begin(); it != a["cells_per_module_definition"].end(); ++it) {
        md << "| " << it.key() << " | " << it.value().get<int64_t>() << " |\n";
      }
      if (a.contains("total_cells") && !a["total_cells"].is_null()) md << "| total | " << a["total_cells"].get<int64_t>() << " |\n";
    }
    const std::string mdpath = (std::filesystem::path(dir) / "report.md").string();
    io::write_file_atomically(mdpath, md.str());

    // PNG plots (Debian's python3-matplotlib); a missing plotter is reported, not fatal.
    const std::string script = std::string(ELIGO_SOURCE_DIR_FOR_SCRIPTS) + "/scripts/plot_report.py";
    const int rc = run_program({"/usr/bin/python3", script, dir}, /*quiet=*/true);
    std::cout << "report: " << num(e.total_pj * 1e-6) << " uJ, " << num(e.pj_per_sop) << " pJ/SOP, "
              << num(e.latency_us_per_timestep, "%.3g") << " us per timestep"
              << (act.is_null() ? "" : " (with the activity-based estimate of activity.json)") << "\nwrote " << mdpath << " and "
              << dir << "/energy.json" << (rc == 0 ? " with PNG plots" : " (plots failed: " + script + ")") << "\n";
  } catch (const json::exception& e) {
    std::string what = e.what();  // "[json.exception.type_error.302] type must be number, but is string"
    if (what.rfind("[json.exception.", 0) == 0 && what.find("] ") != std::string::npos) what = what.substr(what.find("] ") + 2);
    throw std::runtime_error(rpath + ": " + what + " (a report of eligo chip or eligo cosim is needed)");
  }
  return 0;
}

}  // namespace eligo::harness
