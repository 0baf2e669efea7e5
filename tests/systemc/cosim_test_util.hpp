// Helpers of the co-simulation tests: a network of the sizes of a verilated configuration,
// briefly trained in float by e-prop on reduced evidence accumulation (so that it spikes the way
// a trained network does), quantised to the chip, and a batch of its task.
#pragma once

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "golden_model/quantize/quantize.hpp"
#include "golden_model/float/trainer.hpp"
#include "golden_model/tasks/evidence_accumulation.hpp"
#include "systemc/cosim.hpp"
#include "systemc/rtl_models.hpp"

namespace eligo::cosim::testing {

inline tasks::EvidenceAccumulationParams reduced_task(int n_in) {
  tasks::EvidenceAccumulationParams tp;
  tp.n_in = n_in;
  tp.t_cue = 40;
  tp.t_cue_spacing = 60;
  tp.t_delay = 150;
  tp.t_recall = 40;  // T = 610
  return tp;
}

struct Setup {
  chip::ChipImage image;
  tasks::Batch batch;
  int learning_window = 40;
};

// The chip options of the lock-step learning tests (CosimTrain's): e-prop with DEEP R at
// connectivity 0.3, temperature 1e-4, seed 11; online (rate 0.005, L1 0.005 every timestep) or
// with the update at the end of a sample (0.01, 0.5).
inline chip::ChipOptions deepr_learning_options(bool online) {
  chip::ChipOptions o;
  o.learn = true;
  o.online = online;
  o.lr = online ? 0.005 : 0.01;
  o.deepr = true;
  o.connectivity = 0.3;
  o.l1 = online ? 0.005 : 0.5;  // online mode shrinks every timestep
  o.temperature = 1e-4;
  o.seed = 11;
  return o;
}

// Trains `iterations` e-prop iterations (batch 16, Adam) before quantising with options `o`
// (its lanes are the configuration's).
inline Setup trained_setup(const chip::Sizes& s, int iterations, uint64_t seed, chip::ChipOptions o = {}) {
  fl::NetworkParams p;
  p.n_in = s.n_in;
  p.n_out = s.n_out;
  p.lif.n = s.n_rec - s.n_alif;
  p.alif.n = s.n_alif;
  const fl::Neurons n = fl::Neurons::from(p);
  fl::Weights w = fl::init_weights(n, seed);
  fl::TrainParams tp;
  tp.algo = fl::Algo::EProp;
  tp.learning_window = 40;
  tp.iterations = iterations;
  tp.batch_size = 16;
  tp.optimizer.lr = 0.01;
  const auto task = reduced_task(s.n_in);
  fl::train(n, w, tp, [&](int it) { return tasks::make_evidence_accumulation(task, 16, seed * 1000 + static_cast<uint64_t>(it)); });
  o.lanes = s.lanes;
  o.synapse_traces = s.synapse_traces;
  Setup st;
  st.image = chip::quantize(n, w, o);
  st.batch = tasks::make_evidence_accumulation(task, 2, seed + 7);
  return st;
}

// Sample b of a batch through the sample protocol on the co-simulation; false on a mismatch.
inline bool run(Cosim& c, const tasks::Batch& batch, int b, int learning_window, bool update, int trace_from = 0,
                int adapt_block = 0) {
  chip::run_sample(c, batch, b, learning_window, update, nullptr, nullptr, trace_from, adapt_block);
  return c.ok();
}

inline std::string describe(const Cosim& c) {
  if (!c.first_mismatch()) return "no mismatch";
  const Mismatch& m = *c.first_mismatch();
  return std::string(to_string(m.kind)) + " at timestep " + std::to_string(m.timestep) + ", cycle " + std::to_string(m.cycle) + ", phase " +
         m.phase + ", " + m.memory + "[" + std::to_string(m.address) + "]: expected " + std::to_string(m.expected) +
         ", actual " + std::to_string(m.actual) + " (" + m.detail + ")";
}

// Records the RTL's write-stream hash (FNV-1a, chip::WriteHash) as a test property and prints it
// ("write_hash TEST COUNT HASH"), so that a refactor can show equal streams before and after.
inline void record_write_hash(const Cosim& c) {
  const chip::WriteHash& w = c.stats().write_hash;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(w.h));
  ::testing::Test::RecordProperty("write_hash", buf);
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::printf("write_hash %s.%s %llu %s\n", info->test_suite_name(), info->name(),
              static_cast<unsigned long long>(w.n), buf);
}

}  // namespace eligo::cosim::testing
