// Run configuration: JSON file -> RunConfig. Structure, types, ranges and enums are checked by
// valijson against docs/config.schema.json (embedded at build time); its first error is turned
// into a one-line message "<file>: <key path>: <problem> (allowed: <range>)" with the range
// read back from the schema. Cross-field rules and file existence are checked here in C++.
#include "golden_model/io/config.hpp"

#include "golden_model/io/files.hpp"
#include "golden_model/io/json_read.hpp"
#include "golden_model/io/npy.hpp"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <vector>

#include "golden_model/io/valijson.hpp"

namespace eligo::io {

const std::string& config_schema_text() {
  static const std::string text =
#include "config_schema.inc"
      ;
  return text;
}

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using ojson = nlohmann::ordered_json;  // keeps the schema's key order for "allowed keys" lists

[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& problem,
                       const std::string& allowed = "") {
  std::string msg = shown_path(source) + ": " + (key.empty() ? "(top level)" : key) + ": " + problem;
  if (!allowed.empty()) msg += " (" + allowed + ")";
  throw ConfigError(msg);
}

// ---- the schema --------------------------------------------------------------------------

const ojson& schema_doc() {
  static const ojson doc = ojson::parse(config_schema_text());
  return doc;
}

const valijson::Schema& compiled_schema() {
  static const std::unique_ptr<valijson::Schema> schema = [] {
    auto s = std::make_unique<valijson::Schema>();
    const json doc = json::parse(config_schema_text());
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(doc), *s);
    return s;
  }();
  return *schema;
}

// A path into the document: object keys and array indices.
struct PathElem {
  std::string key;
  long index = -1;  // >= 0 for array elements
};
using Path = std::vector<PathElem>;

std::string path_text(const Path& path) {
  std::string s;
  for (const auto& e : path) {
    if (e.index >= 0) {
      s += "[" + std::to_string(e.index) + "]";
    } else {
      if (!s.empty()) s += ".";
      s += e.key;
    }
  }
  return s;
}

