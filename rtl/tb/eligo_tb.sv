// Simulation-only testbench (Icarus Verilog, -g2012): replays a recorded pin stream on
// eligo_core, one line per clock cycle, and prints every spike (a STATE write with z = 1) as
// "spike CYCLE NEURON". The stream comes from `eligo cosim --record FILE` (systemc/stimulus.hpp
// documents its 72-bit format); the same stream replayed on Verilator must print the same lines.
// Usage: vvp sim +stim=FILE +n=CYCLES [+dump]
// +dump (scripts/mutate_rtl.py) prints every observable output of every cycle instead: the APB
// answer (when PSEL and PENABLE), AER ready, irq, busy, the phase, and every write of the write
// monitor (memory, lane, address, data); two RTLs printing the same lines are indistinguishable
// on the stream.
module eligo_tb;
  parameter int NumIn = 20;
  parameter int NumRec = 10;
  parameter int NumOut = 2;
  parameter int NumAlif = 5;
  parameter int Lanes = 2;
  localparam int MaxCycles = 4000000;

  logic clk = 1'b0, rst_n = 1'b0;
  logic psel, penable, pwrite, aer_valid, aer_eot;
  logic [23:0] paddr;
  logic [31:0] pwdata, prdata;
  logic [7:0] aer_addr;
  logic pready, pslverr, aer_ready, irq, busy, phase_valid;
  logic [3:0] phase;
  logic [13*Lanes-1:0] mon_we;
  logic [13*20-1:0] mon_addr;
  logic [13*Lanes*64-1:0] mon_data;
  logic [71:0] stim [0:MaxCycles-1];
  integer n, c;
  bit dump;
  string file;

  eligo_core #(.NumIn(NumIn), .NumRec(NumRec), .NumOut(NumOut), .NumAlif(NumAlif), .Lanes(Lanes)) dut (
    .clk_i(clk), .rst_ni(rst_n), .psel_i(psel), .penable_i(penable), .pwrite_i(pwrite),
    .paddr_i(paddr), .pwdata_i(pwdata), .prdata_o(prdata), .pready_o(pready), .pslverr_o(pslverr),
    .aer_valid_i(aer_valid), .aer_ready_o(aer_ready), .aer_addr_i(aer_addr), .aer_eot_i(aer_eot),
    .irq_o(irq), .busy_o(busy), .phase_o(phase), .phase_valid_o(phase_valid), .mon_we_o(mon_we),
    .mon_addr_o(mon_addr), .mon_data_o(mon_data)
  );

  task automatic drive(input logic [71:0] s);
    psel = s[0];
    penable = s[1];
    pwrite = s[2];
    aer_valid = s[3];
    aer_eot = s[4];
    aer_addr = s[15:8];
    paddr = s[39:16];
    pwdata = s[71:40];
  endtask

  initial begin
    if (!$value$plusargs("stim=%s", file) || !$value$plusargs("n=%d", n)) begin
      $display("usage: +stim=FILE +n=CYCLES");
      $finish;
    end
    dump = $test$plusargs("dump");
    $readmemh(file, stim, 0, n - 1);
    drive(72'd0);
    // Reset: two clock cycles, as the C++ engines do.
    #5 clk = 1; #5 clk = 0;
    #5 clk = 1; #5 clk = 0;
    rst_n = 1'b1;
    for (c = 0; c < n; c++) begin
      drive(stim[c]);
      #1;
      if (dump) begin
        if (psel && penable) $display("%0d apb %b %b %h", c, pready, pslverr, pwrite ? 32'd0 : prdata);
        $display("%0d pins %b %b %b %b %h", c, aer_ready, irq, busy, phase_valid, phase);
        for (int m = 0; m < 13; m++) begin
          for (int l = 0; l < Lanes; l++) begin
            if (mon_we[m * Lanes + l]) $display("%0d w %0d %0d %h %h", c, m, l, mon_addr[m * 20 +: 20], mon_data[(m * Lanes + l) * 64 +: 64]);
          end
        end
      end else begin
        for (int l = 0; l < Lanes; l++) begin
          if (mon_we[l] && mon_data[l * 64 + 52]) $display("spike %0d %0d", c, mon_addr[19:0] + l);
        end
      end
      #4 clk = 1;
      #5 clk = 0;
    end
    $display("cycles %0d", n);
    $finish;
  end
endmodule
