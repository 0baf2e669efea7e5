#include "golden_model/analog/core.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace eligo::analog {

namespace {

constexpr double kMinFactor = 0.05;  // floor of a mismatch factor (a time constant stays > 0)

// aihwkit PCMLikeNoiseModel programming noise, uS, at x = g/g_max, with g_max = 25 uS.
constexpr double kProgC0 = 0.26348, kProgC1 = 1.9650, kProgC2 = -1.1731, kGmaxUs = 25.0;

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("analog core: " + what);
}

double factor(tasks::Rng& rng, double sigma) {
  const double n = rng.normal();
  const double s = sigma * n;  // separate statements: no FMA contraction (bit-reproducibility)
  return std::max(1.0 + s, kMinFactor);
}

}  // namespace

Counters& Counters::operator+=(const Counters& o) {
  steps += o.steps;
  sequences += o.sequences;
  input_events += o.input_events;
  synaptic_events += o.synaptic_events;
  neuron_updates += o.neuron_updates;
  readout_updates += o.readout_updates;
  readout_conversions += o.readout_conversions;
  membrane_conversions += o.membrane_conversions;
  device_writes += o.device_writes;
  programmings += o.programmings;
  return *this;
}

double Core::convert(double x, int bits, double bound) {
  if (bits <= 0) return x;
  const double steps = std::ldexp(1.0, bits - 1) - 1.0;
  const double c = std::clamp(x, -bound, bound);
  const double k = std::nearbyint(c / bound * steps);
  return k * bound / steps;
}

Core::Core(const fl::NetworkParams& net, const AnalogParams& p, uint64_t noise_seed)
    : net_(net), p_(p), nominal_(fl::Neurons::from(net)), noise_(noise_seed) {
  require(net.spike_fn == fl::SpikeFn::Heaviside,
          "network.surrogate \"sigmoid\" is a float test mode, not a core");
  require(p.synapse.levels == 0 || p.synapse.levels >= 2, "synapse.levels must be 0 or >= 2");
  for (double s : {p.synapse.programming_noise, p.synapse.mismatch_sigma, p.synapse.read_noise,
                   p.synapse.drift_nu, p.synapse.drift_nu_sigma, p.neuron.tau_sigma,
                   p.neuron.thr_sigma, p.neuron.gain_sigma, p.neuron.noise, p.dac.noise,
                   p.adc.noise, p.membrane_adc.noise}) {
    require(s >= 0, "noise and mismatch sigmas must be >= 0");
  }
  require(p.synapse.drift_t0_s > 0 && p.synapse.drift_t_s >= p.synapse.drift_t0_s,
          "drift needs 0 < t0 <= t");
  for (const auto* c : {&p.dac, &p.adc, &p.membrane_adc}) {
    require(c->bits >= 0 && c->bits <= 24 && c->bound > 0, "converter bits in [0, 24], bound > 0");
  }
  require(p.time_scale > 0, "time_scale must be > 0");

  const fl::Neurons& n = nominal_;
  const int R = n.n_rec, K = n.n_out;
  tau_m_ms_.resize(R);
  tau_a_ms_.resize(R);
  tau_out_ms_.resize(K);
  alpha_.resize(R);
  zeta_.resize(R);
  rho_.resize(R);
  thr_.resize(R);
  gain_.resize(R);
  kappa_.resize(K);
  c_.resize(K);
  // The fixed pattern of the neurons: always the same number of draws in the same order, whatever
  // the sigmas, so that one mismatch seed gives the same chip at every setting.
  tasks::Rng rng(p.mismatch_seed);
  const double dt = net.dt_ms;
  for (int j = 0; j < R; ++j) {
    const bool alif = j >= n.n_lif;
    const fl::PopulationParams& pop = alif ? net.alif : net.lif;
    tau_m_ms_(j) = pop.tau_m_ms * factor(rng, p.neuron.tau_sigma);
    tau_a_ms_(j) = pop.tau_a_ms * factor(rng, p.neuron.tau_sigma);
    thr_(j) = pop.thr * factor(rng, p.neuron.thr_sigma);
    gain_(j) = factor(rng, p.neuron.gain_sigma);
    alpha_(j) = std::exp(-dt / tau_m_ms_(j));
    zeta_(j) = net.input_scaling == fl::Scaling::One ? 1.0 : 1.0 - alpha_(j);
    rho_(j) = alif ? std::exp(-dt / tau_a_ms_(j)) : 0.0;
  }
  for (int k = 0; k < K; ++k) {
    tau_out_ms_(k) = net.tau_out_ms * factor(rng, p.neuron.tau_sigma);
    kappa_(k) = std::exp(-dt / tau_out_ms_(k));
    c_(k) = net.readout_scaling == fl::Scaling::One ? 1.0 : 1.0 - kappa_(k);
  }
  in_.stream = 1;
  rec_.stream = 2;
  out_.stream = 3;
}

