// The Python module `eligo` (docs/python.md): the float reference, the bit-exact chip model, the
// co-simulation (systemc/cosim_run.hpp) and the image models (golden_model/experiment/image_run.hpp)
// from Python, thin over the same libraries as the command line. Configs go through the command
// line's readers and validators (io::parse_config, experiment::parse_chip_config); their errors
// are raised as eligo.ConfigError with the same one-line messages. Arrays follow the .npy
// conventions of docs/config.md: input rasters (B, T, n_in), targets (B, T, n_out), float64;
// weight matrices as in weights.npz.
//
// Long calls (train, grad, forward, Chip.run, Chip.run_sample) release the GIL and check for
// signals (Ctrl-C) after every iteration / sample, raising KeyboardInterrupt between two of them.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "golden_model/chip/task_runner.hpp"
#include "golden_model/chip/write_hash.hpp"
#include "golden_model/experiment/analog_run.hpp"
#include "golden_model/experiment/chip_config.hpp"
#include "golden_model/experiment/image_run.hpp"
#include "golden_model/experiment/report.hpp"
#include "golden_model/experiment/run_setup.hpp"
#include "golden_model/experiment/train_test.hpp"
#include "golden_model/float/objective.hpp"
#include "golden_model/float/trainer.hpp"
#include "golden_model/io/clapp_config.hpp"
#include "golden_model/io/config.hpp"
#include "golden_model/io/fashion_mnist.hpp"
#include "golden_model/io/files.hpp"
#include "golden_model/io/json_read.hpp"
#include "golden_model/io/npy.hpp"
#include "golden_model/quantize/quantize.hpp"
#include "golden_model/tasks/reckon_cue.hpp"
#ifdef ELIGO_HAVE_COSIM
#include "systemc/cosim_run.hpp"
#include "systemc/rtl_models.hpp"
#endif

namespace py = pybind11;
using nlohmann::json;

namespace eligo::python {

namespace {

constexpr const char* kDictSource = "<config dict>";  // the name of a dict config in messages

// ---- JSON and configs ------------------------------------------------------------------------

// A JSON document as Python objects (through Python's json module: exact for doubles).
py::object to_python(const json& j) { return py::module_::import("json").attr("loads")(j.dump()); }

// From a long call's loop, with the GIL released: progress(make()) when a callback is given, then
// the signal check that turns Ctrl-C into KeyboardInterrupt (an exception stops the loop).
template <class Make>
void report_progress(const py::object& progress, Make make) {
  py::gil_scoped_acquire gil;
  if (!progress.is_none()) progress(make());
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
}

// A config argument: a dict (serialized to JSON text and parsed by the command line's reader) or a
// path (str or os.PathLike, read by the command line's file reader).
struct ConfigArg {
  bool is_dict = false;
  std::string path;      // a path
  json doc;              // a dict
  std::string base_dir;  // a dict's relative paths resolve here (base_dir, or the working directory)
};

ConfigArg config_arg(const py::object& config, const py::object& base_dir) {
  ConfigArg a;
  const py::module_ os = py::module_::import("os");
  if (py::isinstance<py::dict>(config)) {
    a.is_dict = true;
    std::string text;
    try {
      text = py::module_::import("json").attr("dumps")(config, py::arg("allow_nan") = false).cast<std::string>();
    } catch (py::error_already_set& e) {  // not JSON: a set, an object, NaN, ...
      throw io::ConfigError(std::string(kDictSource) + ": not JSON: " + py::str(e.value()).cast<std::string>());
    }
    a.doc = io::parse_json(text, kDictSource);
    a.base_dir = py::str(base_dir.is_none() ? os.attr("getcwd")() : os.attr("fspath")(base_dir)).cast<std::string>();
  } else if (py::isinstance<py::str>(config) || py::hasattr(config, "__fspath__")) {
    if (!base_dir.is_none()) throw py::value_error("base_dir: only with a dict config (a file's paths are relative to it)");
    a.path = py::str(os.attr("fspath")(config)).cast<std::string>();
  } else {
    throw py::type_error("config: a dict or a path (str or os.PathLike), not " +
                         py::str(py::type::of(config).attr("__name__")).cast<std::string>());
  }
  return a;
}

io::RunConfig run_config(const ConfigArg& a) {
  return a.is_dict ? io::parse_config(a.doc, kDictSource, a.base_dir) : io::load_config(a.path);
}

fl::Algo parse_algo(const std::string& algo) {
  if (algo == "bptt") return fl::Algo::BPTT;
  if (algo == "eprop") return fl::Algo::EProp;
  throw py::value_error("algo: '" + algo + "' is not allowed (allowed: bptt, eprop)");
}
const char* algo_name(fl::Algo a) { return a == fl::Algo::BPTT ? "bptt" : "eprop"; }

// ---- NumPy <-> matrices and batches ----------------------------------------------------------

py::array_t<double> matrix_to_numpy(const Eigen::MatrixXd& m) {
  py::array_t<double> a({m.rows(), m.cols()});
  auto v = a.mutable_unchecked<2>();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) v(i, j) = m(i, j);
  }
  return a;
}

// A numeric array (bool, integer or float dtype; TypeError otherwise) as float64, C order.
py::array_t<double, py::array::c_style> numeric(const py::handle& obj, const std::string& what) {
  const py::array a = py::array::ensure(obj);
  if (!a) throw py::type_error(what + ": not an array");
  const char kind = a.dtype().kind();
  if (kind != 'b' && kind != 'i' && kind != 'u' && kind != 'f') {
    throw py::type_error(what + ": dtype " + py::str(a.dtype()).cast<std::string>() +
                         " is not numeric (allowed: float64, or integer/bool)");
  }
  return py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
}

Eigen::MatrixXd numpy_to_matrix(const py::handle& obj, const std::string& what) {
  const auto a = numeric(obj, what);
  if (a.ndim() != 2) throw py::value_error(what + ": expected a 2-D array, got " + std::to_string(a.ndim()) + "-D");
  auto v = a.unchecked<2>();
  Eigen::MatrixXd m(v.shape(0), v.shape(1));
  for (py::ssize_t i = 0; i < v.shape(0); ++i) {
    for (py::ssize_t j = 0; j < v.shape(1); ++j) m(i, j) = v(i, j);
  }
  return m;
}

