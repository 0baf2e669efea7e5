// The sweep library without processes: spec checks (one-line errors), expansion (product, zip,
// ranges), hashing, metric collection, aggregation maths and the CSV. Running points (resume,
// failures) is tested end to end in tests/harness/sweep_cli_test.cpp.
#include "golden_model/experiment/sweep.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "golden_model/experiment/chip_config.hpp"
#include "golden_model/io/config.hpp"
#include "golden_model/io/valijson.hpp"
#include "tests/support/files.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
namespace ex = eligo::experiment;

namespace {

class Sweep : public eligo::testing::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    write("base.json", R"({"network_config": "net.json", "mode": "train", "iterations": 2,
                           "chip": {"lanes": 4, "seed": 7}})");
  }
  ex::SweepSpec spec(const std::string& text) { return ex::load_sweep_spec(write("sweep.json", text)); }
  void bad(const std::string& text, const std::vector<std::string>& phrases) {
    eligo::testing::expect_one_line_error<eligo::io::ConfigError>([&] { spec(text); }, phrases);
  }
};

TEST_F(Sweep, ProductOfAxesLastFastest) {
  const auto s = spec(R"({"base_config": "base.json", "command": "chip",
      "axes": [{"name": "chip.lanes", "values": [2, 4]}, {"name": "chip.seed", "range": {"from": 1, "to": 3}}],
      "seed_axis": "chip.seed"})");
  const auto pts = ex::expand_sweep(s);
  ASSERT_EQ(pts.size(), 6u);
  EXPECT_EQ(pts[0].config["chip"]["lanes"], 2);
  EXPECT_EQ(pts[0].config["chip"]["seed"], 1);
  EXPECT_EQ(pts[2].config["chip"]["seed"], 3);
  EXPECT_EQ(pts[3].config["chip"]["lanes"], 4);
  EXPECT_EQ(pts[3].config["chip"]["seed"], 1);
  EXPECT_EQ(pts[5].axes[0].first, "chip.lanes");
  EXPECT_EQ(pts[5].axes[1].second, 3);
  // The rest of the base config is kept.
  EXPECT_EQ(pts[4].config["iterations"], 2);
  EXPECT_EQ(pts[4].config["network_config"], "net.json");
}

TEST_F(Sweep, ZippedAxesMoveTogether) {
  const auto s = spec(R"({"base_config": "base.json", "command": "chip",
      "axes": [{"zip": [{"name": "chip.lanes", "values": [1, 2, 4]}, {"name": "chip.trace", "values": ["exact", "windowed", "exact"]}]},
               {"name": "chip.seed", "values": [1, 2]}]})");
  const auto pts = ex::expand_sweep(s);
  ASSERT_EQ(pts.size(), 6u);
  EXPECT_EQ(pts[2].config["chip"]["lanes"], 2);
  EXPECT_EQ(pts[2].config["chip"]["trace"], "windowed");
  EXPECT_EQ(pts[5].config["chip"]["lanes"], 4);
  EXPECT_EQ(pts[5].config["chip"]["trace"], "exact");
  EXPECT_EQ(s.seed_axis, "");  // none named, no "seed" axis
}

TEST_F(Sweep, RangesIntegerAndFloat) {
  const auto s = spec(R"({"base_config": "base.json", "command": "chip",
      "axes": [{"name": "chip.seed", "range": {"from": 10, "to": 16, "step": 3}},
               {"name": "chip.lr", "range": {"from": 0.001, "to": 0.003, "step": 0.001}}]})");
  ASSERT_EQ(s.axes[0][0].values.size(), 3u);
  EXPECT_EQ(s.axes[0][0].values[2], 16);
  EXPECT_TRUE(s.axes[0][0].values[1].is_number_integer());
  ASSERT_EQ(s.axes[1][0].values.size(), 3u);
  EXPECT_NEAR(s.axes[1][0].values[2].get<double>(), 0.003, 1e-15);
  // A new nested key is created.
  const auto t = spec(R"({"base_config": "base.json", "command": "chip",
      "axes": [{"name": "chip.deepr.connectivity", "values": [0.3]}]})");
  EXPECT_EQ(ex::expand_sweep(t)[0].config["chip"]["deepr"]["connectivity"], 0.3);
}

