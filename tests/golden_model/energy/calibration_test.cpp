// Calibration against silicon (issue 18): the low-power near-threshold profile (lp28nt) run on
// ReckOn and ODIN, each described in the model's terms (data/energy/chips/*.json), against their
// published figures. The profile's fitted constants and which chip each was fitted on are in
// docs/energy.md; the target is a factor of 1.5 on each figure. A figure that misses it is
// asserted as measured (the miss), never with a widened tolerance.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>

#include "golden_model/energy/calibration.hpp"
#include "tests/support/files.hpp"

namespace eligo::energy {
namespace {

std::map<std::string, Calibration> calibrations() {
  std::map<std::string, Calibration> out;
  const Table t = named_table("lp28nt");
  for (const auto& [src, chip] : builtin_chips()) out[chip["name"].get<std::string>()] = calibrate(t, chip, src);
  return out;
}

const Figure& figure(const Calibration& c, const std::string& name) {
  for (const auto& f : c.figures) {
    if (f.name == name) return f;
  }
  throw std::runtime_error(c.chip + ": no figure " + name);
}

TEST(Calibration, PrintsModelAgainstPublished) {
  for (const auto& [chip, c] : calibrations()) {
    for (const auto& f : c.figures) {
      std::printf("%-7s %-20s model %9.4g [%9.4g, %9.4g]  published %9.4g  ratio %.3f\n", chip.c_str(), f.name.c_str(),
                  f.model, f.band.low, f.band.high, f.published, f.ratio());
    }
    std::printf("%-7s dynamic %.4g pJ/SOP, leakage %.4g uW, memories %.4g mm2, logic %.4g mm2\n", chip.c_str(),
                c.dynamic_pj_per_sop, c.leakage_uw, c.memory_area_mm2, c.logic_area_mm2);
  }
}

bool within(const Figure& f, double factor) { return f.ratio() >= 1.0 / factor && f.ratio() <= factor; }

// The check: ReckOn's energy per SOP is predicted (no constant was fitted on it), within 1.5.
TEST(Calibration, ReckOnEnergyPerSopIsPredictedWithinAFactorOf1_5) {
  const auto cal = calibrations();  // the figure refers into it
  const Figure& f = figure(cal.at("ReckOn"), "pJ/SOP");
  EXPECT_EQ(f.published, 5.3);
  EXPECT_TRUE(within(f, 1.5)) << f.model << " pJ/SOP against 5.3";
  EXPECT_LE(f.band.low, f.published);
  EXPECT_GE(f.band.high, f.published);
}

// ODIN's energy per SOP is what dynamic_overhead was fitted on, ReckOn's real-time power what the
// leakage was fitted on: both within 1.5 (to 2%, so that a change of the model shows here), and
// ReckOn's real-time power under its published 50 uW bound for real-time learning.
TEST(Calibration, TheFitsHold) {
  const auto cal = calibrations();
  const Figure& odin = figure(cal.at("ODIN"), "pJ/SOP");
  EXPECT_NEAR(odin.ratio(), 1.0, 0.02) << odin.model;
  const Figure& rt = figure(cal.at("ReckOn"), "real-time power uW");
  EXPECT_NEAR(rt.ratio(), 1.0, 0.02) << rt.model;
  EXPECT_LT(rt.band.high, 50.0);
}

// Areas: the SRAM periphery constant comes from ODIN's published synapse density, the logic from
// Yosys on each chip's public RTL. ODIN's is partly a fit, ReckOn's a check; both within 1.5 and
// inside the model's band (ReckOn's only just: docs/energy.md).
TEST(Calibration, AreasWithinAFactorOf1_5) {
  for (const auto& [chip, c] : calibrations()) {
    const Figure& f = figure(c, "area mm2");
    EXPECT_TRUE(within(f, 1.5)) << chip << ": " << f.model << " mm2 against " << f.published;
    EXPECT_LE(f.band.low, f.published) << chip;
    EXPECT_GE(f.band.high, f.published) << chip;
  }
}

// The miss, asserted as measured (docs/energy.md): the leakage fitted on ReckOn, checked on ODIN's
// lowest published power. The published figure lies above the model's band; this test fails when
// the model changes, and the note in docs/energy.md with it.
TEST(Calibration, MissAsMeasured) {
  const auto cal = calibrations();
  const Figure& idle = figure(cal.at("ODIN"), "idle power uW");
  EXPECT_FALSE(within(idle, 1.5)) << idle.model;
  EXPECT_GT(idle.published, idle.band.high) << "ODIN's idle power is now inside the band: update docs/energy.md";
}

// With the CACTI high-performance profile (28nm.json, 3.9 mW per 8 KB) the same chips are far
// off: the leakage alone puts ReckOn's real-time power in milliwatts (issue 18's observation).
TEST(Calibration, TheCactiProfileIsFarOffOnReckOn) {
  const auto chips = builtin_chips();
  const Calibration c = calibrate(named_table("28nm"), chips[0].second, chips[0].first);
  ASSERT_EQ(c.chip, "ReckOn");
  EXPECT_GT(figure(c, "real-time power uW").ratio(), 10.0);
}

TEST(Calibration, BadChipNamesTheField) {
  using nlohmann::json;
  json chip = builtin_chips()[1].second;
  chip["per_sop"]["reads"]["nowhere"] = 1;
  eligo::testing::expect_one_line_error<std::runtime_error>(
      [&] { calibrate(named_table("lp28nt"), chip, "odin.json"); },
      {"odin.json: per_sop.reads.nowhere: not a memory of the chip"});
  chip = builtin_chips()[1].second;
  chip["supply_v"] = 0.1;
  eligo::testing::expect_one_line_error<std::runtime_error>(
      [&] { calibrate(named_table("lp28nt"), chip, "odin.json"); },
      {"odin.json: supply_v: must be a number in [0.3, 1.5]"});
  chip = builtin_chips()[1].second;
  chip["memories"][0].erase("bits");
  eligo::testing::expect_one_line_error<std::runtime_error>(
      [&] { calibrate(named_table("lp28nt"), chip, "odin.json"); }, {"odin.json: memories[0].bits: missing"});
}

// The built-in chip descriptions are the files on disk.
TEST(Calibration, BuiltinChipsAreTheFilesOnDisk) {
  const auto chips = builtin_chips();
  EXPECT_EQ(chips[0].second, eligo::testing::read_json(std::string(ELIGO_SOURCE_DIR) + "/data/energy/chips/reckon.json"));
  EXPECT_EQ(chips[1].second, eligo::testing::read_json(std::string(ELIGO_SOURCE_DIR) + "/data/energy/chips/odin.json"));
}

}  // namespace
}  // namespace eligo::energy
