// Tests of the run configuration (golden_model/io/config.*): the examples parse, the schema
// embedded in the library is docs/config.schema.json, the schema is complete (descriptions,
// defaults, ranges), its defaults are the struct defaults, and bad inputs give one-line messages
// naming the file, the key and the allowed range.
#include "golden_model/io/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/files.hpp"

namespace {

namespace fs = std::filesystem;
using eligo::io::ConfigError;
using eligo::io::RunConfig;
using eligo::io::TaskKind;
using json = nlohmann::json;
using ojson = nlohmann::ordered_json;
namespace fl = eligo::fl;

std::string source_path(const std::string& rel) { return std::string(ELIGO_SOURCE_DIR) + "/" + rel; }

using eligo::testing::read_text;
using eligo::testing::write_file;
fs::path scratch_dir() { return eligo::testing::scratch_dir("config_test"); }

// A small valid pattern-generation config; tests modify it.
json base_config() {
  return json::parse(R"({
    "seed": 3,
    "network": { "n_in": 8, "n_out": 1, "lif": { "n": 4 }, "alif": { "n": 2 } },
    "task": { "type": "pattern_generation", "n_in": 8, "T": 50 },
    "train": { "loss": "mse", "iterations": 2, "batch_size": 2 }
  })");
}

// Writes `text` as <scratch>/bad.json, loads it and returns the ConfigError message ("" if none).
std::string load_error_text(const std::string& text, std::string* file = nullptr) {
  const std::string path = write_file(scratch_dir() / "bad.json", text);
  if (file) *file = path;
  try {
    eligo::io::load_config(path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// Loads `j` from a file and checks that the message starts with the file name, is one line and
// contains every fragment.
void expect_error(const json& j, std::initializer_list<std::string> fragments) {
  std::string file;
  const std::string msg = load_error_text(j.dump(2), &file);
  ASSERT_FALSE(msg.empty()) << "no ConfigError for " << j.dump();
  EXPECT_EQ(msg.rfind(file + ": ", 0), 0u) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  for (const auto& f : fragments) EXPECT_NE(msg.find(f), std::string::npos) << "missing '" << f << "' in: " << msg;
}

// Every field of the parsed structs, for equality checks.
void expect_same(const RunConfig& a, const RunConfig& b) {
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.log_every, b.log_every);
  const auto &na = a.net, &nb = b.net;
  EXPECT_EQ(na.n_in, nb.n_in);
  EXPECT_EQ(na.n_out, nb.n_out);
  EXPECT_EQ(na.dt_ms, nb.dt_ms);
  for (auto [pa, pb] : {std::pair{na.lif, nb.lif}, std::pair{na.alif, nb.alif}}) {
    EXPECT_EQ(pa.n, pb.n);
    EXPECT_EQ(pa.tau_m_ms, pb.tau_m_ms);
    EXPECT_EQ(pa.thr, pb.thr);
    EXPECT_EQ(pa.n_ref, pb.n_ref);
  }
  EXPECT_EQ(na.alif.tau_a_ms, nb.alif.tau_a_ms);
  EXPECT_EQ(na.alif.beta, nb.alif.beta);
  EXPECT_EQ(na.tau_out_ms, nb.tau_out_ms);
  EXPECT_EQ(na.input_scaling, nb.input_scaling);
  EXPECT_EQ(na.readout_scaling, nb.readout_scaling);
  EXPECT_EQ(na.gamma, nb.gamma);
  EXPECT_EQ(na.spike_at_threshold, nb.spike_at_threshold);
  EXPECT_EQ(na.discard_input_at_step0, nb.discard_input_at_step0);
  EXPECT_EQ(na.spike_fn, nb.spike_fn);
  EXPECT_EQ(na.sigmoid_width, nb.sigmoid_width);
  const auto &ta = a.train, &tb = b.train;
  EXPECT_EQ(ta.algo, tb.algo);
  EXPECT_EQ(ta.loss, tb.loss);
  EXPECT_EQ(ta.learning_window, tb.learning_window);
  EXPECT_EQ(ta.feedback, tb.feedback);
  EXPECT_EQ(ta.feedback_decay, tb.feedback_decay);
  EXPECT_EQ(ta.optimizer.kind, tb.optimizer.kind);
  EXPECT_EQ(ta.optimizer.lr, tb.optimizer.lr);
  EXPECT_EQ(ta.optimizer.beta1, tb.optimizer.beta1);
  EXPECT_EQ(ta.optimizer.beta2, tb.optimizer.beta2);
  EXPECT_EQ(ta.optimizer.eps, tb.optimizer.eps);
  EXPECT_EQ(ta.w_min, tb.w_min);
  EXPECT_EQ(ta.w_max, tb.w_max);
  EXPECT_EQ(ta.l2, tb.l2);
  EXPECT_EQ(ta.c_reg, tb.c_reg);
  EXPECT_EQ(ta.f_target_hz, tb.f_target_hz);
  EXPECT_EQ(ta.rate_reg, tb.rate_reg);
  EXPECT_EQ(ta.batch_mean, tb.batch_mean);
  EXPECT_EQ(ta.average_over_window, tb.average_over_window);
  EXPECT_EQ(ta.update, tb.update);
  EXPECT_EQ(ta.stop_z_gradient, tb.stop_z_gradient);
  EXPECT_EQ(ta.trace, tb.trace);
  EXPECT_EQ(ta.trace_pre_steps, tb.trace_pre_steps);
  EXPECT_EQ(ta.adapt_block, tb.adapt_block);
  EXPECT_EQ(ta.adapt_bins, tb.adapt_bins);
  EXPECT_EQ(ta.adapt_bin_spacing, tb.adapt_bin_spacing);
  EXPECT_EQ(ta.readout_filter, tb.readout_filter);
  EXPECT_EQ(ta.train_in, tb.train_in);
  EXPECT_EQ(ta.train_rec, tb.train_rec);
  EXPECT_EQ(ta.train_out, tb.train_out);
  EXPECT_EQ(ta.iterations, tb.iterations);
  EXPECT_EQ(ta.batch_size, tb.batch_size);
  const auto &ka = a.task, &kb = b.task;
  EXPECT_EQ(ka.kind, kb.kind);
  EXPECT_EQ(ka.pg_n_in, kb.pg_n_in);
  EXPECT_EQ(ka.pg_T, kb.pg_T);
  EXPECT_EQ(ka.pg_input_rate_hz, kb.pg_input_rate_hz);
  EXPECT_EQ(ka.ea_n_cues, kb.ea_n_cues);
  EXPECT_EQ(ka.ea_t_cue, kb.ea_t_cue);
  EXPECT_EQ(ka.ea_t_cue_spacing, kb.ea_t_cue_spacing);
  EXPECT_EQ(ka.ea_t_delay, kb.ea_t_delay);
  EXPECT_EQ(ka.ea_t_recall, kb.ea_t_recall);
  EXPECT_EQ(ka.ea_f_cue_hz, kb.ea_f_cue_hz);
  EXPECT_EQ(ka.ea_f_background_hz, kb.ea_f_background_hz);
  EXPECT_EQ(ka.ea_p_majority, kb.ea_p_majority);
  EXPECT_EQ(ka.inputs_path, kb.inputs_path);
  EXPECT_EQ(ka.targets_path, kb.targets_path);
  EXPECT_EQ(ka.test_batches, kb.test_batches);
  EXPECT_EQ(a.init.weights_path, b.init.weights_path);
  EXPECT_EQ(a.init.w_in_scale, b.init.w_in_scale);
  EXPECT_EQ(a.init.w_rec_scale, b.init.w_rec_scale);
  EXPECT_EQ(a.init.w_out_scale, b.init.w_out_scale);
  EXPECT_EQ(a.init.b_scale, b.init.b_scale);
}

// A minimal .npy file (float64, C order) with the given shape and zero data.
void write_npy(const fs::path& path, std::initializer_list<long> shape) {
  std::string dims;
  long count = 1;
  for (long d : shape) dims += std::to_string(d) + ", ", count *= d;
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header + std::string(static_cast<size_t>(count) * 8, '\0');
  write_file(path, bytes);
}

// ---- examples and defaults -----------------------------------------------------------------

TEST(ConfigExamples, EveryExampleParses) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(source_path("examples"))) {
    if (entry.path().extension() != ".json") continue;
    // Image-model configs ("model": "mlp", "clapp") have their own parsers and tests.
    std::ifstream f(entry.path());
    const auto j = nlohmann::json::parse(f);
    if (j.contains("model") && j["model"] != "lsnn") continue;
    // Chip configs (network_config or an inline network, + chip) are loaded by eligo chip:
    // tests/harness/chip_cli_test.cpp, chip_reckon_cli_test.cpp.
    if (j.contains("network_config") || j.contains("chip")) continue;
    // Sweep specs (eligo sweep): tests/golden_model/experiment/sweep_test.cpp.
    if (j.contains("base_config")) continue;
    SCOPED_TRACE(entry.path().string());
    EXPECT_NO_THROW(eligo::io::load_config(entry.path().string()));
    ++n;
  }
  EXPECT_GE(n, 2);
}