TEST_F(Sweep, HashesAreStableAndDistinct) {
  const std::string text = R"({"base_config": "base.json", "command": "chip",
      "axes": [{"name": "chip.lanes", "values": [2, 4]}, {"name": "chip.seed", "values": [1, 2]}]})";
  const auto a = ex::expand_sweep(spec(text));
  const auto b = ex::expand_sweep(spec(text));
  ASSERT_EQ(a.size(), 4u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].hash, b[i].hash);
    EXPECT_EQ(a[i].hash.size(), 16u);
    for (size_t k = 0; k < i; ++k) EXPECT_NE(a[i].hash, a[k].hash);
  }
  // The hash is of the resolved config, not of how the axes were written: the same point from a
  // spec with the axes in another order and a range instead of a list has the same hash.
  const auto c = ex::expand_sweep(spec(R"({"base_config": "base.json", "command": "chip",
      "axes": [{"name": "chip.seed", "range": {"from": 1, "to": 2}}, {"name": "chip.lanes", "values": [4]}]})"));
  EXPECT_EQ(c[0].hash, a[2].hash);  // lanes 4, seed 1
  EXPECT_EQ(c[1].hash, a[3].hash);  // lanes 4, seed 2
  // A known value: FNV-1a 64 of "a" (published test vector).
  EXPECT_EQ(ex::fnv1a64_hex("a"), "af63dc4c8601ec8c");
  // Extra arguments and the command are part of the identity.
  const auto d = ex::expand_sweep(spec(R"({"base_config": "base.json", "command": "chip", "args": ["--epochs", "1"],
      "axes": [{"name": "chip.lanes", "values": [2]}, {"name": "chip.seed", "values": [1]}]})"));
  EXPECT_NE(d[0].hash, a[0].hash);
}

TEST_F(Sweep, SeedAxisIsTrainsCommandLine) {
  write("float.json", R"({"seed": 1})");
  const auto s = spec(R"({"base_config": "float.json", "command": "train", "args": ["--iterations", "3"],
      "axes": [{"name": "seed", "values": [5, 6]}]})");
  EXPECT_EQ(s.seed_axis, "seed");
  const auto pts = ex::expand_sweep(s);
  EXPECT_EQ(pts[1].config, json::parse(R"({"seed": 1})"));  // the config is unchanged
  const auto argv = ex::point_argv(s, pts[1], "/bin/eligo", "/o/p");
  EXPECT_EQ(argv, (std::vector<std::string>{"/bin/eligo", "train", "--config", "/o/p/config.json", "--out", "/o/p",
                                            "--seed", "6", "--iterations", "3"}));
  EXPECT_NE(pts[0].hash, pts[1].hash);
}

TEST_F(Sweep, RunnableConfigHasAbsolutePaths) {
  const auto s = spec(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "chip.lanes", "values": [2]}]})");
  const auto p = ex::expand_sweep(s)[0];
  const json c = ex::runnable_config(s, p);
  EXPECT_EQ(c["network_config"], (dir_ / "net.json").lexically_normal().string());
  EXPECT_EQ(c["chip"]["lanes"], 2);
}

