// eligo report DIR: a run's report.json (eligo chip) turned into a human report: energy
// (golden_model/energy: the run's profile, --profile NAME or --table FILE), latency, cycles per phase,
// a comparison with published chips, as DIR/report.md with PNG plots (scripts/plot_report.py),
// and the numbers as DIR/energy.json.
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "golden_model/energy/calibration.hpp"
#include "golden_model/energy/energy.hpp"
#include "golden_model/energy/toggle.hpp"
#include "golden_model/io/files.hpp"
#include "golden_model/io/json_read.hpp"
#include "harness/commands/commands.hpp"
#include "harness/commands/report_commands.hpp"
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

// "value (low .. high)" of a figure and its band, 4 significant digits (whole numbers from 10^4).
std::string banded(double v, const energy::Band& b, double scale = 1.0) {
  auto f = [](double x) { return num(x, std::abs(x) >= 1e4 ? "%.0f" : "%.4g"); };
  return f(v * scale) + " (" + f(b.low * scale) + " .. " + f(b.high * scale) + ")";
}

// The calibration chips (data/energy/chips) priced with the report's profile.
std::string calibration_section(const energy::Table& t) {
  std::ostringstream md;
  md << "\n## Calibration chips (" << t.source << ")\n\n"
     << "Published chips described in the model's terms (data/energy/chips; docs/energy.md) and priced with this "
        "report's profile at each chip's supply; the target is a factor of 1.5.\n\n"
     << "| chip | figure | model (low .. high) | published | model / published |\n|---|---|---|---|---|\n";
  for (const auto& [src, chip] : energy::builtin_chips()) {
    const energy::Calibration c = energy::calibrate(t, chip, src);
    for (const auto& f : c.figures) {
      md << "| " << c.chip << " (" << num(c.supply_v) << " V) | " << f.name << " | " << banded(f.model, f.band) << " | "
         << num(f.published) << " | " << num(f.ratio(), "%.2f") << " |\n";
    }
  }
  return md.str();
}

// Logic area per module from scripts/synth.sh's area.json (cells by type per module definition);
// the `sram` module (memories synthesised as flip-flops) is left out: the memories are priced by
// the SRAM area model.
std::string area_section(const json& a, const std::string& apath, const energy::Table& t, const energy::Estimate& e) {
  auto count = [&](const json& v, const std::string& key) { return io::json_integer<int64_t>(v, apath, key); };
  if (!a.contains("cells_per_module_definition") || !a.contains("configuration")) {
    throw std::runtime_error(apath + ": cells_per_module_definition, configuration: missing (scripts/synth.sh writes them)");
  }
  const energy::Band ba = energy::band(t, "area");
  std::ostringstream md;
  md << "\n## Area (" << t.node_nm << " nm, mm2, low .. high)\n\n"
     << "Memories: the SRAM area model (bits x bitcell x periphery overhead by macro size) at this run's sizes. Logic: "
        "Yosys generic cells of scripts/synth.sh (" << a["configuration"].get<std::string>()
     << ") x NAND2 equivalents per cell type x the NAND2 area; the `sram` module (memories as flip-flops in that "
        "synthesis) is left out.\n\n| memory | area |\n|---|---|\n";
  for (const auto& [mem, mm2] : e.area_by_memory_mm2) md << "| " << mem << " | " << banded(mm2, {mm2 * ba.low, mm2 * ba.high}) << " |\n";
  md << "| **memories** | " << banded(e.memory_area_mm2, e.memory_area_band) << " |\n\n| module | cells | area |\n|---|---|---|\n";
  const json* by_type = a.contains("cells_by_type_per_module") ? &a["cells_by_type_per_module"] : nullptr;
  double logic = 0.0;
  for (auto it = a["cells_per_module_definition"].begin(); it != a["cells_per_module_definition"].end(); ++it) {
    const int64_t n = count(it.value(), "cells_per_module_definition." + it.key());
    md << "| " << it.key() << " | " << n << " | ";
    if (it.key() == "sram") {
      md << "(memories: SRAM model above) |\n";
    } else if (by_type && by_type->contains(it.key())) {
      std::map<std::string, double> cells;
      for (auto c = (*by_type)[it.key()].begin(); c != (*by_type)[it.key()].end(); ++c) {
        cells[c.key()] = static_cast<double>(count(c.value(), "cells_by_type_per_module." + it.key() + "." + c.key()));
      }
      const double mm2 = energy::logic_area_mm2(t, cells);
      logic += mm2;
      md << banded(mm2, {mm2 * ba.low, mm2 * ba.high}, 1.0) << " |\n";
    } else {
      md << "- (no cells_by_type_per_module: run scripts/synth.sh again) |\n";
    }
  }
  if (a.contains("total_cells") && !a["total_cells"].is_null()) md << "| total | " << count(a["total_cells"], "total_cells") << " | |\n";
  if (by_type) {
    const double total = logic + e.memory_area_mm2;
    md << "\n**Core area: " << banded(total, {total * ba.low, total * ba.high}) << " mm2** (logic "
       << num(logic) << " + memories " << num(e.memory_area_mm2) << "; the logic at scripts/synth.sh's sizes, the "
       << "memories at this run's).\n";
  }
  return md.str();
}

