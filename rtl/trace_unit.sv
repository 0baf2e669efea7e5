// Eligibility-trace unit (phase TRC), combinational, Lanes in parallel. Twin:
// golden_model/chip/trace_unit.cpp, whose header states the equations; every sum saturates
// (fx::sat), every product is rounded (fx::rnd).
//   Presynaptic pass: the EPSV words {eps_v ALIF, eps_v LIF} of Lanes sources and their event
//   counts (input events, or the previous timestep's spike) -> the new words.
//   Synapse pass: one chunk of a source row: the row's EPSV word, psi of each lane's neuron and
//   the lane's eps_a (ALIF lanes), ebar, L_j and G -> the new eps_a, ebar and G; with fact_i
//   (CTRL.TRC_FACT) every lane forms e as a LIF lane and G += L_j e (eps_a, ebar unused).
//   An adaptation block (CTRL.TRC_HOLD with CTRL.TRC_BLOCK) is the same pass with rho_i =
//   ALIF_RHO_BLK and psi_i the PSI word (the block's psi sum): eligo_core chooses rho_i, and the
//   sequencer writes eps_a only.
//   SynTraces = 0 (a core without EPSA and EBAR, eligo_core's parameter): factored traces only,
//   tied here (fact_i is then CTRL.TRC_FACT's constant 1, which a module-by-module synthesis does
//   not see), so the exact path (eps_a, ebar) is left out of the unit; epsa_o passes eps_a
//   through and ebar_o is 0 (neither is written: the memories do not exist).
module trace_unit #(
  parameter int Lanes = 4,
  parameter int SynTraces = 1
) (
  // Operand isolation enables: the presynaptic pass's outputs (epsv_o) are evaluated only with
  // pre_en_i (RT_TRC_PRE), the synapse pass's (epsa_o, ebar_o, grad_o) only with syn_en_i
  // (RT_TRC_SYN); both are held at 0 otherwise.
  input  logic                                    pre_en_i,
  input  logic                                    syn_en_i,
  input  logic [Lanes*2*eligo_pkg::EPSV_BITS-1:0] epsv_i,
  input  logic [Lanes*8-1:0]                      pre_n_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]         lif_alpha_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]         lif_zeta_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]         alif_alpha_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]         alif_zeta_i,
  output logic [Lanes*2*eligo_pkg::EPSV_BITS-1:0] epsv_o,

  input  logic [2*eligo_pkg::EPSV_BITS-1:0]       row_epsv_i,
  input  logic [Lanes-1:0]                        alif_i,
  input  logic [Lanes*eligo_pkg::PSI_BITS-1:0]    psi_i,
  input  logic [Lanes*eligo_pkg::EPSA_BITS-1:0]   epsa_i,
  input  logic [Lanes*eligo_pkg::EBAR_BITS-1:0]   ebar_i,
  input  logic [Lanes*eligo_pkg::LSIG_BITS-1:0]   lsig_i,
  input  logic [Lanes*eligo_pkg::G_BITS-1:0]      grad_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]         beta_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]         rho_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]         kappa_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]         c_i,
  input  logic                                    fact_i,
  output logic [Lanes*eligo_pkg::EPSA_BITS-1:0]   epsa_o,
  output logic [Lanes*eligo_pkg::EBAR_BITS-1:0]   ebar_o,
  output logic [Lanes*eligo_pkg::G_BITS-1:0]      grad_o
);

  localparam int CB = eligo_pkg::COEF_BITS, CF = eligo_pkg::COEF_FRAC;
  localparam int EVB = eligo_pkg::EPSV_BITS, EVF = eligo_pkg::EPSV_FRAC;
  localparam int EAB = eligo_pkg::EPSA_BITS, EAF = eligo_pkg::EPSA_FRAC;
  localparam int EB = eligo_pkg::E_BITS, EF = eligo_pkg::E_FRAC;
  localparam int EBB = eligo_pkg::EBAR_BITS, EBF = eligo_pkg::EBAR_FRAC;
  localparam int LB = eligo_pkg::LSIG_BITS, LF = eligo_pkg::LSIG_FRAC;
  localparam int GB = eligo_pkg::G_BITS, GF = eligo_pkg::G_FRAC;
  localparam int PB = eligo_pkg::PSI_BITS, PF = eligo_pkg::PSI_FRAC;
  localparam bit FactOnly = SynTraces == 0;

  // Function temporaries are 64 bits wide; only the destination format is kept.
  function automatic logic [EVB-1:0] next_epsv(input logic [CB-1:0] alpha, input logic [CB-1:0] zeta,
                                              input logic [EVB-1:0] ev, input logic [7:0] n);
    logic signed [63:0] r;
    r = fx::sat(fx::rnd(fx::zext(64'(alpha), CB) * fx::zext(64'(ev), EVB), CF) +
                fx::rnd(fx::zext(64'(zeta), CB) * fx::zext(64'(n), 8), CF - EVF), EVB, eligo_pkg::EPSV_SIGNED);
    next_epsv = r[EVB-1:0];
  endfunction

  // One synapse: {eps_a', ebar', G'}.
  function automatic logic [EAB+EBB+GB-1:0] synapse(
      input logic [EVB-1:0] ev, input logic alif, input logic [PB-1:0] psi_raw, input logic [EAB-1:0] ea_raw,
      input logic [EBB-1:0] eb_raw, input logic [LB-1:0] l_raw, input logic [GB-1:0] g_raw,
      input logic [CB-1:0] beta, input logic [CB-1:0] rho, input logic [CB-1:0] kappa, input logic [CB-1:0] c,
      input logic fact);
    logic signed [63:0] x, psi, ea, e, ea_new, eb_new, g_new;
    x = fx::zext(64'(ev), EVB) <<< (EF - EVF);
    psi = fx::zext(64'(psi_raw), PB);
    ea = fx::sext(64'(ea_raw), EAB);
    ea_new = ea;
    if (alif && !fact) begin
      x = fx::sat(x - fx::rnd(fx::zext(64'(beta), CB) * ea, CF + EAF - EF), EB, eligo_pkg::E_SIGNED);
      e = fx::sat(fx::rnd(psi * x, PF), EB, eligo_pkg::E_SIGNED);
      ea_new = fx::sat(fx::rnd(fx::zext(64'(rho), CB) * ea, CF) + fx::rnd(e, EF - EAF), EAB, eligo_pkg::EPSA_SIGNED);
    end else begin
      e = fx::sat(fx::rnd(psi * x, PF), EB, eligo_pkg::E_SIGNED);
    end
    eb_new = fx::sat(fx::rnd(fx::zext(64'(kappa), CB) * fx::sext(64'(eb_raw), EBB), CF) +
                     fx::rnd(fx::zext(64'(c), CB) * e, CF), EBB, eligo_pkg::EBAR_SIGNED);
    // ebar and e share their fraction bits (EBF = EF): factored traces accumulate e unfiltered.
    g_new = fx::sat(fx::sext(64'(g_raw), GB) + fx::rnd(fx::sext(64'(l_raw), LB) * (fact ? e : eb_new), LF + EBF - GF), GB,
                    eligo_pkg::G_SIGNED);
    synapse = {ea_new[EAB-1:0], eb_new[EBB-1:0], g_new[GB-1:0]};
  endfunction

  logic fact;
  assign fact = fact_i | FactOnly;

  // Operand isolation: each pass's lanes are evaluated only in the cycles that retire a chunk of
  // that pass (pre_en_i, syn_en_i) and held at 0 otherwise, so their multipliers do not switch in
  // the other phases (dynamic power) and a simulator skips them. The outputs are used only then.
  // (Defaults, then the enabled lanes: see neuron_unit.sv.)
  always @* begin
    epsv_o = '0;
    if (pre_en_i) begin
      for (int l = 0; l < Lanes; l++) begin
        epsv_o[(2*l)*EVB +: EVB] = next_epsv(lif_alpha_i, lif_zeta_i, epsv_i[(2*l)*EVB +: EVB], pre_n_i[l*8 +: 8]);
        epsv_o[(2*l+1)*EVB +: EVB] = next_epsv(alif_alpha_i, alif_zeta_i, epsv_i[(2*l+1)*EVB +: EVB], pre_n_i[l*8 +: 8]);
      end
    end
  end

  always @* begin
    epsa_o = '0;
    ebar_o = '0;
    grad_o = '0;
    if (syn_en_i) begin
      for (int l = 0; l < Lanes; l++) begin
        {epsa_o[l*EAB +: EAB], ebar_o[l*EBB +: EBB], grad_o[l*GB +: GB]} =
            synapse(alif_i[l] ? row_epsv_i[EVB +: EVB] : row_epsv_i[0 +: EVB], alif_i[l], psi_i[l*PB +: PB],
                    epsa_i[l*EAB +: EAB], ebar_i[l*EBB +: EBB], lsig_i[l*LB +: LB], grad_i[l*GB +: GB], beta_i, rho_i,
                    kappa_i, c_i, fact);
        if (FactOnly) ebar_o[l*EBB +: EBB] = '0;
      end
    end
  end

endmodule