TEST_F(Sweep, BadSpecsGiveOneLineErrors) {
  bad(R"({"command": "chip", "axes": []})", {"sweep.json", "base_config", "missing"});
  bad(R"({"base_config": "nope.json", "command": "chip", "axes": [{"name": "a", "values": [1]}]})",
      {"sweep.json", "base_config", "nope.json"});
  bad(R"({"base_config": "base.json", "command": "grad", "axes": [{"name": "a", "values": [1]}]})",
      {"sweep.json", "command", "\"grad\" is not allowed", "chip"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": []})", {"sweep.json", "axes", "non-empty"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "chip.lanes"}]})",
      {"sweep.json", "axes[0].values", "exactly one of"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "chip.lanes", "values": [1], "vals": 2}]})",
      {"sweep.json", "axes[0].vals", "unknown key"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "chip.seed", "range": {"from": 3, "to": 1}}]})",
      {"sweep.json", "axes[0].range.to", "smaller"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "chip.seed", "range": {"from": 1, "to": 3, "step": 0}}]})",
      {"sweep.json", "axes[0].range.step", "out of range"});
  bad(R"({"base_config": "base.json", "command": "chip",
          "axes": [{"zip": [{"name": "a", "values": [1, 2]}, {"name": "b", "values": [1]}]}]})",
      {"sweep.json", "axes[0].zip", "different lengths"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "a", "values": [1]}, {"name": "a", "values": [2]}]})",
      {"sweep.json", "axes[1]", "twice"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "seed", "values": [1]}]})",
      {"sweep.json", "axes[0]", "chip.seed"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "a", "values": [1]}], "seed_axis": "b"})",
      {"sweep.json", "seed_axis", "not an axis"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "a", "values": [1]}],
          "metrics": {"acc": "accuracy"}})",
      {"sweep.json", "metrics.acc", "FILE:path"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "a", "values": [1]}],
          "metrics": {"acc": "foo.json:accuracy"}})",
      {"sweep.json", "metrics.acc", "foo.json"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "a", "values": [1]}],
          "resources": {"cpus": 0}})",
      {"sweep.json", "resources.cpus", "out of range"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "a", "values": [1]}], "extra": 1})",
      {"sweep.json", "extra", "unknown key"});
  bad(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "a..b", "values": [1]}]})",
      {"sweep.json", "axes[0].name", "empty path segment"});
  bad(R"({"base_config": "base.json", "command": "chip", "args": ["--out", "x"], "axes": [{"name": "a", "values": [1]}]})",
      {"sweep.json", "args", "--out"});
  // An axis path through a value that is not an object fails at expansion, naming the axis.
  const auto s = spec(R"({"base_config": "base.json", "command": "chip", "axes": [{"name": "mode.x", "values": [1]}]})");
  eligo::testing::expect_one_line_error<eligo::io::ConfigError>([&] { ex::expand_sweep(s); },
                                                                 {"sweep.json", "mode.x", "not an object"});
}

// Every examples/sweep_*.json loads, and every point of it is a chip config eligo chip accepts.
TEST_F(Sweep, ExamplesExpandToValidChipConfigs) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(ELIGO_SOURCE_DIR) / "examples")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("sweep_", 0) != 0 || entry.path().extension() != ".json") continue;
    SCOPED_TRACE(name);
    const ex::SweepSpec s = ex::load_sweep_spec(entry.path().string());
    EXPECT_FALSE(s.seed_axis.empty());
    EXPECT_FALSE(s.metrics.empty());
    ASSERT_EQ(s.command, "chip");
    for (const ex::SweepPoint& p : ex::expand_sweep(s)) {
      const std::string cfg = write("point.json", ex::runnable_config(s, p).dump());
      EXPECT_NO_THROW(eligo::experiment::load_chip_config(cfg, "")) << p.identity;
    }
    ++n;
  }
  EXPECT_GE(n, 2);
}

// ---- docs/sweep.schema.json ------------------------------------------------------------------
// eligo checks specs in C++ (parse_sweep_spec); the schema is for editors and tools. It must accept
// every spec the project ships (sweep_*.json in examples/, scripts/regress/, bench/configs/) and reject the
// bad specs it can express.

// The first error of validating spec against the schema on disk, or "" when it is valid.
std::string schema_error(const json& spec) {
  static const std::unique_ptr<valijson::Schema> schema = [] {
    auto s = std::make_unique<valijson::Schema>();
    const json doc = eligo::testing::read_json(fs::path(ELIGO_SOURCE_DIR) / "docs" / "sweep.schema.json");
    valijson::SchemaParser(valijson::SchemaParser::kDraft7).populateSchema(valijson::adapters::NlohmannJsonAdapter(doc), *s);
    return s;
  }();
  valijson::ValidationResults results;
  if (valijson::Validator().validate(*schema, valijson::adapters::NlohmannJsonAdapter(spec), &results)) return "";
  valijson::ValidationResults::Error e;
  std::string context;
  if (results.popError(e)) {
    for (const std::string& c : e.context) context += c;
    return context + ": " + e.description;
  }
  return "invalid";
}

