// eligo chip / eligo quantize end to end: the report carries what the command-line contract
// promises, training runs are deterministic, and a bad chip config gives one clear line.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/run_command.hpp"

namespace fs = std::filesystem;

namespace {

using Result = eligo::testing::CommandResult;
Result run(const std::string& args) { return eligo::testing::run_eligo(args); }

class ChipCli : public eligo::testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    // A small evidence-accumulation network (T = 150) and a chip config that trains it.
    write("net.json", R"({
      "seed": 2,
      "network": {"n_in": 20, "n_out": 2, "lif": {"n": 6, "n_ref": 5}, "alif": {"n": 5, "n_ref": 5}},
      "task": {"type": "evidence_accumulation", "n_cues": 3, "t_cue": 20, "t_cue_spacing": 30,
               "t_delay": 40, "t_recall": 20, "test_batches": 1},
      "train": {"algo": "eprop", "iterations": 2, "batch_size": 4, "loss": "mse",
                "learning_window": 20}
    })");
  }
  nlohmann::json report(const std::string& out) { return eligo::testing::read_json(fs::path(out) / "report.json"); }
};

const char* kTrain = R"({"network_config": "net.json", "mode": "train", "iterations": 2, "batch_size": 3,
  "chip": {"lanes": 3, "lr": 0.01, "seed": 5, "deepr": {"connectivity": 0.4, "l1": 0.01, "temperature": 1e-5}}})";

TEST_F(ChipCli, TrainReportHasTheContractFields) {
  const std::string cfg = write("chip.json", kTrain);
  const std::string out = (dir_ / "out").string();
  const Result r = run("chip --config " + cfg + " --out " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto j = report(out);
  for (const char* k : {"timesteps", "cycles", "counters", "accuracy", "loss", "active_connections", "wall_s"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_GT(j["cycles"]["total"].get<uint64_t>(), 0u);
  for (const char* ph : {"RST", "IN", "REC", "NEU", "OUT", "LRN", "OGR", "TRC", "UPD", "RWR"}) {
    EXPECT_TRUE(j["cycles"].contains(ph)) << ph;
  }
  EXPECT_GT(j["cycles"]["UPD"].get<uint64_t>(), 0u);
  // K = round(0.4 * allowed): W_IN 20 x 11 = 220 -> 88; W_REC 11 x 10 = 110 -> 44.
  EXPECT_EQ(j["active_connections"]["w_in"].get<int>(), 88);
  EXPECT_EQ(j["active_connections"]["w_rec"].get<int>(), 44);
  EXPECT_EQ(j["timesteps"].get<int64_t>(), (2 * 3 + 4) * 150);  // T = 3 x 30 + 40 + 20
}

TEST_F(ChipCli, SameConfigSameReport) {
  const std::string cfg = write("chip.json", kTrain);
  ASSERT_EQ(run("chip --config " + cfg + " --out " + (dir_ / "a").string()).status, 0);
  ASSERT_EQ(run("chip --config " + cfg + " --out " + (dir_ / "b").string()).status, 0);
  auto a = report((dir_ / "a").string()), b = report((dir_ / "b").string());
  for (auto* j : {&a, &b}) {
    j->erase("wall_s");
    j->erase("timesteps_per_s");
    j->erase("speed");
    j->erase("config");
  }
  EXPECT_EQ(a, b);
}

TEST_F(ChipCli, BadChipConfigNamesFileKeyAndRange) {
  const std::string cfg = write("bad.json", R"({"network_config": "net.json", "chip": {"lanes": 99}})");
  const Result r = run("chip --config " + cfg + " --out " + (dir_ / "o").string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("bad.json"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("chip.lanes"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("32"), std::string::npos) << r.output;
  const std::string cfg2 = write("bad2.json", R"({"network_config": "net.json", "chip": {"lane": 2}})");
  const Result r2 = run("chip --config " + cfg2 + " --out " + (dir_ / "o").string());
  EXPECT_EQ(r2.status, 1);
  EXPECT_NE(r2.output.find("lane"), std::string::npos) << r2.output;
}

// chip.lr_schedule: milestones strictly ascending inside the training batches, gamma a power of
// two below 1; each error names the file, the key and what is allowed.
TEST_F(ChipCli, LrScheduleIsValidated) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"milestones": [1], "gamma": 0.3})", "chip.lr_schedule.gamma: not a power of two"},
      {R"({"milestones": [1, 1]})", "chip.lr_schedule.milestones: not strictly ascending"},
      {R"({"milestones": [2]})", "chip.lr_schedule.milestones"},  // iterations 2: batches 1 .. 1
      {R"({"gamma": 0.5})", "chip.lr_schedule.milestones"}};
  for (const auto& [schedule, error] : bad) {
    SCOPED_TRACE(schedule);
    const std::string cfg = write("sched.json", R"({"network_config": "net.json", "mode": "train", "iterations": 2,
      "chip": {"lr": 0.01, "lr_schedule": )" + schedule + "}}");
    const Result r = run("chip --config " + cfg + " --out " + (dir_ / "o").string());
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_NE(r.output.find(cfg + ": " + error), std::string::npos) << r.output;
  }
}

