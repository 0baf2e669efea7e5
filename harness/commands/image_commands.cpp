#include "harness/commands/image_commands.hpp"

#include <cstdio>
#include <filesystem>

#include "golden_model/io/clapp_config.hpp"
#include "golden_model/io/files.hpp"
#include "golden_model/io/json_read.hpp"
#include "harness/commands/progress.hpp"

namespace eligo::harness {

namespace {

nlohmann::json parse_file(const std::string& path) {
  return io::parse_json(io::read_file(path), path);
}

}  // namespace

MlpRun parse_mlp_config(const std::string& path) { return experiment::load_mlp_config(path); }

std::string config_model(const std::string& path) {
  try {
    return experiment::config_model(parse_file(path));
  } catch (const std::exception&) {
  }
  return "lsnn";
}

int train_mlp_config(const std::string& path, const std::string& out,
                     std::optional<uint64_t> seed) {
  MlpRun r = parse_mlp_config(path);
  if (seed) r.set_seed(*seed);
  io::prepare_output_dir(out);  // before any work
  Progress progress(r.deepr ? "train mlp+deepr" : "train mlp", r.train.epochs);
  const nlohmann::json m =
      experiment::train_mlp(r, std::filesystem::absolute(path).string(), [&](const fl::MlpEpochLog& e) {
        char what[96];
        std::snprintf(what, sizeof what, "loss %.4f test acc %.4f", e.train_loss, e.test_accuracy);
        progress.update(e.epoch + 1, what);
      });
  progress.finish();
  const std::string metrics = (std::filesystem::path(out) / "metrics.json").string();
  io::write_file_atomically(metrics, m.dump(2) + "\n");
  io::write_manifest(out, "train", {"metrics.json"});
  std::printf("train mlp (%s): %d epochs, connectivity %.4f, test accuracy %.4f, %.1f s\nwrote %s\n",
              r.deepr ? "DEEP R" : "dense", r.train.epochs, m["connectivity"].get<double>(),
              m["test_accuracy"].get<double>(), m["wall_s"].get<double>(), metrics.c_str());
  return 0;
}

int train_clapp_config(const std::string& path, const std::string& out,
                       std::optional<uint64_t> seed) {
  fl::ClappParams params = io::load_clapp_config(path);
  if (seed) params.seed = *seed;
  io::prepare_output_dir(out);  // before any work
  const bool tty = Progress::on_terminal();
  const experiment::ClappResult r =
      experiment::run_clapp(params, std::filesystem::absolute(path).string(), [tty](const std::string& line) {
        if (tty) std::fprintf(stderr, "[clapp] %s\n", line.c_str());
      });
  const nlohmann::json& m = r.metrics;
  const std::string metrics = (std::filesystem::path(out) / "metrics.json").string();
  io::write_file_atomically(metrics, m.dump(2) + "\n");
  io::write_manifest(out, "train", {"metrics.json"});
  std::printf("%s", r.table.c_str());
  std::printf("wrote %s\n", metrics.c_str());
  return 0;
}

}  // namespace eligo::harness
