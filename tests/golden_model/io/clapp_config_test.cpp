// Tests of the CLAPP configuration (golden_model/io/clapp_config.*): the example parses to the
// documented values, keys map one to one onto ClappParams (round trip), defaults apply to
// missing keys, and bad inputs give one-line messages "source: key: problem (allowed: range)".
#include "golden_model/io/clapp_config.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

namespace {

using eligo::io::ConfigError;
using json = nlohmann::json;
namespace fl = eligo::fl;
namespace io = eligo::io;

std::string source_path(const std::string& rel) { return std::string(ELIGO_SOURCE_DIR) + "/" + rel; }

// The message of the error thrown for `doc` ("" if none).
std::string error_of(const json& doc) {
  try {
    io::clapp_params_from_json(doc, "cfg.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

void expect_error(const json& doc, std::initializer_list<std::string> fragments) {
  const std::string msg = error_of(doc);
  ASSERT_FALSE(msg.empty()) << doc.dump();
  EXPECT_EQ(msg.rfind("cfg.json: ", 0), 0U) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  for (const std::string& f : fragments) EXPECT_NE(msg.find(f), std::string::npos) << "'" << f << "' not in: " << msg;
}

json with(const std::string& key, const json& value) {
  json doc = {{"model", "clapp"}, {"clapp", json::object()}};
  doc["clapp"][key] = value;
  return doc;
}

TEST(ClappConfig, ExampleParses) {
  const fl::ClappParams p = io::load_clapp_config(source_path("examples/clapp_fashion_mnist.json"));
  EXPECT_EQ(p.hidden.size(), 3U);
  EXPECT_GE(p.hidden.size(), 3U);  // the issue asks for at least 3 layers
  EXPECT_EQ(p.n_train, 0);         // all 60000
  EXPECT_EQ(p.n_test, 0);
  EXPECT_NO_THROW(fl::validate_clapp_params(p));
}

TEST(ClappConfig, MissingKeysKeepDefaults) {
  const fl::ClappParams d;
  const fl::ClappParams p = io::clapp_params_from_json(json{{"model", "clapp"}}, "x");
  EXPECT_EQ(p.hidden, d.hidden);
  EXPECT_EQ(p.lr, d.lr);
  EXPECT_EQ(p.epochs, d.epochs);
  const fl::ClappParams q = io::clapp_params_from_json(with("epochs", 7), "x");
  EXPECT_EQ(q.epochs, 7);
  EXPECT_EQ(q.batch_size, d.batch_size);
}

// Every key is read into its field (non-default values survive a round trip).
TEST(ClappConfig, RoundTripEveryField) {
  fl::ClappParams p;
  p.seed = 18446744073709551615ULL;
  p.n_train = 1234;
  p.n_test = 567;
  p.hidden = {10, 20, 30, 40};
  p.patch = 12;
  p.grid = 4;
  p.max_shift = 3;
  p.flip = true;
  p.concat_features = false;
  p.views_per_image = 5;
  p.epochs = 9;
  p.batch_size = 17;
  p.lr = 0.0125;
  p.lr_decay = 0.5;
  p.probe_epochs = 3;
  p.probe_batch_size = 33;
  p.probe_lr = 0.02;
  p.probe_lr_decay = 0.7;
  p.probe_l2 = 0.001;
  p.probe_repeats = 4;
  p.supervised_epochs = 4;
  p.supervised_batch_size = 55;
  p.supervised_lr = 0.003;
  p.supervised_lr_decay = 0.6;
  const json doc = io::clapp_params_to_json(p);
  EXPECT_EQ(doc["clapp"].size(), 26U);  // offsets (kernel 1 here: empty) included
  const fl::ClappParams q = io::clapp_params_from_json(doc, "x");
  EXPECT_EQ(q.seed, p.seed);
  EXPECT_EQ(q.n_train, p.n_train);
  EXPECT_EQ(q.n_test, p.n_test);
  EXPECT_EQ(q.hidden, p.hidden);
  EXPECT_EQ(q.patch, p.patch);
  EXPECT_EQ(q.grid, p.grid);
  EXPECT_EQ(q.max_shift, p.max_shift);
  EXPECT_EQ(q.flip, p.flip);
  EXPECT_EQ(q.kernel, p.kernel);
  EXPECT_EQ(q.offsets, p.offsets);
  EXPECT_EQ(q.concat_features, p.concat_features);
  EXPECT_EQ(q.views_per_image, p.views_per_image);
  EXPECT_EQ(q.epochs, p.epochs);
  EXPECT_EQ(q.batch_size, p.batch_size);
  EXPECT_EQ(q.lr, p.lr);
  EXPECT_EQ(q.lr_decay, p.lr_decay);
  EXPECT_EQ(q.probe_epochs, p.probe_epochs);
  EXPECT_EQ(q.probe_batch_size, p.probe_batch_size);
  EXPECT_EQ(q.probe_lr, p.probe_lr);
  EXPECT_EQ(q.probe_lr_decay, p.probe_lr_decay);
  EXPECT_EQ(q.probe_l2, p.probe_l2);
  EXPECT_EQ(q.probe_repeats, p.probe_repeats);
  EXPECT_EQ(q.supervised_epochs, p.supervised_epochs);
  EXPECT_EQ(q.supervised_batch_size, p.supervised_batch_size);
  EXPECT_EQ(q.supervised_lr, p.supervised_lr);
  EXPECT_EQ(q.supervised_lr_decay, p.supervised_lr_decay);
}

// kernel (hierarchical encoder; flip must stay false with it) survives a round trip too.
TEST(ClappConfig, RoundTripKernel) {
  fl::ClappParams p;
  p.patch = 8;
  p.grid = 6;
  p.kernel = 2;
  const fl::ClappParams q = io::clapp_params_from_json(io::clapp_params_to_json(p), "x");
  EXPECT_EQ(q.kernel, 2);
  EXPECT_TRUE(q.offsets.empty());
  p.offsets = {1, 2, 2};
  EXPECT_EQ(io::clapp_params_from_json(io::clapp_params_to_json(p), "x").offsets, p.offsets);
  json doc = io::clapp_params_to_json(p);
  doc["clapp"]["offsets"] = json::array({1, 2, 4});  // layer 3's grid is 4 x 4
  expect_error(doc, {"offsets[2] must be in 1..3", "grid has 4 rows"});
  doc["clapp"]["offsets"] = json::array({1, 2});
  expect_error(doc, {"offsets needs one entry per layer"});
  doc["clapp"]["offsets"] = json::array({1, 0, 1});
  expect_error(doc, {"clapp.offsets[1]: 0 is out of range"});
  p.offsets.clear();
  p.grid = 3;  // 3 - 2 * (2 - 1) = 1 row at layer 3: no transitions
  EXPECT_THROW(io::clapp_params_from_json(io::clapp_params_to_json(p), "x"), io::ConfigError);
}

TEST(ClappConfig, UnknownKeys) {
  expect_error(with("learning_rate", 0.1), {"clapp.learning_rate", "unknown key", "allowed keys: seed,", "lr,"});
  expect_error(json{{"model", "clapp"}, {"extra", 1}}, {"extra: unknown key", "allowed keys: model, description, clapp"});
}

TEST(ClappConfig, ModelKey) {
  expect_error(json{{"clapp", json::object()}}, {"model: missing required key", "allowed: \"clapp\""});
  expect_error(json{{"model", "lsnn"}}, {"model: \"lsnn\" is not an allowed value", "allowed: \"clapp\""});
  expect_error(json::array(), {"(top level)", "not a JSON object"});
  expect_error(json{{"model", "clapp"}, {"clapp", 3}}, {"clapp: 3 is not an object"});
}

TEST(ClappConfig, WrongTypes) {
  expect_error(with("lr", "fast"), {"clapp.lr: \"fast\" is not a number", "allowed: 0 < lr <= 1"});
  expect_error(with("epochs", 2.5), {"clapp.epochs: 2.5 is not an integer", "allowed: integer 0 .. 10000"});
  expect_error(with("flip", 1), {"clapp.flip: 1 is not a boolean", "allowed: true, false"});
  expect_error(with("hidden", 256), {"clapp.hidden: 256 is not an array", "allowed: array of 1 .. 8 integers"});
  expect_error(with("hidden", json::array({256, "x"})), {"clapp.hidden[1]: \"x\" is not an integer"});
  expect_error(with("seed", -1), {"clapp.seed: -1 is out of range", "allowed: integer 0 .."});
  expect_error(with("seed", 1.5), {"clapp.seed: 1.5 is not an integer"});
}

TEST(ClappConfig, OutOfRange) {
  expect_error(with("lr", 0), {"clapp.lr: 0 is out of range", "allowed: 0 < lr <= 1"});
  expect_error(with("lr", 2), {"clapp.lr: 2 is out of range"});
  expect_error(with("probe_repeats", 0), {"clapp.probe_repeats: 0 is out of range", "allowed: integer 1 .. 100"});
  expect_error(with("probe_l2", -0.1), {"clapp.probe_l2: -0.1 is out of range", "allowed: 0 <= probe_l2 <= 10"});
  expect_error(with("n_train", 60001), {"clapp.n_train: 60001 is out of range", "allowed: integer 0 .. 60000"});
  expect_error(with("batch_size", 1), {"clapp.batch_size: 1 is out of range", "allowed: integer 2 .. 100000"});
  expect_error(with("views_per_image", 1), {"clapp.views_per_image", "allowed: integer 2 .. 64"});
  expect_error(with("hidden", json::array()), {"clapp.hidden: has 0 entries", "allowed: array of 1 .. 8"});
  expect_error(with("hidden", json::array({256, 0})), {"clapp.hidden[1]: 0 is out of range", "1 .. 4096"});
  expect_error(with("patch", 29), {"clapp.patch: 29 is out of range", "allowed: integer 1 .. 28"});
  json doc = with("patch", 20);
  doc["clapp"]["grid"] = 10;
  expect_error(doc, {"clapp.grid: 10 is out of range", "allowed: integer 1 .. 9"});
  expect_error(with("patch", 28), {"clapp.grid", "does not fit patch 28", "allowed: integer 1 .. 1"});
  doc = with("patch", 28);
  doc["clapp"]["grid"] = 1;
  EXPECT_EQ(error_of(doc), "");
}

TEST(ClappConfig, FileErrors) {
  try {
    io::load_clapp_config(source_path("no/such/file.json"));
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
  }
  // A ConfigError is a std::runtime_error.
  EXPECT_THROW(io::clapp_params_from_json(with("lr", -1), "x"), std::runtime_error);
}

}  // namespace
