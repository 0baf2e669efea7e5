// SRAM-like memory of the eligo core: Depth words of Width bits, read and written Lanes
// consecutive words at a time (lane l at address base + l; lanes beyond Depth read 0 and are
// not written). Reads have one cycle of latency. No reset: contents are defined by the host or
// by the core's RST phase (docs/architecture.md). Twin: golden_model/chip/sram.hpp.
// An SRAM macro would hold the same words in Lanes banks (word a in bank a mod Lanes).
module sram #(
  parameter int Width = 16,
  parameter int Depth = 16,
  parameter int Lanes = 1,
  parameter int AddrW = 20
) (
  input  logic                              clk_i,
  input  logic                              re_i,
  input  logic [AddrW-1:0]                  raddr_i,
  output logic [Lanes*Width-1:0]           rdata_o,
  input  logic [Lanes-1:0]                  we_i,
  input  logic [AddrW-1:0]                  waddr_i,
  input  logic [Lanes*Width-1:0]           wdata_i
);

  logic [Width-1:0] mem_q [0:Depth-1] /* verilator public_flat_rw */;

  always_ff @(posedge clk_i) begin
    for (int l = 0; l < Lanes; l++) begin
      if (we_i[l] && (32'(waddr_i) + 32'(l) < 32'(Depth))) begin
        mem_q[32'(waddr_i) + 32'(l)] <= wdata_i[l*Width +: Width];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (re_i) begin
      for (int l = 0; l < Lanes; l++) begin
        rdata_o[l*Width +: Width] <= (32'(raddr_i) + 32'(l) < 32'(Depth)) ? mem_q[32'(raddr_i) + 32'(l)] : '0;
      end
    end
  end

endmodule
