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
  input  logic                                   y_en_i,     // the readouts are updated this cycle
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
  // Function temporaries are 64 bits wide; only the destination format is kept.
  function automatic logic [AccBits-1:0] s_at(input logic [NumOut*AccBits-1:0] ss, input integer k);
    s_at = (k < NumOut) ? ss[k * AccBits +: AccBits] : '0;
  endfunction

  function automatic logic [AccBits-1:0] add(input logic [AccBits-1:0] s, input logic [WBits-1:0] w);
    logic signed [63:0] r;
    r = fx::sat(fx::sext(64'(s), AccBits) + (fx::weight_value(w) <<< Shift), AccBits, 1'b1);
    add = r[AccBits-1:0];
  endfunction

  function automatic logic [YBits-1:0] leak(input logic [YBits-1:0] y_old, input logic [AccBits-1:0] s,
                                           input logic [eligo_pkg::COEF_BITS-1:0] kappa,
                                           input logic [eligo_pkg::COEF_BITS-1:0] c);
    logic signed [63:0] y;
    y = fx::sat(fx::rnd(fx::zext(64'(kappa), eligo_pkg::COEF_BITS) * fx::sext(64'(y_old), YBits), CFrac) +
                fx::rnd(fx::zext(64'(c), eligo_pkg::COEF_BITS) * fx::sext(64'(s), AccBits), CFrac), YBits, 1'b1);
    leak = y[YBits-1:0];
  endfunction

  function automatic logic [7:0] count_active(input logic [Lanes-1:0] lanes, input logic [Lanes*WBits-1:0] words);
    count_active = 8'd0;
    for (int l = 0; l < Lanes; l++) begin
      if (lanes[l] && words[l * WBits + eligo_pkg::WORD_ACTIVE_BIT]) count_active = count_active + 8'd1;
    end
  endfunction


  // Operand isolation: the sums are formed only in a cycle that adds (add_i) and the leaky update
  // only in one that writes Y (y_en_i); otherwise both are held at 0, so the adders and
  // multipliers do not switch in the other phases (dynamic power) and a simulator skips them.
  // Each is used only in the cycles of its enable.
  logic [AccBits-1:0] sum [0:Lanes-1];
  // (A default, then the enabled lanes: Verilator turns an if/else of one assignment each into a
  // select of both, which evaluates the disabled side too.)
  always @* begin
    for (int l = 0; l < Lanes; l++) sum[l] = '0;
    y_new_o = '0;
    if (add_i) begin
      for (int l = 0; l < Lanes; l++) sum[l] = add(s_at(s_q, 32'(add_base_i) + l), add_words_i[l * WBits +: WBits]);
    end
    if (y_en_i) begin
      for (int l = 0; l < Lanes; l++) begin
        y_new_o[l * YBits +: YBits] = leak(y_old_i[l * YBits +: YBits], s_at(s_q, 32'(y_base_i) + l), kappa_i, c_i);
      end
    end
  end
  assign sops_o = add_i ? count_active(add_lanes_i, add_words_i) : 8'd0;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s_q <= '0;
    end else if (clear_i) begin
      s_q <= '0;
    end else if (add_i) begin
      for (int l = 0; l < Lanes; l++) begin
        if (add_lanes_i[l] && 32'(add_base_i) + l < NumOut) s_q[(32'(add_base_i) + l) * AccBits +: AccBits] <= sum[l];
      end
    end
  end

endmodule