io::NdArray numpy_to_ndarray(const py::handle& obj, const std::string& what) {
  const auto a = numeric(obj, what);
  io::NdArray n;
  for (py::ssize_t d = 0; d < a.ndim(); ++d) n.shape.push_back(static_cast<size_t>(a.shape(d)));
  n.data.assign(a.data(), a.data() + a.size());
  n.dtype = "<f8";
  return n;
}

// (B, T, rows) from a time-major matrix of columns t * B + b (tasks::Batch's layout).
py::array_t<double> time_major_to_numpy(const Eigen::MatrixXd& m, int T, int B) {
  py::array_t<double> a({static_cast<py::ssize_t>(B), static_cast<py::ssize_t>(T), static_cast<py::ssize_t>(m.rows())});
  auto v = a.mutable_unchecked<3>();
  for (int b = 0; b < B; ++b) {
    for (int t = 0; t < T; ++t) {
      for (Eigen::Index i = 0; i < m.rows(); ++i) v(b, t, i) = m(i, static_cast<Eigen::Index>(t) * B + b);
    }
  }
  return a;
}

// Weights as weights.npz's names: a dict of copies, and matrices replaced from a dict (any of the
// keys; the shapes are checked against the network by the caller, fl::check_shapes).
py::dict weights_to_dict(const fl::Weights& w) {
  py::dict d;
  d["W_in"] = matrix_to_numpy(w.w_in);
  d["W_rec"] = matrix_to_numpy(w.w_rec);
  d["W_out"] = matrix_to_numpy(w.w_out);
  d["B"] = matrix_to_numpy(w.b_fb);
  return d;
}

void update_weights(fl::Weights& w, const py::dict& d) {
  for (auto item : d) {
    const std::string k = py::str(item.first).cast<std::string>();
    Eigen::MatrixXd* dst = k == "W_in" ? &w.w_in : k == "W_rec" ? &w.w_rec : k == "W_out" ? &w.w_out : k == "B" ? &w.b_fb : nullptr;
    if (!dst) throw py::key_error("weights: '" + k + "' (allowed: W_in, W_rec, W_out, B)");
    *dst = numpy_to_matrix(item.second, k);
  }
}

// ---- float reference -------------------------------------------------------------------------

class Network {
 public:
  Network(const py::object& config, std::optional<uint64_t> seed, std::optional<std::string> algo,
          std::optional<int> iterations, const py::object& base_dir) {
    io::RunConfig cfg = run_config(config_arg(config, base_dir));
    // The command line's overrides (eligo train --algo, --seed, --iterations).
    if (algo) cfg.train.algo = parse_algo(*algo);
    if (seed) cfg.seed = *seed;
    if (iterations) {
      if (*iterations < 0) throw py::value_error("iterations: must be >= 0");
      cfg.train.iterations = *iterations;
    }
    run_ = experiment::make_run(cfg);
  }

  const io::RunConfig& cfg() const { return run_.cfg; }

  py::dict weights() const { return weights_to_dict(run_.weights); }

  void set_weights(const py::dict& d) {
    fl::Weights w = run_.weights;
    update_weights(w, d);
    fl::check_shapes(run_.neurons, w);  // std::invalid_argument (ValueError) naming the matrix
    run_.weights = std::move(w);
  }

  py::tuple batch(int i, bool test) const {
    if (i < 0) throw py::value_error("batch: index must be >= 0");
    if (test && i >= run_.cfg.task.test_batches) {
      throw py::value_error("batch: test batch " + std::to_string(i) + " (allowed: 0 .. " +
                            std::to_string(run_.cfg.task.test_batches - 1) + ", task.test_batches)");
    }
    tasks::Batch b;
    {
      py::gil_scoped_release release;
      b = tasks::materialize(test ? run_.test_batch(i) : run_.train_batch(i));
    }
    return py::make_tuple(time_major_to_numpy(b.x, b.T, b.B), time_major_to_numpy(b.target, b.T, b.B));
  }

  // A batch from arrays: the checks and the layout of task.type "files".
  tasks::Batch batch_of(const py::handle& x, const py::handle& target) const {
    io::NdArray nx = numpy_to_ndarray(x, "x");
    io::NdArray ny;
    if (target.is_none()) {  // forward: no targets needed
      if (nx.shape.size() != 3) {
        throw py::value_error("x: expected a 3-D array (batch, T, n_in), got shape " + io::shape_string(nx.shape));
      }
      ny.shape = {nx.shape[0], nx.shape[1], static_cast<size_t>(run_.cfg.net.n_out)};
      ny.data.assign(ny.shape[0] * ny.shape[1] * ny.shape[2], 0.0);
    } else {
      ny = numpy_to_ndarray(target, "target");
    }
    return experiment::batch_from_arrays(run_.cfg, nx, ny, "x", "target");
  }

  py::dict forward(const py::handle& x) const {
    const tasks::Batch b = batch_of(x, py::none());
    const fl::Neurons& n = run_.neurons;
    Eigen::MatrixXd z(n.n_rec, Eigen::Index(b.T) * b.B), v(n.n_rec, z.cols()), y(n.n_out, z.cols());
    {
      py::gil_scoped_release release;
      fl::State st;
      st.reset(n, b.B);
      for (int t = 0; t < b.T; ++t) {
        fl::step(n, run_.weights, b.x_at(t), t, st);
        z.middleCols(Eigen::Index(t) * b.B, b.B) = st.z;
        v.middleCols(Eigen::Index(t) * b.B, b.B) = st.v;
        y.middleCols(Eigen::Index(t) * b.B, b.B) = st.y;
      }
    }
    py::dict d;
    d["z"] = time_major_to_numpy(z, b.T, b.B);
    d["v"] = time_major_to_numpy(v, b.T, b.B);
    d["y"] = time_major_to_numpy(y, b.T, b.B);
    return d;
  }

