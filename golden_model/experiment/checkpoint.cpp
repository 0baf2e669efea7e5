#include "golden_model/experiment/checkpoint.hpp"

#include <cmath>
#include <map>

#include "golden_model/chip/bytes.hpp"
#include "golden_model/experiment/run_setup.hpp"
#include "golden_model/io/files.hpp"
#include "golden_model/io/npy.hpp"

namespace eligo::experiment {

namespace {

io::NdArray vector_array(const std::vector<double>& v) {
  io::NdArray a;
  a.shape = {v.size()};
  a.data = v;
  return a;
}

}  // namespace

void write_float_checkpoint(const std::string& path, const RunIdentity& id, const fl::Weights& w,
                            const fl::TrainResume& s) {
  io::NdArray log;
  log.shape = {s.log.size(), 5};
  for (const fl::IterationLog& e : s.log) {
    log.data.insert(log.data.end(), {double(e.iteration), e.loss, e.reg_loss, e.accuracy, e.rate_hz});
  }
  const fl::Optimizer::State& o = s.optimizer;
  io::write_npz(path, {{"W_in", io::from_matrix(w.w_in)},
                       {"W_rec", io::from_matrix(w.w_rec)},
                       {"W_out", io::from_matrix(w.w_out)},
                       {"B", io::from_matrix(w.b_fb)},
                       {"m_in", io::from_matrix(o.m_in)},
                       {"v_in", io::from_matrix(o.v_in)},
                       {"m_rec", io::from_matrix(o.m_rec)},
                       {"v_rec", io::from_matrix(o.v_rec)},
                       {"m_out", io::from_matrix(o.m_out)},
                       {"v_out", io::from_matrix(o.v_out)},
                       {"adam", vector_array({o.b1p, o.b2p, double(o.steps)})},
                       {"log", log},
                       {"run", vector_array({double(s.done), double(id.iterations), double(id.seed >> 32),
                                             double(id.seed & 0xffffffffu), double(id.algo), double(id.config_crc32)})}});
}

fl::TrainResume read_float_checkpoint(const std::string& path, const RunIdentity& id, const fl::Neurons& n,
                                      fl::Weights& w) {
  w = load_weights(path, n, 0, io::InitConfig{});
  const std::map<std::string, io::NdArray> a = io::read_npz(path);
  auto get = [&](const std::string& key, const std::vector<size_t>& shape) -> const io::NdArray& {
    const auto it = a.find(key);
    if (it == a.end()) throw io::IoError(path + ": " + key + ": missing (not a checkpoint of eligo train)");
    io::expect_shape(it->second, shape, path + ": " + key);
    return it->second;
  };
  const std::vector<double>& run = get("run", {6}).data;
  auto differs = [&](const char* what, double had, double now) {
    if (had != now) {
      throw io::IoError(path + ": run: made with another " + std::string(what) + " (" + std::to_string(had) +
                        ", this run " + std::to_string(now) + "); resume with the same config and options");
    }
  };
  differs("config file (CRC-32)", run[5], id.config_crc32);
  differs("seed (high 32 bits)", run[2], double(id.seed >> 32));
  differs("seed (low 32 bits)", run[3], double(id.seed & 0xffffffffu));
  differs("algo", run[4], id.algo);
  differs("iteration count", run[1], id.iterations);
  if (!(run[0] >= 1 && run[0] <= id.iterations && run[0] == std::floor(run[0]))) {  // NaN fails too
    throw io::IoError(path + ": run: " + std::to_string(run[0]) + " iterations done (allowed: 1 .. " +
                      std::to_string(id.iterations) + ")");
  }
  const int done = static_cast<int>(run[0]);
  fl::TrainResume s;
  s.done = done;
  const size_t nd = static_cast<size_t>(done);
  const std::vector<double>& log = get("log", {nd, 5}).data;
  for (size_t i = 0; i < nd; ++i) {
    const double* e = &log[5 * i];
    if (e[0] != double(i)) throw io::IoError(path + ": log: row " + std::to_string(i) + " is not iteration " + std::to_string(i));
    s.log.push_back({static_cast<int>(i), e[1], e[2], e[3], e[4]});
  }
  auto matrix = [&](const char* key, const Eigen::MatrixXd& like) {
    const size_t r = static_cast<size_t>(like.rows()), c = static_cast<size_t>(like.cols());
    const io::NdArray& x = get(key, {r, c});
    io::expect_finite(x, path + ": " + key);
    return io::to_matrix(x, path + ": " + key);
  };
  fl::Optimizer::State& o = s.optimizer;
  o.m_in = matrix("m_in", w.w_in);
  o.v_in = matrix("v_in", w.w_in);
  o.m_rec = matrix("m_rec", w.w_rec);
  o.v_rec = matrix("v_rec", w.w_rec);
  o.m_out = matrix("m_out", w.w_out);
  o.v_out = matrix("v_out", w.w_out);
  const std::vector<double>& adam = get("adam", {3}).data;
  o.b1p = adam[0];
  o.b2p = adam[1];
  if (!(adam[2] >= 0 && adam[2] <= 1e15 && adam[2] == std::floor(adam[2]))) {  // NaN fails too
    throw io::IoError(path + ": adam: step count " + std::to_string(adam[2]) + " (allowed: a whole number >= 0)");
  }
  o.steps = static_cast<long>(adam[2]);
  return s;
}

namespace {

// Version 2: Tally (stored as its bytes) has `spikes` (issue 17); a version-1 file is refused.
const std::string kChipMagic = "eligo chip checkpoint 2\n";
const std::string kEpochsMagic = "eligo chip epochs checkpoint 2\n";

// A checkpoint file: the magic line, the body, and a CRC-32 of both (written atomically).
void write_framed(const std::string& path, const std::string& magic, const std::string& body) {
  chip::ByteWriter crc;
  crc.put(io::crc32_of(magic + body));
  io::write_file_atomically(path, magic + body + crc.bytes());
}

// The body of a checkpoint written by write_framed with `magic`. Throws io::IoError naming the file.
std::string read_framed(const std::string& path, const std::string& magic, const char* what) {
  const std::string bytes = io::read_file(path);
  if (bytes.compare(0, magic.size(), magic) != 0 || bytes.size() < magic.size() + 4) {
    throw io::IoError(path + ": not a checkpoint of " + what);
  }
  const std::string framed = bytes.substr(0, bytes.size() - 4);
  if (chip::ByteReader(bytes.substr(bytes.size() - 4)).get<uint32_t>() != io::crc32_of(framed)) {
    throw io::IoError(path + ": corrupted (its CRC-32 does not match)");
  }
  return framed.substr(magic.size());
}

// The run's identity at the start of a checkpoint's body; throws io::IoError for another run's.
void check_identity(const std::string& path, chip::ByteReader& r, const ChipIdentity& id, const char* units) {
  if (r.get<uint32_t>() != id.config_crc32) {
    throw io::IoError(path + ": made with other config, weights or data files; resume with the same ones");
  }
  const int iterations = r.get<int>();
  if (iterations != id.iterations) {
    throw io::IoError(path + ": made for " + std::to_string(iterations) + " " + units + ", this run has " +
                      std::to_string(id.iterations));
  }
}

}  // namespace

ChipIdentity chip_run_identity(const std::string& config_path, const ChipRun& r, int iterations,
                               const std::string& extra) {
  std::string files = io::read_file(config_path) + io::read_file(r.cfg.source);
  if (!r.cfg.init.weights_path.empty()) files += io::read_file(r.cfg.init.weights_path);
  return {io::crc32_of(files + extra), iterations};
}

void write_chip_checkpoint(const std::string& path, const ChipIdentity& id, const TrainTestResult& so_far,
                           const std::string& chip_state) {
  static_assert(std::is_trivially_copyable_v<Tally>);
  chip::ByteWriter w;
  w.put(id.config_crc32);
  w.put(id.iterations);
  w.put_vector(so_far.curve);
  w.put(so_far.train);
  w.put_bytes(chip_state);
  write_framed(path, kChipMagic, w.bytes());
}

TrainTestResult read_chip_checkpoint(const std::string& path, const ChipIdentity& id, chip::ChipPort& port) {
  const std::string data = read_framed(path, kChipMagic, "eligo chip");
  chip::ByteReader r(data);
  TrainTestResult res;
  try {
    check_identity(path, r, id, "iterations");
    res.curve = r.get_vector<Tally>();
    if (res.curve.empty() || res.curve.size() > static_cast<size_t>(id.iterations)) {
      throw io::IoError(path + ": " + std::to_string(res.curve.size()) + " batches done (allowed: 1 .. " +
                        std::to_string(id.iterations) + ")");
    }
    res.train = r.get<Tally>();
    const std::string state = r.get_bytes();
    if (r.left() != 0) throw io::IoError(path + ": " + std::to_string(r.left()) + " bytes after the chip's state");
    port.restore_state(state);
  } catch (const std::invalid_argument& e) {
    throw io::IoError(path + ": " + e.what());
  }
  return res;
}

void write_epochs_checkpoint(const std::string& path, const ChipIdentity& id, const std::vector<EpochTally>& done,
                             const std::string& core_state) {
  static_assert(std::is_trivially_copyable_v<EpochTally>);
  chip::ByteWriter w;
  w.put(id.config_crc32);
  w.put(id.iterations);
  w.put_vector(done);
  w.put_bytes(core_state);
  write_framed(path, kEpochsMagic, w.bytes());
}

std::vector<EpochTally> read_epochs_checkpoint(const std::string& path, const ChipIdentity& id, std::string& core_state) {
  const std::string data = read_framed(path, kEpochsMagic, "eligo chip (epochs of ReckOn's benchmark)");
  chip::ByteReader r(data);
  std::vector<EpochTally> done;
  try {
    check_identity(path, r, id, "epochs");
    done = r.get_vector<EpochTally>();
    if (done.empty() || done.size() > static_cast<size_t>(id.iterations)) {
      throw io::IoError(path + ": " + std::to_string(done.size()) + " epochs done (allowed: 1 .. " +
                        std::to_string(id.iterations) + ")");
    }
    core_state = r.get_bytes();
    if (r.left() != 0) throw io::IoError(path + ": " + std::to_string(r.left()) + " bytes after the core's state");
  } catch (const std::invalid_argument& e) {
    throw io::IoError(path + ": " + e.what());
  }
  return done;
}

}  // namespace eligo::experiment
