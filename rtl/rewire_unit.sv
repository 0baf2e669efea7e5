// Rewiring unit: DEEP R on W_IN and W_REC. Twin: golden_model/chip/rewire_unit.cpp, whose header
// states the rules.
//   UPD (combinational, Lanes in parallel): the DEEP R update of an active word with its delta
//   (learn_unit) and its lane's LFSR draw: L1 shrink, uniform noise, stochastic rounding, a
//   zero crossing turns the word dormant (a prune); the sign never changes.
//   RWR (sequential): after UPD at END_SAMPLE, re-activates dormant words until K are active in
//   W_IN, then in W_REC: up to MAX_PROBES random probes (one LFSR draw and one read each), then a
//   linear scan; one write per re-activation. start_i marks the phase's first cycle, which also
//   checks K (K_ERROR: K larger than the allowed words, or more than K active); done_o its last.
//   A probe address a = (r * depth) >> 32 is formed as row = (r * rows) >> 32 and
//   col = ((r * rows) mod 2^32 * NR) >> 32 (equal to a / NR and a mod NR, without a divider).
module rewire_unit #(
  parameter int NumIn = 40,
  parameter int NumRec = 40,
  parameter int Lanes = 4
) (
  input  logic                                   clk_i,
  input  logic                                   rst_ni,
  // UPD
  input  logic                                   upd_en_i,      // a DEEP R chunk retires (w_o, pruned_o used)
  input  logic [Lanes*eligo_pkg::WORD_BITS-1:0]  w_i,
  input  logic [Lanes*64-1:0]                    delta_i,
  input  logic [Lanes*32-1:0]                    draw_i,
  input  logic [eligo_pkg::UPD_BITS-1:0]         l1_i,
  input  logic [eligo_pkg::UPD_BITS-1:0]         noise_i,
  output logic [Lanes*eligo_pkg::WORD_BITS-1:0]  w_o,
  output logic [Lanes-1:0]                       pruned_o,
  // RWR
  input  logic                                   start_i,
  input  logic [31:0]                            k_in_i,
  input  logic [31:0]                            k_rec_i,
  input  logic [31:0]                            active_in_i,   // active words after the last UPD
  input  logic [31:0]                            active_rec_i,
  input  logic                                   seed_load_i,
  input  logic [31:0]                            seed_i,
  input  logic [eligo_pkg::WORD_BITS-1:0]        word_in_i,     // W_IN and W_REC words read last
  input  logic [eligo_pkg::WORD_BITS-1:0]        word_rec_i,    // cycle (the probe's is used)
  output logic                                   rd_o,          // probe read of word addr_o ...
  output logic                                   wr_o,          // ... or re-activation: write wdata_o
  output logic                                   rec_o,         // of W_REC (else W_IN)
  output logic [19:0]                            addr_o,
  output logic [eligo_pkg::WORD_BITS-1:0]        wdata_o,
  output logic                                   kerror_o,
  output logic                                   done_o
);

  localparam int WB = eligo_pkg::WORD_BITS, WMB = eligo_pkg::W_MAG_BITS, UF = eligo_pkg::UPD_FRAC;
  localparam int AllowedIn = NumIn * NumRec;
  localparam int AllowedRec = NumRec * NumRec - NumRec;

  // ---- UPD lanes
  function automatic logic [WB:0] deepr(input logic [WB-1:0] w, input logic signed [63:0] d, input logic [31:0] draw,
                                       input logic [eligo_pkg::UPD_BITS-1:0] l1,
                                       input logic [eligo_pkg::UPD_BITS-1:0] noise);
    logic signed [63:0] u, nz, theta;
    logic neg;
    logic [WB-1:0] o;
    u = fx::zext(64'(draw[31:16]), 16);
    nz = fx::rnd((64'sd2 * u - 64'sd65535) * fx::zext(64'(noise), eligo_pkg::UPD_BITS), 16);
    neg = w[eligo_pkg::WORD_SIGN_BIT];
    theta = fx::stochastic_round((fx::zext(64'(w[eligo_pkg::WORD_MAG_LSB +: WMB]), WMB) <<< UF) - (neg ? -d : d) -
                                 fx::zext(64'(l1), eligo_pkg::UPD_BITS) + nz, draw[UF-1:0]);
    o = w;
    if (theta < 64'sd0) begin
      o[eligo_pkg::WORD_ACTIVE_BIT] = 1'b0;
      o[eligo_pkg::WORD_MAG_LSB +: WMB] = '0;
    end else begin
      o[eligo_pkg::WORD_MAG_LSB +: WMB] = theta > ((64'sd1 <<< WMB) - 64'sd1) ? '1 : theta[WMB-1:0];
    end
    deepr = {theta < 64'sd0, o};
  endfunction

  // Operand isolation: the lanes are evaluated only when a DEEP R chunk retires (upd_en_i) and
  // held at 0 otherwise (no switching in the other phases; a simulator skips them). w_o and
  // pruned_o are used only then.
  always @* begin  // (defaults, then the enabled lanes: see neuron_unit.sv)
    pruned_o = '0;
    w_o = '0;
    if (upd_en_i) begin
      for (int l = 0; l < Lanes; l++) begin
        {pruned_o[l], w_o[l*WB +: WB]} = deepr(w_i[l*WB +: WB], delta_i[l*64 +: 64], draw_i[l*32 +: 32], l1_i, noise_i);
      end
    end
  end

  // ---- RWR
  logic [31:0] need_in_q, need_in_d, need_rec_q, need_rec_d;  // re-activations still to do
  logic pend_q, pend_d;          // a probe read is in flight
  logic prec_q, prec_d;          // ... of W_REC
  logic [4:0] pc_q, pc_d;        // probes of the current re-activation
  logic [8:0] row_q, row_d, col_q, col_d;
  logic draw_next;
  logic [31:0] draw;
  logic err_in, err_rec, dormant;
  logic [WB-1:0] word;
  logic [63:0] x, y;             // probe address arithmetic (high and low words used)
  logic busy;                    // RWR: the machine works this cycle (below)

  lfsr u_lfsr (.clk_i, .rst_ni, .en_i(busy), .load_i(seed_load_i), .seed_i, .next_i(draw_next), .draw_o(draw));

  assign err_in = k_in_i > 32'(AllowedIn) || active_in_i > k_in_i;
  assign err_rec = k_rec_i > 32'(AllowedRec) || active_rec_i > k_rec_i;
  assign word = prec_q ? word_rec_i : word_in_i;
  assign dormant = !word[eligo_pkg::WORD_ACTIVE_BIT] && (!prec_q || row_q != col_q);
  assign x = 64'(draw) * (need_in_q == 32'd0 ? 64'(NumRec) : 64'(NumIn));  // W_REC once W_IN is done
  assign y = 64'(x[31:0]) * 64'(NumRec);

  // The next state and this cycle's outputs, as one automatic function (its temporaries are local
  // to the call: an always_comb with them re-triggers itself under Icarus).
  localparam int FsmBits = 32 + 32 + 1 + 1 + 5 + 9 + 9 + 1 + 1 + 1 + 1 + WB + 1 + 1;
  function automatic logic [FsmBits-1:0] fsm(
      input logic start, input logic e_in, input logic e_rec, input logic [31:0] k_in, input logic [31:0] k_rec,
      input logic [31:0] a_in, input logic [31:0] a_rec, input logic [31:0] n_in, input logic [31:0] n_rec,
      input logic pend, input logic prec, input logic [4:0] pc, input logic [8:0] row, input logic [8:0] col,
      input logic dorm, input logic sign, input logic [8:0] row_r, input logic [8:0] col_r);
    logic [31:0] ni, nr;
    logic pd, pr, dn, rd, wr, rc, ke, done;
    logic [4:0] p;
    logic [8:0] r, c;
    logic [WB-1:0] wd;
    logic cur;
    ni = n_in; nr = n_rec; pd = pend; pr = prec; p = pc; r = row; c = col;
    dn = 1'b0; rd = 1'b0; wr = 1'b0; ke = 1'b0; done = 1'b0; wd = '0;
    cur = n_in == 32'd0;
    rc = cur;
    if (start) begin
      ke = e_in || e_rec;
      ni = e_in ? 32'd0 : k_in - a_in;
      nr = e_rec ? 32'd0 : k_rec - a_rec;
      pd = 1'b0;
      p = '0;
    end else if (pend && dorm) begin
      // Re-activate the probed word: weight 0, sign kept.
      wr = 1'b1;
      rc = prec;
      wd[eligo_pkg::WORD_ACTIVE_BIT] = 1'b1;
      wd[eligo_pkg::WORD_SIGN_BIT] = sign;
      if (prec) nr = n_rec - 32'd1;
      else ni = n_in - 32'd1;
      pd = 1'b0;
      p = '0;
    end else if (pend || n_in != 32'd0 || n_rec != 32'd0) begin
      // Next probe: random while fewer than MAX_PROBES, then the linear scan.
      rd = 1'b1;
      pd = 1'b1;
      pr = cur;
      if (32'(pc) < eligo_pkg::MAX_PROBES) begin
        dn = 1'b1;
        r = row_r;
        c = col_r;
        p = pc + 5'd1;
      end else if (32'(col) + 1 < NumRec) begin
        c = col + 9'd1;
      end else begin
        c = '0;
        r = (32'(row) + 1 < (cur ? NumRec : NumIn)) ? row + 9'd1 : '0;
      end
    end else begin
      done = 1'b1;
    end
    fsm = {ni, nr, pd, pr, p, r, c, dn, rd, wr, rc, wd, ke, done};
  endfunction

  // Outside RWR (no start, no probe in flight, nothing to re-activate) the machine only holds its
  // state and reports done: that case is written out here and the function evaluated only while
  // the unit works, together with its LFSR draw (operand isolation: the probe arithmetic and the
  // leap do not switch in the other phases; a simulator skips them). The same outputs as the
  // function's in every cycle.
  assign busy = start_i || pend_q || need_in_q != 32'd0 || need_rec_q != 32'd0;
  always @* begin
    {need_in_d, need_rec_d, pend_d, prec_d, pc_d, row_d, col_d, draw_next, rd_o, wr_o, rec_o, wdata_o, kerror_o,
     done_o} = {need_in_q, need_rec_q, pend_q, prec_q, pc_q, row_q, col_q, 1'b0, 1'b0, 1'b0, 1'b1, WB'(0), 1'b0, 1'b1};
    if (busy) begin
      {need_in_d, need_rec_d, pend_d, prec_d, pc_d, row_d, col_d, draw_next, rd_o, wr_o, rec_o, wdata_o, kerror_o,
       done_o} = fsm(start_i, err_in, err_rec, k_in_i, k_rec_i, active_in_i, active_rec_i, need_in_q, need_rec_q,
                     pend_q, prec_q, pc_q, row_q, col_q, dormant, word[eligo_pkg::WORD_SIGN_BIT], x[40:32],
                     y[40:32]);
    end
  end

  // A write goes to the probed word; a read to the new probe address.
  assign addr_o = wr_o ? 20'(32'(row_q) * NumRec + 32'(col_q)) : 20'(32'(row_d) * NumRec + 32'(col_d));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      need_in_q <= '0;
      need_rec_q <= '0;
      pend_q <= 1'b0;
      prec_q <= 1'b0;
      pc_q <= '0;
      row_q <= '0;
      col_q <= '0;
    end else begin
      need_in_q <= need_in_d;
      need_rec_q <= need_rec_d;
      pend_q <= pend_d;
      prec_q <= prec_d;
      pc_q <= pc_d;
      row_q <= row_d;
      col_q <= col_d;
    end
  end

endmodule