  py::dict grad(const py::handle& x, const py::handle& target, std::optional<std::string> algo) const {
    if (x.is_none() != target.is_none()) throw py::value_error("grad: give both x and target, or neither");
    fl::TrainParams tp = run_.cfg.train;
    if (algo) tp.algo = parse_algo(*algo);
    const tasks::Batch b = x.is_none() ? run_.train_batch(0) : batch_of(x, target);  // eligo grad's batch
    fl::Gradients g;
    {
      py::gil_scoped_release release;
      g = fl::compute_gradients(run_.neurons, run_.weights, tp, b);
    }
    py::dict d;
    d["dW_in"] = matrix_to_numpy(g.w_in);
    d["dW_rec"] = matrix_to_numpy(g.w_rec);
    d["dW_out"] = matrix_to_numpy(g.w_out);
    d["loss"] = g.loss;
    d["reg_loss"] = g.reg_loss;
    d["accuracy"] = g.accuracy >= 0 ? py::object(py::float_(g.accuracy)) : py::object(py::none());
    d["rate_hz"] = g.rate_hz;
    return d;
  }

  py::object evaluate() const {
    experiment::TestMetrics m;
    {
      py::gil_scoped_release release;
      m = experiment::evaluate_test(
          run_, [&](const tasks::Batch& b) { return fl::evaluate(run_.neurons, run_.weights, run_.cfg.train, b); });
    }
    py::dict d;
    d["loss"] = m.loss;
    d["accuracy"] = m.accuracy >= 0 ? py::object(py::float_(m.accuracy)) : py::object(py::none());
    d["firing_rate_hz"] = m.rate_hz;
    return std::move(d);
  }

  py::object train(const py::object& progress, const std::string& backend) {
    if (backend != "float" && backend != "analog") {
      throw py::value_error("backend: '" + backend + "' is not allowed (allowed: float, analog)");
    }
    const io::RunConfig& cfg = run_.cfg;
    std::vector<fl::IterationLog> log;
    experiment::TestMetrics test;
    json analog_metrics;
    const auto t0 = std::chrono::steady_clock::now();
    {
      py::gil_scoped_release release;
      const fl::ProgressFn each = [&progress](const fl::IterationLog& e) {
        report_progress(progress, [&e] {
          py::dict d;
          d["iteration"] = e.iteration;
          d["loss"] = e.loss;
          d["reg_loss"] = e.reg_loss;
          d["accuracy"] = e.accuracy >= 0 ? py::object(py::float_(e.accuracy)) : py::object(py::none());
          d["firing_rate_hz"] = e.rate_hz;
          return d;
        });
      };
      if (backend == "analog") {  // eligo train --backend analog: chip-in-the-loop on the analog core
        const std::string name =
            cfg.source == kDictSource ? cfg.source : std::filesystem::absolute(cfg.source).string();
        analog_metrics = experiment::train_analog(run_, name, each).metrics;
      } else {
        log = fl::train(run_.neurons, run_.weights, cfg.train, run_.train_batch, each);
        test = experiment::evaluate_test(
            run_, [&](const tasks::Batch& b) { return fl::evaluate(run_.neurons, run_.weights, cfg.train, b); });
      }
    }
    if (!analog_metrics.is_null()) return to_python(analog_metrics);
    json m = experiment::training_metrics(cfg, log, test);
    m["wall_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return to_python(m);
  }

 private:
  experiment::Run run_;
};

// ---- chip model ------------------------------------------------------------------------------

chip::spec::Mem memory_id(const std::string& name) {
  std::string allowed;
  for (int m = 0; m < chip::spec::NUM_MEMS; ++m) {
    if (name == chip::spec::kMems[static_cast<size_t>(m)].name) return static_cast<chip::spec::Mem>(m);
    allowed += std::string(m ? ", " : "") + chip::spec::kMems[static_cast<size_t>(m)].name;
  }
  throw py::value_error("memory: '" + name + "' (allowed: " + allowed + ")");
}

// A register address: an int, or a register name (word k of a multi-word register: "NAME[k]").
uint32_t register_address(const py::handle& reg) {
  if (py::isinstance<py::int_>(reg)) return reg.cast<uint32_t>();
  if (!py::isinstance<py::str>(reg)) throw py::type_error("register: an address (int) or a name (str)");
  std::string name = reg.cast<std::string>();
  int k = 0;
  const auto open = name.find('[');
  if (open != std::string::npos && name.back() == ']') {
    try {
      k = std::stoi(name.substr(open + 1, name.size() - open - 2));
    } catch (const std::exception&) {
      throw py::value_error("register: '" + name + "': bad word index");
    }
    name = name.substr(0, open);
  }
  for (const chip::spec::RegInfo& r : chip::spec::kRegs) {
    if (name != r.name) continue;
    if (k < 0 || k >= r.count) {
      throw py::value_error("register: " + name + "[" + std::to_string(k) + "] (allowed: 0 .. " + std::to_string(r.count - 1) + ")");
    }
    return r.addr + 4u * static_cast<uint32_t>(k);
  }
  throw py::value_error("register: no register named '" + name + "' (docs/chip_spec.md)");
}

py::dict sample_dict(const chip::SampleResult& r) {
  py::dict d;
  d["loss"] = r.loss;
  d["predicted"] = r.predicted;
  d["label"] = r.label;
  d["cycles"] = r.cycles;
  return d;
}

// The train/test loop's observer of Chip.run and cosim (GIL released): after every sample,
// report_progress with {'phase', 'sample', 'samples', 'n', 'correct', 'loss'}.
experiment::Observer sample_observer(const py::object& progress) {
  experiment::Observer observer;
  observer.on_sample = [&progress](bool train, int sample, int samples, const experiment::Tally& t) {
    report_progress(progress, [&] {
      py::dict d;
      d["phase"] = train ? "train" : "test";
      d["sample"] = sample;
      d["samples"] = samples;
      d["n"] = t.n;
      d["correct"] = t.correct;
      d["loss"] = t.mean_loss();
      return d;
    });
  };
  return observer;
}

// A chip config (dict or path) as `eligo chip` and `eligo cosim` read it, with weights: a
// weights.npz path (--weights) or a dict of float matrices (Network.weights) quantised instead of
// the float config's initial weights. ReckOn's task is refused (ValueError naming `what`).
struct ChipArg {
  experiment::ChipRun run;
  std::string name;  // the config's name in reports and messages: its path, or "<config dict>"
  std::unique_ptr<experiment::ChipSetup> setup;
};

ChipArg chip_arg(const py::object& config, const py::object& weights, const py::object& base_dir, const std::string& what) {
  const ConfigArg a = config_arg(config, base_dir);
  const bool weights_path = !weights.is_none() && !py::isinstance<py::dict>(weights);
  const std::string override_path = weights_path ? py::str(py::module_::import("os").attr("fspath")(weights)).cast<std::string>() : "";
  ChipArg c;
  c.run = a.is_dict ? experiment::parse_chip_config(a.doc, kDictSource, a.base_dir, override_path)
                    : experiment::load_chip_config(a.path, override_path);
  c.name = a.is_dict ? kDictSource : a.path;
  if (c.run.reckon.enabled) {
    throw py::value_error(c.name + ": task \"reckon_cue_accumulation\" is not supported by the Python module yet (use " + what + ")");
  }
  c.setup = std::make_unique<experiment::ChipSetup>(experiment::make_chip_setup(c.run));
  if (!weights.is_none() && !weights_path) {  // float weights to quantise (Network.weights)
    fl::Weights w = c.setup->run.weights;
    update_weights(w, weights.cast<py::dict>());
    fl::check_shapes(c.setup->run.neurons, w);
    c.setup->run.weights = std::move(w);
    c.setup->image = chip::quantize(c.setup->run.neurons, c.setup->run.weights, c.run.opt);
  }
  return c;
}

class Chip {
 public:
  Chip(const py::object& config, const py::object& weights, const py::object& base_dir) {
    ChipArg c = chip_arg(config, weights, base_dir, "eligo chip");
    run_ = std::move(c.run);
    config_name_ = std::move(c.name);
    setup_ = std::move(c.setup);
    core_ = std::make_unique<chip::Core>(chip::make_core(setup_->image));
    port_ = std::make_unique<chip::ModelPort>(*core_);
  }