TEST(ConfigExamples, EvidenceAccumulationValues) {
  const RunConfig c = eligo::io::load_config(source_path("examples/evidence_accumulation.json"));
  EXPECT_EQ(c.task.kind, TaskKind::EvidenceAccumulation);
  EXPECT_EQ(c.net.n_in, 40);
  EXPECT_EQ(c.net.n_out, 2);
  EXPECT_EQ(c.net.lif.n, 50);
  EXPECT_EQ(c.net.alif.n, 50);
  EXPECT_EQ(c.net.alif.tau_a_ms, 2000.0);
  EXPECT_EQ(c.net.alif.n_ref, 5);
  EXPECT_EQ(c.net.alif.thr, 0.6);
  EXPECT_EQ(c.train.loss, fl::LossKind::CrossEntropy);
  EXPECT_EQ(c.train.learning_window, 150);
  EXPECT_EQ(c.train.batch_size, 64);
  EXPECT_EQ(c.train.optimizer.kind, fl::OptimizerKind::Adam);
  EXPECT_EQ(c.train.optimizer.lr, 0.005);
  EXPECT_EQ(c.task.ea_n_cues * c.task.ea_t_cue_spacing + c.task.ea_t_delay + c.task.ea_t_recall, 2250);
}

TEST(ConfigExamples, PatternGenerationValues) {
  const RunConfig c = eligo::io::load_config(source_path("examples/pattern_generation.json"));
  EXPECT_EQ(c.task.kind, TaskKind::PatternGeneration);
  EXPECT_EQ(c.net.n_in, 100);
  EXPECT_EQ(c.net.n_out, 1);
  EXPECT_EQ(c.net.lif.n, 100);
  EXPECT_EQ(c.net.alif.n, 0);
  EXPECT_EQ(c.net.tau_out_ms, 20.0);
  EXPECT_EQ(c.task.pg_T, 1000);
  EXPECT_EQ(c.train.loss, fl::LossKind::MSE);
  EXPECT_EQ(c.train.algo, fl::Algo::EProp);
  EXPECT_EQ(c.source, source_path("examples/pattern_generation.json"));
}

// The required keys set to the struct defaults, everything else omitted: the struct defaults.
TEST(ConfigDefaults, MinimalConfigGivesStructDefaults) {
  const RunConfig def;
  const json j = {{"network",
                   {{"n_in", def.net.n_in}, {"n_out", def.net.n_out}, {"lif", {{"n", def.net.lif.n}}},
                    {"alif", {{"n", def.net.alif.n}}}}},
                  {"task", {{"type", "evidence_accumulation"}}}};
  RunConfig c = eligo::io::parse_config(j, "inline", ".");
  EXPECT_EQ(c.source, "inline");
  c.source = def.source;
  expect_same(c, def);
}

// Fills every key that has a "default" in the schema with that default (the task branch given by
// `type`): the result must again be the struct defaults, so schema defaults == struct defaults.
json defaults_from_schema(const ojson& node, const std::set<std::string>& keep) {
  json out = json::object();
  for (auto it = node["properties"].begin(); it != node["properties"].end(); ++it) {
    if (!keep.empty() && !keep.count(it.key())) continue;
    const ojson& p = it.value();
    if (p.contains("properties")) {
      json sub = defaults_from_schema(p, {});
      if (!sub.empty()) out[it.key()] = sub;
    } else if (p.contains("default")) {
      out[it.key()] = json::parse(p["default"].dump());
    }
  }
  return out;
}

