// Learning unit: learning signals (LRN), readout traces and gradients (OGR) and the weight update
// (UPD), Lanes in parallel, with one update LFSR per lane. Combinational except the LFSRs. Twin:
// golden_model/chip/learn_unit.cpp, whose header states the equations; every sum saturates
// (fx::sat), every product is rounded (fx::rnd), the weight update rounds stochastically.
//   LRN: err_k = sat_ERR(y_k - y*_k) for a chunk of readouts; and the learning signal of one
//        neuron over a chunk of readouts: lsig_o = lsig_i + B_jk err_k, lane by lane in order.
//   OGR: zbar of a chunk of neurons; the readout gradients of one neuron over a chunk of readouts.
//   UPD: delta = rnd(G LR_MANT, max(LR_SHIFT, UPD.frac) - UPD.frac) (weight LSBs with UPD.frac
//        fraction bits; with CTRL.UPD_SIGN, G is replaced by sign(G) 2^G.frac) and the plain (not DEEP R) update of a chunk of weight words; DEEP R words
//        come from rewire_unit.
module learn_unit #(
  parameter int Lanes = 4
) (
  input  logic                                    clk_i,
  input  logic                                    rst_ni,
  // Operand isolation enables: each group of outputs is evaluated only in the cycles that use it
  // (the retiring chunk's kind, eligo_core) and held at 0 otherwise.
  input  logic                                    err_en_i,   // LRN: err_o (RT_LRN_ERR)
  input  logic                                    lsig_en_i,  // LRN: lsig_o (RT_LRN_SIG)
  input  logic                                    zbar_en_i,  // OGR: zbar_o (RT_OGR_ZBAR)
  input  logic                                    ogr_en_i,   // OGR: ogr_grad_o (RT_OGR_GRAD)
  input  logic                                    upd_en_i,   // UPD: delta_o, w_plain_o, draw_o (RT_UPD)
  // LRN
  input  logic [Lanes*eligo_pkg::Y_BITS-1:0]      y_i,
  input  logic [Lanes*eligo_pkg::Y_BITS-1:0]      target_i,
  input  logic                                    err_clamp_i,  // err = clamp(y, lo, hi) - target
  input  logic [eligo_pkg::Y_BITS-1:0]            err_lo_i,
  input  logic [eligo_pkg::Y_BITS-1:0]            err_hi_i,
  output logic [Lanes*eligo_pkg::ERR_BITS-1:0]    err_o,
  input  logic [eligo_pkg::LSIG_BITS-1:0]         lsig_i,
  input  logic [Lanes-1:0]                        lanes_i,
  input  logic                                    fb_symmetric_i,
  input  logic [Lanes*eligo_pkg::B_BITS-1:0]      b_i,        // B_FB words
  input  logic [Lanes*eligo_pkg::WORD_BITS-1:0]   w_out_i,    // W_OUT words (FB_SYMMETRIC)
  input  logic [Lanes*eligo_pkg::ERR_BITS-1:0]    err_i,      // err of the chunk's readouts
  output logic [eligo_pkg::LSIG_BITS-1:0]         lsig_o,
  // OGR
  input  logic [Lanes*eligo_pkg::ZBAR_BITS-1:0]   zbar_i,
  input  logic [Lanes-1:0]                        z_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]         kappa_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]         c_i,
  output logic [Lanes*eligo_pkg::ZBAR_BITS-1:0]   zbar_o,
  input  logic [eligo_pkg::ZBAR_BITS-1:0]         zb_i,       // zbar of the neuron
  input  logic [Lanes*eligo_pkg::G_BITS-1:0]      grad_i,
  output logic [Lanes*eligo_pkg::G_BITS-1:0]      ogr_grad_o,
  // UPD
  input  logic                                    upd_sign_i,   // the step uses sign(G), |G| as 1.0
  input  logic [eligo_pkg::LR_MANT_BITS-1:0]      lr_mant_i,
  input  logic [eligo_pkg::LR_SHIFT_BITS-1:0]     lr_shift_i,
  output logic [Lanes*64-1:0]                     delta_o,    // of grad_i
  input  logic [Lanes*eligo_pkg::WORD_BITS-1:0]   w_i,
  output logic [Lanes*eligo_pkg::WORD_BITS-1:0]   w_plain_o,
  // Update LFSRs (lane l starts at SEED_UPD ^ lane_salt(l))
  input  logic                                    seed_load_i,
  input  logic [31:0]                             seed_i,
  input  logic [Lanes-1:0]                        draw_next_i,
  output logic [Lanes*32-1:0]                     draw_o
);

  localparam int YB = eligo_pkg::Y_BITS, ErrB = eligo_pkg::ERR_BITS, ErrF = eligo_pkg::ERR_FRAC;
  localparam int LB = eligo_pkg::LSIG_BITS, LF = eligo_pkg::LSIG_FRAC;
  localparam int BB = eligo_pkg::B_BITS, BF = eligo_pkg::B_FRAC;
  localparam int ZB = eligo_pkg::ZBAR_BITS, ZF = eligo_pkg::ZBAR_FRAC;
  localparam int CB = eligo_pkg::COEF_BITS, CF = eligo_pkg::COEF_FRAC;
  localparam int GB = eligo_pkg::G_BITS, GF = eligo_pkg::G_FRAC;
  localparam int WB = eligo_pkg::WORD_BITS, WF = eligo_pkg::W_MAG_FRAC, WMB = eligo_pkg::W_MAG_BITS;
  localparam int UF = eligo_pkg::UPD_FRAC;

  // err = sat(y - target), with y first clamped to [lo, hi] when `clamp` (the readout's
  // activation in the error only; y itself is not changed).
  function automatic logic [ErrB-1:0] err(input logic [YB-1:0] y, input logic [YB-1:0] t, input logic clamp,
                                          input logic [YB-1:0] lo, input logic [YB-1:0] hi);
    logic signed [63:0] r, v;
    v = fx::sext(64'(y), YB);
    if (clamp) begin
      if (v < fx::sext(64'(lo), YB)) v = fx::sext(64'(lo), YB);
      if (v > fx::sext(64'(hi), YB)) v = fx::sext(64'(hi), YB);
    end
    r = fx::sat(v - fx::sext(64'(t), YB), ErrB, eligo_pkg::ERR_SIGNED);
    err = r[ErrB-1:0];
  endfunction

  // B_jk of a lane: the B_FB word, or the W_OUT word scaled to B.
  function automatic logic signed [63:0] b_value(input logic sym, input logic [BB-1:0] b, input logic [WB-1:0] w);
    b_value = sym ? fx::sat(fx::weight_value(w) <<< (BF - WF), BB, eligo_pkg::B_SIGNED) : fx::sext(64'(b), BB);
  endfunction

  function automatic logic [LB-1:0] lsig_chain(input logic [LB-1:0] l0, input logic [Lanes-1:0] lanes,
                                              input logic sym, input logic [Lanes*BB-1:0] bs,
                                              input logic [Lanes*WB-1:0] ws, input logic [Lanes*ErrB-1:0] es);
    logic signed [63:0] l;
    l = fx::sext(64'(l0), LB);
    for (int k = 0; k < Lanes; k++) begin
      if (lanes[k]) begin
        l = fx::sat(l + fx::rnd(b_value(sym, bs[k*BB +: BB], ws[k*WB +: WB]) * fx::sext(64'(es[k*ErrB +: ErrB]), ErrB),
                               BF + ErrF - LF), LB, eligo_pkg::LSIG_SIGNED);
      end
    end
    lsig_chain = l[LB-1:0];
  endfunction

  function automatic logic [ZB-1:0] zbar(input logic [ZB-1:0] zb, input logic z, input logic [CB-1:0] kappa,
                                        input logic [CB-1:0] c);
    logic signed [63:0] r;
    r = fx::sat(fx::rnd(fx::zext(64'(kappa), CB) * fx::zext(64'(zb), ZB), CF) +
                (z ? fx::rnd(fx::zext(64'(c), CB), CF - ZF) : 64'sd0), ZB, eligo_pkg::ZBAR_SIGNED);
    zbar = r[ZB-1:0];
  endfunction

  function automatic logic [GB-1:0] out_grad(input logic [GB-1:0] g, input logic [ErrB-1:0] e, input logic [ZB-1:0] zb);
    logic signed [63:0] r;
    r = fx::sat(fx::sext(64'(g), GB) + fx::rnd(fx::sext(64'(e), ErrB) * fx::zext(64'(zb), ZB), ErrF + ZF - GF), GB,
                eligo_pkg::G_SIGNED);
    out_grad = r[GB-1:0];
  endfunction

  // With `sign`, G is replaced by sign(G) 2^G.frac (1.0 in G): a step of the rate itself.
  function automatic logic signed [63:0] delta(input logic [GB-1:0] g, input logic sign,
                                               input logic [eligo_pkg::LR_MANT_BITS-1:0] mant,
                                               input logic [eligo_pkg::LR_SHIFT_BITS-1:0] shift);
    integer s;
    logic signed [63:0] gv;
    s = (32'(shift) > UF ? 32'(shift) : UF) - UF;
    gv = fx::sext(64'(g), GB);
    if (sign) gv = gv > 64'sd0 ? (64'sd1 <<< GF) : (gv < 64'sd0 ? -(64'sd1 <<< GF) : 64'sd0);
    delta = fx::rnd(gv * fx::zext(64'(mant), eligo_pkg::LR_MANT_BITS), s);
  endfunction

  // w' = sr(w 2^UPD.frac - delta) saturated to +-W_MAG max; active, sign = (w' < 0).
  function automatic logic [WB-1:0] plain(input logic [WB-1:0] w, input logic signed [63:0] d, input logic [31:0] draw);
    logic signed [63:0] v, mag, hi;
    logic [WB-1:0] o;
    hi = (64'sd1 <<< WMB) - 64'sd1;
    v = fx::stochastic_round((fx::weight_value(w) <<< UF) - d, draw[UF-1:0]);
    v = v > hi ? hi : (v < -hi ? -hi : v);
    mag = v < 64'sd0 ? -v : v;
    o = '0;
    o[eligo_pkg::WORD_ACTIVE_BIT] = 1'b1;
    o[eligo_pkg::WORD_SIGN_BIT] = v < 64'sd0;
    o[eligo_pkg::WORD_MAG_LSB +: WMB] = mag[WMB-1:0];
    plain = o;
  endfunction

  // Operand isolation: every result is evaluated only in the cycles whose chunk uses it (its
  // enable) and held at 0 otherwise, so the adders and multipliers of the LRN, OGR and UPD lanes do
  // not switch in the other phases (dynamic power; most cycles are IN and REC) and a simulator
  // skips them. The outputs are used only in the cycles of their enables. (`always @*`: these
  // blocks pass delta_o on; see rtl/README.md on Icarus and always_comb.)
  // (Defaults, then the enabled lanes: Verilator turns an if/else of one assignment each into a
  // select of both, which evaluates the disabled side too.)
  always @* begin
    lsig_o = '0;
    err_o = '0;
    zbar_o = '0;
    ogr_grad_o = '0;
    if (lsig_en_i) lsig_o = lsig_chain(lsig_i, lanes_i, fb_symmetric_i, b_i, w_out_i, err_i);
    if (err_en_i) begin
      for (int l = 0; l < Lanes; l++) begin
        err_o[l*ErrB +: ErrB] = err(y_i[l*YB +: YB], target_i[l*YB +: YB], err_clamp_i, err_lo_i, err_hi_i);
      end
    end
    if (zbar_en_i) begin
      for (int l = 0; l < Lanes; l++) zbar_o[l*ZB +: ZB] = zbar(zbar_i[l*ZB +: ZB], z_i[l], kappa_i, c_i);
    end
    if (ogr_en_i) begin
      for (int l = 0; l < Lanes; l++) ogr_grad_o[l*GB +: GB] = out_grad(grad_i[l*GB +: GB], err_i[l*ErrB +: ErrB], zb_i);
    end
  end
  always @* begin
    delta_o = '0;
    if (upd_en_i) begin
      for (int l = 0; l < Lanes; l++) delta_o[l*64 +: 64] = delta(grad_i[l*GB +: GB], upd_sign_i, lr_mant_i, lr_shift_i);
    end
  end
  always @* begin
    w_plain_o = '0;
    if (upd_en_i) begin
      for (int l = 0; l < Lanes; l++) w_plain_o[l*WB +: WB] = plain(w_i[l*WB +: WB], delta_o[l*64 +: 64], draw_o[l*32 +: 32]);
    end
  end

  for (genvar l = 0; l < Lanes; l++) begin : g_lane
    lfsr #(.Salt(32'(64'h9E3779B9 * l))) u_lfsr (
      .clk_i, .rst_ni, .en_i(upd_en_i), .load_i(seed_load_i), .seed_i, .next_i(draw_next_i[l]),
      .draw_o(draw_o[l*32 +: 32])
    );
  end

endmodule