  chip::Core& core() { return *core_; }

  uint32_t read_reg(const py::handle& reg) {
    bool err = false;
    const uint32_t addr = register_address(reg);
    const uint32_t v = core_->apb_read(addr, &err);
    if (err) throw py::value_error("read_reg: APB error at address " + std::to_string(addr));
    return v;
  }
  void write_reg(const py::handle& reg, uint32_t value) {
    bool err = false;
    const uint32_t addr = register_address(reg);
    core_->apb_write(addr, value, &err);
    if (err) throw py::value_error("write_reg: APB error at address " + std::to_string(addr));
  }
  py::dict registers() {
    py::dict d;
    for (const chip::spec::RegInfo& r : chip::spec::kRegs) {
      if (r.access == chip::spec::Access::WO) continue;
      for (int k = 0; k < r.count; ++k) {
        bool err = false;
        const uint32_t v = core_->apb_read(r.addr + 4u * static_cast<uint32_t>(k), &err);
        if (!err) d[py::str(r.count == 1 ? std::string(r.name) : std::string(r.name) + "[" + std::to_string(k) + "]")] = v;
      }
    }
    return d;
  }

  py::array_t<uint64_t> memory(const std::string& name) const {
    const auto& w = core_->mem(memory_id(name)).words();
    py::array_t<uint64_t> a(static_cast<py::ssize_t>(w.size()));
    std::copy(w.begin(), w.end(), a.mutable_data());
    return a;
  }
  void set_memory(const std::string& name, const py::handle& words) {
    chip::Sram& m = core_->mem(memory_id(name));
    const py::array a = py::array::ensure(words);
    if (!a || (a.dtype().kind() != 'i' && a.dtype().kind() != 'u')) throw py::type_error("set_memory: words must be an integer array");
    const auto w = py::array_t<uint64_t, py::array::c_style | py::array::forcecast>::ensure(a);
    if (w.ndim() != 1 || w.size() != m.depth()) {
      throw py::value_error("set_memory: " + name + " holds " + std::to_string(m.depth()) + " words (a 1-D array of that length)");
    }
    const uint64_t limit = m.bits() >= 64 ? ~uint64_t{0} : (uint64_t{1} << m.bits()) - 1;
    for (py::ssize_t i = 0; i < w.size(); ++i) {
      if (w.data()[i] > limit) {
        throw py::value_error("set_memory: " + name + "[" + std::to_string(i) + "] = " + std::to_string(w.data()[i]) +
                              " does not fit in " + std::to_string(m.bits()) + " bits");
      }
    }
    for (py::ssize_t i = 0; i < w.size(); ++i) m.poke(i, w.data()[i]);
  }

  void step(const std::vector<int>& events, const std::optional<std::vector<int64_t>>& target, bool valid) {
    if (valid && !target) throw py::value_error("step: valid=True needs target (n_out raw Y values)");
    port_->step(events, target ? *target : no_target_, valid);
  }

  std::vector<int64_t> target_raw(const py::handle& values) const {
    const auto a = numeric(values, "target");
    if (a.ndim() != 1 || a.size() != core_->sizes().n_out) {
      throw py::value_error("target: expected shape (" + std::to_string(core_->sizes().n_out) + ",)");
    }
    std::vector<int64_t> raw;
    for (py::ssize_t k = 0; k < a.size(); ++k) raw.push_back(chip::from_real(chip::spec::Y, a.data()[k]));
    return raw;
  }

  py::array_t<int> spikes() const { return py::array_t<int>(static_cast<py::ssize_t>(core_->spikes().size()), core_->spikes().data()); }
  py::array_t<double> readouts() const {
    std::vector<double> y;
    port_->readouts(y);
    return py::array_t<double>(static_cast<py::ssize_t>(y.size()), y.data());
  }
  py::dict last_cycles() const {
    py::dict d;
    for (size_t p = 0; p < chip::spec::kPhaseNames.size(); ++p) d[chip::spec::kPhaseNames[p]] = core_->last_cycles()[p];
    return d;
  }

  void record_writes(bool on) {
    writes_.clear();
    hash_ = chip::WriteHash{};
    if (on) {
      core_->set_write_hook([this](const chip::WriteEvent& e) {
        writes_.push_back({static_cast<uint64_t>(e.mem), e.addr, e.data});
        hash_(e);
      });
    } else {
      core_->set_write_hook({});
    }
  }
  py::array_t<uint64_t> write_stream() const {
    py::array_t<uint64_t> a({static_cast<py::ssize_t>(writes_.size()), py::ssize_t{3}});
    if (!writes_.empty()) std::copy(writes_.front().data(), writes_.front().data() + 3 * writes_.size(), a.mutable_data());
    return a;
  }
  py::dict write_hash() const {
    py::dict d;
    d["hash"] = hash_.hex();
    d["writes"] = hash_.n;
    return d;
  }