json read_json(const std::string& path) {
  return io::parse_json(io::read_file(path), path);
}

// DIR/activity.json of `eligo cosim --activity` (systemc/activity.hpp): the activity-based
// estimate beside the event-based one, both with the report's table.
std::string activity_section(const json& act, const std::string& apath, const energy::Table& t, const energy::Estimate& e,
                             const energy::Counts& counts) {
  auto count = [&](const json& v, const std::string& key) { return io::json_integer<uint64_t>(v, apath, key); };
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
     << "`eligo cosim --activity` counted " << count(act["toggles"], "toggles") << " toggles of "
     << (act.contains("bits") ? count(act["bits"], "bits") : 0) << " RTL signal bits over " << num(cycles, "%.0f") << " cycles ("
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
     << "The last two columns compare the views per unit (docs/energy.md \"Toggles against events, per unit\"): "
        "event-based energy before the profile's dynamic_overhead ("
     << num(energy::dynamic_overhead(t), "%.3g")
     << ") over the energy from toggles, and the relation that must hold given what each view counts.\n\n"
     << "| unit | toggles | priced toggles | energy from toggles | event-based energy | event (no overhead) / toggle | "
        "relation |\n|---|---|---|---|---|---|---|\n";
  const json by_memory = act.contains("by_memory") ? act["by_memory"] : json::object();
  std::map<std::string, energy::UnitAgreement> agree;
  for (const auto& a : energy::compare_units(act["by_unit"], by_memory, e, counts, t)) agree[a.unit] = a;
  double total = 0.0;
  for (auto it = act["by_unit"].begin(); it != act["by_unit"].end(); ++it) {
    const double u_pj = it.value().at("priced_toggles").get<double>() * pj;
    total += u_pj;
    const auto ev = e.by_unit.find(it.key());
    const energy::UnitAgreement& a = agree[it.key()];
    md << "| " << it.key() << " | " << count(it.value().at("toggles"), "by_unit." + it.key() + ".toggles") << " | "
       << count(it.value().at("priced_toggles"), "by_unit." + it.key() + ".priced_toggles") << " | " << num(u_pj * 1e-3) << " nJ | "
       << (ev == e.by_unit.end() ? std::string("-") : num(ev->second * 1e-3) + " nJ") << " | "
       << (a.ratio > 0 ? num(a.ratio, "%.3g") : std::string("-")) << " | " << a.relation
       << (a.holds ? "" : ": **does not hold** (" + a.detail + ")") << " |\n";
  }
  md << "| **dynamic total** | " << count(act["toggles"], "toggles") << " | " << count(act["priced_toggles"], "priced_toggles")
     << " | " << num(total * 1e-3) << " nJ | " << num(e.dynamic_pj * 1e-3) << " nJ | | |\n";
  return md.str();
}

}  // namespace

