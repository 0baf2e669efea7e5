// The CLAPP experiment's configuration (examples/clapp_fashion_mnist.json): a JSON document
//   { "model": "clapp", "description": "...", "clapp": { <ClappParams fields> } }
// "model" is required and must be "clapp"; "description" (a string) is optional and ignored;
// "clapp" is optional, and each of its keys is optional: a missing key keeps the ClappParams
// default (golden_model/float/clapp.hpp). The keys of "clapp" are the ClappParams field names,
// one to one:
//   seed (integer >= 0), n_train (0 .. 60000, 0 = all), n_test (0 .. 10000, 0 = all),
//   hidden (array of 1 .. 8 integers in 1 .. 4096), patch (1 .. 28), grid (1 .. 29 - patch),
//   offsets (array of 0 .. 8 integers in 1 .. 28; kernel > 1 only, one per layer, each below its
//   layer's grid side; [] = 1 for every layer), max_shift (0 .. 27), flip (boolean),
//   concat_features (boolean), views_per_image (2 .. 64),
//   epochs (0 .. 10000), batch_size (2 .. 100000), lr (0 < lr <= 1), lr_decay (0 < x <= 1),
//   probe_epochs (1 .. 10000), probe_batch_size (1 .. 100000), probe_lr (0 < x <= 1),
//   probe_lr_decay (0 < x <= 1), probe_l2 (0 .. 10), probe_repeats (1 .. 100),
//   supervised_epochs (0 .. 10000), supervised_batch_size (1 .. 100000),
//   supervised_lr (0 < x <= 1), supervised_lr_decay (0 < x <= 1).
// Errors throw ConfigError (a std::runtime_error) with one line
//   "<source>: <key path>: <problem> (allowed: <range>)"
// for unknown keys (listing the allowed keys), wrong types and out-of-range values.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "golden_model/float/clapp.hpp"
#include "golden_model/io/config.hpp"  // ConfigError

namespace eligo::io {

// Parses the whole document (top level with "model" and "clapp"); `source` names it in errors.
fl::ClappParams clapp_params_from_json(const nlohmann::json& doc, const std::string& source);

// Reads and parses a file (invalid JSON: "<path>: invalid JSON: <parser message>").
fl::ClappParams load_clapp_config(const std::string& path);

// The parameters as a document that clapp_params_from_json reads back to the same values.
nlohmann::json clapp_params_to_json(const fl::ClappParams& params);

}  // namespace eligo::io