  const tasks::Batch& stored(int batch, bool test) {
    if (batch < 0 || (test && batch >= run_.test_batches)) {
      throw py::value_error("batch: " + std::to_string(batch) + " (allowed: 0 .. " +
                            (test ? std::to_string(run_.test_batches - 1) : std::string("any >= 0")) + ")");
    }
    if (!cached_ || cached_batch_ != batch || cached_test_ != test) {
      py::gil_scoped_release release;
      cached_ = tasks::materialize(test ? setup_->run.test_batch(batch) : setup_->run.train_batch(batch));
      cached_batch_ = batch;
      cached_test_ = test;
    }
    return *cached_;
  }

  py::dict run_sample(int sample, int batch, bool test, bool update, bool trace) {
    const tasks::Batch& b = stored(batch, test);
    if (sample < 0 || sample >= b.B) {
      throw py::value_error("sample: " + std::to_string(sample) + " (allowed: 0 .. " + std::to_string(b.B - 1) + ")");
    }
    chip::SampleTrace tr;
    chip::SampleResult r;
    {
      py::gil_scoped_release release;
      r = chip::run_sample(*port_, b, sample, run_.cfg.train.learning_window, update, trace ? &tr : nullptr);
    }
    py::dict d = sample_dict(r);
    if (trace) {
      py::array_t<uint8_t> z({static_cast<py::ssize_t>(tr.spikes.size()), static_cast<py::ssize_t>(core_->sizes().n_rec)});
      std::fill(z.mutable_data(), z.mutable_data() + z.size(), 0);
      py::array_t<double> y({static_cast<py::ssize_t>(tr.y.size()), static_cast<py::ssize_t>(core_->sizes().n_out)});
      for (size_t t = 0; t < tr.spikes.size(); ++t) {
        for (int j : tr.spikes[t]) z.mutable_at(static_cast<py::ssize_t>(t), j) = 1;
        for (size_t k = 0; k < tr.y[t].size(); ++k) y.mutable_at(static_cast<py::ssize_t>(t), static_cast<py::ssize_t>(k)) = tr.y[t][k];
      }
      d["z"] = z;
      d["y"] = y;
    }
    return d;
  }

  py::object run(const py::object& progress) {
    experiment::Schedule sc = experiment::chip_schedule(run_);
    sc.trace_first_test = true;  // the report's first_test_sample, as eligo chip
    const experiment::Observer observer = sample_observer(progress);
    const auto t0 = std::chrono::steady_clock::now();
    json report;
    {
      py::gil_scoped_release release;
      const experiment::TrainTestResult res =
          experiment::train_test(*port_, setup_->run.train_batch, setup_->run.test_batch, sc, observer);
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      report = experiment::chip_report(config_name_, run_, *setup_, *core_, res, wall);
    }
    return to_python(report);
  }

  py::dict weights() const { return weights_to_dict(chip::chip_weights(*core_)); }

  const experiment::ChipRun& chip_run() const { return run_; }
  const std::string& config_name() const { return config_name_; }

 private:
  experiment::ChipRun run_;
  std::string config_name_;
  std::unique_ptr<experiment::ChipSetup> setup_;
  std::unique_ptr<chip::Core> core_;
  std::unique_ptr<chip::ModelPort> port_;
  std::vector<int64_t> no_target_;
  std::vector<std::array<uint64_t, 3>> writes_;
  chip::WriteHash hash_;
  std::optional<tasks::Batch> cached_;
  int cached_batch_ = -1;
  bool cached_test_ = false;
};

// ---- image models (MLP, CLAPP) ------------------------------------------------------------------

// eligo train of a "model": "mlp" or "clapp" config: metrics.json's content (docstring below).
py::object train_image(const py::object& config, std::optional<uint64_t> seed, const py::object& base_dir,
                       const py::object& progress) {
  const ConfigArg a = config_arg(config, base_dir);
  const std::string source = a.is_dict ? kDictSource : a.path;
  const json doc = a.is_dict ? a.doc : io::parse_json(io::read_file(a.path), a.path);
  // The config as eligo train names it in metrics.json: the file's absolute path.
  const std::string name = a.is_dict ? kDictSource : std::filesystem::absolute(a.path).string();
  const std::string model = experiment::config_model(doc);
  json metrics;
  if (model == "mlp") {
    experiment::MlpRun r = experiment::parse_mlp_config(
        doc, source, a.is_dict ? a.base_dir : std::filesystem::path(a.path).parent_path().string());
    if (seed) r.set_seed(*seed);
    py::gil_scoped_release release;
    metrics = experiment::train_mlp(r, name, [&progress](const fl::MlpEpochLog& e) {
      report_progress(progress, [&e] {
        py::dict d;
        d["epoch"] = e.epoch;
        d["train_loss"] = e.train_loss;
        d["train_accuracy"] = e.train_accuracy;
        d["test_loss"] = e.test_loss;
        d["test_accuracy"] = e.test_accuracy;
        d["active"] = e.active;
        d["rewired"] = e.rewired;
        return d;
      });
    });
  } else if (model == "clapp") {
    fl::ClappParams p = io::clapp_params_from_json(doc, source);
    if (seed) p.seed = *seed;
    py::gil_scoped_release release;
    metrics = experiment::run_clapp(p, name, [&progress](const std::string& line) {
                report_progress(progress, [&line] { return py::str(line); });
              }).metrics;
  } else {
    throw io::ConfigError(source + ": model: '" + model +
                          "' is not an image model (allowed: mlp, clapp; an LSNN config is eligo.Network's)");
  }
  return to_python(metrics);
}

// ---- co-simulation ---------------------------------------------------------------------------

#ifdef ELIGO_HAVE_COSIM
// The verilated size configurations this build has (CMake ELIGO_RTL_MODELS), as sizes dicts.
py::list cosim_sizes() {
  py::list l;
  for (const chip::Sizes& s : cosim::built_rtl_configurations()) l.append(to_python(experiment::sizes_json(s)));
  return l;
}

// eligo.MismatchError(message) with the first divergence's fields as attributes and the report.
[[noreturn]] void raise_mismatch(const cosim::Mismatch& m, const json& report) {
  const py::object type = py::module_::import("eligo").attr("MismatchError");
  py::object e = type("cosim: " + cosim::describe(m));
  const py::dict fields = to_python(cosim::mismatch_json(m));
  for (auto f : fields) e.attr(f.first) = f.second;
  e.attr("report") = to_python(report);
  PyErr_SetObject(type.ptr(), e.ptr());
  throw py::error_already_set();
}

// eligo cosim --engine cc of a chip config, its report.json as a dict (see the binding's docstring).
py::object run_cosim(const py::object& config, const py::object& weights, const py::object& base_dir, int samples,
                     std::optional<int> iterations, std::optional<int> test_samples,
                     const std::vector<std::string>& faults, const py::object& waveform, const py::object& progress) {
  const ChipArg c = chip_arg(config, weights, base_dir, "eligo cosim");
  const chip::Sizes& sizes = c.setup->image.sizes;
  const std::vector<chip::Sizes> built = cosim::built_rtl_configurations();
  if (std::find(built.begin(), built.end(), sizes) == built.end()) {
    throw std::invalid_argument(cosim::not_built("verilated RTL", sizes, built, cosim::rtl_configurations()));
  }
  cosim::RunOptions o;
  o.samples = samples;
  o.iterations = iterations.value_or(-1);
  o.test_samples = test_samples.value_or(-1);
  for (const auto& [name, v] : {std::pair{"iterations", iterations}, std::pair{"test_samples", test_samples}}) {
    if (v && (!c.run.train || *v < 0)) {
      throw py::value_error(std::string(name) + ": only with a training config (mode train), and >= 0");
    }
  }
  const int batch = c.setup->run.test_batch(0).B;
  if (samples < 1 || samples > batch) {
    throw py::value_error("samples: " + std::to_string(samples) + " (allowed: 1 .. " + std::to_string(batch) +
                          ", the task's batch size)");
  }
  for (const auto& f : faults) o.faults.push_back(cosim::parse_fault(f, sizes));
  const experiment::Observer observer = sample_observer(progress);
  cosim::RunResult res;
  {
    py::gil_scoped_release release;
    res = cosim::run_cosim(c.run, *c.setup, o, observer);
  }
  json fst = nullptr;
  if (res.mismatch && !waveform.is_none()) {
    // As eligo cosim's mismatch.fst: the deterministic replay traced from two timesteps before the
    // divergence, written to a temporary name and renamed.
    const std::string path = py::str(py::module_::import("os").attr("fspath")(waveform)).cast<std::string>();
    o.trace = path + ".tmp";
    o.trace_from = std::max<int64_t>(0, res.mismatch->timestep - 2);
    {
      py::gil_scoped_release release;
      cosim::run_cosim(c.run, *c.setup, o);
    }
    std::filesystem::rename(o.trace, path);
    fst = path;
  }
  const json report = cosim::report_json(c.name, o.engine, c.run, res, faults, fst);
  if (res.mismatch) raise_mismatch(*res.mismatch, report);
  return to_python(report);
}
#endif

}  // namespace

}  // namespace eligo::python

