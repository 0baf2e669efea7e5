#include "golden_model/float/lsnn.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "golden_model/tasks/rng.hpp"

namespace eligo::fl {

namespace {

double scaling_factor(Scaling s, double decay) { return s == Scaling::One ? 1.0 : 1.0 - decay; }

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("network: " + what);
}

void fill_population(Neurons& n, int first, const PopulationParams& p, bool alif, double dt,
                     Scaling input_scaling) {
  const double alpha = std::exp(-dt / p.tau_m_ms);
  const double rho = alif ? std::exp(-dt / p.tau_a_ms) : 0.0;
  for (int j = first; j < first + p.n; ++j) {
    n.alpha(j) = alpha;
    n.zeta(j) = scaling_factor(input_scaling, alpha);
    n.rho(j) = rho;
    n.beta(j) = alif ? p.beta : 0.0;
    n.thr(j) = p.thr;
    n.n_ref(j) = p.n_ref;
  }
}

}  // namespace

Neurons Neurons::from(const NetworkParams& p) {
  require(p.n_in >= 1, "n_in must be >= 1");
  require(p.n_out >= 1, "n_out must be >= 1");
  require(p.lif.n >= 0 && p.alif.n >= 0 && p.n_rec() >= 1, "lif.n + alif.n must be >= 1");
  require(p.dt_ms > 0, "dt_ms must be > 0");
  require(p.tau_out_ms > 0, "readout tau_ms must be > 0");
  for (const auto* pop : {&p.lif, &p.alif}) {
    require(pop->tau_m_ms > 0, "tau_m_ms must be > 0");
    require(pop->thr > 0, "thr must be > 0");
    require(pop->n_ref >= 0, "n_ref must be >= 0");
  }
  require(p.alif.n == 0 || p.alif.tau_a_ms > 0, "alif.tau_a_ms must be > 0");
  require(p.sigmoid_width > 0, "sigmoid_width must be > 0");

  Neurons n;
  n.n_in = p.n_in;
  n.n_rec = p.n_rec();
  n.n_out = p.n_out;
  n.n_lif = p.lif.n;
  n.dt_ms = p.dt_ms;
  n.alpha.resize(n.n_rec);
  n.zeta.resize(n.n_rec);
  n.rho.resize(n.n_rec);
  n.beta.resize(n.n_rec);
  n.thr.resize(n.n_rec);
  n.n_ref.resize(n.n_rec);
  fill_population(n, 0, p.lif, false, p.dt_ms, p.input_scaling);
  fill_population(n, p.lif.n, p.alif, true, p.dt_ms, p.input_scaling);
  n.kappa = std::exp(-p.dt_ms / p.tau_out_ms);
  n.c = scaling_factor(p.readout_scaling, n.kappa);
  n.gamma = p.gamma;
  n.spike_at_threshold = p.spike_at_threshold;
  n.discard_input_at_step0 = p.discard_input_at_step0;
  n.spike_fn = p.spike_fn;
  n.sigmoid_width = p.sigmoid_width;
  return n;
}

void State::reset(const Neurons& n, int batch) {
  v.setZero(n.n_rec, batch);
  a.setZero(n.n_rec, batch);
  z.setZero(n.n_rec, batch);
  psi.setZero(n.n_rec, batch);
  input.setZero(n.n_rec, batch);
  r.setZero(n.n_rec, batch);
  y.setZero(n.n_out, batch);
}

void add_sparse_product(const Eigen::Ref<const MatrixXd>& W, const Eigen::Ref<const MatrixXd>& P,
                        Eigen::Ref<MatrixXd> out) {
  for (Eigen::Index b = 0; b < P.cols(); ++b) {
    for (Eigen::Index i = 0; i < P.rows(); ++i) {
      const double p = P(i, b);
      if (p != 0.0) out.col(b).noalias() += p * W.col(i);
    }
  }
}