// chip.trace "windowed": the per-synapse trace pass runs on the last learning_window +
// trace_pre_steps steps of each training sample only (CTRL.TRC_HOLD before); "factored" runs it
// on the learning window only (CTRL.TRC_FACT); "factored_adapt" is a float-reference mode only and
// is refused with the allowed values, as trace_pre_steps is beside "factored"; a core without
// per-synapse trace memories (synapse_traces false) runs "factored" only.
TEST_F(ChipCli, WindowedTracesRunFewerTraceCycles) {
  const std::string exact = write("exact.json", kTrain);
  std::string cfg = kTrain;
  cfg.replace(cfg.find("\"seed\": 5"), 9, "\"seed\": 5, \"trace\": \"windowed\", \"trace_pre_steps\": 30");
  const std::string windowed = write("windowed.json", cfg);
  ASSERT_EQ(run("chip --config " + exact + " --out " + (dir_ / "e").string()).status, 0);
  const Result r = run("chip --config " + windowed + " --out " + (dir_ / "w").string());
  ASSERT_EQ(r.status, 0) << r.output;
  const auto e = report((dir_ / "e").string()), w = report((dir_ / "w").string());
  // 2 x 3 training samples of T = 150; TRC's per-synapse pass (NP 31 x cdiv(11, 3) = 124 cycles)
  // on 20 + 30 of the 150 steps.
  EXPECT_EQ(e["cycles"]["TRC"].get<int64_t>() - w["cycles"]["TRC"].get<int64_t>(), 6 * 100 * 124);
  EXPECT_EQ(e["cycles"]["UPD"], w["cycles"]["UPD"]);
  // chip.adapt_block 8: adaptation blocks before the traced span (steps 0 .. 99): one pass on each
  // block's last step, cdiv(100, 8) = 13 per sample.
  cfg = kTrain;
  cfg.replace(cfg.find("\"seed\": 5"), 9, "\"seed\": 5, \"trace\": \"windowed\", \"trace_pre_steps\": 30, \"adapt_block\": 8");
  const std::string blocks = write("blocks.json", cfg);
  const Result rbl = run("chip --config " + blocks + " --out " + (dir_ / "b").string());
  ASSERT_EQ(rbl.status, 0) << rbl.output;
  const auto bl = report((dir_ / "b").string());
  EXPECT_EQ(bl["cycles"]["TRC"].get<int64_t>() - w["cycles"]["TRC"].get<int64_t>(), 6 * 13 * 124);

  cfg = kTrain;
  cfg.replace(cfg.find("\"seed\": 5"), 9, "\"seed\": 5, \"trace\": \"factored\"");
  const std::string factored = write("factored.json", cfg);
  const Result rf = run("chip --config " + factored + " --out " + (dir_ / "f").string());
  ASSERT_EQ(rf.status, 0) << rf.output;
  const auto f = report((dir_ / "f").string());
  EXPECT_EQ(e["cycles"]["TRC"].get<int64_t>() - f["cycles"]["TRC"].get<int64_t>(), 6 * 130 * 124);
  EXPECT_EQ(f["counters"]["memory"]["EBAR"]["reads"], 0);
  EXPECT_EQ(f["counters"]["memory"]["EBAR"]["writes"], 0);
  // A factored-only core (chip.synapse_traces false: no EPSA, no EBAR) runs the same cycles and
  // counts; "exact" (the default) is refused on it.
  cfg = kTrain;
  cfg.replace(cfg.find("\"seed\": 5"), 9, "\"seed\": 5, \"trace\": \"factored\", \"synapse_traces\": false");
  const std::string only = write("only.json", cfg);
  const Result ro = run("chip --config " + only + " --out " + (dir_ / "fo").string());
  ASSERT_EQ(ro.status, 0) << ro.output;
  const auto fo = report((dir_ / "fo").string());
  EXPECT_EQ(fo["sizes"]["synapse_traces"], false);
  EXPECT_EQ(f["sizes"]["synapse_traces"], true);
  EXPECT_EQ(fo["cycles"], f["cycles"]);
  EXPECT_EQ(fo["counters"], f["counters"]);
  const std::string st = write("st.json", R"({"network_config": "net.json", "mode": "train", "chip": {"synapse_traces": false}})");
  const Result rs = run("chip --config " + st + " --out " + (dir_ / "o").string());
  EXPECT_EQ(rs.status, 1);
  EXPECT_NE(rs.output.find(st + ": chip.synapse_traces"), std::string::npos) << rs.output;

  const std::string bad = write("bad.json", R"({"network_config": "net.json", "mode": "train", "chip": {"trace": "factored_adapt"}})");
  const Result rb = run("chip --config " + bad + " --out " + (dir_ / "o").string());
  EXPECT_EQ(rb.status, 1);
  EXPECT_NE(rb.output.find(bad + ": chip.trace"), std::string::npos) << rb.output;
  EXPECT_NE(rb.output.find("factored"), std::string::npos) << rb.output;
  const std::string pre = write("pre.json", R"({"network_config": "net.json", "mode": "train",
    "chip": {"trace": "factored", "trace_pre_steps": 10}})");
  const Result rp = run("chip --config " + pre + " --out " + (dir_ / "o").string());
  EXPECT_EQ(rp.status, 1);
  EXPECT_NE(rp.output.find(pre + ": chip.trace_pre_steps"), std::string::npos) << rp.output;
  const std::string ab = write("ab.json", R"({"network_config": "net.json", "mode": "train",
    "chip": {"trace": "exact", "adapt_block": 8}})");
  const Result ra = run("chip --config " + ab + " --out " + (dir_ / "o").string());
  EXPECT_EQ(ra.status, 1);
  EXPECT_NE(ra.output.find(ab + ": chip.adapt_block"), std::string::npos) << ra.output;
  EXPECT_NE(ra.output.find("windowed"), std::string::npos) << ra.output;
}

