// NeuroBench-named metrics of a run (issue 17; NeuroBench: Yik et al., Nature Communications
// 2025, arXiv 2304.04640), so that eligo's results can sit beside published NeuroBench entries:
// footprint, parameter count, connection sparsity, activation sparsity, synaptic operations
// (effective ACs, effective MACs, dense) and membrane updates. docs/sweep.md defines each one and
// says where eligo's follows NeuroBench's definition and where the chip counts differently.
//
// The chip's figures come from its memory sizes (spec::kMems bits x spec::mem_depth, generated
// from spec/chip.toml), its weight memories and the performance counters of the test phase; the
// float reference's from its matrices (float32) and its test firing rate.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "golden_model/chip/core.hpp"
#include "golden_model/float/lsnn.hpp"

namespace eligo::experiment {

// What a memory of the chip holds, for the footprint's breakdown.
enum class MemoryKind { Weights, NeuronState, Traces, Buffers };
// W_IN, W_REC, W_OUT, B_FB: weights; STATE, Y: neuron state; EPSV, EPSA, EBAR, ZBAR: eligibility
// traces; GRAD, LSIG, PSI (per-step learning signal and pseudo-derivative): buffers.
MemoryKind memory_kind(chip::spec::Mem m);
const char* memory_kind_name(MemoryKind k);  // "weights", "neuron_state", "traces", "buffers"

// Bytes of memory m in a core of sizes s: depth x bits rounded up to whole bytes.
int64_t memory_bytes(const chip::Sizes& s, chip::spec::Mem m);

struct Footprint {
  int64_t weights = 0, neuron_state = 0, traces = 0, buffers = 0;
  int64_t total() const { return weights + neuron_state + traces + buffers; }
};
// Every memory of a core of sizes s (a factored-only core has no EPSA / EBAR).
Footprint chip_footprint(const chip::Sizes& s);

// Weights of the forward connections W_IN, W_REC, W_OUT (B_FB, the fixed feedback of the
// learning rule, is not a parameter): every word, and those whose value is not 0 (active and of
// non-zero magnitude).
struct WeightCounts {
  int64_t total = 0, nonzero = 0;
};
WeightCounts chip_weight_counts(const chip::Core& core);

// The test phase of a chip run: samples and timesteps, spikes of the recurrent neurons, and the
// performance counters' sops (active synapses reached by an input event or a spike) and
// neuron_updates over it.
struct ChipWorkload {
  int64_t samples = 0, timesteps = 0, spikes = 0, sops = 0, neuron_updates = 0;
};

// {"footprint": {"bytes", "weights", "neuron_state", "traces", "buffers"}, "parameter_count",
//  "connection_sparsity", "activation_sparsity", "synaptic_operations": {"effective_acs",
//  "effective_macs", "dense"} (per sample), "membrane_updates" (per sample), "samples"}; the
// workload metrics are null without a test sample.
nlohmann::json chip_neurobench_json(const chip::Sizes& s, const WeightCounts& w, const ChipWorkload& load);

// The test pass of a float run, counted from its spikes by float_counting_step: sequences,
// sequence-steps, and the effective synaptic operations: every input spike times the non-zero
// weights it reaches in W_in, every recurrent spike times those it reaches in W_rec (at the next
// step) and in W_out (as the chip's sops counter counts its readout's accumulations).
struct FloatWorkload {
  int64_t samples = 0, timesteps = 0;
  double effective_acs = 0.0;
};
// A forward step (fl::ForwardStep, for fl::evaluate) that runs fl::step unchanged and adds the
// step's sequences, sequence-steps and effective ACs to `load` (which must outlive it).
fl::ForwardStep float_counting_step(const fl::Neurons& n, const fl::Weights& w, FloatWorkload& load);

// The float reference: parameters W_in, W_rec, W_out; footprint in float32 of those and of the
// neuron state of one sequence (v and z per recurrent neuron, a per ALIF neuron, y per readout);
// connection sparsity of the three matrices; activation sparsity from the test firing rate
// (1 - rate_hz x dt_ms / 1000: the fraction of neuron-timesteps without a spike). With `load`
// (the test pass): synaptic operations per sample (effective ACs from the spikes, effective MACs 0
// since the inputs are spikes, dense = parameters x steps) and membrane updates per sample
// (every recurrent neuron at every step, as the chip counts them).
nlohmann::json float_neurobench_json(const fl::Neurons& n, const fl::Weights& w, double test_rate_hz,
                                     const FloatWorkload* load = nullptr);

}  // namespace eligo::experiment