TEST(ConfigDefaults, SchemaDefaultsAreStructDefaults) {
  const RunConfig def;
  const ojson schema = ojson::parse(eligo::io::config_schema_text());
  json j = defaults_from_schema(schema, {});
  // The evidence_accumulation branch of the task section (the struct default task).
  std::set<std::string> ea_keys;
  for (const auto& branch : schema["properties"]["task"]["allOf"]) {
    if (branch["if"]["properties"]["type"]["const"] == "evidence_accumulation") {
      for (auto it = branch["then"]["properties"].begin(); it != branch["then"]["properties"].end(); ++it) {
        ea_keys.insert(it.key());
      }
    }
  }
  ASSERT_FALSE(ea_keys.empty());
  j["task"] = defaults_from_schema(schema["properties"]["task"], ea_keys);
  j["task"]["type"] = "evidence_accumulation";
  j["network"]["n_in"] = def.net.n_in;
  j["network"]["n_out"] = def.net.n_out;
  j["network"]["lif"]["n"] = def.net.lif.n;
  j["network"]["alif"]["n"] = def.net.alif.n;
  ASSERT_TRUE(j["train"].contains("optimizer"));  // the walk reached the nested sections
  ASSERT_TRUE(j["network"]["alif"].contains("beta"));
  // train.adapt_bins and adapt_bin_spacing are refused unless train.trace is "factored_bins",
  // readout_filter unless it is a factored mode (not the default): their schema defaults are
  // compared on their own.
  ASSERT_TRUE(j["train"].contains("adapt_bins"));
  EXPECT_EQ(j["train"]["adapt_bins"], def.train.adapt_bins);
  ASSERT_EQ(j["train"]["adapt_bin_spacing"], "equal");
  EXPECT_EQ(def.train.adapt_bin_spacing, fl::BinSpacing::Equal);
  ASSERT_EQ(j["train"]["readout_filter"], "none");  // refused unless train.trace is factored
  EXPECT_EQ(def.train.readout_filter, fl::ReadoutFilter::None);
  j["train"].erase("adapt_bins");
  j["train"].erase("adapt_bin_spacing");
  j["train"].erase("readout_filter");
  RunConfig c = eligo::io::parse_config(j, "defaults", ".");
  c.source = def.source;
  expect_same(c, def);
  // The pattern_generation defaults of the schema are those of TaskConfig, too.
  const auto& tp = schema["properties"]["task"]["properties"];
  EXPECT_EQ(tp["n_in"]["default"], def.task.pg_n_in);
  EXPECT_EQ(tp["T"]["default"], def.task.pg_T);
  EXPECT_EQ(tp["input_rate_hz"]["default"], def.task.pg_input_rate_hz);
}

TEST(ConfigMapping, EnumsAndListsReachTheStructs) {
  json j = base_config();
  j["network"]["input_scaling"] = "one_minus_alpha";
  j["network"]["readout"] = {{"tau_ms", 30.0}, {"scaling", "one"}};
  j["network"]["spike_condition"] = ">";
  j["network"]["discard_input_at_step0"] = true;
  j["network"]["surrogate"] = "sigmoid";
  j["network"]["sigmoid_width"] = 0.25;
  j["network"]["alif"] = {{"n", 2}, {"tau_a_ms", 500.0}, {"beta", 0.5}, {"n_ref", 2}};
  j["train"]["algo"] = "bptt";
  j["train"]["feedback"] = "adaptive";
  j["train"]["feedback_decay"] = 0.01;
  j["train"]["optimizer"] = {{"type", "sgd"}, {"lr", 0.1}};
  j["train"]["weight_clip"] = {-1.5, 2};
  j["train"]["reg"] = {{"c_reg", 300}, {"f_target_hz", 5}, {"rate", "per_sequence"}};
  j["train"]["batch_reduction"] = "sum";
  j["train"]["average_over_window"] = true;
  j["train"]["stop_z_gradient"] = true;
  j["train"]["trained"] = {"w_out", "w_in"};
  j["train"]["learning_window"] = 50;
  j["seed"] = 4294967295u;
  const RunConfig c = eligo::io::parse_config(j, "inline", ".");
  EXPECT_EQ(c.seed, 4294967295u);
  EXPECT_EQ(c.net.input_scaling, fl::Scaling::OneMinusDecay);
  EXPECT_EQ(c.net.readout_scaling, fl::Scaling::One);
  EXPECT_EQ(c.net.tau_out_ms, 30.0);
  EXPECT_FALSE(c.net.spike_at_threshold);
  EXPECT_TRUE(c.net.discard_input_at_step0);
  EXPECT_EQ(c.net.spike_fn, fl::SpikeFn::Sigmoid);
  EXPECT_EQ(c.net.sigmoid_width, 0.25);
  EXPECT_EQ(c.net.alif.tau_a_ms, 500.0);
  EXPECT_EQ(c.net.alif.beta, 0.5);
  EXPECT_EQ(c.net.alif.n_ref, 2);
  EXPECT_EQ(c.net.lif.n_ref, 5);
  EXPECT_EQ(c.train.algo, fl::Algo::BPTT);
  EXPECT_EQ(c.train.feedback, fl::Feedback::Adaptive);
  EXPECT_EQ(c.train.feedback_decay, 0.01);
  EXPECT_EQ(c.train.optimizer.kind, fl::OptimizerKind::SGD);
  EXPECT_EQ(c.train.optimizer.lr, 0.1);
  EXPECT_EQ(c.train.w_min, -1.5);
  EXPECT_EQ(c.train.w_max, 2.0);
  EXPECT_EQ(c.train.c_reg, 300.0);
  EXPECT_EQ(c.train.f_target_hz, 5.0);
  EXPECT_EQ(c.train.rate_reg, fl::RateReg::PerSequence);
  EXPECT_FALSE(c.train.batch_mean);
  EXPECT_TRUE(c.train.average_over_window);
  EXPECT_TRUE(c.train.stop_z_gradient);
  EXPECT_TRUE(c.train.train_in);
  EXPECT_FALSE(c.train.train_rec);
  EXPECT_TRUE(c.train.train_out);
  EXPECT_EQ(c.train.learning_window, 50);
  EXPECT_EQ(c.task.pg_T, 50);
  EXPECT_EQ(c.task.pg_n_in, 8);
}

