#include "golden_model/io/clapp_config.hpp"

#include "golden_model/io/json_read.hpp"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <vector>

namespace eligo::io {

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& problem,
                       const std::string& allowed) {
  std::string msg = source + ": " + (key.empty() ? "(top level)" : key) + ": " + problem;
  if (!allowed.empty()) msg += " (" + allowed + ")";
  throw ConfigError(msg);
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s;
}

// Short text of a value for messages (long values are cut).
std::string show(const json& v) {
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

class Reader {
 public:
  Reader(const json& obj, std::string source, std::string prefix)
      : obj_(obj), source_(std::move(source)), prefix_(std::move(prefix)) {}

  void integer(const char* name, int& out, long lo, long hi) {
    const json* v = find(name);
    if (!v) return;
    const std::string allowed = "allowed: integer " + std::to_string(lo) + " .. " + std::to_string(hi);
    if (!v->is_number_integer()) fail(source_, key(name), show(*v) + " is not an integer", allowed);
    const long long x = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(std::numeric_limits<long long>::max())
                            ? std::numeric_limits<long long>::max()
                            : v->get<long long>();
    if (x < lo || x > hi) fail(source_, key(name), show(*v) + " is out of range", allowed);
    out = static_cast<int>(x);
  }

  void seed(const char* name, uint64_t& out) {
    const json* v = find(name);
    if (!v) return;
    const std::string allowed = "allowed: integer 0 .. 18446744073709551615";
    if (!v->is_number_integer()) fail(source_, key(name), show(*v) + " is not an integer", allowed);
    if (!v->is_number_unsigned() && v->get<long long>() < 0) {
      fail(source_, key(name), show(*v) + " is out of range", allowed);
    }
    out = v->get<uint64_t>();
  }

  // lo_open: lo < x (else lo <= x); x <= hi.
  void number(const char* name, double& out, double lo, bool lo_open, double hi) {
    const json* v = find(name);
    if (!v) return;
    std::ostringstream a;
    a << "allowed: " << lo << (lo_open ? " < " : " <= ") << name << " <= " << hi;
    if (!v->is_number()) fail(source_, key(name), show(*v) + " is not a number", a.str());
    const double x = v->get<double>();
    if (!std::isfinite(x) || (lo_open ? !(x > lo) : !(x >= lo)) || !(x <= hi)) {
      fail(source_, key(name), show(*v) + " is out of range", a.str());
    }
    out = x;
  }

  void boolean(const char* name, bool& out) {
    const json* v = find(name);
    if (!v) return;
    if (!v->is_boolean()) fail(source_, key(name), show(*v) + " is not a boolean", "allowed: true, false");
    out = v->get<bool>();
  }

  void int_array(const char* name, std::vector<int>& out, size_t min_n, size_t max_n, long lo, long hi) {
    const json* v = find(name);
    if (!v) return;
    const std::string allowed = "allowed: array of " + std::to_string(min_n) + " .. " + std::to_string(max_n) +
                                " integers in " + std::to_string(lo) + " .. " + std::to_string(hi);
    if (!v->is_array()) fail(source_, key(name), show(*v) + " is not an array", allowed);
    if (v->size() < min_n || v->size() > max_n) {
      fail(source_, key(name), "has " + std::to_string(v->size()) + " entries", allowed);
    }
    std::vector<int> r;
    for (size_t i = 0; i < v->size(); ++i) {
      const json& e = (*v)[i];
      const std::string k = key(name) + "[" + std::to_string(i) + "]";
      if (!e.is_number_integer()) fail(source_, k, show(e) + " is not an integer", allowed);
      const long long x = e.is_number_unsigned() && e.get<uint64_t>() > uint64_t(hi) ? hi + 1LL : e.get<long long>();
      if (x < lo || x > hi) fail(source_, k, show(e) + " is out of range", allowed);
      r.push_back(static_cast<int>(x));
    }
    out = r;
  }

  std::string key(const char* name) const { return prefix_ + name; }

 private:
  const json* find(const char* name) const {
    const auto it = obj_.find(name);
    return it == obj_.end() ? nullptr : &*it;
  }
  const json& obj_;
  std::string source_, prefix_;
};

const std::vector<std::string>& clapp_keys() {
  static const std::vector<std::string> keys{
      "seed", "n_train", "n_test", "hidden", "patch", "grid", "kernel", "offsets", "max_shift", "flip", "concat_features",
      "views_per_image", "epochs", "batch_size", "lr", "lr_decay", "probe_epochs", "probe_batch_size",
      "probe_lr", "probe_lr_decay", "probe_l2", "probe_repeats", "supervised_epochs", "supervised_batch_size",
      "supervised_lr", "supervised_lr_decay"};
  return keys;
}

void check_keys(const json& obj, const std::vector<std::string>& allowed, const std::string& source,
                const std::string& prefix) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (const std::string& k : allowed) known = known || k == it.key();
    if (!known) fail(source, prefix + it.key(), "unknown key", "allowed keys: " + join(allowed));
  }
}

}  // namespace

