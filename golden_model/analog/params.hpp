// Parameters of the analog-core behavioural model (docs/analog.md). Plain structs, no parsing:
// golden_model/io/analog_config.* fills them from the `analog` section of a run config.
//
// Every non-ideality has an "off" value (sigma 0, levels/bits 0, t = t0) and a default taken
// from a published simulator (sources in the comments and in docs/analog.md; the figures are
// collected in ../shared/ENERGY-SOURCES.md). Relative sigmas are fractions (0.1 = 10 %).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace eligo::analog {

// Synapses: one crossbar tile per matrix (W_in, W_rec, W_out); a signed weight is a differential
// pair of conductances g+ - g-, normalised to g_max of the device (w_max of the matrix <-> g_max).
struct SynapseParams {
  // Conductance levels per device including 0 (0 = continuous). 64: BrainScaleS-2 weights are
  // 6-bit magnitudes with a sign, [-63, 63] (hxtorch mock).
  int levels = 64;
  // Scale on the PCM programming-noise polynomial of IBM aihwkit (PCMLikeNoiseModel):
  // sigma_prog = (0.26348 + 1.9650 x - 1.1731 x^2) uS, x = g/g_max, g_max = 25 uS (0 = off).
  double programming_noise = 1.0;
  // Fixed-pattern per-device gain mismatch (relative sigma). 0.1: DYNAP-SE (Rockpool DynapSim)
  // fixed-pattern mismatch about 10 %.
  double mismatch_sigma = 0.1;
  // Read noise per MVM, as a weight-referred sigma relative to w_max (aihwkit w_noise,
  // "weight read noise about 1-2 %"): output noise sigma * w_max * ||x||_2.
  double read_noise = 0.02;
  // Drift g(t) = g0 (t/t0)^-nu (aihwkit PCM): nu per device ~ N(drift_nu, drift_nu_sigma)
  // (fixed pattern, >= 0), t0 = 20 s. drift_t_s is the time since programming at which the core
  // runs; the default t = t0 means no drift (set e.g. 86400 for one day).
  double drift_nu = 0.05;
  double drift_nu_sigma = 0.0;
  double drift_t0_s = 20.0;
  double drift_t_s = 20.0;
  // Global drift compensation (aihwkit GlobalDriftCompensation): each tile's output is rescaled
  // by sum|g(t0)| / sum|g(t)|.
  bool drift_compensation = true;
};

// Neurons and readouts: analog leaky integrators. Fixed-pattern mismatch (relative sigma) on the
// time constants (tau_m, tau_a, readout tau), thresholds and input gains: 0.1 is the DYNAP-SE
// (Rockpool DynapSim) figure of about 10 %. Temporal noise on the membrane per step, in units of
// the nominal threshold: BrainScaleS-2 membrane noise about 2 LSB of an 8-bit readout; taking
// the 8-bit range as 2 thr, 2 * 2/256 = 0.015625 thr.
struct NeuronParams {
  double tau_sigma = 0.1;
  double thr_sigma = 0.1;
  double gain_sigma = 0.1;
  double noise = 0.015625;
};

// Converters. bits = 0 means ideal (no quantisation, no bound). A signed converter with b bits
// and bound B has 2^(b-1) - 1 steps of B/(2^(b-1)-1) on each side of 0 and saturates at +-B.
struct ConverterParams {
  int bits = 0;
  double bound = 1.0;
  double noise = 0.0;  // Gaussian noise before conversion, in units of `bound`-normalised range
};

struct AnalogParams {
  uint64_t mismatch_seed = 1;  // fixes the fixed-pattern draw (mismatch, drift exponents)
  SynapseParams synapse;
  NeuronParams neuron;
  // DAC on the inputs: 7 bits (aihwkit inp_res = 1/(2^7 - 2)), bound 1 (aihwkit inp_bound).
  ConverterParams dac{7, 1.0, 0.0};
  // ADC on the readouts, in units of the readout tile's w_max: 9 bits (aihwkit out_res =
  // 1/(2^9 - 2)), bound 10 (aihwkit out_bound 10-12), output noise 0.04 (aihwkit out_noise
  // 0.04-0.06).
  ConverterParams adc{9, 10.0, 0.04};
  // ADC on the membrane potentials, used only to observe the core for chip-in-the-loop learning:
  // it converts v - A (distance to the neuron's threshold) in units of the nominal threshold.
  // 8 bits (BrainScaleS-2 8-bit membrane readout), bound 2 thr (psi is 0 beyond 1 thr).
  ConverterParams membrane_adc{8, 2.0, 0.0};
  // Speed-up of the core over the network's biological time (BrainScaleS-2: 1000x) for latency.
  double time_scale = 1000.0;
  // Energy table: empty = the built-in data/energy/analog.json; a path replaces it, and entries
  // of `energy_overrides` (name -> joules) replace single values.
  std::string energy_table;
  std::map<std::string, double> energy_overrides;
  // eligo compare: chip-in-the-loop iterations after deploying the float-trained weights.
  int fine_tune_iterations = 50;

  // Every non-ideality off: the core is the float reference (tests, and a reference point).
  static AnalogParams ideal();
  // The same relative mismatch sigma on neurons (tau, thr, gain) and synapse devices.
  void set_mismatch(double sigma);
};

inline AnalogParams AnalogParams::ideal() {
  AnalogParams p;
  p.synapse.levels = 0;
  p.synapse.programming_noise = 0.0;
  p.synapse.mismatch_sigma = 0.0;
  p.synapse.read_noise = 0.0;
  p.synapse.drift_t_s = p.synapse.drift_t0_s;
  p.neuron = NeuronParams{0.0, 0.0, 0.0, 0.0};
  p.dac = ConverterParams{0, 1.0, 0.0};
  p.adc = ConverterParams{0, 10.0, 0.0};
  p.membrane_adc = ConverterParams{0, 2.0, 0.0};
  return p;
}

inline void AnalogParams::set_mismatch(double sigma) {
  neuron.tau_sigma = neuron.thr_sigma = neuron.gain_sigma = sigma;
  synapse.mismatch_sigma = sigma;
}

}  // namespace eligo::analog