ReportText render_report(json r, const json& act, const json& area, const energy::Table& t,
                         const ReportSources& src) {
  std::string in = src.report;  // the file a json::exception below comes from
  std::string sizes_from = src.report, counters_from = src.report;
  try {
    // A co-simulation run (eligo cosim --activity) carries its sizes and the model's counters in
    // activity.json.
    if (!act.is_null()) {
      in = src.activity;
      if (!act.is_object()) throw std::runtime_error(src.activity + ": (top level): expected an object");
      if (!r.is_object()) throw std::runtime_error(src.report + ": (top level): expected an object");
      if (!r.contains("sizes") && act.contains("sizes")) {
        r["sizes"] = act["sizes"];
        sizes_from = src.activity;
      }
      if (act.contains("counters") && (!r.contains("counters") || !r["counters"].contains("memory"))) {
        r["counters"] = act["counters"];
        counters_from = src.activity;
      }
    }
    in = src.report;
    if (!r.is_object()) throw std::runtime_error(src.report + ": (top level): expected an object");
    for (const char* k : {"sizes", "counters", "cycles", "timesteps"}) {
      if (!r.contains(k)) throw std::runtime_error(src.report + ": " + k + ": missing (a report of eligo chip is needed)");
    }
    // at() on const documents: a missing key throws (json's const operator[] is undefined then).
    in = sizes_from;
    const json& sz = r["sizes"];
    const chip::Sizes s = [&] {
      try {
        auto size = [&](const char* k) { return io::json_integer<int>(sz.at(k), in, std::string("sizes.") + k); };
        bool st = true;  // reports before factored-only cores have no synapse_traces
        if (sz.contains("synapse_traces")) {
          if (!sz["synapse_traces"].is_boolean()) throw std::runtime_error(in + ": sizes.synapse_traces: expected true or false");
          st = sz["synapse_traces"].get<bool>();
        }
        return chip::Sizes(size("n_in"), size("n_rec"), size("n_out"), size("n_alif"), size("lanes"), st);
      } catch (const std::invalid_argument& ex) {  // out of the chip's range
        throw std::runtime_error(in + ": sizes: " + ex.what());
      }
    }();
    in = counters_from;
    const energy::Counts counts = energy::counts_from_json(r["counters"], in);
    in = src.report;
    std::optional<energy::Counts> train;  // eligo chip's counters when training ended
    if (r.contains("counters_train")) train = energy::counts_from_json(r["counters_train"], src.report);
    const energy::Estimate e = energy::estimate_split(t, s, counts, train ? &*train : nullptr);
    ReportText out;
    out.energy = energy::to_json(e, t);
    out.total_pj = e.total_pj;
    out.pj_per_sop = e.pj_per_sop;
    out.latency_us_per_timestep = e.latency_us_per_timestep;

    std::ostringstream md;
    md << "# eligo run report\n\n"
       << "Run: `" << r.value("config", std::string("?")) << "` (" << r.value("mode", std::string("?")) << "), core "
       << s.n_in << "-" << s.n_rec << "-" << s.n_out << " (" << s.n_alif << " ALIF), " << s.lanes << " lanes"
       << (s.synapse_traces ? "" : ", factored traces only (no EPSA, EBAR)") << "; "
       << io::json_integer<int64_t>(r["timesteps"], src.report, "timesteps") << " timesteps";
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
    md << "\n![cycles per phase](cycles_per_phase.png)\n\n## Energy (" << t.source << ", " << t.node_nm << " nm, "
       << num(t.supply_v) << " V)\n\n"
       << "Every figure with its band (low .. high: the profile's band factors on the dynamic energies and the "
          "leakage). Leakage counted over the busy cycles only (idle power-gated):\n\n"
       << "| figure | value (low .. high) |\n|---|---|\n"
       << "| total | " << banded(e.total_pj, e.total_band, 1e-6) << " uJ |\n"
       << "| dynamic | " << num(e.dynamic_pj * 1e-6) << " uJ |\n"
       << "| leakage (busy cycles) | " << num(e.leakage_pj * 1e-6) << " uJ |\n"
       << "| per timestep | " << banded(e.pj_per_timestep, e.per_timestep_band, 1e-3) << " nJ |\n"
       << "| per sample (inference or training sample) | " << banded(e.pj_per_sample, e.per_sample_band, 1e-3) << " nJ |\n"
       << "| per training sample | "
       << (e.pj_per_training_sample > 0 ? banded(e.pj_per_training_sample, e.per_training_sample_band, 1e-3) + " nJ"
                                        : std::string("- (no training, or a report without counters_train)"))
       << " |\n"
       << "| per inference | "
       << (e.pj_per_inference > 0 ? banded(e.pj_per_inference, e.per_inference_band, 1e-3) + " nJ"
                                  : std::string("- (not separable: a report without counters_train)"))
       << " |\n"
       << "| per synaptic operation | " << banded(e.pj_per_sop, e.per_sop_band) << " pJ |\n"
       << "| per weight update | " << banded(e.pj_per_weight_update, e.per_weight_update_band) << " pJ |\n\n"
       << "Per weight update: the learning unit's weight-update and rewiring-probe datapath energy plus the weight "
          "memories' writes, over the weight updates (the model's counters, which equal the RTL's).\n\n"
       << "**Real time** (every timestep lasts " << num(t.timestep_us) << " us and the memories leak all of it, "
       << num(e.leakage_mw * 1e3) << " uW): leakage " << num(e.leakage_realtime_pj * 1e-6) << " uJ, total "
       << banded(e.total_realtime_pj, e.realtime_total_band, 1e-6) << " uJ, **average power "
       << banded(e.realtime_power_uw, e.realtime_power_band) << " uW**.\n\n"
       << "Memories' area (SRAM model, " << t.node_nm << " nm): " << banded(e.memory_area_mm2, e.memory_area_band)
       << " mm2" << (area.is_null() ? " (logic: `--area` with scripts/synth.sh's area.json)" : " (logic: section Area)")
       << ".\n\n"
       << "| unit | energy | share |\n|---|---|---|\n";
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
    if (!act.is_null()) {
      in = src.activity;
      md << activity_section(act, src.activity, t, e, counts);
      in = src.report;
    }
    if (r.contains("first_test_sample")) md << "\n## Activity\n\n![spike raster](raster.png)\n";
    if (r.contains("learning_curve") && !r["learning_curve"].empty()) md << "\n## Learning\n\n![learning curve](learning_curve.png)\n";
    md << calibration_section(t);
    if (!area.is_null()) {
      in = src.area;
      md << area_section(area, src.area, t, e);
      in = src.report;
    }
    out.markdown = md.str();
    return out;
  } catch (const json::exception& e) {
    std::string what = e.what();  // "[json.exception.type_error.302] type must be number, but is string"
    if (what.rfind("[json.exception.", 0) == 0 && what.find("] ") != std::string::npos) what = what.substr(what.find("] ") + 2);
    throw std::runtime_error(in + ": " + what +
                             (in == src.area ? " (scripts/synth.sh writes it)" : " (a report of eligo chip or eligo cosim is needed)"));
  }
}