TEST(ConfigMapping, RelativePathsAreResolvedAgainstTheConfigDirectory) {
  const fs::path dir = scratch_dir();
  write_file(dir / "sub" / "w.npz", "not checked here");
  write_npy(dir / "data" / "x.npy", {3, 20, 8});
  write_npy(dir / "data" / "y.npy", {3, 20, 1});
  json j = base_config();
  j["init"]["weights"] = "w.npz";
  j["task"] = {{"type", "files"}, {"inputs", "../data/x.npy"}, {"targets", "../data/y.npy"}, {"test_batches", 0}};
  j["train"]["learning_window"] = 20;
  const std::string file = write_file(dir / "sub" / "run.json", j.dump());
  const RunConfig c = eligo::io::load_config(file);
  EXPECT_EQ(c.task.kind, TaskKind::Files);
  EXPECT_EQ(fs::path(c.init.weights_path), fs::absolute(dir / "sub" / "w.npz").lexically_normal());
  EXPECT_EQ(fs::path(c.task.inputs_path), fs::absolute(dir / "data" / "x.npy").lexically_normal());
  EXPECT_EQ(fs::path(c.task.targets_path), fs::absolute(dir / "data" / "y.npy").lexically_normal());
  EXPECT_TRUE(fs::path(c.task.inputs_path).is_absolute());
  EXPECT_EQ(c.task.test_batches, 0);

  // The sequence length of a files task is the .npy's T: a longer learning window is rejected.
  j["train"]["learning_window"] = 21;
  write_file(dir / "sub" / "run.json", j.dump());
  try {
    eligo::io::load_config(file);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("train.learning_window: 21 is longer than the sequence length T = 20 (allowed: 0 .. 20)"),
              std::string::npos) << e.what();
  }
  // Shapes must fit the network.
  write_npy(dir / "data" / "x.npy", {3, 20, 7});
  j["train"]["learning_window"] = 0;
  write_file(dir / "sub" / "run.json", j.dump());
  try {
    eligo::io::load_config(file);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("task.inputs: array shape (3, 20, 7) does not match network.n_in = 8 (allowed: (B, T, 8))"),
              std::string::npos) << e.what();
  }
}

// A path a config names may hold control characters (a file name may hold any byte but '/' and
// NUL): the error stays one line, the characters escaped (found by fuzz_chip_config: a
// network_config "evid\nce_accumulation_demo.json").
TEST(ConfigMapping, PathsWithControlCharactersGiveOneLineErrors) {
  const fs::path dir = scratch_dir();
  json j = base_config();
  j["init"]["weights"] = "w\nx\t\x01.npz";
  const std::string file = write_file(dir / "ctl" / "run.json", j.dump());
  try {
    eligo::io::load_config(file);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_NE(what.find("init.weights: no such file 'w\\nx\\t\\x01.npz'"), std::string::npos) << what;
  }
  try {
    eligo::io::load_config((dir / "ctl" / "a\nb\x7f.json").string());
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_NE(what.find("a\\nb\\x7f.json: cannot open"), std::string::npos) << what;
  }
}

// ---- the schema ------------------------------------------------------------------------------

TEST(ConfigSchema, EmbeddedSchemaIsTheFileOnDisk) {
  const std::string disk = read_text(source_path("docs/config.schema.json"));
  ASSERT_FALSE(disk.empty());
  EXPECT_EQ(eligo::io::config_schema_text(), disk)
      << "the library embeds an old docs/config.schema.json: re-run cmake";
}

// Every key: "type" and "description"; a "default" unless it is required; numbers with a lower
// and an upper bound; objects closed with "additionalProperties": false.
void check_schema_node(const ojson& node, const std::string& path, const std::set<std::string>& required_here) {
  ASSERT_TRUE(node.contains("properties")) << path;
  EXPECT_EQ(node.value("additionalProperties", true), false) << path << ": additionalProperties must be false";
  for (auto it = node["properties"].begin(); it != node["properties"].end(); ++it) {
    const std::string key = path.empty() ? it.key() : path + "." + it.key();
    const ojson& p = it.value();
    SCOPED_TRACE(key);
    EXPECT_TRUE(p.contains("type")) << key << ": no type";
    EXPECT_TRUE(p.contains("description") && !p["description"].get<std::string>().empty()) << key << ": no description";
    const bool required = required_here.count(it.key()) > 0;
    EXPECT_NE(p.contains("default"), required) << key << ": needs a default exactly when it is optional";
    const std::string type = p.contains("type") && p["type"].is_string() ? p["type"].get<std::string>() : "";
    if (type == "integer" || type == "number") {
      EXPECT_TRUE(p.contains("minimum") || p.contains("exclusiveMinimum")) << key << ": no lower bound";
      EXPECT_TRUE(p.contains("maximum") || p.contains("exclusiveMaximum")) << key << ": no upper bound";
    }
    if (type == "object") {
      std::set<std::string> req;
      if (p.contains("required")) {
        for (const auto& r : p["required"]) req.insert(r.get<std::string>());
      }
      // Keys required only in an if/then branch (files: inputs, targets) count as required.
      if (p.contains("allOf")) {
        for (const auto& b : p["allOf"]) {
          if (b.contains("then") && b["then"].contains("required")) {
            for (const auto& r : b["then"]["required"]) req.insert(r.get<std::string>());
          }
        }
      }
      check_schema_node(p, key, req);
    }
  }
}

TEST(ConfigSchema, EveryKeyIsDocumentedAndBounded) {
  const ojson schema = ojson::parse(eligo::io::config_schema_text());
  EXPECT_EQ(schema.value("$schema", ""), "http://json-schema.org/draft-07/schema#");
  std::set<std::string> req;
  for (const auto& r : schema["required"]) req.insert(r.get<std::string>());
  check_schema_node(schema, "", req);
}

TEST(ConfigSchema, TaskBranchesCoverEveryTaskKeyOnce) {
  const ojson schema = ojson::parse(eligo::io::config_schema_text());
  const ojson& task = schema["properties"]["task"];
  std::set<std::string> all, in_branches;
  for (auto it = task["properties"].begin(); it != task["properties"].end(); ++it) all.insert(it.key());
  std::set<std::string> types;
  for (const auto& t : task["properties"]["type"]["enum"]) types.insert(t.get<std::string>());
  ASSERT_EQ(task["allOf"].size(), types.size());
  for (const auto& b : task["allOf"]) {
    EXPECT_EQ(types.erase(b["if"]["properties"]["type"]["const"].get<std::string>()), 1u);
    EXPECT_EQ(b["then"]["additionalProperties"], false);
    for (auto it = b["then"]["properties"].begin(); it != b["then"]["properties"].end(); ++it) {
      EXPECT_TRUE(all.count(it.key())) << it.key() << " is in a branch but not in task.properties";
      in_branches.insert(it.key());
    }
  }
  EXPECT_EQ(in_branches, all) << "a task key is allowed by no task type";
}

