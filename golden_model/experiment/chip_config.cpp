#include "golden_model/experiment/chip_config.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "golden_model/io/files.hpp"
#include "golden_model/io/json_fields.hpp"
#include "golden_model/io/json_read.hpp"
#include "golden_model/tasks/reckon_cue.hpp"

namespace eligo::experiment {

using nlohmann::json;

std::string default_reckon_data_dir() {
  const char* env = std::getenv("ELIGO_SHARED_DATA");
  const std::filesystem::path shared = env && *env ? std::filesystem::path(env)
                                                   : std::filesystem::path(ELIGO_EXPERIMENT_SOURCE_DIR) / ".." / "shared" / "data";
  return (shared / "reckon-cue-accumulation").lexically_normal().string();
}

namespace {

// The `task` object of a ReckOn run and its inline `network`: the float config is built from the
// network (with a placeholder evidence-accumulation task of T = 2250 that the run never uses),
// so the network keys, their defaults and their errors are those of docs/config.md.
void load_reckon_task(io::JsonFields& f, const json& j, const std::string& path, const std::string& base_dir,
                      ChipRun& r) {
  const std::filesystem::path base(base_dir);
  io::JsonFields t = f.object("task");
  if (t.choice("type", "", {"reckon_cue_accumulation"}).empty()) {
    t.fail("type", "missing", "\"reckon_cue_accumulation\"");
  }
  r.reckon.enabled = true;
  const std::string dir = t.text("data_dir", "");
  r.reckon.data_dir = dir.empty() ? default_reckon_data_dir() : std::filesystem::absolute(base / dir).lexically_normal().string();
  r.reckon.epochs = static_cast<int>(t.integer("epochs", 10, 1, 100000));
  r.reckon.weight_scale = t.number("weight_scale", 1.0 / 64.0, 0.0, 16.0, true);
  t.finish();
  for (const char* k : {"network_config", "iterations", "batch_size", "test_batches"}) {
    if (f.has(k)) f.fail(k, "not used with task.type \"reckon_cue_accumulation\"", "the network inline as `network`; task.epochs");
  }
  if (!f.has("network")) f.fail("network", "missing", "the network object of a float run config (docs/config.md)");
  f.object("network");  // marks the key as read; parse_config checks its content
  const json doc = {{"network", j.at("network")},
                    {"task", {{"type", "evidence_accumulation"}, {"test_batches", 1}}},
                    {"train", {{"learning_window", tasks::reckon_learning_window()}}}};
  r.cfg = io::parse_config(doc, path, base.string());
  const auto& n = r.cfg.net;
  const int n_rec = n.lif.n + n.alif.n;
  if (n.n_in != tasks::kReckonInputs || n_rec != tasks::kReckonRecurrent || n.n_out != tasks::kReckonOutputs) {
    f.fail("network", std::to_string(n.n_in) + "-" + std::to_string(n_rec) + "-" + std::to_string(n.n_out) +
                          " does not match the data set's network",
           "n_in 40, lif.n + alif.n = 100, n_out 2");
  }
}

}  // namespace

ChipRun load_chip_config(const std::string& path, const std::string& weights_override) {
  const std::string text = io::read_file(path);
  return parse_chip_config(io::parse_json(text, path), path, std::filesystem::path(path).parent_path().string(),
                           weights_override);
}

ChipRun parse_chip_config(const json& j, const std::string& path, const std::string& base_dir,
                          const std::string& weights_override) {
  io::JsonFields f(j, path, "");
  ChipRun r;
  if (f.has("task")) {
    load_reckon_task(f, j, path, base_dir, r);
    if (!weights_override.empty()) f.fail("task", "--weights does not apply", "the data set's initial weights");
  } else {
    const std::string net = f.text("network_config", "");
    if (net.empty()) f.fail("network_config", "missing", "the path of a float run config");
    r.cfg = io::load_config((std::filesystem::path(base_dir) / net).string());
    if (!weights_override.empty()) {
      io::check_run_input(weights_override, "--weights");  // a previous run's weights: a complete run
      r.cfg.init.weights_path = weights_override;
    }
  }
  r.train = f.choice("mode", "inference", {"inference", "train"}) == "train";
  if (!r.reckon.enabled) {
    r.iterations = static_cast<int>(f.integer("iterations", r.cfg.train.iterations, 0, 1000000));
    r.batch_size = static_cast<int>(f.integer("batch_size", r.cfg.train.batch_size, 1, 100000));
    r.test_batches = static_cast<int>(f.integer("test_batches", r.cfg.task.test_batches, 1, 10000));
  }
  io::JsonFields c = f.object("chip");
  r.opt.lanes = static_cast<int>(c.integer("lanes", 4, 1, 32));
  r.opt.learn = r.train;
  if (c.is_object("lr")) {  // one rate per matrix
    io::JsonFields l = c.object("lr");
    r.opt.lr_in = l.number("w_in", 0.004, 0.0, 1.0, true);
    r.opt.lr_rec = l.number("w_rec", 0.004, 0.0, 1.0, true);
    r.opt.lr_out = l.number("w_out", 0.004, 0.0, 1.0, true);
    r.opt.lr = r.opt.lr_rec;
    l.finish();
  } else {
    r.opt.lr = c.number("lr", 0.004, 0.0, 1.0, true);
  }
  if (c.has("error")) {
    io::JsonFields e = c.object("error");
    if (e.has("clamp")) {
      io::JsonFields cl = e.object("clamp");
      r.opt.err_clamp = true;
      r.opt.err_lo = cl.number("lo", -0.5, -64.0, 64.0);
      r.opt.err_hi = cl.number("hi", 0.5, -64.0, 64.0);
      if (!(r.opt.err_lo < r.opt.err_hi)) cl.fail("hi", "must be above lo", "a number > lo");
      cl.finish();
    }
    if (e.has("targets")) {
      io::JsonFields t = e.object("targets");
      r.target_off = t.number("off", 0.0, -64.0, 64.0);
      r.target_on = t.number("on", 1.0, -64.0, 64.0);
      t.finish();
    }
    e.finish();
  }
  if (c.has("lr_schedule")) {
    if (!r.train || r.reckon.enabled) c.fail("lr_schedule", "applies to batch training only", "mode \"train\" without a task");
    io::JsonFields s = c.object("lr_schedule");
    if (r.iterations < 2) c.fail("lr_schedule", "needs at least 2 training batches", "iterations >= 2");
    for (long m : s.integers("milestones", {}, 1, r.iterations - 1, 1)) r.lr_milestones.push_back(static_cast<int>(m));
    if (r.lr_milestones.empty()) s.fail("milestones", "missing", "an array of training batch indices");
    for (size_t i = 1; i < r.lr_milestones.size(); ++i) {
      if (r.lr_milestones[i] <= r.lr_milestones[i - 1]) s.fail("milestones", "not strictly ascending", "ascending batch indices");
    }
    const double gamma = s.number("gamma", 0.5, 1.0 / 65536, 0.5);
    r.lr_shift_step = static_cast<int>(std::lround(-std::log2(gamma)));
    if (std::ldexp(1.0, -r.lr_shift_step) != gamma) s.fail("gamma", "not a power of two", "1/2, 1/4, ..., 1/65536");
    s.finish();
  }
  const std::string trace = c.choice("trace", "exact", {"exact", "windowed", "factored"});
  if (trace != "exact" && !r.train) c.fail("trace", "\"" + trace + "\" applies to training only", "\"exact\"");
  if (trace == "windowed") {
    r.trace_pre_steps = static_cast<int>(c.integer("trace_pre_steps", 100, 0, 1000000));
    r.opt.adapt_block = static_cast<int>(c.integer("adapt_block", 0, 0, 4096));
  } else if (c.has("adapt_block")) {
    c.fail("adapt_block", "applies to trace \"windowed\" only (trace is \"" + trace + "\")", "absent, or trace \"windowed\"");
  }
  if (trace == "factored") {  // CTRL.TRC_FACT, and the trace pass held outside the learning window
    r.opt.trc_fact = true;
    r.trace_pre_steps = 0;
  }
  r.opt.synapse_traces = c.boolean("synapse_traces", true);
  if (!r.opt.synapse_traces && trace != "factored") {
    c.fail("synapse_traces", "false (a core without EPSA and EBAR) needs trace \"factored\"", "true");
  }
  r.opt.fb_symmetric = c.choice("feedback", "symmetric", {"symmetric", "random"}) == "symmetric";
  r.opt.online = c.choice("update", "per_batch", {"per_batch", "online"}) == "online";
  r.opt.upd_sign = c.choice("step", "gradient", {"gradient", "sign"}) == "sign";
  r.opt.seed = static_cast<uint32_t>(c.integer("seed", static_cast<long>(r.cfg.seed & 0x7FFFFFFF), 0, 0xFFFFFFFFL));
  r.opt.ts_budget = static_cast<uint32_t>(c.integer("ts_budget", 0, 0, 0xFFFFFFFFL));
  if (c.has("deepr")) {
    io::JsonFields d = c.object("deepr");
    r.opt.deepr = true;
    r.opt.connectivity = d.number("connectivity", 0.3, 0.0, 1.0, true);
    r.opt.l1 = d.number("l1", 0.0, 0.0, 1e6);
    r.opt.temperature = d.number("temperature", 0.0, 0.0, 1e6);
    r.opt.scale_by_density = d.boolean("scale_by_density", true);
    d.finish();
  }
  c.finish();
  if (f.has("energy")) {
    io::JsonFields e = f.object("energy");
    const std::string profile = e.has("profile") ? e.choice("profile", energy::kDefaultProfile, {"lp28nt", "28nm"}) : "";
    const std::string table = e.text("table", "");
    if (!profile.empty() && !table.empty()) e.fail("table", "given with profile", "profile or table, not both");
    if (profile.empty() && table.empty()) e.fail("profile", "missing", "\"lp28nt\", \"28nm\", or a table file as \"table\"");
    // A table file is validated here: the table's own error names its file, field and range.
    try {
      r.energy = energy::select_table(profile, table.empty() ? "" : std::filesystem::absolute(std::filesystem::path(base_dir) / table).string(),
                                      "energy.profile and energy.table");
    } catch (const io::ConfigError&) {
      throw;
    } catch (const std::runtime_error& ex) {
      e.fail("table", ex.what(), "");
    }
    e.finish();
  }
  f.finish();
  return r;
}

Schedule chip_schedule(const ChipRun& r) {
  Schedule sc;
  sc.train = r.train;
  sc.iterations = r.iterations;
  sc.batch_size = r.batch_size;
  sc.test_batches = r.test_batches;
  sc.learning_window = r.cfg.train.learning_window;
  sc.lr_milestones = r.lr_milestones;
  sc.lr_shift_step = r.lr_shift_step;
  sc.trace_pre_steps = r.trace_pre_steps;
  sc.adapt_block = r.opt.adapt_block;
  return sc;
}

ChipSetup make_chip_setup(const ChipRun& r) {
  ChipSetup s{make_run(r.cfg), {}};
  s.image = chip::quantize(s.run.neurons, s.run.weights, r.opt);
  if (r.target_off != 0.0 || r.target_on != 1.0) {  // chip.error.targets: the host's encoding
    auto encoded = [&r](fl::BatchSource source) -> fl::BatchSource {
      return [source, off = r.target_off, on = r.target_on](int i) {
        tasks::Batch b = tasks::materialize(source(i));
        tasks::encode_targets(b, off, on);
        return b;
      };
    };
    s.run.train_batch = encoded(s.run.train_batch);
    s.run.test_batch = encoded(s.run.test_batch);
  }
  return s;
}

ReckonSetup make_reckon_setup(const ChipRun& r, const std::string& config_path) {
  namespace fs = std::filesystem;
  const std::string& dir = r.reckon.data_dir;
  if (!fs::is_directory(dir)) {
    throw tasks::ReckonDataError(io::shown_path(dir) + ": no such directory (the ReckOn data: set task.data_dir in " + io::shown_path(config_path) +
                                 " or ELIGO_SHARED_DATA to the folder that holds reckon-cue-accumulation)");
  }
  const tasks::ReckonFormat format;
  ReckonSetup s;
  s.train = tasks::read_reckon_dataset((fs::path(dir) / tasks::kReckonTrainFile).string(), format);
  s.test = tasks::read_reckon_dataset((fs::path(dir) / tasks::kReckonTestFile).string(), format);
  tasks::encode_targets(s.train, r.target_off, r.target_on);
  tasks::encode_targets(s.test, r.target_off, r.target_on);
  const tasks::ReckonWeights q = tasks::read_reckon_weights(dir, format);
  const fl::Neurons neurons = fl::Neurons::from(r.cfg.net);
  fl::Weights w = fl::init_weights(neurons, r.opt.seed);
  w.w_in = q.w_in * r.reckon.weight_scale;
  w.w_rec = q.w_rec * r.reckon.weight_scale;
  w.w_out = q.w_out * r.reckon.weight_scale;
  s.image = chip::quantize(neurons, w, r.opt);
  s.learning_window = tasks::reckon_learning_window(format);
  return s;
}

}  // namespace eligo::experiment
