#include "golden_model/io/json_fields.hpp"

#include <algorithm>
#include <sstream>

namespace eligo::io {

namespace {

std::string num(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

std::string type_of(const nlohmann::json& v) {
  if (v.is_number_integer()) return "integer";
  if (v.is_number()) return "number";
  return v.type_name();
}

}  // namespace

JsonFields::JsonFields(const nlohmann::json& obj, std::string source, std::string prefix)
    : obj_(obj.is_null() ? nlohmann::json::object() : obj), source_(std::move(source)),
      prefix_(std::move(prefix)) {
  if (!obj_.is_object()) {
    throw ConfigError(source_ + ": " + (prefix_.empty() ? "(top level)" : prefix_) +
                      ": expected object, got " + type_of(obj_));
  }
}

void JsonFields::fail(const std::string& key, const std::string& problem,
                      const std::string& allowed) const {
  const std::string path = prefix_.empty() ? key : prefix_ + "." + key;
  throw ConfigError(source_ + ": " + path + ": " + problem +
                    (allowed.empty() ? "" : " (allowed: " + allowed + ")"));
}

bool JsonFields::has(const std::string& key) const {
  return obj_.contains(key) && !obj_.at(key).is_null();
}

bool JsonFields::is_object(const std::string& key) const { return has(key) && obj_.at(key).is_object(); }

const nlohmann::json* JsonFields::value(const std::string& key) {
  read_.push_back(key);
  return has(key) ? &obj_.at(key) : nullptr;
}

long JsonFields::integer(const std::string& key, long def, long min, long max) {
  const auto* v = value(key);
  const std::string range = "integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (!v) return def;
  if (!v->is_number_integer()) fail(key, "expected integer, got " + type_of(*v), range);
  const long x = v->get<long>();
  if (x < min || x > max) fail(key, std::to_string(x) + " is out of range", range);
  return x;
}

double JsonFields::number(const std::string& key, double def, double min, double max,
                          bool exclusive_min) {
  const auto* v = value(key);
  const std::string range = (exclusive_min ? "> " : ">= ") + num(min) + " and <= " + num(max);
  if (!v) return def;
  if (!v->is_number()) fail(key, "expected number, got " + type_of(*v), range);
  const double x = v->get<double>();
  if (!(exclusive_min ? x > min : x >= min) || !(x <= max)) {
    fail(key, num(x) + " is out of range", range);
  }
  return x;
}

bool JsonFields::boolean(const std::string& key, bool def) {
  const auto* v = value(key);
  if (!v) return def;
  if (!v->is_boolean()) fail(key, "expected boolean, got " + type_of(*v), "true, false");
  return v->get<bool>();
}

std::string JsonFields::text(const std::string& key, const std::string& def) {
  const auto* v = value(key);
  if (!v) return def;
  if (!v->is_string()) fail(key, "expected string, got " + type_of(*v), "a string");
  return v->get<std::string>();
}

std::string JsonFields::choice(const std::string& key, const std::string& def,
                               const std::vector<std::string>& allowed) {
  const auto* v = value(key);
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "\"" : ", \"") + a + "\"";
  if (!v) return def;
  if (!v->is_string()) fail(key, "expected string, got " + type_of(*v), list);
  const std::string s = v->get<std::string>();
  if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
    fail(key, "\"" + s + "\" is not allowed", list);
  }
  return s;
}

std::vector<long> JsonFields::integers(const std::string& key, const std::vector<long>& def,
                                       long min, long max, size_t min_items) {
  const auto* v = value(key);
  const std::string range = "array of >= " + std::to_string(min_items) + " integers in [" +
                            std::to_string(min) + ", " + std::to_string(max) + "]";
  if (!v) return def;
  if (!v->is_array() || v->size() < min_items) fail(key, "expected " + range, range);
  std::vector<long> out;
  for (const auto& e : *v) {
    if (!e.is_number_integer()) fail(key, "expected integer items, got " + type_of(e), range);
    const long x = e.get<long>();
    if (x < min || x > max) fail(key, std::to_string(x) + " is out of range", range);
    out.push_back(x);
  }
  return out;
}

JsonFields JsonFields::object(const std::string& key) {
  const auto* v = value(key);
  return JsonFields(v ? *v : nlohmann::json::object(), source_,
                    prefix_.empty() ? key : prefix_ + "." + key);
}

void JsonFields::finish() const {
  for (const auto& [key, v] : obj_.items()) {
    if (std::find(read_.begin(), read_.end(), key) != read_.end()) continue;
    std::string list;
    for (const auto& k : read_) list += (list.empty() ? "" : ", ") + k;
    fail(key, "unknown key", "keys " + list);
  }
}

}  // namespace eligo::io
