// One 32-bit Galois LFSR of the eligo core (twin of golden_model/chip/lfsr.hpp): feedback mask
// eligo_pkg::LFSR_POLY, eligo_pkg::LFSR_LEAP shifts per draw unrolled in one cycle. draw_o is the
// state after the leap (the model's Lfsr::next()); next_i takes it. load_i (a write of a seed
// register) restarts at seed_i ^ Salt, a zero start replaced by 1; reset starts at 1 ^ Salt (the
// seed registers reset to 1). en_i: operand isolation of draw_o (0 while en_i is low, so the
// leap's logic does not switch in the cycles that use no draw); the state advances on next_i alone.
module lfsr #(
  parameter logic [31:0] Salt = 32'd0
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        en_i,
  input  logic        load_i,
  input  logic [31:0] seed_i,
  input  logic        next_i,
  output logic [31:0] draw_o
);

  function automatic logic [31:0] start(input logic [31:0] seed);
    start = (seed ^ Salt) == 32'd0 ? 32'd1 : (seed ^ Salt);
  endfunction

  function automatic logic [31:0] leap(input logic [31:0] s);
    leap = s;
    for (int k = 0; k < 32'(eligo_pkg::LFSR_LEAP); k++) leap = leap[0] ? ((leap >> 1) ^ eligo_pkg::LFSR_POLY) : (leap >> 1);
  endfunction

  logic [31:0] state_q;
  // A default, then the enabled leap (see neuron_unit.sv). `always @*`: Icarus 11 puts leap's
  // loop variable into an always_comb's sensitivity and cannot resolve it ("unresolved vvp_net").
  always @* begin
    draw_o = '0;
    if (en_i) draw_o = leap(state_q);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) state_q <= start(32'd1);
    else if (load_i) state_q <= start(seed_i);
    else if (next_i) state_q <= leap(state_q);
  end

endmodule
