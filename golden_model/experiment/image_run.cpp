#include "golden_model/experiment/image_run.hpp"

#include <chrono>
#include <filesystem>

#include "golden_model/io/clapp_config.hpp"
#include "golden_model/io/fashion_mnist.hpp"
#include "golden_model/io/files.hpp"
#include "golden_model/io/json_fields.hpp"
#include "golden_model/io/json_read.hpp"

namespace eligo::experiment {

std::string config_model(const nlohmann::json& doc) {
  if (doc.is_object() && doc.contains("model") && doc["model"].is_string()) return doc["model"];
  return "lsnn";
}

void MlpRun::set_seed(uint64_t s) {
  seed = s;
  train.seed = s;
  if (deepr) deepr->seed = s;
}

MlpRun parse_mlp_config(const nlohmann::json& j, const std::string& source, const std::string& base_dir) {
  io::JsonFields top(j, source, "");
  MlpRun r;
  top.choice("model", "mlp", {"mlp"});
  r.seed = uint64_t(top.integer("seed", 1, 0, 4294967295L));
  io::JsonFields data = top.object("data");
  // Relative to base_dir (the config file's directory); default: ELIGO_FASHION_MNIST_DIR or Debian's path.
  r.data_dir = data.text("dir", "");
  if (r.data_dir.empty()) {
    r.data_dir = io::fashion_mnist_dir();
  } else if (std::filesystem::path(r.data_dir).is_relative()) {
    r.data_dir = (std::filesystem::path(base_dir) / r.data_dir).string();
  }
  r.train_images = data.integer("train_images", 0, 0, 60000);
  r.test_images = data.integer("test_images", 0, 0, 10000);
  data.finish();
  io::JsonFields mlp = top.object("mlp");
  for (long s : mlp.integers("sizes", {784, 300, 100, 10}, 1, 100000, 2)) r.sizes.push_back(int(s));
  if (r.sizes.front() != 784) mlp.fail("sizes", "the first size must be the image size 784", "784, ...");
  if (r.sizes.back() != 10) mlp.fail("sizes", "the last size must be the 10 classes", "..., 10");
  r.train.epochs = int(mlp.integer("epochs", 15, 1, 10000));
  r.train.batch_size = int(mlp.integer("batch_size", 100, 1, 60000));
  const std::string opt = mlp.choice("optimizer", "adam", {"adam", "sgd"});
  r.train.optimizer.kind = opt == "adam" ? fl::OptimizerKind::Adam : fl::OptimizerKind::SGD;
  r.train.optimizer.lr = mlp.number("lr", 1e-3, 0.0, 10.0, true);
  r.train.lr_decay = mlp.number("lr_decay", 1.0, 0.0, 1.0, true);
  mlp.finish();
  r.train.seed = r.seed;
  if (top.has("deepr")) {
    io::JsonFields d = top.object("deepr");
    fl::DeepRParams p;
    p.connectivity = d.number("connectivity", 0.02, 0.0, 1.0, true);
    p.global_k = d.boolean("global_k", true);
    p.l1 = d.number("l1", 1e-4, 0.0, 1e6);
    p.temperature = d.number("temperature", 1e-10, 0.0, 1e6);
    p.allocation = d.choice("allocation", "erdos_renyi", {"uniform", "erdos_renyi"}) == "uniform"
                       ? fl::Allocation::Uniform
                       : fl::Allocation::ErdosRenyi;
    p.scale_by_density = d.boolean("scale_by_density", true);
    p.seed = r.seed;
    d.finish();
    r.deepr = p;
  } else {
    top.object("deepr").finish();  // null or absent: dense
  }
  top.finish();
  return r;
}

MlpRun load_mlp_config(const std::string& path) {
  return parse_mlp_config(io::parse_json(io::read_file(path), path), path,
                          std::filesystem::path(path).parent_path().string());
}

nlohmann::json train_mlp(const MlpRun& r, const std::string& config,
                         const std::function<void(const fl::MlpEpochLog&)>& on_epoch) {
  const io::FashionMnist data = io::load_fashion_mnist(int(r.train_images), int(r.test_images), r.data_dir);
  const fl::ImageData& train = data.train;
  const fl::ImageData& test = data.test;

  const auto t0 = std::chrono::steady_clock::now();
  fl::Mlp net = fl::init_mlp(r.sizes, r.seed);
  const auto log = fl::train_mlp(net, train, r.train, r.deepr ? &*r.deepr : nullptr, &test, on_epoch);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  long total = 0, active = 0;
  for (const auto& w : net.w) {
    total += long(w.size());
    active += long((w.array() != 0.0).count());
  }
  nlohmann::json m;
  m["model"] = "mlp";
  m["algo"] = r.deepr ? "deepr" : "dense";
  m["sizes"] = r.sizes;
  m["seed"] = r.seed;
  m["config"] = config;
  m["connectivity"] = double(active) / double(total);
  m["connections"] = {{"active", active}, {"total", total}};
  m["test_accuracy"] = log.back().test_accuracy;
  m["test_loss"] = log.back().test_loss;
  nlohmann::json epochs = nlohmann::json::array();
  for (const auto& e : log) {
    epochs.push_back({{"epoch", e.epoch}, {"train_loss", e.train_loss},
                      {"train_accuracy", e.train_accuracy}, {"test_accuracy", e.test_accuracy},
                      {"active", e.active}, {"rewired", e.rewired}, {"wall_s", e.wall_s}});
  }
  m["epochs"] = epochs;
  m["train_images"] = train.n();
  m["test_images"] = test.n();
  m["wall_s"] = wall;
  return m;
}

ClappResult run_clapp(const fl::ClappParams& params, const std::string& config,
                      const std::function<void(const std::string&)>& progress) {
  const io::FashionMnist data = io::load_fashion_mnist(params.n_train, params.n_test);
  const fl::ClappReport r = fl::run_clapp_experiment(params, data.train, data.test, progress);
  nlohmann::json m;
  m["model"] = "clapp";
  m["config"] = config;
  m["params"] = io::clapp_params_to_json(params);
  m["probe_accuracy"] = {{"clapp", r.clapp},
                         {"random", r.random},
                         {"supervised", r.supervised},
                         {"pixels", r.pixels},
                         {"supervised_readout", r.supervised_readout},
                         {"probe_repeats", r.probe_repeats},
                         {"spread", {{"clapp", r.clapp_spread},
                                     {"random", r.random_spread},
                                     {"supervised", r.supervised_spread},
                                     {"pixels", r.pixels_spread}}}};
  m["top_beats_random"] = r.top_beats_random();
  m["top_beats_pixels"] = r.top_beats_pixels();
  m["non_decreasing_with_depth"] = r.non_decreasing();
  nlohmann::json log = nlohmann::json::array();
  for (const auto& e : r.clapp_log) {
    log.push_back({{"epoch", e.epoch}, {"hinge_loss", e.loss}, {"wall_s", e.wall_s}});
  }
  m["clapp_epochs"] = log;
  m["train_images"] = r.n_train;
  m["test_images"] = r.n_test;
  m["wall_s"] = r.total_s;
  return {m, r.table()};
}

}  // namespace eligo::experiment