// ---- bad inputs --------------------------------------------------------------------------------

TEST(ConfigErrors, MissingFile) {
  const std::string path = (scratch_dir() / "nope.json").string();
  try {
    eligo::io::load_config(path);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot open");
  }
}

TEST(ConfigErrors, DirectoryInsteadOfFile) {
  const std::string path = scratch_dir().string();
  try {
    eligo::io::load_config(path);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot open (is a directory)");
  }
}

TEST(ConfigErrors, MalformedJson) {
  std::string file;
  const std::string msg = load_error_text("{\n  \"seed\": 1,\n  x\n}\n", &file);
  EXPECT_EQ(msg.rfind(file + ": line 3, column 3: malformed JSON: ", 0), 0u) << msg;
  EXPECT_NE(msg.find("syntax error"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  EXPECT_EQ(msg.find("[json.exception"), std::string::npos) << msg;

  const std::string empty = load_error_text("");
  EXPECT_NE(empty.find("malformed JSON"), std::string::npos) << empty;
}

TEST(ConfigErrors, DuplicateKey) {
  const std::string msg = load_error_text(R"({"network": {"n_in": 8, "n_out": 1, "n_in": 9}})");
  EXPECT_NE(msg.find(": network.n_in: duplicate key"), std::string::npos) << msg;
}

TEST(ConfigErrors, TopLevelMustBeAnObject) {
  const std::string msg = load_error_text("[1, 2]");
  EXPECT_NE(msg.find(": (top level): expected object, got array"), std::string::npos) << msg;
}

TEST(ConfigErrors, UnknownKeyAtEveryLevel) {
  json j = base_config();
  j["sed"] = 1;
  expect_error(j, {": sed: unknown key (allowed keys: seed, log_every, network, init, task, train, analog)"});

  j = base_config();
  j["network"]["lif"]["tau_a_ms"] = 100;  // an ALIF key in the LIF block
  expect_error(j, {": network.lif.tau_a_ms: unknown key (allowed keys: n, tau_m_ms, thr, n_ref)"});

  j = base_config();
  j["train"]["optimizer"] = {{"type", "adam"}, {"typo", 1}};
  expect_error(j, {": train.optimizer.typo: unknown key (allowed keys: type, lr, beta1, beta2, eps)"});

  j = base_config();
  j["train"]["reg"]["f_target"] = 10;
  expect_error(j, {": train.reg.f_target: unknown key (allowed keys: c_reg, f_target_hz, rate)"});
}

TEST(ConfigErrors, KeyOfAnotherTaskType) {
  json j = base_config();
  j["task"]["t_cue"] = 100;
  expect_error(j, {": task.t_cue: unknown key for type \"pattern_generation\"",
                   "(allowed keys: type, n_in, T, input_rate_hz, test_batches)"});

  j = base_config();
  j["network"]["n_in"] = 40;
  j["network"]["n_out"] = 2;
  j["task"] = {{"type", "evidence_accumulation"}, {"T", 100}};
  expect_error(j, {": task.T: unknown key for type \"evidence_accumulation\"", "allowed keys: type, n_cues, t_cue"});
}

TEST(ConfigErrors, WrongType) {
  json j = base_config();
  j["train"]["iterations"] = "100";
  expect_error(j, {": train.iterations: expected integer, got string (allowed: >= 0 and <= 100000000)"});

  j = base_config();
  j["train"]["batch_size"] = 2.5;
  expect_error(j, {": train.batch_size: expected integer, got number 2.5 (allowed: >= 1"});

  j = base_config();
  j["network"]["discard_input_at_step0"] = 1;
  expect_error(j, {": network.discard_input_at_step0: expected boolean, got integer (allowed: true, false)"});

  j = base_config();
  j["task"]["type"] = 3;  // the type is reported, not the enum
  expect_error(j, {": task.type: expected string, got integer (allowed: \"pattern_generation\""});

  j = base_config();
  j["network"]["lif"] = 4;
  expect_error(j, {": network.lif: expected object, got integer"});

  j = base_config();
  j["init"]["weights"] = 3;
  expect_error(j, {": init.weights: expected string or null, got integer"});

  j = base_config();
  j["train"]["weight_clip"] = {-1, "1"};
  expect_error(j, {": train.weight_clip[1]: expected number, got string"});
}

TEST(ConfigErrors, OutOfRange) {
  json j = base_config();
  j["network"]["lif"]["tau_m_ms"] = -5;
  expect_error(j, {": network.lif.tau_m_ms: -5 is out of range (allowed: > 0 and <= 1000000)"});

  j = base_config();
  j["network"]["lif"]["tau_m_ms"] = 0.0;
  expect_error(j, {": network.lif.tau_m_ms: 0.0 is out of range (allowed: > 0"});

  j = base_config();
  j["network"]["alif"]["n_ref"] = 20000;
  expect_error(j, {": network.alif.n_ref: 20000 is out of range (allowed: >= 0 and <= 10000)"});

  j = base_config();
  j["network"]["lif"]["n_ref"] = -1;
  expect_error(j, {": network.lif.n_ref: -1 is out of range (allowed: >= 0 and <= 10000)"});

  j = base_config();
  j["train"]["optimizer"]["beta2"] = 1.0;
  expect_error(j, {": train.optimizer.beta2: 1.0 is out of range (allowed: >= 0 and < 1)"});

  j = base_config();
  j["seed"] = -1;
  expect_error(j, {": seed: -1 is out of range (allowed: >= 0 and <= 4294967295)"});
}

TEST(ConfigErrors, BadEnumString) {
  json j = base_config();
  j["network"]["surrogate"] = "sigmod";
  expect_error(j, {": network.surrogate: \"sigmod\" is not an allowed value (allowed: \"piecewise_linear\", \"sigmoid\")"});

  j = base_config();
  j["train"]["optimizer"]["type"] = "Adam";
  expect_error(j, {": train.optimizer.type: \"Adam\" is not an allowed value (allowed: \"sgd\", \"adam\")"});

  j = base_config();
  j["task"]["type"] = "patterns";
  expect_error(j, {": task.type: \"patterns\" is not an allowed value",
                   "(allowed: \"pattern_generation\", \"evidence_accumulation\", \"files\")"});

  j = base_config();
  j["train"]["trained"] = {"w_in", "w_foo"};
  expect_error(j, {": train.trained[1]: \"w_foo\" is not an allowed value (allowed: \"w_in\", \"w_rec\", \"w_out\")"});

  j = base_config();
  j["train"]["trained"] = {"w_in", "w_in"};
  expect_error(j, {": train.trained: duplicate items (allowed: unique items of \"w_in\", \"w_rec\", \"w_out\")"});
}

TEST(ConfigErrors, MissingRequiredKey) {
  json j = base_config();
  j["network"].erase("n_in");
  expect_error(j, {": network.n_in: missing required key (allowed: >= 1 and <= 100000)"});

  j = base_config();
  j["task"].erase("type");
  expect_error(j, {": task.type: missing required key (allowed: \"pattern_generation\""});

  j = base_config();
  j.erase("task");
  expect_error(j, {": task: missing required key"});

  j = base_config();
  j["task"] = {{"type", "files"}, {"inputs", "x.npy"}};
  expect_error(j, {": task.targets: missing required key"});
}

TEST(ConfigErrors, WeightClip) {
  json j = base_config();
  j["train"]["weight_clip"] = {1, 0};
  expect_error(j, {": train.weight_clip: min 1 is not below max 0 (allowed: [min, max] with min < max)"});

  j["train"]["weight_clip"] = {0.5, 0.5};
  expect_error(j, {": train.weight_clip: min 0.5 is not below max 0.5 (allowed: [min, max] with min < max)"});

  j["train"]["weight_clip"] = {1};
  expect_error(j, {": train.weight_clip: expected exactly 2 items, got 1"});
}

TEST(ConfigErrors, MissingReferencedFiles) {
  json j = base_config();
  j["init"]["weights"] = "w.npz";
  expect_error(j, {": init.weights: no such file 'w.npz' (resolved to '"});

  j = base_config();
  j["task"] = {{"type", "files"}, {"inputs", "in.npy"}, {"targets", "out.npy"}};
  expect_error(j, {": task.inputs: no such file 'in.npy'"});

  const fs::path dir = scratch_dir();
  write_file(dir / "junk.npy", "not an npy file");
  write_npy(dir / "y.npy", {1, 10, 1});
  j["task"]["inputs"] = (dir / "junk.npy").string();
  j["task"]["targets"] = (dir / "y.npy").string();
  expect_error(j, {": task.inputs: " + (dir / "junk.npy").string() + ": bad magic: not a .npy file"});

  // A 76-byte .npy whose header length says 1 GiB (version 2.0: 4-byte length) allocated 1 GB
  // (issue 16): the length is checked against the file's size first.
  std::string huge = std::string("\x93NUMPY\x02\x00", 8) + std::string("\x00\x00\x00\x40", 4);
  huge.append(76 - huge.size(), ' ');
  write_file(dir / "huge.npy", huge);
  j["task"]["inputs"] = (dir / "huge.npy").string();
  expect_error(j, {": task.inputs: " + (dir / "huge.npy").string() +
                   ": truncated header: expected 1073741824 header bytes, found 64"});
}

TEST(ConfigErrors, CrossFieldRules) {
  json j = base_config();
  j["network"]["lif"]["n"] = 0;
  j["network"]["alif"]["n"] = 0;
  expect_error(j, {": network.lif.n: ", "(allowed: lif.n + alif.n >= 1)"});

  j = base_config();
  j["task"]["n_in"] = 9;
  expect_error(j, {": task.n_in: 9 does not match network.n_in = 8 (allowed: 8)"});

  j = base_config();
  j["train"]["loss"] = "cross_entropy";
  expect_error(j, {": network.n_out: 1 readout is too few for train.loss \"cross_entropy\" (allowed: >= 2"});

  j = base_config();
  j["train"]["learning_window"] = 51;
  expect_error(j, {": train.learning_window: 51 is longer than the sequence length T = 50 (allowed: 0 .. 50)"});

  j = base_config();
  j["train"]["algo"] = "bptt";
  j["train"]["update"] = "online";
  expect_error(j, {": train.update: \"online\" needs train.algo \"eprop\"", "(allowed: \"per_batch\" with train.algo \"bptt\")"});

  j = base_config();
  j["train"]["algo"] = "bptt";
  j["train"]["trace"] = "factored";
  expect_error(j, {": train.trace: approximate traces need train.algo \"eprop\"", "(allowed: \"exact\" with train.algo \"bptt\")"});

  j = base_config();
  j["train"]["trace"] = "sparse";
  expect_error(j, {": train.trace", "exact", "windowed", "factored"});

  j = base_config();
  j["network"]["dt_ms"] = 10.0;
  j["task"]["input_rate_hz"] = 200.0;
  expect_error(j, {": task.input_rate_hz: 200 Hz is a spike probability above 1 per step at network.dt_ms = 10",
                   "(allowed: <= 100)"});

  json ea = {{"network", {{"n_in", 42}, {"n_out", 2}, {"lif", {{"n", 4}}}, {"alif", {{"n", 4}}}}},
             {"task", {{"type", "evidence_accumulation"}}}};
  expect_error(ea, {": network.n_in: 42 does not fit task \"evidence_accumulation\" (allowed: a multiple of 4"});

  ea["network"]["n_in"] = 40;
  ea["network"]["n_out"] = 3;
  expect_error(ea, {": network.n_out: 3 does not fit task \"evidence_accumulation\" (allowed: 2)"});

  ea["network"]["n_out"] = 2;
  ea["task"]["t_cue"] = 200;
  expect_error(ea, {": task.t_cue: 200 is longer than task.t_cue_spacing (allowed: <= 150)"});

  ea["task"].erase("t_cue");
  ea["train"]["learning_window"] = 2251;
  expect_error(ea, {": train.learning_window: 2251 is longer than the sequence length T = 2250 (allowed: 0 .. 2250)"});
  ea["train"]["learning_window"] = 2250;
  EXPECT_NO_THROW(eligo::io::parse_config(ea, "inline", "."));
}

// train.adapt_block (ALIF eps_a in blocks over the held steps) is read with trace "windowed" and
// refused, naming the trace mode, with any other.
TEST(ConfigErrors, AdaptBlockNeedsWindowedTraces) {
  json j = base_config();
  EXPECT_EQ(eligo::io::parse_config(j, "inline", ".").train.adapt_block, 0);
  j["train"]["trace"] = "windowed";
  j["train"]["trace_pre_steps"] = 20;
  j["train"]["adapt_block"] = 16;
  const RunConfig c = eligo::io::parse_config(j, "inline", ".");
  EXPECT_EQ(c.train.trace, fl::TraceMode::Windowed);
  EXPECT_EQ(c.train.trace_pre_steps, 20);
  EXPECT_EQ(c.train.adapt_block, 16);

  for (std::string mode : {"exact", "factored", "factored_adapt"}) {
    j["train"]["trace"] = mode;
    expect_error(j, {": train.adapt_block: 16 needs train.trace \"windowed\", not \"" + mode + "\"",
                     "(allowed: 0 with train.trace \"" + mode + "\")"});
  }
  j["train"].erase("trace");  // the default, exact
  expect_error(j, {": train.adapt_block: 16 needs train.trace \"windowed\", not \"exact\""});
  j["train"]["adapt_block"] = 0;
  EXPECT_NO_THROW(eligo::io::parse_config(j, "inline", "."));

  j["train"]["trace"] = "windowed";
  j["train"]["adapt_block"] = -1;
  expect_error(j, {": train.adapt_block: -1 is out of range (allowed: >= 0 and <= 1000000)"});
  j["train"]["adapt_block"] = 1000001;
  expect_error(j, {": train.adapt_block: 1000001 is out of range (allowed: >= 0 and <= 1000000)"});
  j["train"]["adapt_block"] = 2.5;
  expect_error(j, {": train.adapt_block: expected integer, got number 2.5"});
}

// train.adapt_bins (FactoredBins' time bins) is read with trace "factored_bins" (default 4) and
// refused, naming the trace mode, when written with any other; its range is 1 .. 64.
TEST(ConfigErrors, AdaptBinsNeedsFactoredBinsTraces) {
  json j = base_config();
  j["train"]["trace"] = "factored_bins";
  RunConfig c = eligo::io::parse_config(j, "inline", ".");
  EXPECT_EQ(c.train.trace, fl::TraceMode::FactoredBins);
  EXPECT_EQ(c.train.adapt_bins, 4);
  j["train"]["adapt_bins"] = 16;
  c = eligo::io::parse_config(j, "inline", ".");
  EXPECT_EQ(c.train.adapt_bins, 16);
  j["train"]["adapt_bins"] = 64;
  EXPECT_EQ(eligo::io::parse_config(j, "inline", ".").train.adapt_bins, 64);
  j["train"]["adapt_bins"] = 1;
  EXPECT_EQ(eligo::io::parse_config(j, "inline", ".").train.adapt_bins, 1);

  j["train"]["adapt_bins"] = 0;
  expect_error(j, {": train.adapt_bins: 0 is out of range (allowed: >= 1 and <= 64)"});
  j["train"]["adapt_bins"] = 65;
  expect_error(j, {": train.adapt_bins: 65 is out of range (allowed: >= 1 and <= 64)"});
  j["train"]["adapt_bins"] = 2.5;
  expect_error(j, {": train.adapt_bins: expected integer, got number 2.5"});

  j["train"]["adapt_bins"] = 8;
  for (std::string mode : {"exact", "windowed", "factored", "factored_adapt"}) {
    j["train"]["trace"] = mode;
    expect_error(j, {": train.adapt_bins: 8 needs train.trace \"factored_bins\", not \"" + mode + "\"",
                     "(allowed: 1 .. 64 with train.trace \"factored_bins\", absent with any other)"});
  }
  j["train"].erase("trace");  // the default, exact
  expect_error(j, {": train.adapt_bins: 8 needs train.trace \"factored_bins\", not \"exact\""});
  j["train"].erase("adapt_bins");
  EXPECT_NO_THROW(eligo::io::parse_config(j, "inline", "."));

  // adapt_bin_spacing: "equal" (default) or "exponential", factored_bins only.
  j["train"]["trace"] = "factored_bins";
  EXPECT_EQ(eligo::io::parse_config(j, "inline", ".").train.adapt_bin_spacing, fl::BinSpacing::Equal);
  j["train"]["adapt_bin_spacing"] = "exponential";
  EXPECT_EQ(eligo::io::parse_config(j, "inline", ".").train.adapt_bin_spacing, fl::BinSpacing::Exponential);
  j["train"]["adapt_bin_spacing"] = "log";
  expect_error(j, {": train.adapt_bin_spacing", "equal", "exponential"});
  j["train"]["adapt_bin_spacing"] = "exponential";
  j["train"]["trace"] = "factored_adapt";
  expect_error(j, {": train.adapt_bin_spacing: \"exponential\" needs train.trace \"factored_bins\", not \"factored_adapt\"",
                   "(allowed: \"equal\" or \"exponential\" with train.trace \"factored_bins\", absent with any other)"});
}

// train.readout_filter is read with the three factored trace modes (default "none") and refused,
// naming the trace mode, with exact and windowed (which filter e per synapse).
TEST(ConfigErrors, ReadoutFilterNeedsAFactoredTraceMode) {
  json j = base_config();
  for (std::string mode : {"factored", "factored_adapt", "factored_bins"}) {
    j["train"]["trace"] = mode;
    j["train"].erase("readout_filter");
    EXPECT_EQ(eligo::io::parse_config(j, "inline", ".").train.readout_filter, fl::ReadoutFilter::None) << mode;
    const std::pair<const char*, fl::ReadoutFilter> values[] = {{"none", fl::ReadoutFilter::None},
                                                                 {"synapse", fl::ReadoutFilter::Synapse},
                                                                 {"synapse_window", fl::ReadoutFilter::SynapseWindow},
                                                                 {"neuron", fl::ReadoutFilter::Neuron}};
    for (const auto& [name, value] : values) {
      j["train"]["readout_filter"] = name;
      EXPECT_EQ(eligo::io::parse_config(j, "inline", ".").train.readout_filter, value) << mode << " " << name;
    }
  }
  j["train"]["readout_filter"] = "post";
  expect_error(j, {": train.readout_filter", "none", "synapse_window", "neuron"});
  j["train"]["readout_filter"] = "neuron";
  for (std::string mode : {"exact", "windowed"}) {
    j["train"]["trace"] = mode;
    expect_error(j, {": train.readout_filter: \"neuron\" needs a factored train.trace, not \"" + mode + "\"",
                     "(allowed: \"none\", \"synapse\", \"synapse_window\" or \"neuron\" with train.trace \"factored\", "
                     "\"factored_adapt\" or \"factored_bins\", absent with any other)"});
  }
  j["train"].erase("trace");  // the default, exact
  j["train"]["readout_filter"] = "none";
  expect_error(j, {": train.readout_filter: \"none\" needs a factored train.trace, not \"exact\""});
  j["train"].erase("readout_filter");
  EXPECT_NO_THROW(eligo::io::parse_config(j, "inline", "."));
}

TEST(ConfigErrors, ParseConfigNamesTheSource) {
  json j = base_config();
  j["log_every"] = 0;
  try {
    eligo::io::parse_config(j, "inline.json", ".");
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "inline.json: log_every: 0 is out of range (allowed: >= 1 and <= 1000000000)");
  }
}

}  // namespace

