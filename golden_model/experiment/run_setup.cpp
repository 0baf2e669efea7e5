#include "golden_model/experiment/run_setup.hpp"

#include <memory>
#include <stdexcept>

#include "golden_model/io/npy.hpp"
#include "golden_model/tasks/evidence_accumulation.hpp"
#include "golden_model/tasks/pattern_generation.hpp"

namespace eligo::experiment {

namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

enum Stream : uint64_t { kWeights = 1, kTrain = 2, kTest = 3, kFrozen = 4 };

// Input raster (B, T, n_in) and targets (B, T, n_out) from .npy files, checked against the
// network; returns all sequences as one Batch.
tasks::Batch load_file_task(const io::RunConfig& cfg) {
  return batch_from_arrays(cfg, io::read_npy(cfg.task.inputs_path), io::read_npy(cfg.task.targets_path),
                           cfg.task.inputs_path, cfg.task.targets_path);
}

}  // namespace

tasks::Batch batch_from_arrays(const io::RunConfig& cfg, const io::NdArray& x, const io::NdArray& y,
                               const std::string& x_what, const std::string& y_what) {
  if (x.shape.size() != 3) {
    throw io::IoError(x_what + ": expected a 3-D array (batch, T, n_in), got shape " + io::shape_string(x.shape));
  }
  const size_t B = x.shape[0], T = x.shape[1];
  io::expect_shape(x, {B, T, size_t(cfg.net.n_in)}, x_what);
  io::expect_shape(y, {B, T, size_t(cfg.net.n_out)}, y_what);
  io::expect_spikes(x, x_what);
  io::expect_finite(y, y_what);
  tasks::Batch batch;
  batch.T = int(T);
  batch.B = int(B);
  batch.x.resize(cfg.net.n_in, Eigen::Index(T * B));
  batch.target.resize(cfg.net.n_out, Eigen::Index(T * B));
  for (size_t b = 0; b < B; ++b) {
    for (size_t t = 0; t < T; ++t) {
      for (int i = 0; i < cfg.net.n_in; ++i)
        batch.x(i, Eigen::Index(t * B + b)) = x.data[(b * T + t) * cfg.net.n_in + i];
      for (int k = 0; k < cfg.net.n_out; ++k)
        batch.target(k, Eigen::Index(t * B + b)) = y.data[(b * T + t) * cfg.net.n_out + k];
    }
  }
  if (cfg.train.loss == fl::LossKind::CrossEntropy) {
    for (size_t b = 0; b < B; ++b) {
      Eigen::Index k = 0;
      batch.target.col(Eigen::Index((T - 1) * B + b)).maxCoeff(&k);
      batch.labels.push_back(int(k));
    }
  }
  return batch;
}

namespace {

// Sequences [first, first + count) of `all` (cyclic), as a new batch.
tasks::Batch slice(const tasks::Batch& all, int first, int count) {
  tasks::Batch out;
  out.T = all.T;
  out.B = count;
  out.x.resize(all.x.rows(), Eigen::Index(all.T) * count);
  out.target.resize(all.target.rows(), Eigen::Index(all.T) * count);
  for (int b = 0; b < count; ++b) {
    const int src = (first + b) % all.B;
    for (int t = 0; t < all.T; ++t) {
      out.x.col(Eigen::Index(t) * count + b) = all.x.col(Eigen::Index(t) * all.B + src);
      out.target.col(Eigen::Index(t) * count + b) = all.target.col(Eigen::Index(t) * all.B + src);
    }
    if (!all.labels.empty()) out.labels.push_back(all.labels[src]);
  }
  return out;
}

}  // namespace

uint64_t derive_seed(uint64_t seed, uint64_t stream, uint64_t i) {
  return splitmix64(splitmix64(splitmix64(seed) ^ stream) ^ i);
}

fl::Weights load_weights(const std::string& path, const fl::Neurons& n, uint64_t seed,
                         const io::InitConfig& init) {
  const auto arrays = io::read_npz(path);
  fl::Weights w = fl::init_weights(n, seed, init.w_in_scale, init.w_rec_scale, init.w_out_scale,
                                   init.b_scale);
  auto get = [&](const char* key, size_t rows, size_t cols, bool required, Eigen::MatrixXd& dst) {
    const auto it = arrays.find(key);
    if (it == arrays.end()) {
      if (required) throw io::IoError(path + ": missing array '" + key + "'");
      return;
    }
    const std::string what = path + ": " + key;
    io::expect_shape(it->second, {rows, cols}, what);
    io::expect_finite(it->second, what);
    dst = io::to_matrix(it->second, what);
  };
  get("W_in", n.n_rec, n.n_in, true, w.w_in);
  get("W_rec", n.n_rec, n.n_rec, true, w.w_rec);
  get("W_out", n.n_out, n.n_rec, true, w.w_out);
  get("B", n.n_rec, n.n_out, false, w.b_fb);
  try {
    fl::check_shapes(n, w);
  } catch (const std::invalid_argument& e) {
    throw io::IoError(path + ": " + e.what());
  }
  return w;
}