int cmd_report(const std::vector<std::string>& args) {
  std::string dir, table_path, area_path, profile;
  po::options_description d("usage: eligo report DIR [--profile 28nm|lp28nt | --table ENERGY.json] [--area AREA.json]");
  d.add_options()("help,h", "show this help")("dir", po::value(&dir)->required(), "a run directory with report.json")(
      "table", po::value(&table_path), "energy table file (default: the run's profile, else lp28nt)")(
      "profile", po::value(&profile),
      "a built-in profile: lp28nt (28 nm, 0.5 V, calibrated; the default) or 28nm (CACTI, 0.9 V) (default: the run's)")(
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
  io::check_manifest(dir);  // a complete run (manifest.json and every file it lists), or one line saying what is missing
  const std::filesystem::path run(dir);
  ReportSources src{(run / "report.json").string(), (run / "activity.json").string(), area_path};
  if (src.area.empty() && std::filesystem::exists(run / "area.json")) src.area = (run / "area.json").string();
  const json r = read_json(src.report);
  const json act = std::filesystem::exists(src.activity) ? read_json(src.activity) : json();
  const json area = src.area.empty() ? json() : read_json(src.area);
  if (table_path.empty() && profile.empty() && r.is_object() && r.contains("energy") && r["energy"].is_object()) {
    // The run's own profile (eligo chip's config key "energy"): a built-in one by name, a table
    // file by its path.
    const json& re = r["energy"];
    const std::string used = re.value("table", std::string());
    if (used.rfind("built-in ", 0) == 0) {  // reports before the "profile" field: the file's stem
      profile = re.value("profile", std::filesystem::path(used.substr(9)).stem().string());
    } else if (!used.empty()) {
      table_path = used;
    }
  }
  const energy::Table t = energy::select_table(profile, table_path, "eligo report: --table and --profile");
  const ReportText text = render_report(r, act, area, t, src);
  io::write_file_atomically((run / "energy.json").string(), text.energy.dump(2) + "\n");
  const std::string mdpath = (run / "report.md").string();
  io::write_file_atomically(mdpath, text.markdown);

  // PNG plots (Debian's python3-matplotlib); a missing plotter is reported, not fatal.
  const std::string script = std::string(ELIGO_SOURCE_DIR_FOR_SCRIPTS) + "/scripts/plot_report.py";
  const int rc = run_program({"/usr/bin/python3", script, dir}, /*quiet=*/true);
  std::cout << "report: " << num(text.total_pj * 1e-6) << " uJ, " << num(text.pj_per_sop) << " pJ/SOP, "
            << num(text.energy["realtime_power_uw"].get<double>()) << " uW in real time, "
            << num(text.latency_us_per_timestep, "%.3g") << " us per timestep"
            << (act.is_null() ? "" : " (with the activity-based estimate of activity.json)") << "\nwrote " << mdpath
            << " and " << dir << "/energy.json" << (rc == 0 ? " with PNG plots" : " (plots failed: " + script + ")") << "\n";
  return 0;
}

}  // namespace eligo::harness