// --out is checked before any work (issue 16: a bad path was found only after 31 s of training).
TEST_F(ChipCli, UnwritableOutIsRefusedBeforeAnyWork) {
  const std::string cfg = write("chip.json", kTrain);
  const std::string file = write("a_file", "x");
  for (const char* cmd : {"chip", "quantize"}) {
    SCOPED_TRACE(cmd);
    const Result r = run(std::string(cmd) + " --config " + cfg + " --out " + file + "/sub");
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_NE(r.output.find(file + "/sub: output directory: cannot create: "), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
}

TEST_F(ChipCli, QuantizeReportsErrorsPerQuantity) {
  const std::string cfg = write("chip.json", kTrain);
  const std::string out = (dir_ / "q").string();
  const Result r = run("quantize --config " + cfg + " --out " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto j = eligo::testing::read_json(fs::path(out) / "quantization.json");
  for (const char* q : {"w_in", "w_rec", "w_out", "b", "lif.alpha", "alif.rho", "alif.beta", "kappa", "lr_w_in", "lr_w_rec",
                        "lr_w_out"}) {
    ASSERT_TRUE(j["quantization_error"].contains(q)) << q;
    EXPECT_LT(j["quantization_error"][q]["rel_rms"].get<double>(), 0.01) << q;
  }
  EXPECT_TRUE(fs::exists(fs::path(out) / "memories.npz"));
}

TEST_F(ChipCli, ReportWritesEnergyMarkdownAndPlots) {
  const std::string cfg = write("chip.json", kTrain);
  const std::string out = (dir_ / "out").string();
  ASSERT_EQ(run("chip --config " + cfg + " --out " + out).status, 0);
  const Result r = run("report " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto e = eligo::testing::read_json(fs::path(out) / "energy.json");
  EXPECT_GT(e["total_pj"].get<double>(), 0.0);
  EXPECT_GT(e["pj_per_weight_update"].get<double>(), 0.0) << "a training run updates weights";
  // The energy in the chip's own report (same built-in table) is the same estimate.
  EXPECT_DOUBLE_EQ(report(out)["energy"]["total_pj"].get<double>(), e["total_pj"].get<double>());
  const std::string md = eligo::testing::read_text(fs::path(out) / "report.md");
  for (const char* s : {"pJ/SOP", "ReckOn", "ODIN", "Loihi", "Cycles per phase"}) {
    EXPECT_NE(md.find(s), std::string::npos) << s;
  }
  for (const char* png : {"energy_breakdown.png", "cycles_per_phase.png", "learning_curve.png", "raster.png"}) {
    EXPECT_TRUE(fs::exists(fs::path(out) / png)) << png;
  }
}

TEST_F(ChipCli, ReportIncludesAreaWhenGiven) {
  const std::string cfg = write("chip.json", R"({"network_config": "net.json", "chip": {"lanes": 2}})");
  const std::string out = (dir_ / "inf").string();
  ASSERT_EQ(run("chip --config " + cfg + " --out " + out).status, 0);
  const std::string area = write("area.json", R"({"configuration": "x", "cells_per_module_definition": {"sram": 12, "neuron_unit": 34}, "total_cells": 46})");
  const Result r = run("report " + out + " --area " + area);
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string md = eligo::testing::read_text(fs::path(out) / "report.md");
  EXPECT_NE(md.find("| neuron_unit | 34 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| total | 46 |"), std::string::npos) << md;
  const std::string bad = write("bad_area.json", R"({"cells": 3})");
  const Result rb = run("report " + out + " --area " + bad);
  EXPECT_NE(rb.status, 0);
  EXPECT_NE(rb.output.find("bad_area.json"), std::string::npos) << rb.output;
}

// Issue 18: with cells by type (scripts/synth.sh) the report prices each module's logic in mm2
// (cells x NAND2 equivalents x NAND2 area, with the profile's area band), leaves the `sram` module
// to the SRAM model, and every energy figure has its band; --profile picks a built-in profile.
TEST_F(ChipCli, ReportPricesAreaAndBandsWithAProfile) {
  const std::string cfg = write("chip.json", R"({"network_config": "net.json", "chip": {"lanes": 2}})");
  const std::string out = (dir_ / "inf").string();
  ASSERT_EQ(run("chip --config " + cfg + " --out " + out).status, 0);
  const std::string area = write("area.json", R"({"configuration": "x",
      "cells_per_module_definition": {"sram": 12, "neuron_unit": 14},
      "cells_by_type_per_module": {"sram": {"$_DFF_P_": 12}, "neuron_unit": {"$_XOR_": 10, "$_DFF_P_": 4}},
      "total_cells": 26})");
  const Result r = run("report " + out + " --area " + area + " --profile lp28nt");
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string md = eligo::testing::read_text(fs::path(out) / "report.md");
  // (10 x 2.0 + 4 x 5.67) NAND2 x 0.309 um2 = 1.319e-05 mm2; band 0.75 .. 1.5.
  EXPECT_NE(md.find("| neuron_unit | 14 | 1.319e-05 (9.891e-06 .. 1.978e-05) |"), std::string::npos) << md;
  EXPECT_NE(md.find("| sram | 12 | (memories: SRAM model above) |"), std::string::npos) << md;
  EXPECT_NE(md.find("**Core area: "), std::string::npos) << md;
  EXPECT_NE(md.find("lp28nt.json, 28 nm, 0.5 V"), std::string::npos) << md;
  EXPECT_NE(md.find("| ReckOn (0.5 V) | pJ/SOP | "), std::string::npos) << md;
  const nlohmann::json e = eligo::testing::read_json(fs::path(out) / "energy.json");
  EXPECT_GT(e.at("realtime_power_uw").get<double>(), 0.0);
  EXPECT_LE(e.at("bands").at("pj_per_sop").at("low").get<double>(), e.at("pj_per_sop").get<double>());
  EXPECT_GE(e.at("bands").at("pj_per_sop").at("high").get<double>(), e.at("pj_per_sop").get<double>());
  EXPECT_EQ(e.at("supply_v").get<double>(), 0.5);
  const Result unknown = run("report " + out + " --profile 7nm");
  EXPECT_NE(unknown.status, 0);
  EXPECT_NE(unknown.output.find("energy profile 7nm: unknown (allowed: 28nm, lp28nt)"), std::string::npos) << unknown.output;
  const Result both = run("report " + out + " --profile lp28nt --table " + area);
  EXPECT_NE(both.status, 0);
  EXPECT_NE(both.output.find("--table and --profile exclude each other"), std::string::npos) << both.output;
}

// Issue 18: the chip config's energy profile (key "energy"): lp28nt by default, 28nm or a table file
// by choice, validated when the config is read; eligo report prices with the run's profile unless
// told otherwise; a training run has energy per training sample and per inference.
TEST_F(ChipCli, ChipConfigChoosesTheEnergyProfile) {
  const std::string cfg = write("chip.json", kTrain);
  const std::string out = (dir_ / "lp").string();
  ASSERT_EQ(run("chip --config " + cfg + " --out " + out).status, 0);
  const nlohmann::json lp = report(out)["energy"];
  EXPECT_EQ(lp["profile"], "lp28nt");
  EXPECT_EQ(lp["supply_v"].get<double>(), 0.5);
  // Per training sample (traces, updates) and per inference (test samples), each with its band.
  const double tr = lp["pj_per_training_sample"].get<double>(), inf = lp["pj_per_inference"].get<double>();
  EXPECT_GT(tr, inf);
  EXPECT_GT(inf, 0.0);
  EXPECT_LE(lp["bands"]["pj_per_inference"]["low"].get<double>(), inf);
  EXPECT_GE(lp["bands"]["pj_per_training_sample"]["high"].get<double>(), tr);
  const nlohmann::json ct = report(out)["counters_train"];
  EXPECT_LT(ct["samples"].get<uint64_t>(), report(out)["counters"]["samples"].get<uint64_t>());
  ASSERT_EQ(run("report " + out).status, 0);
  EXPECT_DOUBLE_EQ(eligo::testing::read_json(fs::path(out) / "energy.json")["total_pj"].get<double>(),
                   lp["total_pj"].get<double>());
  const std::string md = eligo::testing::read_text(fs::path(out) / "report.md");
  EXPECT_NE(md.find("| per training sample | "), std::string::npos) << md;
  EXPECT_NE(md.find("| per inference | "), std::string::npos) << md;

  nlohmann::json c = nlohmann::json::parse(kTrain);
  c["energy"] = {{"profile", "28nm"}};
  const std::string cfg28 = write("chip28.json", c.dump());
  const std::string out28 = (dir_ / "cacti").string();
  ASSERT_EQ(run("chip --config " + cfg28 + " --out " + out28).status, 0);
  const nlohmann::json cacti = report(out28)["energy"];
  EXPECT_EQ(cacti["profile"], "28nm");
  EXPECT_EQ(cacti["supply_v"].get<double>(), 0.9);
  EXPECT_GT(cacti["realtime_power_uw"].get<double>(), 100 * lp["realtime_power_uw"].get<double>());  // mW of leakage
  ASSERT_EQ(run("report " + out28).status, 0);  // the run's profile
  EXPECT_DOUBLE_EQ(eligo::testing::read_json(fs::path(out28) / "energy.json")["total_pj"].get<double>(),
                   cacti["total_pj"].get<double>());
  ASSERT_EQ(run("report " + out28 + " --profile lp28nt").status, 0);  // told otherwise
  EXPECT_EQ(eligo::testing::read_json(fs::path(out28) / "energy.json")["profile"], "lp28nt");

  // A table file, relative to the chip config.
  nlohmann::json table = eligo::testing::read_json(std::string(ELIGO_SOURCE_DIR) + "/data/energy/28nm.json");
  write("my_table.json", table.dump());
  c["energy"] = {{"table", "my_table.json"}};
  ASSERT_EQ(run("chip --config " + write("chipf.json", c.dump()) + " --out " + (dir_ / "f").string()).status, 0);
  EXPECT_DOUBLE_EQ(report((dir_ / "f").string())["energy"]["total_pj"].get<double>(), cacti["total_pj"].get<double>());

  // Bad choices: one line naming the file, the key and what is allowed.
  table["supply_v"] = 3.3;
  write("bad_table.json", table.dump());
  const std::vector<std::pair<nlohmann::json, std::string>> bad = {
      {{{"profile", "7nm"}}, "energy.profile: \"7nm\" is not allowed (allowed: \"lp28nt\", \"28nm\")"},
      {{{"profile", "28nm"}, {"table", "my_table.json"}}, "energy.table: given with profile (allowed: profile or table, not both)"},
      {nlohmann::json::object(), "energy.profile: missing"},
      {{{"table", "bad_table.json"}}, "energy.table: " + (dir_ / "bad_table.json").string() +
                                           ": (top).supply_v: must be a number in [0.3, 1.5]"},
      {{{"profile", "lp28nt"}, {"clock", 3}}, "energy.clock: unknown key"}};
  for (const auto& [energy, error] : bad) {
    SCOPED_TRACE(energy.dump());
    c["energy"] = energy;
    const std::string bc = write("badenergy.json", c.dump());
    const Result r = run("chip --config " + bc + " --out " + (dir_ / "o").string());
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_NE(r.output.find(bc + ": " + error), std::string::npos) << r.output;
  }
}

TEST_F(ChipCli, QuantizeTakesAWeightsFile) {
  // Weights from a float training run: the quantised W_out equals them to within half an LSB.
  const std::string cfg = write("chip.json", kTrain);
  const std::string tr = (dir_ / "float").string();
  ASSERT_EQ(run("train --config " + (dir_ / "net.json").string() + " --out " + tr).status, 0);
  const std::string out = (dir_ / "q").string();
  const Result r = run("quantize --config " + cfg + " --weights " + tr + "/weights.npz --out " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto j = eligo::testing::read_json(fs::path(out) / "quantization.json");
  EXPECT_LE(j["quantization_error"]["w_out"]["max_abs"].get<double>(), 0.5 / 1024 + 1e-12);
  const Result bad = run("quantize --config " + cfg + " --weights " + (dir_ / "missing.npz").string() + " --out " + out);
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output.find("missing.npz"), std::string::npos) << bad.output;
}

TEST_F(ChipCli, ExampleChipConfigsLoad) {
  for (const char* name : {"chip_evidence_accumulation.json", "chip_evidence_accumulation_sign.json", "chip_inference.json"}) {
    const std::string cfg = std::string(ELIGO_SOURCE_DIR) + "/examples/" + name;
    const Result r = run("quantize --config " + cfg + " --out " + (dir_ / name).string());
    EXPECT_EQ(r.status, 0) << name << ": " << r.output;
  }
}

}  // namespace
