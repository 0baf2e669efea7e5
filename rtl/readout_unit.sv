// Readout unit (phase OUT): the readout sums S_k (ACC) of this timestep's spikes, and the leaky
// update y_k = sat_Y(rnd(kappa y_k, COEF.frac) + rnd(c S_k, COEF.frac)) of a chunk of readouts.
// Twin: golden_model/chip/readout_unit.cpp.
module readout_unit #(
  parameter int NumOut = 2,
  parameter int Lanes = 4
) (
  input  logic                                   clk_i,
  input  logic                                   rst_ni,
  input  logic                                   clear_i,
  input  logic                                   add_i,
  input  logic [4:0]                             add_base_i,
  input  logic [Lanes-1:0]                       add_lanes_i,
  input  logic [Lanes*eligo_pkg::WORD_BITS-1:0]  add_words_i,
  output logic [7:0]                             sops_o,
  input  logic [4:0]                             y_base_i,
  input  logic [Lanes*eligo_pkg::Y_BITS-1:0]     y_old_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]        kappa_i,
  input  logic [eligo_pkg::COEF_BITS-1:0]        c_i,
  output logic [Lanes*eligo_pkg::Y_BITS-1:0]     y_new_o
);

  localparam int AccBits = eligo_pkg::ACC_BITS;
  localparam int WBits = eligo_pkg::WORD_BITS;
  localparam int YBits = eligo_pkg::Y_BITS;
  localparam int Shift = eligo_pkg::ACC_FRAC - eligo_pkg::W_MAG_FRAC;
  localparam int CFrac = eligo_pkg::COEF_FRAC;

  logic [NumOut*AccBits-1:0] s_q;  // S_k at [k*AccBits +: AccBits]
  /* verilator lint_off UNUSEDSIGNAL */
  logic signed [63:0] sum [0:Lanes-1];
  logic signed [63:0] y [0:Lanes-1];
  /* verilator lint_on UNUSEDSIGNAL */
  logic [7:0] sops;

  always_comb begin
    sops = 8'd0;
    for (int l = 0; l < Lanes; l++) begin
      logic [WBits-1:0] w;
      logic signed [63:0] mag, wv, s_old;
      int k;
      w = add_words_i[l * WBits +: WBits];
      mag = fx::zext(64'(w[eligo_pkg::W_MAG_BITS-1:0]), eligo_pkg::W_MAG_BITS);
      wv = !w[eligo_pkg::WORD_ACTIVE_BIT] ? 64'sd0 : (w[eligo_pkg::WORD_SIGN_BIT] ? -mag : mag);
      k = 32'(add_base_i) + l;
      sum[l] = fx::sat(fx::sext(64'(s_q[(k < NumOut ? k : 0) * AccBits +: AccBits]), AccBits) + (wv <<< Shift), AccBits, 1'b1);
      if (add_i && add_lanes_i[l] && w[eligo_pkg::WORD_ACTIVE_BIT]) sops = sops + 8'd1;
      k = 32'(y_base_i) + l;
      s_old = fx::sext(64'(s_q[(k < NumOut ? k : 0) * AccBits +: AccBits]), AccBits);
      y[l] = fx::sat(fx::rnd(fx::zext(64'(kappa_i), eligo_pkg::COEF_BITS) *
                             fx::sext(64'(y_old_i[l * YBits +: YBits]), YBits), CFrac) +
                     fx::rnd(fx::zext(64'(c_i), eligo_pkg::COEF_BITS) * s_old, CFrac), YBits, 1'b1);
      y_new_o[l * YBits +: YBits] = y[l][YBits-1:0];
    end
  end
  assign sops_o = sops;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s_q <= '0;
    end else if (clear_i) begin
      s_q <= '0;
    end else if (add_i) begin
      for (int l = 0; l < Lanes; l++) begin
        if (add_lanes_i[l] && 32'(add_base_i) + l < NumOut) s_q[(32'(add_base_i) + l) * AccBits +: AccBits] <= sum[l][AccBits-1:0];
      end
    end
  end

endmodule
