// A run's configuration: one JSON file (docs/config.md, schema docs/config.schema.json) parsed
// into the plain parameter structs of the golden model. Paths inside the file are resolved
// relative to the file's own directory.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "golden_model/analog/params.hpp"
#include "golden_model/float/params.hpp"

namespace eligo::io {

// A configuration error. what() is one line: "<file>: <key path>: <problem> (allowed: <range>)".
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A file path as a one-line message shows it: control characters (a file name may hold any byte
// but '/' and NUL, and a config can name "a\nb") escaped as \n, \r, \t or \xNN, the rest as is.
inline std::string shown_path(const std::string& path) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7f) {
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

enum class TaskKind { PatternGeneration, EvidenceAccumulation, Files };

struct TaskConfig {
  TaskKind kind = TaskKind::EvidenceAccumulation;
  // pattern_generation
  int pg_n_in = 100;
  int pg_T = 1000;
  double pg_input_rate_hz = 50.0;
  // evidence_accumulation
  int ea_n_cues = 7;
  int ea_t_cue = 100;
  int ea_t_cue_spacing = 150;
  int ea_t_delay = 1050;
  int ea_t_recall = 150;
  double ea_f_cue_hz = 40.0;
  double ea_f_background_hz = 10.0;
  double ea_p_majority = 0.7;
  // files: input raster (B, T, n_in) and targets (B, T, n_out) as .npy, absolute paths
  std::string inputs_path;
  std::string targets_path;
  int test_batches = 1;  // batches drawn (fresh seed) for the final test accuracy / loss
};

struct InitConfig {
  std::string weights_path;  // .npz with W_in, W_rec, W_out and optionally B; empty = random
  double w_in_scale = 1.0;   // random init: W ~ scale * N(0,1)/sqrt(fan_in)
  double w_rec_scale = 1.0;
  double w_out_scale = 1.0;
  double b_scale = 1.0;      // random feedback B ~ scale * N(0,1)/sqrt(n_rec)
};

struct RunConfig {
  std::string source;        // the file this came from (for messages)
  uint64_t seed = 1;
  fl::NetworkParams net;
  fl::TrainParams train;
  TaskConfig task;
  InitConfig init;
  analog::AnalogParams analog;  // the `analog` section (eligo train --backend analog, compare)
  int log_every = 10;        // iterations between progress-line updates (terminal only)
};

// Parse and validate; throws ConfigError naming the file, the key and the allowed range.
RunConfig load_config(const std::string& path);
RunConfig parse_config(const nlohmann::json& j, const std::string& source_name,
                       const std::string& base_dir);
// The JSON Schema (draft 7) the file is validated against (embedded at build time from
// docs/config.schema.json).
const std::string& config_schema_text();

}  // namespace eligo::io
