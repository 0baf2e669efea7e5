// ReckOn's published cue-accumulation benchmark (C. Frenkel and G. Indiveri, ISSCC 2022): a reader
// of its data set and initial-weight files (format: ../shared/data/reckon-cue-accumulation/README.md;
// the data are never copied into this repository, they are read from a directory given at run time).
//
// Data set file (dataset_cueAcc_{train,test}.dat, text, LF or CRLF line ends):
//   line 1:            the number of samples S (> 0)
//   then per sample:   "CHANNEL, TIME" events (channel 0..n_in-1, time 0..T-1, never decreasing),
//                      one label marker "-2, LABEL" (LABEL 0 or 1), the recall cue's events, and the
//                      end marker "-1, T".
// ReckOn's testbench applies the label at timestep kReckonLabelStep (2100) when it meets the marker,
// so the marker stands for an event at that timestep: events before it must be earlier, events after
// it not earlier. Blank lines are ignored. Events of the same channel and timestep add up (the
// chip sees each as one AER event).
//
// As a tasks::Batch (batch.hpp, column t*B + b = sample b at step t), all S samples in one batch:
//   x:      n_in x (T*S), spike counts per timestep and channel
//   target: 2 x (T*S), one-hot of the label from the label step on (t >= 2100), 0 before. The chip
//           (chip::run_sample) sets TARGET_VALID in the last learning_window steps: use
//           reckon_learning_window() = T - 2100 = 150.
//   labels: S entries, 0 or 1.
//
// Weight files (init_rand_weights_{inp,rec,out}_cueAcc.dat): one signed 8-bit integer per line,
// presynaptic-major: for each presynaptic index i, the weights to its targets in order.
// ReckonWeights holds them as int8 values in the float reference's layout (W_in n_rec x n_in,
// W_rec n_rec x n_rec, W_out n_out x n_rec: row = postsynaptic), as doubles; the caller scales them.
//
// Every error is a ReckonDataError whose message names the file and, where there is one, the line:
//   "PATH: line N: PROBLEM".
#pragma once

#include <Eigen/Dense>
#include <stdexcept>
#include <string>
#include <vector>

#include "golden_model/tasks/batch.hpp"

namespace eligo::tasks {

struct ReckonDataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr int kReckonInputs = 40;
constexpr int kReckonRecurrent = 100;
constexpr int kReckonOutputs = 2;
constexpr int kReckonT = 2250;          // timesteps per sample
constexpr int kReckonLabelStep = 2100;  // the target (and learning) starts here
// The largest data set read: its dense raster (x and target as doubles) at most 2 GiB, that is
// 2840 samples of 2250 steps (the count line is checked against it before allocating).
constexpr size_t kReckonMaxRasterBytes = size_t(2) << 30;

// Sizes a file must match (the defaults are ReckOn's 40-100-2 network and 2250 steps).
struct ReckonFormat {
  int n_in = kReckonInputs;
  int n_rec = kReckonRecurrent;
  int n_out = kReckonOutputs;
  int T = kReckonT;
  int label_step = kReckonLabelStep;
};

// Steps at the end of a sample that carry the target: T - label_step.
inline int reckon_learning_window(const ReckonFormat& f = {}) { return f.T - f.label_step; }

// Parses a data set file (all samples, one stored Batch). Throws ReckonDataError.
Batch read_reckon_dataset(const std::string& path, const ReckonFormat& f = {});
// The same from text (`name` stands for the file in messages).
Batch parse_reckon_dataset(const std::string& text, const std::string& name, const ReckonFormat& f = {});

// Exactly `count` integers in -128..127, one per line. Throws ReckonDataError. `line_of`, if
// given, receives the line number of every value.
Eigen::VectorXi read_int8_column(const std::string& path, int count, std::vector<int>* line_of = nullptr);
Eigen::VectorXi parse_int8_column(const std::string& text, const std::string& name, int count,
                                  std::vector<int>* line_of = nullptr);

struct ReckonWeights {
  Eigen::MatrixXd w_in;   // n_rec x n_in, int8 values
  Eigen::MatrixXd w_rec;  // n_rec x n_rec
  Eigen::MatrixXd w_out;  // n_out x n_rec
};

// The three init_rand_weights_*_cueAcc.dat files of `dir`. A non-zero recurrent self-connection
// is an error (the chip has no autapses; ReckOn's files have none).
ReckonWeights read_reckon_weights(const std::string& dir, const ReckonFormat& f = {});

// File names inside the data directory.
extern const char* const kReckonTrainFile;
extern const char* const kReckonTestFile;
extern const char* const kReckonWeightFiles[3];  // inp, rec, out

}  // namespace eligo::tasks
