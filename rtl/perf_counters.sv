// Performance counters of the eligo core: NumCnt 64-bit counters (spec::Counter order, then
// reads and writes per memory), each incremented by up to 255 per cycle, saturating at
// 2^64 - 1. Twin: golden_model/chip/perf_counters.hpp.
module perf_counters #(
  parameter int NumCnt = 48
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                clear_i,
  input  logic [NumCnt*8-1:0] inc_i,    // increment of counter c at [8c +: 8]
  input  logic [5:0]          sel_i,
  output logic [63:0]         value_o
);

  logic [NumCnt*64-1:0] cnt_q;  // counter c at [64c +: 64]

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q <= '0;
    end else if (clear_i) begin
      cnt_q <= '0;
    end else begin
      for (int c = 0; c < NumCnt; c++) begin
        if (cnt_q[64 * c +: 64] > ~64'd0 - 64'(inc_i[8 * c +: 8])) begin
          cnt_q[64 * c +: 64] <= ~64'd0;
        end else begin
          cnt_q[64 * c +: 64] <= cnt_q[64 * c +: 64] + 64'(inc_i[8 * c +: 8]);
        end
      end
    end
  end

  assign value_o = (32'(sel_i) < 32'(NumCnt)) ? cnt_q[64 * 32'(sel_i) +: 64] : 64'd0;

endmodule