void save_weights(const std::string& path, const fl::Weights& w) {
  io::write_npz(path, {{"W_in", io::from_matrix(w.w_in)},
                       {"W_rec", io::from_matrix(w.w_rec)},
                       {"W_out", io::from_matrix(w.w_out)},
                       {"B", io::from_matrix(w.b_fb)}});
}

TestMetrics evaluate_test(const Run& run,
                          const std::function<fl::Gradients(const tasks::Batch&)>& eval) {
  TestMetrics m;
  const int k_max = run.cfg.task.test_batches;
  for (int k = 0; k < k_max; ++k) {
    const fl::Gradients e = eval(run.test_batch(k));
    m.loss += e.loss / k_max;
    m.accuracy += e.accuracy / k_max;
    m.rate_hz += e.rate_hz / k_max;
  }
  return m;
}

void add_training_log(nlohmann::json& m, const std::vector<fl::IterationLog>& log,
                      bool classification) {
  std::vector<double> loss, reg, acc, rate;
  for (const auto& e : log) {
    loss.push_back(e.loss);
    reg.push_back(e.reg_loss);
    acc.push_back(e.accuracy);
    rate.push_back(e.rate_hz);
  }
  m["loss"] = loss;
  m["reg_loss"] = reg;
  if (classification) m["accuracy"] = acc;
  m["firing_rate_hz"] = rate;
}

nlohmann::json training_metrics(const io::RunConfig& cfg, const std::vector<fl::IterationLog>& log,
                                const TestMetrics& test) {
  const bool classification = test.accuracy >= 0;  // cross entropy, or MSE on a labelled task
  nlohmann::json m;
  m["algo"] = cfg.train.algo == fl::Algo::BPTT ? "bptt" : "eprop";
  m["iterations"] = cfg.train.iterations;
  m["seed"] = cfg.seed;
  add_training_log(m, log, classification);
  m["test"] = {{"loss", test.loss}, {"firing_rate_hz", test.rate_hz}, {"batches", cfg.task.test_batches}};
  if (classification) m["test"]["accuracy"] = test.accuracy;
  return m;
}

Run make_run(const io::RunConfig& cfg) {
  Run run{cfg, fl::Neurons::from(cfg.net), {}, {}, {}};
  const uint64_t seed = cfg.seed;
  const int bs = cfg.train.batch_size;
  if (cfg.init.weights_path.empty()) {
    run.weights = fl::init_weights(run.neurons, derive_seed(seed, kWeights, 0), cfg.init.w_in_scale,
                                   cfg.init.w_rec_scale, cfg.init.w_out_scale, cfg.init.b_scale);
  } else {
    run.weights = load_weights(cfg.init.weights_path, run.neurons, derive_seed(seed, kWeights, 0),
                               cfg.init);
  }
  switch (cfg.task.kind) {
    case io::TaskKind::PatternGeneration: {
      tasks::PatternGenerationParams p;
      p.n_in = cfg.task.pg_n_in;
      p.T = cfg.task.pg_T;
      p.dt_ms = cfg.net.dt_ms;
      p.input_rate_hz = cfg.task.pg_input_rate_hz;
      p.n_out = cfg.net.n_out;
      // Frozen input and target: the same batch every iteration (the task is to learn it).
      const auto batch = std::make_shared<tasks::Batch>(
          tasks::make_pattern_generation(p, bs, derive_seed(seed, kFrozen, 0)));
      run.train_batch = [batch](int) { return *batch; };
      run.test_batch = [batch](int) { return *batch; };
      break;
    }
    case io::TaskKind::EvidenceAccumulation: {
      tasks::EvidenceAccumulationParams p;
      p.n_in = cfg.net.n_in;
      p.n_cues = cfg.task.ea_n_cues;
      p.t_cue = cfg.task.ea_t_cue;
      p.t_cue_spacing = cfg.task.ea_t_cue_spacing;
      p.t_delay = cfg.task.ea_t_delay;
      p.t_recall = cfg.task.ea_t_recall;
      p.dt_ms = cfg.net.dt_ms;
      p.f_cue_hz = cfg.task.ea_f_cue_hz;
      p.f_background_hz = cfg.task.ea_f_background_hz;
      p.p_majority = cfg.task.ea_p_majority;
      // Streamed: inputs are drawn step by step, so memory does not grow with T.
      run.train_batch = [p, bs, seed](int i) {
        return tasks::stream_evidence_accumulation(p, bs, derive_seed(seed, kTrain, uint64_t(i)));
      };
      run.test_batch = [p, bs, seed](int k) {
        return tasks::stream_evidence_accumulation(p, bs, derive_seed(seed, kTest, uint64_t(k)));
      };
      break;
    }
    case io::TaskKind::Files: {
      const auto all = std::make_shared<tasks::Batch>(load_file_task(cfg));
      const int n = std::min(bs, all->B);
      run.train_batch = [all, n](int i) { return slice(*all, int((int64_t(i) * n) % all->B), n); };
      run.test_batch = [all](int) { return *all; };
      break;
    }
  }
  return run;
}

}  // namespace eligo::experiment
