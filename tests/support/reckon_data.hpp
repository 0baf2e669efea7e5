// A small synthetic data directory in ReckOn's cue-accumulation format (2 training and 2 test
// samples; never the shared data) and a chip config that runs it, for the tests of eligo chip on
// task.type "reckon_cue_accumulation".
#pragma once

#include <filesystem>
#include <string>

#include "tests/support/files.hpp"

namespace eligo::testing {

// A sample: cue events on channels 0..9 (label 0) or 10..19 (label 1), the marker, recall events
// on 20..29 from step 2100, the end marker.
inline std::string reckon_sample(int label, int shift) {
  std::string s;
  for (int t = shift; t < 2000; t += 37) s += std::to_string(label * 10 + (t % 10)) + ", " + std::to_string(t) + "\r\n";
  s += "-2, " + std::to_string(label) + "\r\n";
  for (int t = 2100; t < 2250; t += 11) s += std::to_string(20 + t % 10) + ", " + std::to_string(t) + "\r\n";
  return s + "-1, 2250\r\n";
}

// n values; every stride-th + 1 value (the W_rec diagonal for stride 100) is 0.
inline std::string reckon_weights(int n, int mul, int stride = 0) {
  std::string s;
  for (int k = 0; k < n; ++k) {
    const bool diagonal = stride > 0 && k % (stride + 1) == 0;
    s += std::to_string(diagonal ? 0 : (k * mul) % 61 - 30) + "\r\n";
  }
  return s;
}

// The data files in `data` (created).
inline void write_reckon_data(const std::filesystem::path& data) {
  std::filesystem::create_directories(data);
  write_text(data, "dataset_cueAcc_train.dat", "2\r\n" + reckon_sample(0, 3) + reckon_sample(1, 5));
  write_text(data, "dataset_cueAcc_test.dat", "2\r\n" + reckon_sample(1, 1) + reckon_sample(0, 2));
  write_text(data, "init_rand_weights_inp_cueAcc.dat", reckon_weights(4000, 7));
  write_text(data, "init_rand_weights_rec_cueAcc.dat", reckon_weights(10000, 3, 100));
  write_text(data, "init_rand_weights_out_cueAcc.dat", reckon_weights(200, 11));
}

// dir/chip.json: a training config of 3 epochs on the benchmark's network, with data_dir_json
// (the task's data_dir member, "" for none), `extra` top-level members and `chip_extra` members of
// "chip" (each with its leading comma); returns its path.
inline std::string write_reckon_chip_config(const std::filesystem::path& dir, const std::string& data_dir_json,
                                            const std::string& extra = "", const std::string& chip_extra = "") {
  return write_text(dir, "chip.json", R"({"mode": "train",
      "task": {"type": "reckon_cue_accumulation", "epochs": 3)" + data_dir_json + R"(},
      "network": {"n_in": 40, "n_out": 2, "lif": {"n": 100, "tau_m_ms": 1927.0, "thr": 1.2, "n_ref": 0},
                  "alif": {"n": 0}, "input_scaling": "one", "spike_condition": ">="},)" + extra + R"(
      "chip": {"lanes": 16, "lr": 0.00004, "feedback": "symmetric", "seed": 7)" + chip_extra + R"(}})");
}

}  // namespace eligo::testing
