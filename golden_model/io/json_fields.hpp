// Checked reading of one JSON object of a config file, for configs without a JSON Schema of
// their own (the image models: mlp, clapp). Every read names its key, default and allowed range;
// finish() rejects keys that were never read. Errors are ConfigError, one line:
//   "<source>: <prefix.key>: <problem> (allowed: <range>)"
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "golden_model/io/config.hpp"

namespace eligo::io {

class JsonFields {
 public:
  // obj must be an object (or null: read as empty). prefix is the key path of obj ("" = top).
  JsonFields(const nlohmann::json& obj, std::string source, std::string prefix);

  bool has(const std::string& key) const;
  bool is_object(const std::string& key) const;  // present and a JSON object
  long integer(const std::string& key, long def, long min, long max);
  double number(const std::string& key, double def, double min, double max,
                bool exclusive_min = false);
  bool boolean(const std::string& key, bool def);
  std::string text(const std::string& key, const std::string& def);
  std::string choice(const std::string& key, const std::string& def,
                     const std::vector<std::string>& allowed);
  std::vector<long> integers(const std::string& key, const std::vector<long>& def, long min,
                             long max, size_t min_items);
  // A nested object (empty if absent); its own finish() must be called.
  JsonFields object(const std::string& key);
  // Throws for every key that was not read, listing the keys that are allowed.
  void finish() const;

  [[noreturn]] void fail(const std::string& key, const std::string& problem,
                         const std::string& allowed) const;

 private:
  const nlohmann::json* value(const std::string& key);

  nlohmann::json obj_;
  std::string source_, prefix_;
  std::vector<std::string> read_;
};

}  // namespace eligo::io