// The fixed pattern of a tile comes from its own stream of the mismatch seed, drawn when the tile
// is first programmed (a core built only to inspect its neurons does not draw n_rec^2 devices).
void Core::draw_tile(Tile& t, int rows, int cols) const {
  if (t.d_pos.rows() == rows && t.d_pos.cols() == cols) return;
  tasks::Rng rng(p_.mismatch_seed ^ (0x9E3779B97F4A7C15ULL * t.stream));
  t.d_pos.resize(rows, cols);
  t.d_neg.resize(rows, cols);
  t.nu_pos.resize(rows, cols);
  t.nu_neg.resize(rows, cols);
  const double s = p_.synapse.mismatch_sigma;
  auto nu = [&] {
    const double n = rng.normal();
    const double d = p_.synapse.drift_nu_sigma * n;
    return std::max(0.0, p_.synapse.drift_nu + d);
  };
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      t.d_pos(r, c) = factor(rng, s);
      t.d_neg(r, c) = factor(rng, s);
      t.nu_pos(r, c) = nu();
      t.nu_neg(r, c) = nu();
    }
  }
}

double Core::device(double g) {
  const int L = p_.synapse.levels;
  if (L >= 2) g = std::nearbyint(g * (L - 1)) / (L - 1);
  if (p_.synapse.programming_noise > 0) {
    const double x2 = g * g;
    const double poly = kProgC0 + kProgC1 * g + kProgC2 * x2;
    const double sigma = p_.synapse.programming_noise * std::max(poly, 0.0) / kGmaxUs;
    const double n = noise_.normal();
    const double e = sigma * n;
    g = std::max(0.0, g + e);
  }
  return g;
}

MatrixXd Core::program_tile(const MatrixXd& w, Tile& t, bool zero_diagonal) {
  draw_tile(t, int(w.rows()), int(w.cols()));
  const double wmax = w.cwiseAbs().maxCoeff();
  t.w_max = wmax > 0 ? wmax : 1.0;
  const SynapseParams& sp = p_.synapse;
  const bool drift = sp.drift_t_s != sp.drift_t0_s;
  const double ratio = sp.drift_t_s / sp.drift_t0_s;
  MatrixXd out(w.rows(), w.cols());
  double sum0 = 0.0, sum_t = 0.0;
  for (Eigen::Index c = 0; c < w.cols(); ++c) {
    for (Eigen::Index r = 0; r < w.rows(); ++r) {
      if (zero_diagonal && r == c) {
        out(r, c) = 0.0;
        continue;
      }
      const double u = w(r, c) / t.w_max;
      double gp = device(std::max(u, 0.0));
      double gm = device(std::max(-u, 0.0));
      gp *= t.d_pos(r, c);
      gm *= t.d_neg(r, c);
      if (drift) {
        sum0 += gp + gm;
        gp *= std::pow(ratio, -t.nu_pos(r, c));
        gm *= std::pow(ratio, -t.nu_neg(r, c));
        sum_t += gp + gm;
      }
      out(r, c) = gp - gm;
    }
  }
  const double comp = drift && sp.drift_compensation && sum_t > 0 ? sum0 / sum_t : 1.0;
  counters_.device_writes += 2.0 * double(w.size() - (zero_diagonal ? w.rows() : 0));
  return (t.w_max * comp) * out;
}

void Core::program(const fl::Weights& w) {
  fl::check_shapes(nominal_, w);
  eff_.w_in = program_tile(w.w_in, in_, false);
  eff_.w_rec = program_tile(w.w_rec, rec_, true);
  eff_.w_out = program_tile(w.w_out, out_, false);
  eff_.b_fb = w.b_fb;  // feedback lives on the host
  counters_.programmings += 1;
  programmed_ = true;
}