// ---- the analog section (golden_model/analog/params.hpp) -----------------------------------

namespace {

void expect_same_analog(const eligo::analog::AnalogParams& a, const eligo::analog::AnalogParams& b) {
  EXPECT_EQ(a.mismatch_seed, b.mismatch_seed);
  EXPECT_EQ(a.fine_tune_iterations, b.fine_tune_iterations);
  EXPECT_EQ(a.time_scale, b.time_scale);
  EXPECT_EQ(a.synapse.levels, b.synapse.levels);
  EXPECT_EQ(a.synapse.programming_noise, b.synapse.programming_noise);
  EXPECT_EQ(a.synapse.mismatch_sigma, b.synapse.mismatch_sigma);
  EXPECT_EQ(a.synapse.read_noise, b.synapse.read_noise);
  EXPECT_EQ(a.synapse.drift_nu, b.synapse.drift_nu);
  EXPECT_EQ(a.synapse.drift_nu_sigma, b.synapse.drift_nu_sigma);
  EXPECT_EQ(a.synapse.drift_t0_s, b.synapse.drift_t0_s);
  EXPECT_EQ(a.synapse.drift_t_s, b.synapse.drift_t_s);
  EXPECT_EQ(a.synapse.drift_compensation, b.synapse.drift_compensation);
  EXPECT_EQ(a.neuron.tau_sigma, b.neuron.tau_sigma);
  EXPECT_EQ(a.neuron.thr_sigma, b.neuron.thr_sigma);
  EXPECT_EQ(a.neuron.gain_sigma, b.neuron.gain_sigma);
  EXPECT_EQ(a.neuron.noise, b.neuron.noise);
  for (auto [x, y] : {std::pair{&a.dac, &b.dac}, {&a.adc, &b.adc}, {&a.membrane_adc, &b.membrane_adc}}) {
    EXPECT_EQ(x->bits, y->bits);
    EXPECT_EQ(x->bound, y->bound);
    EXPECT_EQ(x->noise, y->noise);
  }
  EXPECT_EQ(a.energy_table, b.energy_table);
  EXPECT_EQ(a.energy_overrides, b.energy_overrides);
}

}  // namespace

