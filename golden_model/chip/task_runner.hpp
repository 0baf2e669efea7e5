// The host-side sample protocol, written once for the bit-exact model and for the RTL: per sample
// START_SAMPLE; per timestep the targets (Y raw values) and TARGET_VALID (inside the learning
// window), the input events (from the spike counts) and the end of the timestep; END_SAMPLE with
// or without UPDATE. The loss (MSE on the readouts, the chip's objective) and the prediction
// (argmax_k of sum over the window of y_k) are computed by the host from the Y memory.
//
// A ChipPort is where the protocol runs: ModelPort drives a chip::Core; the co-simulation's
// port (systemc/cosim.hpp) drives the RTL in lock-step with a model.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "golden_model/chip/core.hpp"
#include "golden_model/tasks/batch.hpp"

namespace eligo::chip {

struct SampleTrace {
  std::vector<std::vector<int>> spikes;  // per timestep, ascending neuron indices
  std::vector<std::vector<double>> y;    // per timestep, readouts (real values)
};

struct SampleResult {
  double loss = 0.0;   // 1/2 sum_{t in window} sum_k (y - y*)^2
  int predicted = -1;  // argmax_k sum_{t in window} y_k
  int label = -1;      // batch.labels[b], or -1
  int64_t cycles = 0;  // all phases of the sample (RST .. RWR)
  int64_t spikes = 0;  // spikes of the recurrent neurons over the sample (the model's)
};

// What the host does to a chip. After a command, ok() is false when the port cannot go on (the
// co-simulation found a mismatch, which failure() describes); the model port always goes on.
class ChipPort {
 public:
  virtual ~ChipPort() = default;
  virtual void start_sample() = 0;
  // One timestep: targets and TARGET_VALID, the input events, the end-of-timestep marker.
  virtual void step(const std::vector<int>& events, const std::vector<int64_t>& target, bool valid) = 0;
  virtual void end_sample(bool update) = 0;
  // CTRL.LEARN (e.g. off for a test phase).
  virtual void set_learning(bool learn) = 0;
  // A host register write between samples (e.g. a learning-rate schedule's new LR_*_SHIFT).
  virtual void write_reg(uint32_t addr, uint32_t data) = 0;
  // The readouts of the Y memory after the last timestep (real values).
  virtual void readouts(std::vector<double>& y) const = 0;
  // Cycles of every phase run so far (a running total).
  virtual int64_t cycles() const = 0;
  // The bit-exact model: the chip itself, or the co-simulation's reference. Its counters, spikes
  // and memories are the run's (equal to the RTL's while there is no mismatch).
  virtual const Core& model() const = 0;
  // True when readouts() are not the model's (the RTL): run_sample then also scores the model.
  virtual bool has_reference() const { return false; }
  virtual bool ok() const { return true; }
  virtual std::string failure() const { return ""; }
  // The chip's state between two samples, for a checkpoint: the model's (Core::save_state) for
  // the model port; the co-simulation adds the RTL's (systemc/cosim.hpp).
  virtual std::string save_state() const { return model().save_state(); }
  // Continues from a checkpoint: the chip's state replaced, between two samples, by a state of
  // save_state() (std::invalid_argument for another chip's or another port's). A port that
  // cannot restore its chip throws std::logic_error.
  virtual void restore_state(const std::string& state) {
    (void)state;
    throw std::logic_error("this chip port cannot continue from a checkpoint");
  }
};

// The chip model alone (the core is the caller's).
class ModelPort : public ChipPort {
 public:
  explicit ModelPort(Core& core) : core_(core) {}
  void start_sample() override;
  void step(const std::vector<int>& events, const std::vector<int64_t>& target, bool valid) override;
  void end_sample(bool update) override;
  void set_learning(bool learn) override { core_.regs().learn = learn; }
  void write_reg(uint32_t addr, uint32_t data) override;
  void readouts(std::vector<double>& y) const override { read_y(core_, y); }
  int64_t cycles() const override { return cycles_; }
  const Core& model() const override { return core_; }
  void restore_state(const std::string& core_state) override { core_.restore_state(core_state); }

  // The readouts of a core's Y memory (real values).
  static void read_y(const Core& core, std::vector<double>& y);

 private:
  void add_cycles();
  Core& core_;
  int64_t cycles_ = 0;
};

// Sample b of a stored batch on `port`. learning_window: the last LW steps carry the target
// (0 = all T). update: END_SAMPLE with UPDATE (weight update and rewiring when the core learns).
// When the port has a reference, `reference` (if given) receives the model's loss and prediction.
// When the port stops (a mismatch), the result so far is returned (predicted -1 if it stopped
// before the end of the last timestep). trace_from > 0 (windowed traces, when learning): the
// host sets CTRL.TRC_HOLD at START_SAMPLE and clears it before step trace_from, so the
// per-synapse trace pass runs from that step on (EBAR and EPSA start from START_SAMPLE's zeros);
// 0 <= trace_from < T. adapt_block K > 0 (with trace_from > 0): before trace_from the host keeps
// ALIF's eps_a in adaptation blocks of K steps (docs/architecture.md "Adaptation blocks"), the
// blocks ending at step trace_from - 1: CTRL.TRC_BLOCK on a block's last step, CTRL.TRC_ACC on
// every step but a block's first (and step 0), so that NEU sums the block's psi into PSI;
// ALIF_RHO_BLK must hold block_decay(rho, K). A core without ALIF neurons runs no block.
SampleResult run_sample(ChipPort& port, const tasks::Batch& stored_batch, int b, int learning_window,
                        bool update, SampleTrace* trace = nullptr, SampleResult* reference = nullptr,
                        int trace_from = 0, int adapt_block = 0);
// The same on a core (a ModelPort over it).
SampleResult run_sample(Core& core, const tasks::Batch& stored_batch, int b, int learning_window,
                        bool update, SampleTrace* trace = nullptr);

// Input events of step t of sample b: input i repeated x(i) times, inputs in order.
std::vector<int> input_events(const tasks::Batch& stored_batch, int t, int b);
void input_events(const tasks::Batch& stored_batch, int t, int b, std::vector<int>& out);  // reuses out

}  // namespace eligo::chip
