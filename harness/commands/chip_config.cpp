#include "harness/commands/chip_config.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "golden_model/io/files.hpp"
#include "golden_model/io/json_fields.hpp"

namespace eligo::harness {

using nlohmann::json;

ChipRun load_chip_config(const std::string& path, const std::string& weights_override) {
  const std::string text = io::read_file(path);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw io::ConfigError(path + ": not valid JSON: " + e.what());
  }
  io::JsonFields f(j, path, "");
  ChipRun r;
  const std::string net = f.text("network_config", "");
  if (net.empty()) f.fail("network_config", "missing", "the path of a float run config");
  r.cfg = io::load_config((std::filesystem::path(path).parent_path() / net).string());
  if (!weights_override.empty()) r.cfg.init.weights_path = weights_override;
  r.train = f.choice("mode", "inference", {"inference", "train"}) == "train";
  r.iterations = static_cast<int>(f.integer("iterations", r.cfg.train.iterations, 0, 1000000));
  r.batch_size = static_cast<int>(f.integer("batch_size", r.cfg.train.batch_size, 1, 100000));
  r.test_batches = static_cast<int>(f.integer("test_batches", r.cfg.task.test_batches, 1, 10000));
  io::JsonFields c = f.object("chip");
  r.opt.lanes = static_cast<int>(c.integer("lanes", 4, 1, 32));
  r.opt.learn = r.train;
  r.opt.lr = c.number("lr", 0.004, 0.0, 1.0, true);
  r.opt.fb_symmetric = c.choice("feedback", "symmetric", {"symmetric", "random"}) == "symmetric";
  r.opt.online = c.choice("update", "per_batch", {"per_batch", "online"}) == "online";
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
  f.finish();
  return r;
}

}  // namespace eligo::harness