std::string join_key(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// valijson context ("<root>", "[network]", "[lif]", "[0]") -> Path; the instance tells whether a
// bracketed element is an object key or an array index.
Path to_path(const std::vector<std::string>& context, const json& doc) {
  Path path;
  const json* node = &doc;
  for (const auto& c : context) {
    if (c == "<root>") continue;
    std::string name = c;
    if (name.size() >= 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
    if (node && node->is_array()) {
      long idx = std::stol(name);
      path.push_back({"", idx});
      node = (idx >= 0 && static_cast<size_t>(idx) < node->size()) ? &(*node)[static_cast<size_t>(idx)] : nullptr;
    } else {
      path.push_back({name, -1});
      node = (node && node->is_object() && node->contains(name)) ? &(*node)[name] : nullptr;
    }
  }
  return path;
}

const json* instance_at(const json& doc, const Path& path) {
  const json* node = &doc;
  for (const auto& e : path) {
    if (e.index >= 0) {
      if (!node->is_array() || static_cast<size_t>(e.index) >= node->size()) return nullptr;
      node = &(*node)[static_cast<size_t>(e.index)];
    } else {
      if (!node->is_object() || !node->contains(e.key)) return nullptr;
      node = &(*node)[e.key];
    }
  }
  return node;
}

const ojson* schema_at(const Path& path) {
  const ojson* node = &schema_doc();
  for (const auto& e : path) {
    const char* member = e.index >= 0 ? "items" : "properties";
    if (!node->contains(member)) return nullptr;
    node = &(*node)[member];
    if (e.index < 0) {
      if (!node->contains(e.key)) return nullptr;
      node = &(*node)[e.key];
    }
  }
  return node;
}

// The keys allowed in an object, in schema order. If the object's schema has if/then branches
// keyed on a "type" member (the task section), the branch selected by the instance's type wins,
// and *selector names it (e.g. "pattern_generation").
std::vector<std::string> allowed_keys(const ojson& node, const json* instance, std::string* selector) {
  const ojson* props = node.contains("properties") ? &node["properties"] : nullptr;
  if (node.contains("allOf") && instance && instance->is_object()) {
    for (const auto& branch : node["allOf"]) {
      if (!branch.contains("if") || !branch.contains("then")) continue;
      const auto& cond = branch["if"]["properties"];
      bool match = !cond.empty();
      for (auto it = cond.begin(); it != cond.end(); ++it) {
        if (!it.value().contains("const") || !instance->contains(it.key()) ||
            it.value()["const"].dump() != (*instance)[it.key()].dump()) {
          match = false;
        } else if (selector) {
          *selector = it.value()["const"].get<std::string>();
        }
      }
      if (match && branch["then"].contains("properties")) {
        props = &branch["then"]["properties"];
        break;
      }
    }
  }
  std::vector<std::string> keys;
  if (props) {
    for (auto it = props->begin(); it != props->end(); ++it) keys.push_back(it.key());
  }
  return keys;
}

std::string join(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) s += (i ? sep : "") + items[i];
  return s;
}

std::vector<std::string> type_names(const ojson& node) {
  std::vector<std::string> names;
  if (!node.contains("type")) return names;
  if (node["type"].is_string()) return {node["type"].get<std::string>()};
  for (const auto& t : node["type"]) names.push_back(t.get<std::string>());
  return names;
}

// "allowed: ..." text for a value schema: the numeric range, the enum values or the booleans.
std::string allowed_text(const ojson* node) {
  if (!node) return "";
  if (node->contains("enum")) {
    std::vector<std::string> vals;
    for (const auto& v : (*node)["enum"]) vals.push_back(v.dump());
    return "allowed: " + join(vals);
  }
  std::vector<std::string> parts;
  if (node->contains("minimum")) parts.push_back(">= " + (*node)["minimum"].dump());
  if (node->contains("exclusiveMinimum")) parts.push_back("> " + (*node)["exclusiveMinimum"].dump());
  if (node->contains("maximum")) parts.push_back("<= " + (*node)["maximum"].dump());
  if (node->contains("exclusiveMaximum")) parts.push_back("< " + (*node)["exclusiveMaximum"].dump());
  if (!parts.empty()) return "allowed: " + join(parts, " and ");
  const auto types = type_names(*node);
  if (types.size() == 1 && types[0] == "boolean") return "allowed: true, false";
  return "";
}

bool type_matches(const ojson& node, const json& v) {
  const auto types = type_names(node);
  if (types.empty()) return true;
  for (const auto& t : types) {
    if ((t == "integer" && v.is_number_integer()) || (t == "number" && v.is_number()) ||
        (t == "string" && v.is_string()) || (t == "boolean" && v.is_boolean()) || (t == "null" && v.is_null()) ||
        (t == "array" && v.is_array()) || (t == "object" && v.is_object())) {
      return true;
    }
  }
  return false;
}

std::string instance_type(const json& v) {
  if (v.is_number_integer()) return "integer";
  if (v.is_number()) return "number " + v.dump();
  return v.type_name();
}

std::string quoted_name(const std::string& description) {
  const auto end = description.rfind('\'');
  const auto begin = end == std::string::npos ? end : description.rfind('\'', end - 1);
  if (begin == std::string::npos) return "";
  return description.substr(begin + 1, end - begin - 1);
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Turns one valijson error into a ConfigError.
[[noreturn]] void schema_error(const std::string& source, const json& doc,
                               const valijson::ValidationResults::Error& error) {
  const Path path = to_path(error.context, doc);
  const std::string key = path_text(path);
  const ojson* node = schema_at(path);
  const json* value = instance_at(doc, path);
  const std::string& d = error.description;

  // valijson may report an enum or range violation of a value that has the wrong type in the
  // first place: report the type then.
  if (starts_with(d, "Value type not permitted") || (node && value && !type_matches(*node, *value))) {
    const std::string expected = node ? join(type_names(*node), " or ") : "another type";
    fail(source, key, "expected " + expected + ", got " + (value ? instance_type(*value) : "?"),
         allowed_text(node));
  }
  if (starts_with(d, "Failed to match against any enum values")) {
    fail(source, key, (value ? value->dump() : "value") + " is not an allowed value", allowed_text(node));
  }
  if (starts_with(d, "Expected number greater") || starts_with(d, "Expected number less")) {
    fail(source, key, (value ? value->dump() : "value") + " is out of range", allowed_text(node));
  }
  if (starts_with(d, "Object contains a property that could not be validated")) {
    const std::string unknown = quoted_name(d);
    std::string selector;
    const auto keys = node ? allowed_keys(*node, value, &selector) : std::vector<std::string>{};
    fail(source, join_key(key, unknown),
         selector.empty() ? "unknown key" : "unknown key for type \"" + selector + "\"",
         "allowed keys: " + join(keys));
  }
  if (starts_with(d, "Missing required property")) {
    Path child = path;
    child.push_back({quoted_name(d), -1});
    fail(source, path_text(child), "missing required key", allowed_text(schema_at(child)));
  }
  if (starts_with(d, "Array should contain") && node && value && value->is_array()) {
    const auto lo = node->value("minItems", 0);
    const auto hi = node->value("maxItems", -1);
    const int want = value->size() < static_cast<size_t>(lo) ? lo : hi;
    const std::string bound = lo == hi ? "exactly " : want == lo ? "at least " : "at most ";
    fail(source, key,
         "expected " + bound + std::to_string(want) + (want == 1 ? " item" : " items") + ", got " +
             std::to_string(value->size()));
  }
  if (d.find("violate uniqueness constraint") != std::string::npos) {
    const ojson* items = node && node->contains("items") ? &(*node)["items"] : nullptr;
    const std::string vals = allowed_text(items);
    fail(source, key, "duplicate items",
         vals.empty() ? "" : "allowed: unique items of " + vals.substr(std::string("allowed: ").size()));
  }
  fail(source, key, d);
}

void validate_schema(const json& doc, const std::string& source) {
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  if (validator.validate(compiled_schema(), valijson::adapters::NlohmannJsonAdapter(doc), &results)) return;
  // valijson reports the innermost failure first, then one "Failed to validate ..." summary per
  // enclosing object / array / combinator: report the first specific error.
  valijson::ValidationResults::Error first, error;
  bool have_first = false;
  while (results.popError(error)) {
    const bool summary = starts_with(error.description, "Failed to validate") ||
                         starts_with(error.description, "Cannot validate item");
    if (!summary) schema_error(source, doc, error);
    if (!have_first) first = error, have_first = true;
  }
  schema_error(source, doc, first);
}

// ---- paths and .npy headers --------------------------------------------------------------

std::string resolve_file(const std::string& source, const std::string& key, const std::string& p,
                         const std::string& base_dir) {
  fs::path q(p);
  if (q.is_relative()) q = fs::absolute(fs::path(base_dir.empty() ? "." : base_dir) / q);
  q = q.lexically_normal();
  std::error_code ec;
  if (!fs::is_regular_file(q, ec)) {
    fail(source, key, "no such file '" + shown_path(p) + "'" +
                            (p == q.string() ? "" : " (resolved to '" + shown_path(q.string()) + "')"));
  }
  return q.string();
}

// Shape of a .npy array, read from its header (format versions 1, 2 and 3).
std::vector<long> npy_shape(const std::string& source, const std::string& key, const std::string& file) {
  std::vector<long> shape;
  try {
    for (size_t d : read_npy_shape(file)) shape.push_back(static_cast<long>(d));
  } catch (const IoError& e) {
    fail(source, key, e.what());
  }
  return shape;
}

std::string shape_text(const std::vector<long>& s) {
  std::vector<std::string> items;
  for (long v : s) items.push_back(std::to_string(v));
  return "(" + join(items) + ")";
}

// ---- JSON -> structs ---------------------------------------------------------------------

template <class T>
void get(const json& obj, const char* key, T& dst) {
  const auto it = obj.find(key);
  if (it != obj.end() && !it->is_null()) dst = it->get<T>();
}

const json& section(const json& obj, const char* key) {
  static const json empty = json::object();
  const auto it = obj.find(key);
  return it == obj.end() ? empty : *it;
}

void read_population(const json& j, fl::PopulationParams& p, bool alif) {
  get(j, "n", p.n);
  get(j, "tau_m_ms", p.tau_m_ms);
  get(j, "thr", p.thr);
  get(j, "n_ref", p.n_ref);
  if (alif) {
    get(j, "tau_a_ms", p.tau_a_ms);
    get(j, "beta", p.beta);
  }
}

fl::NetworkParams read_network(const json& j) {
  fl::NetworkParams n;
  get(j, "n_in", n.n_in);
  get(j, "n_out", n.n_out);
  get(j, "dt_ms", n.dt_ms);
  read_population(section(j, "lif"), n.lif, false);
  read_population(section(j, "alif"), n.alif, true);
  const json& ro = section(j, "readout");
  get(ro, "tau_ms", n.tau_out_ms);
  if (ro.contains("scaling")) {
    n.readout_scaling = ro["scaling"] == "one" ? fl::Scaling::One : fl::Scaling::OneMinusDecay;
  }
  if (j.contains("input_scaling")) {
    n.input_scaling = j["input_scaling"] == "one" ? fl::Scaling::One : fl::Scaling::OneMinusDecay;
  }
  get(j, "gamma", n.gamma);
  if (j.contains("spike_condition")) n.spike_at_threshold = j["spike_condition"] == ">=";
  get(j, "discard_input_at_step0", n.discard_input_at_step0);
  if (j.contains("surrogate")) {
    n.spike_fn = j["surrogate"] == "sigmoid" ? fl::SpikeFn::Sigmoid : fl::SpikeFn::Heaviside;
  }
  get(j, "sigmoid_width", n.sigmoid_width);
  return n;
}

fl::TrainParams read_train(const json& j) {
  fl::TrainParams t;
  if (j.contains("algo")) t.algo = j["algo"] == "bptt" ? fl::Algo::BPTT : fl::Algo::EProp;
  get(j, "iterations", t.iterations);
  get(j, "batch_size", t.batch_size);
  if (j.contains("loss")) t.loss = j["loss"] == "mse" ? fl::LossKind::MSE : fl::LossKind::CrossEntropy;
  get(j, "learning_window", t.learning_window);
  if (j.contains("feedback")) {
    const std::string f = j["feedback"];
    t.feedback = f == "symmetric" ? fl::Feedback::Symmetric
                 : f == "random"  ? fl::Feedback::Random
                                  : fl::Feedback::Adaptive;
  }
  get(j, "feedback_decay", t.feedback_decay);
  const json& opt = section(j, "optimizer");
  if (opt.contains("type")) t.optimizer.kind = opt["type"] == "sgd" ? fl::OptimizerKind::SGD : fl::OptimizerKind::Adam;
  get(opt, "lr", t.optimizer.lr);
  get(opt, "beta1", t.optimizer.beta1);
  get(opt, "beta2", t.optimizer.beta2);
  get(opt, "eps", t.optimizer.eps);
  if (j.contains("weight_clip") && j["weight_clip"].is_array()) {
    t.w_min = j["weight_clip"][0].get<double>();
    t.w_max = j["weight_clip"][1].get<double>();
  }
  get(j, "l2", t.l2);
  const json& reg = section(j, "reg");
  get(reg, "c_reg", t.c_reg);
  get(reg, "f_target_hz", t.f_target_hz);
  if (reg.contains("rate")) t.rate_reg = reg["rate"] == "per_sequence" ? fl::RateReg::PerSequence : fl::RateReg::PerBatch;
  if (j.contains("batch_reduction")) t.batch_mean = j["batch_reduction"] == "mean";
  get(j, "average_over_window", t.average_over_window);
  if (j.contains("update")) t.update = j["update"] == "online" ? fl::UpdateMode::Online : fl::UpdateMode::PerBatch;
  get(j, "stop_z_gradient", t.stop_z_gradient);
  if (j.contains("trace")) {
    t.trace = j["trace"] == "windowed"         ? fl::TraceMode::Windowed
              : j["trace"] == "factored"       ? fl::TraceMode::Factored
              : j["trace"] == "factored_adapt" ? fl::TraceMode::FactoredAdapt
              : j["trace"] == "factored_bins"  ? fl::TraceMode::FactoredBins
                                               : fl::TraceMode::Exact;
  }
  get(j, "trace_pre_steps", t.trace_pre_steps);
  get(j, "adapt_block", t.adapt_block);
  get(j, "adapt_bins", t.adapt_bins);
  if (j.contains("adapt_bin_spacing")) {
    t.adapt_bin_spacing = j["adapt_bin_spacing"] == "exponential" ? fl::BinSpacing::Exponential
                                                                  : fl::BinSpacing::Equal;
  }
  if (j.contains("readout_filter")) {
    t.readout_filter = j["readout_filter"] == "synapse"          ? fl::ReadoutFilter::Synapse
                       : j["readout_filter"] == "synapse_window" ? fl::ReadoutFilter::SynapseWindow
                       : j["readout_filter"] == "neuron"         ? fl::ReadoutFilter::Neuron
                                                                 : fl::ReadoutFilter::None;
  }
  if (j.contains("trained")) {
    t.train_in = t.train_rec = t.train_out = false;
    for (const auto& w : j["trained"]) {
      if (w == "w_in") t.train_in = true;
      if (w == "w_rec") t.train_rec = true;
      if (w == "w_out") t.train_out = true;
    }
  }
  return t;
}

TaskConfig read_task(const json& j) {
  TaskConfig t;
  const std::string type = j.at("type");
  t.kind = type == "pattern_generation"      ? TaskKind::PatternGeneration
           : type == "evidence_accumulation" ? TaskKind::EvidenceAccumulation
                                             : TaskKind::Files;
  get(j, "n_in", t.pg_n_in);
  get(j, "T", t.pg_T);
  get(j, "input_rate_hz", t.pg_input_rate_hz);
  get(j, "n_cues", t.ea_n_cues);
  get(j, "t_cue", t.ea_t_cue);
  get(j, "t_cue_spacing", t.ea_t_cue_spacing);
  get(j, "t_delay", t.ea_t_delay);
  get(j, "t_recall", t.ea_t_recall);
  get(j, "f_cue_hz", t.ea_f_cue_hz);
  get(j, "f_background_hz", t.ea_f_background_hz);
  get(j, "p_majority", t.ea_p_majority);
  get(j, "inputs", t.inputs_path);
  get(j, "targets", t.targets_path);
  get(j, "test_batches", t.test_batches);
  return t;
}

InitConfig read_init(const json& j) {
  InitConfig i;
  get(j, "weights", i.weights_path);
  get(j, "w_in_scale", i.w_in_scale);
  get(j, "w_rec_scale", i.w_rec_scale);
  get(j, "w_out_scale", i.w_out_scale);
  get(j, "b_scale", i.b_scale);
  return i;
}

void read_converter(const json& j, analog::ConverterParams& c) {
  get(j, "bits", c.bits);
  get(j, "bound", c.bound);
  get(j, "noise", c.noise);
}

analog::AnalogParams read_analog(const json& j) {
  analog::AnalogParams a;
  get(j, "mismatch_seed", a.mismatch_seed);
  get(j, "fine_tune_iterations", a.fine_tune_iterations);
  get(j, "time_scale", a.time_scale);
  const json& syn = section(j, "synapse");
  get(syn, "levels", a.synapse.levels);
  get(syn, "programming_noise", a.synapse.programming_noise);
  get(syn, "mismatch_sigma", a.synapse.mismatch_sigma);
  get(syn, "read_noise", a.synapse.read_noise);
  get(syn, "drift_nu", a.synapse.drift_nu);
  get(syn, "drift_nu_sigma", a.synapse.drift_nu_sigma);
  get(syn, "drift_t0_s", a.synapse.drift_t0_s);
  get(syn, "drift_t_s", a.synapse.drift_t_s);
  get(syn, "drift_compensation", a.synapse.drift_compensation);
  const json& neu = section(j, "neuron");
  get(neu, "tau_sigma", a.neuron.tau_sigma);
  get(neu, "thr_sigma", a.neuron.thr_sigma);
  get(neu, "gain_sigma", a.neuron.gain_sigma);
  get(neu, "noise", a.neuron.noise);
  read_converter(section(j, "dac"), a.dac);
  read_converter(section(j, "adc"), a.adc);
  read_converter(section(j, "membrane_adc"), a.membrane_adc);
  const json& en = section(j, "energy");
  get(en, "table", a.energy_table);
  for (auto it = en.begin(); it != en.end(); ++it) {
    if (it.key() != "table" && !it->is_null()) a.energy_overrides[it.key()] = it->get<double>();
  }
  return a;
}

// ---- cross-field rules ---------------------------------------------------------------------

// A double as the user would write it: 1 rather than 1.0, otherwise the shortest round-trip form.
std::string num(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return json(v).dump();
}

// A train.trace value as written in the config, quoted.
std::string trace_name(fl::TraceMode m) {
  const char* const names[] = {"exact", "windowed", "factored", "factored_adapt", "factored_bins"};
  return std::string("\"") + names[static_cast<int>(m)] + "\"";
}

void check_cross_fields(RunConfig& c, const std::string& base_dir) {
  const std::string& src = c.source;
  const auto& net = c.net;
  auto& task = c.task;

  if (net.n_rec() < 1) {
    fail(src, "network.lif.n", "network.lif.n + network.alif.n is 0, the network has no recurrent neuron",
         "allowed: lif.n + alif.n >= 1");
  }
  if (c.train.loss == fl::LossKind::CrossEntropy && net.n_out < 2) {
    fail(src, "network.n_out", std::to_string(net.n_out) + " readout is too few for train.loss \"cross_entropy\"",
         "allowed: >= 2, or train.loss \"mse\"");
  }
  if (c.train.w_min && c.train.w_max && !(*c.train.w_min < *c.train.w_max)) {
    fail(src, "train.weight_clip",
         "min " + num(*c.train.w_min) + " is not below max " + num(*c.train.w_max),
         "allowed: [min, max] with min < max");
  }
  if (c.train.trace != fl::TraceMode::Exact && c.train.algo != fl::Algo::EProp) {
    fail(src, "train.trace", "approximate traces need train.algo \"eprop\"", "allowed: \"exact\" with train.algo \"bptt\"");
  }
  if (c.train.adapt_block != 0 && c.train.trace != fl::TraceMode::Windowed) {
    const std::string trace = trace_name(c.train.trace);
    fail(src, "train.adapt_block",
         std::to_string(c.train.adapt_block) + " needs train.trace \"windowed\", not " + trace,
         "allowed: 0 with train.trace " + trace);
  }
  if (c.train.update == fl::UpdateMode::Online && c.train.algo != fl::Algo::EProp) {
    fail(src, "train.update", "\"online\" needs train.algo \"eprop\"",
         "allowed: \"per_batch\" with train.algo \"bptt\"");
  }
  if (!c.init.weights_path.empty()) {
    c.init.weights_path = resolve_file(src, "init.weights", c.init.weights_path, base_dir);
    check_run_input(c.init.weights_path, src + ": init.weights");  // a previous run's weights: a complete run
  }
  if (c.analog.synapse.drift_t_s < c.analog.synapse.drift_t0_s) {
    fail(src, "analog.synapse.drift_t_s",
         num(c.analog.synapse.drift_t_s) + " s is before the drift reference time analog.synapse.drift_t0_s",
         "allowed: >= " + num(c.analog.synapse.drift_t0_s));
  }
  if (!c.analog.energy_table.empty()) {
    c.analog.energy_table = resolve_file(src, "analog.energy.table", c.analog.energy_table, base_dir);
  }

  // A Poisson rate r is a spike probability r*dt_ms/1000 per step, which must not exceed 1.
  auto check_rate = [&](const char* key, double hz) {
    const double max_hz = 1000.0 / net.dt_ms;
    if (hz > max_hz) {
      fail(src, key, num(hz) + " Hz is a spike probability above 1 per step at network.dt_ms = " + num(net.dt_ms),
           "allowed: <= " + num(max_hz));
    }
  };

  int T = 0;
  switch (task.kind) {
    case TaskKind::PatternGeneration:
      if (task.pg_n_in != net.n_in) {
        fail(src, "task.n_in", std::to_string(task.pg_n_in) + " does not match network.n_in = " + std::to_string(net.n_in),
             "allowed: " + std::to_string(net.n_in));
      }
      check_rate("task.input_rate_hz", task.pg_input_rate_hz);
      T = task.pg_T;
      break;
    case TaskKind::EvidenceAccumulation:
      if (net.n_in % 4 != 0) {
        fail(src, "network.n_in", std::to_string(net.n_in) + " does not fit task \"evidence_accumulation\"",
             "allowed: a multiple of 4 (left, right, recall and background populations)");
      }
      if (net.n_out != 2) {
        fail(src, "network.n_out", std::to_string(net.n_out) + " does not fit task \"evidence_accumulation\"",
             "allowed: 2");
      }
      if (task.ea_t_cue > task.ea_t_cue_spacing) {
        fail(src, "task.t_cue", std::to_string(task.ea_t_cue) + " is longer than task.t_cue_spacing",
             "allowed: <= " + std::to_string(task.ea_t_cue_spacing));
      }
      check_rate("task.f_cue_hz", task.ea_f_cue_hz);
      check_rate("task.f_background_hz", task.ea_f_background_hz);
      T = task.ea_n_cues * task.ea_t_cue_spacing + task.ea_t_delay + task.ea_t_recall;
      break;
    case TaskKind::Files: {
      task.inputs_path = resolve_file(src, "task.inputs", task.inputs_path, base_dir);
      task.targets_path = resolve_file(src, "task.targets", task.targets_path, base_dir);
      const auto xs = npy_shape(src, "task.inputs", task.inputs_path);
      const auto ys = npy_shape(src, "task.targets", task.targets_path);
      if (xs.size() != 3 || xs[2] != net.n_in) {
        fail(src, "task.inputs", "array shape " + shape_text(xs) + " does not match network.n_in = " + std::to_string(net.n_in),
             "allowed: (B, T, " + std::to_string(net.n_in) + ")");
      }
      if (ys.size() != 3 || ys[0] != xs[0] || ys[1] != xs[1] || ys[2] != net.n_out) {
        fail(src, "task.targets",
             "array shape " + shape_text(ys) + " does not match inputs " + shape_text(xs) +
                 " and network.n_out = " + std::to_string(net.n_out),
             "allowed: (" + std::to_string(xs[0]) + ", " + std::to_string(xs[1]) + ", " + std::to_string(net.n_out) + ")");
      }
      if (xs[0] < 1 || xs[1] < 1) {
        fail(src, "task.inputs", "array shape " + shape_text(xs) + " holds " + (xs[0] < 1 ? "no sequences" : "sequences of length 0"),
             "allowed: (B, T, " + std::to_string(net.n_in) + ") with B >= 1 and T >= 1");
      }
      T = static_cast<int>(xs[1]);
      break;
    }
  }
  if (c.train.learning_window > T) {
    fail(src, "train.learning_window",
         std::to_string(c.train.learning_window) + " is longer than the sequence length T = " + std::to_string(T),
         "allowed: 0 .. " + std::to_string(T));
  }
}

}  // namespace

RunConfig parse_config(const json& j, const std::string& source_name, const std::string& base_dir) {
  validate_schema(j, source_name);
  RunConfig c;
  c.source = source_name;
  get(j, "seed", c.seed);
  get(j, "log_every", c.log_every);
  c.net = read_network(j.at("network"));
  c.init = read_init(section(j, "init"));
  c.task = read_task(j.at("task"));
  c.train = read_train(section(j, "train"));
  c.analog = read_analog(section(j, "analog"));
  // train.adapt_bins and adapt_bin_spacing have defaults (4, "equal") that only factored_bins
  // uses: refused when written with another trace mode (their values are the schema's).
  const json& train = section(j, "train");
  if (c.train.trace != fl::TraceMode::FactoredBins) {
    for (const char* key : {"adapt_bins", "adapt_bin_spacing"}) {
      if (!train.contains(key) || train[key].is_null()) continue;
      const bool bins = std::string(key) == "adapt_bins";
      fail(source_name, std::string("train.") + key,
           train[key].dump() + " needs train.trace \"factored_bins\", not " + trace_name(c.train.trace),
           std::string("allowed: ") + (bins ? "1 .. 64" : "\"equal\" or \"exponential\"") +
               " with train.trace \"factored_bins\", absent with any other");
    }
  }
  // train.readout_filter (default "none") filters e in the factored modes only: Exact and
  // Windowed always filter per synapse, so it is refused with them.
  const bool factored = c.train.trace == fl::TraceMode::Factored ||
                        c.train.trace == fl::TraceMode::FactoredAdapt ||
                        c.train.trace == fl::TraceMode::FactoredBins;
  if (!factored && train.contains("readout_filter") && !train["readout_filter"].is_null()) {
    fail(source_name, "train.readout_filter",
         train["readout_filter"].dump() + " needs a factored train.trace, not " + trace_name(c.train.trace) +
             " (which filters e per synapse)",
         "allowed: \"none\", \"synapse\", \"synapse_window\" or \"neuron\" with train.trace \"factored\", "
         "\"factored_adapt\" or \"factored_bins\", absent with any other");
  }
  check_cross_fields(c, base_dir);
  return c;
}

RunConfig load_config(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw ConfigError(shown_path(path) + ": cannot open (is a directory)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(shown_path(path) + ": cannot open");
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();

  const json j = parse_json(text, path);
  const fs::path dir = fs::absolute(fs::path(path)).parent_path();
  return parse_config(j, path, dir.string());
}

}  // namespace eligo::io
