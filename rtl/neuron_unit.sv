// Neuron update of one lane (combinational), phase NEU. Twin: golden_model/chip/neuron_unit.cpp,
// whose header states the equations; every sum saturates (fx::sat), every product is rounded
// (fx::rnd).
module neuron_unit (
  input  logic [eligo_pkg::MEM_STATE_BITS-1:0] state_i,     // {z, r, a, v} of the previous timestep
  input  logic [eligo_pkg::ACC_BITS-1:0]       acc_i,       // synaptic input accumulator (ACC)
  input  logic                      en_i,        // the chunk is written this cycle (NEU)
  input  logic                      is_alif_i,
  input  logic                      spike_ge_i,  // z = v >= A (else v > A)
  input  logic [eligo_pkg::COEF_BITS-1:0]      alpha_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]      zeta_i,
  input  logic [eligo_pkg::V_BITS-1:0]         thr_i,
  input  logic [eligo_pkg::INV_THR_BITS-1:0]   inv_thr_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]      psi_scale_i,
  input  logic [eligo_pkg::REF_BITS-1:0]       n_ref_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]      rho_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]      beta_i,
  output logic [eligo_pkg::MEM_STATE_BITS-1:0] state_o,
  output logic [eligo_pkg::PSI_BITS-1:0]       psi_o,
  output logic                      spike_o
);

  localparam int AToV = eligo_pkg::COEF_FRAC + eligo_pkg::A_FRAC - eligo_pkg::V_FRAC;
  localparam int PsiShift = eligo_pkg::V_FRAC + eligo_pkg::COEF_FRAC - eligo_pkg::PSI_FRAC;

  // The whole update as one automatic function: its temporaries are local to each call, so the
  // always_comb below reads nothing that it writes (Icarus re-triggers a block on its own
  // intermediate variables).
  localparam int OutBits = eligo_pkg::MEM_STATE_BITS + eligo_pkg::PSI_BITS + 1;

  function automatic logic [OutBits-1:0] update(
      input logic [eligo_pkg::MEM_STATE_BITS-1:0] state, input logic [eligo_pkg::ACC_BITS-1:0] acc,
      input logic is_alif, input logic spike_ge, input logic [eligo_pkg::COEF_BITS-1:0] alpha,
      input logic [eligo_pkg::COEF_BITS-1:0] zeta, input logic [eligo_pkg::V_BITS-1:0] thr_raw,
      input logic [eligo_pkg::INV_THR_BITS-1:0] inv_thr, input logic [eligo_pkg::COEF_BITS-1:0] psi_scale,
      input logic [eligo_pkg::REF_BITS-1:0] n_ref, input logic [eligo_pkg::COEF_BITS-1:0] rho,
      input logic [eligo_pkg::COEF_BITS-1:0] beta);
    logic signed [63:0] v_old, a_old, r_old, thr, v_new, a_new, big_a, d, h, psi, r_new;
    logic z_old, refractory, spike;
    v_old = fx::sext(64'(state[eligo_pkg::V_BITS-1:0]), eligo_pkg::V_BITS);
    a_old = fx::zext(64'(state[eligo_pkg::V_BITS +: eligo_pkg::A_BITS]), eligo_pkg::A_BITS);
    r_old = fx::zext(64'(state[eligo_pkg::V_BITS + eligo_pkg::A_BITS +: eligo_pkg::REF_BITS]), eligo_pkg::REF_BITS);
    z_old = state[eligo_pkg::V_BITS + eligo_pkg::A_BITS + eligo_pkg::REF_BITS];
    thr = fx::sext(64'(thr_raw), eligo_pkg::V_BITS);
    v_new = fx::sat(fx::rnd(fx::zext(64'(alpha), eligo_pkg::COEF_BITS) * v_old, eligo_pkg::COEF_FRAC) +
                    fx::rnd(fx::zext(64'(zeta), eligo_pkg::COEF_BITS) * fx::sext(64'(acc), eligo_pkg::ACC_BITS),
                            eligo_pkg::COEF_FRAC) - (z_old ? thr : 64'sd0), eligo_pkg::V_BITS, eligo_pkg::V_SIGNED);
    a_new = a_old;
    big_a = thr;
    if (is_alif) begin
      a_new = fx::sat(fx::rnd(fx::zext(64'(rho), eligo_pkg::COEF_BITS) * a_old, eligo_pkg::COEF_FRAC) +
                      (z_old ? (64'sd1 <<< eligo_pkg::A_FRAC) : 64'sd0), eligo_pkg::A_BITS, eligo_pkg::A_SIGNED);
      big_a = fx::sat(thr + fx::rnd(fx::zext(64'(beta), eligo_pkg::COEF_BITS) * a_new, AToV), eligo_pkg::V_BITS,
                      eligo_pkg::V_SIGNED);
    end
    r_new = (r_old > 64'sd0) ? r_old - 64'sd1 : 64'sd0;
    refractory = r_new > 64'sd0;
    spike = !refractory && (spike_ge ? (v_new >= big_a) : (v_new > big_a));
    if (spike) r_new = fx::zext(64'(n_ref), eligo_pkg::REF_BITS);
    d = (v_new >= big_a) ? v_new - big_a : big_a - v_new;
    h = (64'sd1 <<< eligo_pkg::V_FRAC) -
        fx::rnd(d * fx::zext(64'(inv_thr), eligo_pkg::INV_THR_BITS), eligo_pkg::INV_THR_FRAC);
    if (h < 64'sd0) h = 64'sd0;
    psi = refractory ? 64'sd0
                     : fx::sat(fx::rnd(h * fx::zext(64'(psi_scale), eligo_pkg::COEF_BITS), PsiShift),
                               eligo_pkg::PSI_BITS, eligo_pkg::PSI_SIGNED);
    update = {spike, psi[eligo_pkg::PSI_BITS-1:0], spike, r_new[eligo_pkg::REF_BITS-1:0],
              a_new[eligo_pkg::A_BITS-1:0], v_new[eligo_pkg::V_BITS-1:0]};
  endfunction

  // Operand isolation: the update is evaluated only in the cycles whose result is written (en_i,
  // NEU); otherwise the outputs are held at 0, so the datapath does not switch in the other phases
  // (dynamic power) and a simulator skips it. The outputs are used only when en_i is set.
  // (A default, then the enabled computation: an if/else of one assignment each would be turned
  // into a select of both by Verilator, which then evaluates the update anyway.)
  always @* begin
    {spike_o, psi_o, state_o} = '0;
    if (en_i) begin
      {spike_o, psi_o, state_o} = update(state_i, acc_i, is_alif_i, spike_ge_i, alpha_i, zeta_i, thr_i,
                                         inv_thr_i, psi_scale_i, n_ref_i, rho_i, beta_i);
    end
  end

endmodule
