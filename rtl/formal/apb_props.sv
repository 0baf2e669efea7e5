// Formal properties of the core's APB port (apb_regs and the sequencer's host-access handshake),
// proved by rtl/formal/run.py (Yosys `sat`, bounded: every input sequence of DEPTH cycles after
// reset, at the size below; the compute units are in the proof, not abstracted).
// Assumptions (an APB3 master): reset in the first cycle; PENABLE only with PSEL; a setup phase
// (PSEL, !PENABLE) is followed by an access phase (PSEL, PENABLE) with the same PADDR, PWRITE,
// PWDATA, held until PREADY; after PREADY, PENABLE falls. The AER inputs are free.
// Properties:
//   - PSLVERR only with PREADY, and only in an access phase;
//   - a register or counter access answers in its first access cycle (no wait state);
//   - a memory access never answers OK in its first access cycle: the word read for it was
//     requested in the cycle before, for the same address (no stale answer from an earlier access);
//   - a memory access that starts while the core is idle (not BUSY) answers in exactly its second
//     access cycle;
//   - the sequencer: no core write to any memory (write monitor) in a cycle with BUSY low.
// PREADY then ends the transfer (the master's rule), so each access gets exactly one answer.
module apb_formal (
  input logic        clk_i,
  input logic        rst_ni,
  input logic        psel_i,
  input logic        penable_i,
  input logic        pwrite_i,
  input logic [23:0] paddr_i,
  input logic [31:0] pwdata_i,
  input logic        aer_valid_i,
  input logic [7:0]  aer_addr_i,
  input logic        aer_eot_i
);
  localparam int NI = 2, NR = 2, NO = 1, NA = 1, L = 1;
  logic [31:0] prdata;
  logic pready, pslverr, aer_ready, irq, busy, phase_valid;
  logic [3:0] phase;
  logic [eligo_pkg::NUM_MEMS*L-1:0] mon_we;
  logic [eligo_pkg::NUM_MEMS*eligo_pkg::MEM_ADDR_BITS-1:0] mon_addr;
  logic [eligo_pkg::NUM_MEMS*L*64-1:0] mon_data;

  eligo_core #(.NumIn(NI), .NumRec(NR), .NumOut(NO), .NumAlif(NA), .Lanes(L), .SynTraces(0)) u_core (
    .clk_i, .rst_ni, .psel_i, .penable_i, .pwrite_i, .paddr_i, .pwdata_i, .prdata_o(prdata),
    .pready_o(pready), .pslverr_o(pslverr), .aer_valid_i, .aer_ready_o(aer_ready), .aer_addr_i,
    .aer_eot_i, .irq_o(irq), .busy_o(busy), .phase_o(phase), .phase_valid_o(phase_valid),
    .mon_we_o(mon_we), .mon_addr_o(mon_addr), .mon_data_o(mon_data));

  // The previous cycle, and the transfer in progress.
  logic started_q;              // reset has been applied
  logic p_setup_q, p_wait_q;    // last cycle: setup phase / access phase without PREADY
  logic p_done_q;               // last cycle: access phase with PREADY
  logic [23:0] p_addr_q;
  logic p_write_q;
  logic [31:0] p_wdata_q;
  logic [1:0] n_acc_q;          // access cycles of this transfer before this one (saturating)
  logic idle_q;                 // the core was idle (not BUSY) in the transfer's first access cycle
  logic access, is_mem, first, idle_first;
  assign access = psel_i && penable_i;
  assign is_mem = paddr_i >= eligo_pkg::MEM_BASE;
  assign first = access && !p_wait_q;
  assign idle_first = first ? !busy : idle_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      started_q <= 1'b1;
      p_setup_q <= 1'b0;
      p_wait_q <= 1'b0;
      p_done_q <= 1'b0;
      n_acc_q <= 2'd0;
      idle_q <= 1'b0;
    end else begin
      p_setup_q <= psel_i && !penable_i;
      p_wait_q <= access && !pready;
      p_done_q <= access && pready;
      n_acc_q <= (access && !pready) ? (n_acc_q == 2'd3 ? 2'd3 : n_acc_q + 2'd1) : 2'd0;
      idle_q <= idle_first;
    end
    p_addr_q <= paddr_i;
    p_write_q <= pwrite_i;
    p_wdata_q <= pwdata_i;
  end

  // Witnesses: run.py shows each reachable within the depth (`sat -falsify`), so the properties
  // above are not vacuous: an OK memory answer, a memory access refused in its first cycle
  // (PSLVERR while BUSY: a START_SAMPLE command, then the access), a register answer, a core write
  // followed by an idle cycle.
  (* keep *) logic w_mem_ok, w_mem_busy, w_reg, w_idle_after_write;
  assign w_mem_ok = started_q && rst_ni && access && is_mem && pready && !pslverr;
  assign w_mem_busy = started_q && rst_ni && access && is_mem && first && busy && pslverr;
  assign w_reg = started_q && rst_ni && access && !is_mem && pready;
  // a core write, then idle (BUSY low) in the next cycle
  logic wrote_q;
  always_ff @(posedge clk_i) wrote_q <= rst_ni && mon_we != '0;
  assign w_idle_after_write = started_q && rst_ni && wrote_q && !busy;

`ifdef FORMAL
  always_comb begin
    if (started_q && rst_ni) begin
      if (penable_i) assume (psel_i);
      if (p_setup_q || p_wait_q) begin
        assume (psel_i && penable_i && paddr_i == p_addr_q && pwrite_i == p_write_q && pwdata_i == p_wdata_q);
      end
      if (p_done_q || !p_setup_q && !p_wait_q) assume (!penable_i);
      // properties
      if (pslverr) assert (pready && access);
      if (access && !is_mem) assert (pready);
      if (access && is_mem && pready && !pslverr) assert (p_wait_q && p_addr_q == paddr_i);
      if (access && is_mem && idle_first && n_acc_q == 2'd1) assert (pready);
      // the sequencer: no core write (write monitor) while the core is idle
      if (!busy) assert (mon_we == '0);
    end
  end
`endif
endmodule