TEST(ConfigAnalog, SchemaDefaultsAreStructDefaults) {
  const ojson schema = ojson::parse(eligo::io::config_schema_text());
  json j = base_config();
  j["analog"] = defaults_from_schema(schema["properties"]["analog"], {});
  ASSERT_TRUE(j["analog"].contains("synapse"));
  ASSERT_TRUE(j["analog"]["energy"].contains("table"));
  const RunConfig c = eligo::io::parse_config(j, "defaults", ".");
  expect_same_analog(c.analog, eligo::analog::AnalogParams{});
  // ... and without the section.
  expect_same_analog(eligo::io::parse_config(base_config(), "x", ".").analog, eligo::analog::AnalogParams{});
}

TEST(ConfigAnalog, ValuesReachTheStruct) {
  const RunConfig c = eligo::io::load_config(source_path("examples/evidence_accumulation_analog.json"));
  EXPECT_EQ(c.analog.neuron.tau_sigma, 0.2);
  EXPECT_EQ(c.analog.synapse.mismatch_sigma, 0.2);
  EXPECT_EQ(c.analog.adc.bits, 9);
  json j = base_config();
  j["analog"] = {{"mismatch_seed", 7}, {"energy", {{"device_write_j", 5e-12}}},
                 {"membrane_adc", {{"bits", 10}, {"bound", 3.0}, {"noise", 0.01}}}};
  const RunConfig d = eligo::io::parse_config(j, "x", ".");
  EXPECT_EQ(d.analog.mismatch_seed, 7u);
  EXPECT_EQ(d.analog.membrane_adc.bits, 10);
  EXPECT_EQ(d.analog.membrane_adc.bound, 3.0);
  EXPECT_EQ(d.analog.membrane_adc.noise, 0.01);
  ASSERT_EQ(d.analog.energy_overrides.count("device_write_j"), 1u);
  EXPECT_EQ(d.analog.energy_overrides.at("device_write_j"), 5e-12);
}

TEST(ConfigAnalog, ErrorsNameFileFieldAndRange) {
  json j = base_config();
  j["analog"] = {{"neuron", {{"tau_sigma", 1.5}}}};
  expect_error(j, {"analog.neuron.tau_sigma: 1.5 is out of range (allowed: >= 0 and <= 1)"});
  j["analog"] = {{"adc", {{"bits", 30}}}};
  expect_error(j, {"analog.adc.bits: 30 is out of range (allowed: >= 0 and <= 24)"});
  j["analog"] = {{"synapse", {{"levels", 2.5}}}};
  expect_error(j, {"analog.synapse.levels: expected integer, got number 2.5"});
  j["analog"] = {{"synapse", {{"mismatch", 0.1}}}};
  expect_error(j, {"analog.synapse.mismatch: unknown key (allowed keys: levels, programming_noise, mismatch_sigma"});
  j["analog"] = {{"synapse", {{"drift_t_s", 10.0}}}};
  expect_error(j, {"analog.synapse.drift_t_s: 10 s is before the drift reference time", "(allowed: >= 20)"});
  j["analog"] = {{"energy", {{"table", "missing_table.json"}}}};
  expect_error(j, {"analog.energy.table: no such file 'missing_table.json'"});
}