void Core::step(const Eigen::Ref<const MatrixXd>& x_t, int s, fl::State& obs) {
  if (!programmed_) throw std::logic_error("analog core: step() before program()");
  const fl::Neurons& n = nominal_;
  const int R = n.n_rec, K = n.n_out;
  const Eigen::Index B = x_t.cols();
  if (s == 0 || v_.cols() != B) {
    v_.setZero(R, B);
    a_.setZero(R, B);
    z_.setZero(R, B);
    y_.setZero(K, B);
    r_.setZero(R, B);
    input_.setZero(R, B);
    ro_.setZero(K, B);
    obs.reset(n, int(B));
    counters_.sequences += double(B);
  }
  // DAC on the inputs.
  x_dac_.resize(x_t.rows(), B);
  double in_events = 0.0;
  for (Eigen::Index b = 0; b < B; ++b) {
    for (Eigen::Index i = 0; i < x_t.rows(); ++i) {
      double x = x_t(i, b);
      if (x != 0.0) {
        in_events += 1.0;
        if (p_.dac.noise > 0) x += p_.dac.noise * p_.dac.bound * noise_.normal();
      }
      x_dac_(i, b) = Core::convert(x, p_.dac.bits, p_.dac.bound);
    }
  }
  const double z_events = z_.sum();  // z(t-1) are 0/1
  counters_.steps += double(B);
  counters_.input_events += in_events;
  counters_.synaptic_events += (in_events + z_events) * R;
  counters_.neuron_updates += double(R) * B;
  counters_.readout_updates += double(K) * B;

  input_.setZero();
  const bool drop = n.discard_input_at_step0 && s == 0;
  if (!drop) {
    fl::add_sparse_product(eff_.w_in, x_dac_, input_);
    fl::add_sparse_product(eff_.w_rec, z_, input_);
  }
  const double read = p_.synapse.read_noise;
  const double noise = p_.neuron.noise;
  for (Eigen::Index b = 0; b < B; ++b) {
    double read_sd = 0.0;
    if (read > 0 && !drop) {
      const double xin = in_.w_max * x_dac_.col(b).norm();
      const double xrec = rec_.w_max * z_.col(b).norm();
      read_sd = read * std::sqrt(xin * xin + xrec * xrec);
    }
    for (int j = 0; j < R; ++j) {
      double I = input_(j, b);
      if (read_sd > 0) I += read_sd * noise_.normal();
      const double z_prev = z_(j, b);
      const double thr = thr_(j);
      double& v = v_(j, b);
      double& a = a_(j, b);
      v = alpha_(j) * v + zeta_(j) * (gain_(j) * I) - thr * z_prev;
      if (noise > 0) v += noise * n.thr(j) * noise_.normal();
      a = rho_(j) * a + z_prev;
      const double A = thr + n.beta(j) * a;
      int& r = r_(j, b);
      if (r > 0) --r;
      const bool refractory = r > 0;
      const bool spike = !refractory && (n.spike_at_threshold ? v >= A : v > A);
      z_(j, b) = spike ? 1.0 : 0.0;
      if (spike) r = n.n_ref(j);
    }
  }
  // Readouts: leaky integrators fed by the W_out tile.
  ro_.setZero();
  fl::add_sparse_product(eff_.w_out, z_, ro_);
  const double z_now = z_.sum();
  counters_.synaptic_events += z_now * K;
  if (read > 0) {
    for (Eigen::Index b = 0; b < B; ++b) {
      const double sd = read * out_.w_max * z_.col(b).norm();
      if (sd > 0) {
        for (int k = 0; k < K; ++k) ro_(k, b) += sd * noise_.normal();
      }
    }
  }
  for (Eigen::Index b = 0; b < B; ++b) {
    for (int k = 0; k < K; ++k) {
      y_(k, b) *= kappa_(k);
      if (c_(k) == 1.0) {
        y_(k, b) += ro_(k, b);
      } else {
        y_(k, b) += c_(k) * ro_(k, b);
      }
    }
  }

  // ---- observation ----
  counters_.readout_conversions += double(K) * B;
  const double ymax = out_.w_max;
  for (Eigen::Index b = 0; b < B; ++b) {
    for (int k = 0; k < K; ++k) {
      double y = y_(k, b);
      if (p_.adc.noise > 0) y += p_.adc.noise * ymax * noise_.normal();
      obs.y(k, b) = p_.adc.bits > 0 ? Core::convert(y / ymax, p_.adc.bits, p_.adc.bound) * ymax : y;
    }
  }
  if (observe_membrane_) counters_.membrane_conversions += double(R) * B;
  for (Eigen::Index b = 0; b < B; ++b) {
    for (int j = 0; j < R; ++j) {
      const double thr = n.thr(j);
      const double z_prev = obs.z(j, b);
      // The membrane ADC converts the comparator input v - A of the core (distance to its own
      // threshold), the quantity the pseudo-derivative needs.
      double d = v_(j, b) - (thr_(j) + n.beta(j) * a_(j, b));
      if (observe_membrane_) {
        if (p_.membrane_adc.noise > 0) d += p_.membrane_adc.noise * thr * noise_.normal();
        if (p_.membrane_adc.bits > 0) {
          d = Core::convert(d / thr, p_.membrane_adc.bits, p_.membrane_adc.bound) * thr;
        }
      }
      double& a = obs.a(j, b);
      a = n.rho(j) * a + z_prev;
      const double A = thr + n.beta(j) * a;
      obs.v(j, b) = observe_membrane_ ? A + d : v_(j, b);
      int& r = obs.r(j, b);
      if (r > 0) --r;
      const bool refractory = r > 0;
      const double z = z_(j, b);
      obs.z(j, b) = z;
      if (z != 0.0) r = n.n_ref(j);
      obs.psi(j, b) = refractory ? 0.0 : n.gamma / thr * std::max(0.0, 1.0 - std::abs(d) / thr);
    }
  }
  obs.input = input_;
}

fl::ForwardStep Core::forward() {
  return [this](const Eigen::Ref<const MatrixXd>& x_t, int s, fl::State& st) { step(x_t, s, st); };
}

}  // namespace eligo::analog