PYBIND11_MODULE(eligo, m) {
  using namespace eligo;
  using namespace eligo::python;
  m.doc() =
      "eligo from Python: the float reference (Network), the bit-exact chip model (Chip), the lock-step\n"
      "co-simulation of the RTL (cosim, MismatchError) and the image models (train_image: MLP, CLAPP)\n"
      "of the eligo platform, over the same C++ libraries as the `eligo` command line (docs/python.md).\n\n"
      "Configs are dicts (validated by the command line's schema and readers) or file paths; a bad\n"
      "config raises eligo.ConfigError with the command line's one-line message. Arrays are NumPy:\n"
      "input rasters x (B, T, n_in) of 0/1, targets (B, T, n_out), float64; weights as in weights.npz\n"
      "(W_in (n_rec, n_in), W_rec (n_rec, n_rec), W_out (n_out, n_rec), B (n_rec, n_out), float64).\n"
      "Long calls release the GIL; Ctrl-C interrupts them between two iterations or samples\n"
      "(KeyboardInterrupt).";
  py::register_exception<io::ConfigError>(m, "ConfigError", PyExc_ValueError).doc() =
      "A bad config: one line, '<file or <config dict>>: <key path>: <problem> (allowed: <range>)', "
      "the message of the eligo command line. A subclass of ValueError.";
  py::register_exception<io::IoError>(m, "DataError", PyExc_ValueError).doc() =
      "Bad data: a file that cannot be read, or arrays whose shape or values do not fit the network "
      "(the message names the argument or file). A subclass of ValueError.";
  py::register_exception<tasks::ReckonDataError>(m, "ReckonDataError", PyExc_ValueError);
  m.attr("HAVE_COSIM") =
#ifdef ELIGO_HAVE_COSIM
      true;
#else
      false;
#endif
  m.def("train_image", &train_image, py::arg("config"), py::kw_only(), py::arg("seed") = py::none(),
        py::arg("base_dir") = py::none(), py::arg("progress") = py::none(),
        "eligo train of an image-model config (dict or path): \"model\": \"mlp\" (a feedforward classifier on\n"
        "Fashion-MNIST, dense or DEEP R; examples/deepr_fashion_mnist.json) or \"clapp\" (CLAPP layer-local\n"
        "learning and linear probes; examples/clapp_fashion_mnist.json), the same bits as the command line.\n"
        "Returns metrics.json's content (config: the file's absolute path, or '<config dict>'). seed\n"
        "overrides the config's (eligo train --seed); base_dir: where a dict's data.dir resolves.\n"
        "progress: MLP, a dict after every epoch ({'epoch', 'train_loss', 'train_accuracy', 'test_loss',\n"
        "'test_accuracy', 'active', 'rewired'}); CLAPP, each progress line (str). The GIL is released;\n"
        "Ctrl-C stops after the current epoch / step (KeyboardInterrupt). Another model: ConfigError.");
  m.def("have_fashion_mnist", [] { return io::have_fashion_mnist(); },
        "Whether the Fashion-MNIST files that train_image reads by default are there (Debian's\n"
        "dataset-fashion-mnist, or the folder $ELIGO_FASHION_MNIST_DIR).");
  // The co-simulation's exception: a RuntimeError with the first divergence's fields.
  m.attr("MismatchError") = py::reinterpret_steal<py::object>(PyErr_NewExceptionWithDoc(
      "eligo.MismatchError",
      "The RTL diverged from the bit-exact model in eligo.cosim (eligo cosim's exit status 1). The message\n"
      "describes the first divergence; its fields are attributes, as report.json's first_mismatch: kind\n"
      "('write', 'missing write', 'state', 'cycles', 'counter', 'apb'), timestep (-1: during\n"
      "configuration or a command), cycle (RTL cycle), phase, unit (the RTL unit of the phase), memory,\n"
      "address, expected (the model's value), actual (the RTL's), detail; report: the whole report dict.\n"
      "A subclass of RuntimeError.",
      PyExc_RuntimeError, nullptr));
#ifdef ELIGO_HAVE_COSIM
  m.attr("COSIM_SIZES") = cosim_sizes();
  m.def("cosim", &run_cosim, py::arg("config"), py::kw_only(), py::arg("weights") = py::none(),
        py::arg("base_dir") = py::none(), py::arg("samples") = 1, py::arg("iterations") = py::none(),
        py::arg("test_samples") = py::none(), py::arg("faults") = std::vector<std::string>{},
        py::arg("waveform") = py::none(), py::arg("progress") = py::none(),
#else
  m.attr("COSIM_SIZES") = py::list();
  m.def("cosim", [](const py::args&, const py::kwargs&) -> py::object {
          throw std::runtime_error("eligo.cosim: this module was built without the co-simulation (CMake ELIGO_COSIM=OFF)");
        },
#endif
        "Co-simulates a chip config: the verilated RTL in lock-step with the bit-exact model (the direct\n"
        "Verilator engine), as `eligo cosim --engine cc` does, and returns its report.json as a dict\n"
        "(timesteps, cycles per phase, rtl_cycles, writes_compared, words_compared, write_hash, counters,\n"
        "wall_s, sim_cycles_per_s, mode; training configs also learning_curve, test (accuracy and loss\n"
        "of the RTL and the model), wall_s_per_train_sample). Training configs learn on chip in lock-step\n"
        "(iterations, then test_samples of every test batch; None: the config's / all); inference configs\n"
        "run `samples` samples of the first test batch. config, weights, base_dir: as for Chip.\n"
        "faults: bit flips in RTL memories, 'MEMORY:ADDRESS:BIT@TIMESTEP' (eligo cosim --inject-fault).\n"
        "On the first divergence raises eligo.MismatchError (its fields as attributes); with waveform=PATH\n"
        "the window from two timesteps before it is replayed with tracing into that FST file first.\n"
        "The sizes must be one of eligo.COSIM_SIZES (the verilated configurations of this build,\n"
        "CMake ELIGO_RTL_MODELS): ValueError naming them otherwise. progress(dict) after every sample,\n"
        "as Chip.run; the GIL is released; Ctrl-C stops after the current sample (KeyboardInterrupt).");

  py::class_<Network>(m, "Network",
                      "An LSNN of the float reference, built from a run config (docs/config.md) as `eligo train`\n"
                      "builds it: neuron constants, initial weights (random from the seed, or init.weights) and the\n"
                      "task's batches.")
      .def(py::init<const py::object&, std::optional<uint64_t>, std::optional<std::string>, std::optional<int>, const py::object&>(),
           py::arg("config"), py::kw_only(), py::arg("seed") = py::none(), py::arg("algo") = py::none(),
           py::arg("iterations") = py::none(), py::arg("base_dir") = py::none(),
           "config: dict or path of a run config. seed, algo ('bptt' | 'eprop'), iterations override the\n"
           "config as eligo train's --seed, --algo, --iterations do. base_dir: where a dict's relative\n"
           "paths (init.weights, task.inputs) resolve (default: the working directory).")
      .def_property_readonly("n_in", [](const Network& n) { return n.cfg().net.n_in; })
      .def_property_readonly("n_rec", [](const Network& n) { return n.cfg().net.lif.n + n.cfg().net.alif.n; })
      .def_property_readonly("n_out", [](const Network& n) { return n.cfg().net.n_out; })
      .def_property_readonly("seed", [](const Network& n) { return n.cfg().seed; })
      .def_property_readonly("algo", [](const Network& n) { return algo_name(n.cfg().train.algo); })
      .def_property_readonly("iterations", [](const Network& n) { return n.cfg().train.iterations; })
      .def_property_readonly("test_batches", [](const Network& n) { return n.cfg().task.test_batches; })
      .def_property("weights", &Network::weights, &Network::set_weights,
                    "dict of copies (float64): W_in (n_rec, n_in), W_rec (n_rec, n_rec), W_out (n_out, n_rec),\n"
                    "B (n_rec, n_out). Assigning a dict (any of these keys) replaces those matrices (shapes\n"
                    "checked: ValueError naming the matrix).")
      .def("batch", &Network::batch, py::arg("index") = 0, py::kw_only(), py::arg("test") = false,
           "Batch `index` of the task (training batch of that iteration, or test batch): (x, target),\n"
           "x (B, T, n_in) and target (B, T, n_out), float64.")
      .def("forward", &Network::forward, py::arg("x"),
           "Runs the network on x (B, T, n_in), 0/1 spikes; returns {'z': spikes (B, T, n_rec),\n"
           "'v': membrane potentials (B, T, n_rec), 'y': readouts (B, T, n_out)}, float64.")
      .def("grad", &Network::grad, py::arg("x") = py::none(), py::arg("target") = py::none(), py::kw_only(),
           py::arg("algo") = py::none(),
           "Gradients of one batch without updating (eligo grad): the first training batch, or x\n"
           "(B, T, n_in) with target (B, T, n_out). algo: 'bptt' | 'eprop' (default: the config's).\n"
           "Returns {'dW_in', 'dW_rec', 'dW_out' (the weights' shapes), 'loss', 'reg_loss',\n"
           "'accuracy' (None for regression), 'rate_hz'}.")
      .def("evaluate", &Network::evaluate,
           "Held-out test metrics over task.test_batches: {'loss', 'accuracy' (or None), 'firing_rate_hz'}.")
      .def("train", &Network::train, py::arg("progress") = py::none(), py::kw_only(), py::arg("backend") = "float",
           "Trains the weights in place for `iterations` iterations, as eligo train does (the same bits),\n"
           "then evaluates on the test batches. progress(dict) is called after every iteration with\n"
           "{'iteration', 'loss', 'reg_loss', 'accuracy', 'firing_rate_hz'}. Returns metrics.json's\n"
           "content (without 'config'). backend='analog' (eligo train --backend analog): chip-in-the-loop\n"
           "e-prop on the analog-core model of the config's 'analog' section, tested on the core; returns\n"
           "that run's metrics.json (with 'energy', and 'config': the file's absolute path or\n"
           "'<config dict>'). An exception in progress, or Ctrl-C, stops training after the current\n"
           "iteration (the weights keep the updates done).");

  py::class_<Chip>(m, "Chip",
                   "The bit-exact chip model (golden_model/chip) of a chip config (docs/architecture.md), as\n"
                   "`eligo chip` builds it: the float network's weights quantised into the core's memories.")
      .def(py::init<const py::object&, const py::object&, const py::object&>(), py::arg("config"), py::kw_only(),
           py::arg("weights") = py::none(), py::arg("base_dir") = py::none(),
           "config: dict or path of a chip config. weights: a weights.npz path of a finished run (eligo\n"
           "chip --weights), or a dict of float matrices (Network.weights) to quantise instead of the\n"
           "float config's initial weights. base_dir: where a dict's network_config resolves.")
      .def_property_readonly("sizes", [](Chip& c) { return to_python(experiment::sizes_json(c.core().sizes())); },
                             "{'n_in', 'n_rec', 'n_out', 'n_alif', 'lanes'}")
      .def_property_readonly("learning_window", [](const Chip& c) { return c.chip_run().cfg.train.learning_window; })
      .def("read_reg", &Chip::read_reg, py::arg("register"),
           "APB read of a register: an address (int) or a name ('CTRL', 'LR_IN_SHIFT', 'NAME[k]').")
      .def("write_reg", &Chip::write_reg, py::arg("register"), py::arg("value"), "APB write of a register (uint32).")
      .def("registers", &Chip::registers, "Every readable register by name (multi-word ones as 'NAME[k]').")
      .def("memory", &Chip::memory, py::arg("name"),
           "A copy of memory `name` ('STATE', 'W_IN', 'W_REC', 'W_OUT', 'B_FB', 'Y', ...): its words,\n"
           "uint64 (depth,), in address order (docs/chip_spec.md for the word formats).")
      .def("set_memory", &Chip::set_memory, py::arg("name"), py::arg("words"),
           "Writes every word of memory `name` (an integer array (depth,), each within the word width)\n"
           "as the host's backdoor does: not counted, not in the write stream.")
      .def("start_sample", [](Chip& c) { c.core().start_sample(); }, "CMD START_SAMPLE.")
      .def("step", &Chip::step, py::arg("events"), py::arg("target") = py::none(), py::arg("valid") = false,
           "One timestep: events, input addresses in arrival order (each < n_in); target: n_out raw Y\n"
           "values, read when valid (TARGET_VALID).")
      .def("target_raw", &Chip::target_raw, py::arg("target"),
           "Real readout targets (n_out,) as the raw Y values step() takes (the host's conversion).")
      .def("end_sample", [](Chip& c, bool update) { c.core().end_sample(update); }, py::arg("update") = false,
           "CMD END_SAMPLE, with UPDATE (weight update and rewiring when learning) if update.")
      .def_property_readonly("spikes", &Chip::spikes, "Neurons that spiked in the last timestep, int32 (n,) ascending.")
      .def_property_readonly("readouts", &Chip::readouts, "The Y memory as real values, float64 (n_out,).")
      .def_property_readonly("last_cycles", &Chip::last_cycles, "Cycles per phase (RST .. RWR) of the last command.")
      .def_property_readonly("cycles", [](Chip& c) { return to_python(experiment::cycles_json(c.core())); },
                             "Cycles per phase since the core was made, and their 'total'.")
      .def_property_readonly("counters", [](Chip& c) { return to_python(experiment::counters_json(c.core())); },
                             "Performance counters by name, and reads/writes per memory.")
      .def_property_readonly(
          "energy", [](Chip& c) { return to_python(experiment::energy_json(c.core(), c.chip_run().energy)); },
          "Energy and latency from the counters (the config's energy profile, default lp28nt), "
          "as report.json's 'energy'.")
      .def("clear_counters", [](Chip& c) { c.core().clear_counters(); })
      .def("record_writes", &Chip::record_writes, py::arg("on") = true,
           "Starts (clearing) or stops recording the memory write stream and its FNV-1a hash.")
      .def("write_stream", &Chip::write_stream,
           "The recorded writes as uint64 (n, 3): memory id (docs/chip_spec.md order), address, data.")
      .def_property_readonly("write_hash", &Chip::write_hash,
                             "{'hash': FNV-1a of the recorded writes (16 hex digits), 'writes': their count}: the\n"
                             "co-simulation report's write_hash for the same writes.")
      .def("run_sample", &Chip::run_sample, py::arg("sample") = 0, py::kw_only(), py::arg("batch") = 0,
           py::arg("test") = false, py::arg("update") = false, py::arg("trace") = false,
           "Runs sample `sample` of the task's training (or test) batch `batch` as the host does (targets\n"
           "in the learning window, END_SAMPLE with UPDATE if update). Returns {'loss', 'predicted',\n"
           "'label', 'cycles'}; with trace, also 'z' uint8 (T, n_rec) spikes and 'y' float64 (T, n_out).")
      .def("run", &Chip::run, py::arg("progress") = py::none(),
           "Runs the config's schedule (training batches, then the test) on this core, as eligo chip\n"
           "does, and returns its report.json as a dict. progress(dict) after every sample: {'phase',\n"
           "'sample', 'samples', 'n', 'correct', 'loss'}. Ctrl-C stops after the current sample.")
      .def("weights", &Chip::weights, "The weights the chip holds as float matrices (dormant = 0), as Network.weights.")
      .def("save_state", [](Chip& c) { return py::bytes(c.core().save_state()); }, "The core's whole state as bytes.")
      .def("restore_state", [](Chip& c, const py::bytes& b) { c.core().restore_state(std::string(b)); }, py::arg("state"),
           "Restores a state of save_state (ValueError for another core's).");
}