void step(const Neurons& n, const Weights& w, const Eigen::Ref<const MatrixXd>& x_t, int s,
          State& st) {
  const Eigen::Index B = st.v.cols();
  st.input.setZero();
  if (!(n.discard_input_at_step0 && s == 0)) {
    add_sparse_product(w.w_in, x_t, st.input);
    add_sparse_product(w.w_rec, st.z, st.input);
  }
  const bool sigmoid = n.spike_fn == SpikeFn::Sigmoid;
  for (Eigen::Index b = 0; b < B; ++b) {
    for (int j = 0; j < n.n_rec; ++j) {
      const double z_prev = st.z(j, b);
      const double thr = n.thr(j);
      double& v = st.v(j, b);
      double& a = st.a(j, b);
      v = n.alpha(j) * v + n.zeta(j) * st.input(j, b) - thr * z_prev;
      a = n.rho(j) * a + z_prev;
      const double A = thr + n.beta(j) * a;
      if (sigmoid) {
        const double scale = thr * n.sigmoid_width;
        const double z = 1.0 / (1.0 + std::exp(-(v - A) / scale));
        st.z(j, b) = z;
        st.psi(j, b) = z * (1.0 - z) / scale;
        continue;
      }
      int& r = st.r(j, b);
      if (r > 0) --r;
      const bool refractory = r > 0;
      const bool spike = !refractory && (n.spike_at_threshold ? v >= A : v > A);
      st.z(j, b) = spike ? 1.0 : 0.0;
      if (spike) r = n.n_ref(j);
      st.psi(j, b) =
          refractory ? 0.0 : n.gamma / thr * std::max(0.0, 1.0 - std::abs(v - A) / thr);
    }
  }
  st.y *= n.kappa;
  if (n.c == 1.0) {
    add_sparse_product(w.w_out, st.z, st.y);
  } else {
    MatrixXd ro = MatrixXd::Zero(n.n_out, B);
    add_sparse_product(w.w_out, st.z, ro);
    st.y += n.c * ro;
  }
}

Weights init_weights(const Neurons& n, uint64_t seed, double w_in_scale, double w_rec_scale,
                     double w_out_scale, double b_scale) {
  tasks::Rng rng(seed);
  auto gauss = [&rng](int rows, int cols, double scale) {
    MatrixXd m(rows, cols);
    for (int j = 0; j < rows; ++j)
      for (int i = 0; i < cols; ++i) m(j, i) = scale * rng.normal();
    return m;
  };
  Weights w;
  w.w_in = gauss(n.n_rec, n.n_in, w_in_scale / std::sqrt(double(n.n_in)));
  w.w_rec = gauss(n.n_rec, n.n_rec, w_rec_scale / std::sqrt(double(n.n_rec)));
  w.w_rec.diagonal().setZero();
  w.w_out = gauss(n.n_out, n.n_rec, w_out_scale / std::sqrt(double(n.n_rec)));
  w.b_fb = gauss(n.n_rec, n.n_out, b_scale / std::sqrt(double(n.n_rec)));
  return w;
}

void check_shapes(const Neurons& n, const Weights& w) {
  auto expect = [](const MatrixXd& m, int rows, int cols, const char* name) {
    if (m.rows() != rows || m.cols() != cols) {
      throw std::invalid_argument(std::string(name) + ": expected shape (" + std::to_string(rows) +
                                  ", " + std::to_string(cols) + "), got (" +
                                  std::to_string(m.rows()) + ", " + std::to_string(m.cols()) + ")");
    }
  };
  expect(w.w_in, n.n_rec, n.n_in, "W_in");
  expect(w.w_rec, n.n_rec, n.n_rec, "W_rec");
  expect(w.w_out, n.n_out, n.n_rec, "W_out");
  expect(w.b_fb, n.n_rec, n.n_out, "B");
  for (int j = 0; j < n.n_rec; ++j) {
    if (w.w_rec(j, j) != 0.0) {
      throw std::invalid_argument("W_rec: diagonal must be zero (no autapses), W_rec[" +
                                  std::to_string(j) + "," + std::to_string(j) + "] = " +
                                  std::to_string(w.w_rec(j, j)));
    }
  }
}

}  // namespace eligo::fl

namespace eligo::fl {

Recording record_sequence(const Neurons& n, const Weights& w, const tasks::Batch& batch, int b) {
  const int T = batch.T;
  Recording rec;
  rec.x.resize(n.n_in, T);
  rec.z.resize(n.n_rec, T);
  rec.v.resize(n.n_rec, T);
  rec.y.resize(n.n_out, T);
  rec.target.resize(n.n_out, T);
  State st;
  st.reset(n, batch.B);
  tasks::StepReader in(batch);
  for (int t = 0; t < T; ++t) {
    in.read(t);
    step(n, w, in.x(), t, st);
    rec.x.col(t) = in.x().col(b);
    rec.z.col(t) = st.z.col(b);
    rec.v.col(t) = st.v.col(b);
    rec.y.col(t) = st.y.col(b);
    rec.target.col(t) = in.target().col(b);
  }
  return rec;
}

}  // namespace eligo::fl
