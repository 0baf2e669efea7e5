#include "golden_model/float/bptt.hpp"

#include "golden_model/float/objective.hpp"

namespace eligo::fl {

void add_sparse_outer(Eigen::Ref<MatrixXd> G, const Eigen::Ref<const MatrixXd>& D,
                      const Eigen::Ref<const MatrixXd>& P) {
  for (Eigen::Index c = 0; c < P.cols(); ++c) {
    for (Eigen::Index i = 0; i < P.rows(); ++i) {
      const double p = P(i, c);
      if (p != 0.0) G.col(i).noalias() += p * D.col(c);
    }
  }
}

Gradients bptt_gradients(const Neurons& n, const Weights& w, const TrainParams& tp,
                         const tasks::Batch& batch, BpttWorkspace* workspace) {
  const int T = batch.T, B = batch.B;
  const Eigen::Index TB = Eigen::Index(T) * B;
  Objective obj(n, tp, batch);

  // Forward pass, keeping what the backward pass needs.
  BpttWorkspace local;
  BpttWorkspace& ws = workspace ? *workspace : local;
  ws.z.resize(n.n_rec, TB);
  ws.psi.resize(n.n_rec, TB);
  ws.err.resize(n.n_out, TB);
  ws.x.resize(n.n_in, TB);
  MatrixXd& Z = ws.z;
  MatrixXd& Psi = ws.psi;
  MatrixXd& Err = ws.err;
  MatrixXd& X = ws.x;
  State st;
  st.reset(n, B);
  MatrixXd err;
  tasks::StepReader in(batch);
  for (int t = 0; t < T; ++t) {
    in.read(t);
    step(n, w, in.x(), t, st);
    obj.count_spikes(st.z);
    obj.at_step(t, st.y, in.target(), err);
    X.middleCols(Eigen::Index(t) * B, B) = in.x();
    Z.middleCols(Eigen::Index(t) * B, B) = st.z;
    Psi.middleCols(Eigen::Index(t) * B, B) = st.psi;
    Err.middleCols(Eigen::Index(t) * B, B) = err;
  }
  const MatrixXd reg = obj.reg_coef();
  const bool has_reg = tp.c_reg != 0.0;

  // Backward pass; weight gradients accumulate step by step (inputs and spikes are sparse).
  Gradients g;
  g.w_in.setZero(n.n_rec, n.n_in);
  g.w_rec.setZero(n.n_rec, n.n_rec);
  g.w_out.setZero(n.n_out, n.n_rec);
  MatrixXd dy = MatrixXd::Zero(n.n_out, B), dz(n.n_rec, B), cdy(n.n_out, B);
  MatrixXd dv_next = MatrixXd::Zero(n.n_rec, B), da_next = MatrixXd::Zero(n.n_rec, B);
  MatrixXd zdv_next = MatrixXd::Zero(n.n_rec, B);
  const MatrixXd w_out_t = w.w_out.transpose();
  const MatrixXd w_rec_t = w.w_rec.transpose();
  const auto alpha = n.alpha.array(), rho = n.rho.array(), beta = n.beta.array();
  const auto zeta = n.zeta.array(), thr = n.thr.array();
  const int t_first_input = n.discard_input_at_step0 ? 1 : 0;
  for (int t = T - 1; t >= 0; --t) {
    const Eigen::Index col0 = Eigen::Index(t) * B;
    dy = Err.middleCols(col0, B) + n.kappa * dy;
    dz.noalias() = n.c * (w_out_t * dy);
    dz += da_next;
    if (has_reg) dz += reg;
    if (!tp.stop_z_gradient && t + 1 < T) {
      dz.noalias() += w_rec_t * zdv_next;
      dz -= (dv_next.array().colwise() * thr).matrix();
    }
    const auto psi = Psi.middleCols(col0, B).array();
    const Eigen::ArrayXXd psi_dz = psi * dz.array();
    dv_next = (psi_dz + dv_next.array().colwise() * alpha).matrix();
    da_next = ((-psi_dz).colwise() * beta + da_next.array().colwise() * rho).matrix();
    zdv_next = (dv_next.array().colwise() * zeta).matrix();
    // dW_in += zeta dv(t) x(t)^T, dW_rec += zeta dv(t) z(t-1)^T, dW_out += c dy(t) z(t)^T
    if (t >= t_first_input) add_sparse_outer(g.w_in, zdv_next, X.middleCols(col0, B));
    if (t >= 1) add_sparse_outer(g.w_rec, zdv_next, Z.middleCols(col0 - B, B));
    cdy = n.c * dy;
    add_sparse_outer(g.w_out, cdy, Z.middleCols(col0, B));
  }
  g.w_rec.diagonal().setZero();
  obj.finish(g);
  return g;
}

}  // namespace eligo::fl