std::vector<fs::path> shipped_specs() {
  std::vector<fs::path> out;
  for (const char* dir : {"examples", "scripts/regress", "bench/configs"}) {
    const fs::path d = fs::path(ELIGO_SOURCE_DIR) / dir;
    if (!fs::is_directory(d)) continue;
    for (const auto& entry : fs::directory_iterator(d)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("sweep_", 0) == 0 && entry.path().extension() == ".json") out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SweepSchema, ShippedSpecsAreValid) {
  const std::vector<fs::path> specs = shipped_specs();
  EXPECT_GE(specs.size(), 2u);
  for (const fs::path& p : specs) {
    SCOPED_TRACE(p.string());
    EXPECT_EQ(schema_error(eligo::testing::read_json(p)), "");
    EXPECT_NO_THROW(ex::load_sweep_spec(p.string()));  // and eligo's own check agrees
  }
}

TEST(SweepSchema, AcceptsEveryForm) {
  EXPECT_EQ(schema_error(json::parse(R"({"base_config": "b.json", "command": "train", "args": ["--iterations", "5"],
      "axes": [{"name": "seed", "range": {"from": 1, "to": 3}},
               {"zip": [{"name": "train.lr", "values": [0.1, 0.01]}, {"name": "network.lif.n", "values": [8, 16]}]}],
      "seed_axis": "seed", "metrics": {"acc": "metrics.json:test.accuracy"},
      "resources": {"cpus": 2, "mem": "4G", "time": "02:00:00"}})")), "");
}

TEST(SweepSchema, RejectsBadSpecs) {
  const char* base = R"("base_config": "b.json", "command": "chip")";
  const std::string axis = R"("axes": [{"name": "chip.lanes", "values": [1]}])";
  for (const std::string& text : std::vector<std::string>{
           R"({"command": "chip", )" + axis + "}",                                    // base_config missing
           R"({"base_config": "b.json", "command": "grad", )" + axis + "}",           // command
           std::string("{") + base + R"(, "axes": []})",                              // no axis
           std::string("{") + base + R"(, "axes": [{"name": "chip.lanes"}]})",        // neither values nor range
           std::string("{") + base + R"(, "axes": [{"name": "a", "values": [1], "range": {"from": 1, "to": 2}}]})",
           std::string("{") + base + R"(, "axes": [{"name": "a", "values": [1], "vals": 2}]})",
           std::string("{") + base + R"(, "axes": [{"name": "a..b", "values": [1]}]})",
           std::string("{") + base + R"(, "axes": [{"name": "a", "range": {"from": 1, "to": 3, "step": 0}}]})",
           std::string("{") + base + R"(, "axes": [{"name": "a", "range": {"from": 1}}]})",
           std::string("{") + base + R"(, "args": ["--out", "x"], )" + axis + "}",
           std::string("{") + base + ", " + axis + R"(, "metrics": {"acc": "accuracy"}})",
           std::string("{") + base + ", " + axis + R"(, "resources": {"cpus": 0}})",
           std::string("{") + base + ", " + axis + R"(, "resources": {"gpus": 1}})",
           std::string("{") + base + ", " + axis + R"(, "extra": 1})"}) {
    SCOPED_TRACE(text);
    EXPECT_NE(schema_error(json::parse(text)), "");
  }
}

TEST(SweepStats, MeanSampleStdCount) {
  const ex::Stat s = ex::stat_of({0.8, 0.9, 1.0});
  EXPECT_EQ(s.count, 3);
  EXPECT_NEAR(s.mean, 0.9, 1e-15);
  ASSERT_TRUE(s.std.has_value());
  EXPECT_NEAR(*s.std, 0.1, 1e-15);  // sample std: sqrt((0.01 + 0 + 0.01) / 2)
  const ex::Stat one = ex::stat_of({2.5});
  EXPECT_EQ(one.count, 1);
  EXPECT_EQ(one.mean, 2.5);
  EXPECT_FALSE(one.std.has_value());
  EXPECT_EQ(ex::stat_of({}).count, 0);
}

TEST_F(Sweep, MetricsAndDesignAggregates) {
  const auto s = spec(R"({"base_config": "base.json", "command": "chip",
      "axes": [{"name": "chip.lanes", "values": [2, 4]}, {"name": "chip.seed", "values": [1, 2, 3]}],
      "seed_axis": "chip.seed",
      "metrics": {"acc": "report.json:accuracy", "last_loss": "report.json:learning_curve.-1.loss",
                  "missing": "report.json:nope"}})");
  const auto pts = ex::expand_sweep(s);
  // collect_metrics reads dotted paths and array indexes; absent values are null.
  eligo::testing::write_text(dir_ / "p", "report.json",
                             R"({"accuracy": 0.75, "learning_curve": [{"loss": 2}, {"loss": 1.5}]})");
  const json m = ex::collect_metrics(s, (dir_ / "p").string());
  EXPECT_EQ(m["acc"], 0.75);
  EXPECT_EQ(m["last_loss"], 1.5);
  EXPECT_TRUE(m["missing"].is_null());
  // Six results: lanes 2 seeds give 0.6, 0.7, 0.8; lanes 4: 0.9, failed, 1.0.
  std::vector<ex::PointResult> rs(6);
  const double acc[6] = {0.6, 0.7, 0.8, 0.9, 0, 1.0};
  for (size_t i = 0; i < 6; ++i) {
    rs[i].status = i == 4 ? "failed" : "ok";
    rs[i].exit_status = i == 4 ? 1 : 0;
    rs[i].wall_s = 1.0;
    rs[i].metrics = {{"acc", acc[i]}, {"last_loss", nullptr}, {"missing", nullptr}};
  }
  rs[4].stderr_tail = "boom";
  const json res = ex::sweep_results_json(s, pts, rs);
  ASSERT_EQ(res["points"].size(), 6u);
  EXPECT_EQ(res["points"][4]["status"], "failed");
  EXPECT_EQ(res["points"][4]["stderr_tail"], "boom");
  ASSERT_EQ(res["designs"].size(), 2u);
  const json& d0 = res["designs"][0];
  EXPECT_EQ(d0["axes"], json::parse(R"({"chip.lanes": 2})"));
  EXPECT_NEAR(d0["metrics"]["acc"]["mean"].get<double>(), 0.7, 1e-12);
  EXPECT_NEAR(d0["metrics"]["acc"]["std"].get<double>(), 0.1, 1e-12);
  EXPECT_EQ(d0["metrics"]["acc"]["count"], 3);
  EXPECT_TRUE(d0["metrics"]["last_loss"]["mean"].is_null());
  const json& d1 = res["designs"][1];
  EXPECT_EQ(d1["ok"], 2);  // the failed point is not averaged
  EXPECT_EQ(d1["metrics"]["acc"]["count"], 2);
  EXPECT_NEAR(d1["metrics"]["acc"]["mean"].get<double>(), 0.95, 1e-12);
  EXPECT_NEAR(d1["metrics"]["acc"]["std"].get<double>(), std::sqrt(0.005), 1e-12);
  // CSV: header, 6 point rows, 2 design rows.
  const std::string csv = ex::sweep_results_csv(res);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "kind,point,status,exit_status,wall_s,chip.lanes,chip.seed,acc,last_loss,missing,acc_std,last_loss_std,"
            "missing_std,count");
  EXPECT_NE(csv.find("\ndesign,,3/3 ok,,,2,,0.7,,,0.1,,,3\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\ndesign,,2/3 ok,,,4,,0.95,,,0.07071067812,,,2\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\npoint," + pts[4].hash + ",failed,1,1,4,2,0,,,,,,\n"), std::string::npos) << csv;
}

}  // namespace
