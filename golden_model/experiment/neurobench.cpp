#include "golden_model/experiment/neurobench.hpp"

namespace eligo::experiment {

using chip::spec::Mem;
using nlohmann::json;

MemoryKind memory_kind(Mem m) {
  switch (m) {
    case Mem::W_IN:
    case Mem::W_REC:
    case Mem::W_OUT:
    case Mem::B_FB: return MemoryKind::Weights;
    case Mem::STATE:
    case Mem::Y: return MemoryKind::NeuronState;
    case Mem::EPSV:
    case Mem::EPSA:
    case Mem::EBAR:
    case Mem::ZBAR: return MemoryKind::Traces;
    case Mem::PSI:
    case Mem::GRAD:
    case Mem::LSIG: return MemoryKind::Buffers;
  }
  return MemoryKind::Buffers;
}

const char* memory_kind_name(MemoryKind k) {
  switch (k) {
    case MemoryKind::Weights: return "weights";
    case MemoryKind::NeuronState: return "neuron_state";
    case MemoryKind::Traces: return "traces";
    case MemoryKind::Buffers: return "buffers";
  }
  return "";
}

int64_t memory_bytes(const chip::Sizes& s, Mem m) {
  const int64_t bits = s.depth(m) * chip::spec::kMems[static_cast<size_t>(m)].bits;
  return (bits + 7) / 8;
}

Footprint chip_footprint(const chip::Sizes& s) {
  Footprint f;
  for (int i = 0; i < chip::spec::NUM_MEMS; ++i) {
    const auto m = static_cast<Mem>(i);
    const int64_t b = memory_bytes(s, m);
    switch (memory_kind(m)) {
      case MemoryKind::Weights: f.weights += b; break;
      case MemoryKind::NeuronState: f.neuron_state += b; break;
      case MemoryKind::Traces: f.traces += b; break;
      case MemoryKind::Buffers: f.buffers += b; break;
    }
  }
  return f;
}

namespace {

constexpr Mem kForward[] = {Mem::W_IN, Mem::W_REC, Mem::W_OUT};

// 1 - part / whole, null when whole is 0.
json sparsity(int64_t part, int64_t whole) {
  return whole > 0 ? json(1.0 - static_cast<double>(part) / static_cast<double>(whole)) : json(nullptr);
}

json per_sample_real(double x, int64_t samples) {
  return samples > 0 ? json(x / static_cast<double>(samples)) : json(nullptr);
}

json per_sample(int64_t x, int64_t samples) { return per_sample_real(static_cast<double>(x), samples); }

}  // namespace

WeightCounts chip_weight_counts(const chip::Core& core) {
  WeightCounts c;
  for (Mem m : kForward) {
    const chip::Sram& mem = core.mem(m);
    const int64_t n = core.sizes().depth(m);
    for (int64_t a = 0; a < n; ++a) c.nonzero += chip::WeightWord::unpack(mem.peek(a)).value() != 0 ? 1 : 0;
    c.total += n;
  }
  return c;
}

json chip_neurobench_json(const chip::Sizes& s, const WeightCounts& w, const ChipWorkload& load) {
  const Footprint f = chip_footprint(s);
  int64_t params = 0;  // the forward matrices' words, zero or not (NeuroBench counts numel)
  for (Mem m : kForward) params += s.depth(m);
  const int64_t neuron_steps = static_cast<int64_t>(s.n_rec) * load.timesteps;
  return {{"footprint", {{"bytes", f.total()},
                         {"weights", f.weights},
                         {"neuron_state", f.neuron_state},
                         {"traces", f.traces},
                         {"buffers", f.buffers}}},
          {"parameter_count", params},
          {"connection_sparsity", sparsity(w.nonzero, w.total)},
          {"activation_sparsity", sparsity(load.spikes, neuron_steps)},
          {"synaptic_operations", {{"effective_acs", per_sample(load.sops, load.samples)},
                                   {"effective_macs", load.samples > 0 ? json(0.0) : json(nullptr)},
                                   {"dense", per_sample(params * load.timesteps, load.samples)}}},
          {"membrane_updates", per_sample(load.neuron_updates, load.samples)},
          {"samples", load.samples}};
}

fl::ForwardStep float_counting_step(const fl::Neurons& n, const fl::Weights& w, FloatWorkload& load) {
  // Non-zero weights per source: row vectors (1 x sources) of W_in (n_rec x n_in), W_rec and W_out.
  auto fan_out = [](const fl::MatrixXd& m) -> Eigen::RowVectorXd {
    return (m.array() != 0.0).cast<double>().colwise().sum();
  };
  const Eigen::RowVectorXd in = fan_out(w.w_in), rec = fan_out(w.w_rec), out = fan_out(w.w_out);
  return [&n, &w, &load, in, rec, out](const Eigen::Ref<const fl::MatrixXd>& x_t, int s, fl::State& st) {
    if (s == 0) load.samples += x_t.cols();
    else load.effective_acs += (rec * st.z).sum();  // z(t-1) through W_rec in this step
    fl::step(n, w, x_t, s, st);
    load.effective_acs += (in * x_t).sum() + (out * st.z).sum();
    load.timesteps += x_t.cols();
  };
}

json float_neurobench_json(const fl::Neurons& n, const fl::Weights& w, double test_rate_hz, const FloatWorkload* load) {
  const fl::MatrixXd* forward[] = {&w.w_in, &w.w_rec, &w.w_out};
  int64_t params = 0, nonzero = 0;
  for (const fl::MatrixXd* m : forward) {
    params += static_cast<int64_t>(m->size());
    nonzero += static_cast<int64_t>((m->array() != 0.0).count());
  }
  constexpr int64_t kFloat32 = 4;
  const int64_t n_alif = n.n_rec - n.n_lif;
  const int64_t state = 2 * static_cast<int64_t>(n.n_rec) + n_alif + n.n_out;  // v, z; a; y
  return {{"footprint", {{"bytes", kFloat32 * (params + state)},
                         {"weights", kFloat32 * params},
                         {"neuron_state", kFloat32 * state}}},
          {"parameter_count", params},
          {"connection_sparsity", sparsity(nonzero, params)},
          {"activation_sparsity", 1.0 - test_rate_hz * n.dt_ms / 1000.0},
          {"synaptic_operations",
           {{"effective_acs", load ? per_sample_real(load->effective_acs, load->samples) : json(nullptr)},
            {"effective_macs", load && load->samples > 0 ? json(0.0) : json(nullptr)},
            {"dense", load ? per_sample(params * load->timesteps, load->samples) : json(nullptr)}}},
          {"membrane_updates", load ? per_sample(static_cast<int64_t>(n.n_rec) * load->timesteps, load->samples)
                                    : json(nullptr)},
          {"samples", load ? json(load->samples) : json(nullptr)}};
}

}  // namespace eligo::experiment