fl::ClappParams clapp_params_from_json(const json& doc, const std::string& source) {
  if (!doc.is_object()) fail(source, "", "the document is not a JSON object", "allowed: {\"model\": \"clapp\", \"clapp\": {...}}");
  check_keys(doc, {"model", "description", "clapp"}, source, "");
  const auto model = doc.find("model");
  if (model == doc.end()) fail(source, "model", "missing required key", "allowed: \"clapp\"");
  if (!model->is_string() || model->get<std::string>() != "clapp") {
    fail(source, "model", show(*model) + " is not an allowed value", "allowed: \"clapp\"");
  }
  const auto desc = doc.find("description");
  if (desc != doc.end() && !desc->is_string()) {
    fail(source, "description", show(*desc) + " is not a string", "allowed: any string");
  }
  fl::ClappParams p;
  const auto section = doc.find("clapp");
  if (section == doc.end()) return p;
  if (!section->is_object()) fail(source, "clapp", show(*section) + " is not an object", "allowed: an object of ClappParams keys");
  const json& c = *section;
  check_keys(c, clapp_keys(), source, "clapp.");
  Reader r(c, source, "clapp.");
  r.seed("seed", p.seed);
  r.integer("n_train", p.n_train, 0, 60000);
  r.integer("n_test", p.n_test, 0, 10000);
  r.int_array("hidden", p.hidden, 1, 8, 1, 4096);
  r.integer("patch", p.patch, 1, fl::kClappSide);
  // grid depends on patch: read it with the patch's bound (29 - patch).
  r.integer("grid", p.grid, 1, fl::kClappSide + 1 - p.patch);
  if (p.grid > fl::kClappSide + 1 - p.patch) {  // patch given, grid left at its default
    fail(source, "clapp.grid", "default " + std::to_string(p.grid) + " does not fit patch " + std::to_string(p.patch),
         "allowed: integer 1 .. " + std::to_string(fl::kClappSide + 1 - p.patch) + "; set clapp.grid");
  }
  r.integer("kernel", p.kernel, 1, fl::kClappSide);
  r.int_array("offsets", p.offsets, 0, 8, 1, fl::kClappSide);  // [] = 1 for every layer
  r.integer("max_shift", p.max_shift, 0, fl::kClappSide - 1);
  r.boolean("flip", p.flip);
  r.boolean("concat_features", p.concat_features);
  r.integer("views_per_image", p.views_per_image, 2, 64);
  r.integer("epochs", p.epochs, 0, 10000);
  r.integer("batch_size", p.batch_size, 2, 100000);
  r.number("lr", p.lr, 0.0, true, 1.0);
  r.number("lr_decay", p.lr_decay, 0.0, true, 1.0);
  r.integer("probe_epochs", p.probe_epochs, 1, 10000);
  r.integer("probe_batch_size", p.probe_batch_size, 1, 100000);
  r.number("probe_lr", p.probe_lr, 0.0, true, 1.0);
  r.number("probe_lr_decay", p.probe_lr_decay, 0.0, true, 1.0);
  r.number("probe_l2", p.probe_l2, 0.0, false, 10.0);
  r.integer("probe_repeats", p.probe_repeats, 1, 100);
  r.integer("supervised_epochs", p.supervised_epochs, 0, 10000);
  r.integer("supervised_batch_size", p.supervised_batch_size, 1, 100000);
  r.number("supervised_lr", p.supervised_lr, 0.0, true, 1.0);
  r.number("supervised_lr_decay", p.supervised_lr_decay, 0.0, true, 1.0);
  try {
    fl::validate_clapp_params(p);  // the ranges above imply it; a safety net
  } catch (const std::invalid_argument& e) {
    fail(source, "clapp", e.what(), "");
  }
  return p;
}

fl::ClappParams load_clapp_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(shown_path(path) + ": cannot open");
  std::stringstream buf;
  buf << in.rdbuf();
  return clapp_params_from_json(parse_json(buf.str(), path), path);
}

json clapp_params_to_json(const fl::ClappParams& p) {
  json c;
  c["seed"] = p.seed;
  c["n_train"] = p.n_train;
  c["n_test"] = p.n_test;
  c["hidden"] = p.hidden;
  c["patch"] = p.patch;
  c["grid"] = p.grid;
  c["kernel"] = p.kernel;
  c["offsets"] = p.offsets;
  c["max_shift"] = p.max_shift;
  c["flip"] = p.flip;
  c["concat_features"] = p.concat_features;
  c["views_per_image"] = p.views_per_image;
  c["epochs"] = p.epochs;
  c["batch_size"] = p.batch_size;
  c["lr"] = p.lr;
  c["lr_decay"] = p.lr_decay;
  c["probe_epochs"] = p.probe_epochs;
  c["probe_batch_size"] = p.probe_batch_size;
  c["probe_lr"] = p.probe_lr;
  c["probe_lr_decay"] = p.probe_lr_decay;
  c["probe_l2"] = p.probe_l2;
  c["probe_repeats"] = p.probe_repeats;
  c["supervised_epochs"] = p.supervised_epochs;
  c["supervised_batch_size"] = p.supervised_batch_size;
  c["supervised_lr"] = p.supervised_lr;
  c["supervised_lr_decay"] = p.supervised_lr_decay;
  return json{{"model", "clapp"}, {"clapp", c}};
}

}  // namespace eligo::io
