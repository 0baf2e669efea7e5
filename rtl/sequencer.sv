// Phase sequencer of the eligo core: the phase and sub-phase state machine, the row / chunk
// cursors, the AER input and host-access handshakes, and every memory request of the core.
// It decides where and when (memory, address, lanes); eligo_core routes what (the write data of
// the source `wsrc_o` names). docs/architecture.md ("Learning passes in the RTL") describes the
// schedule; golden_model/chip/core.cpp is the bit-exact twin of the whole.
//
// The combinational logic is split by concern, each block a case over the phase:
//   decode      what the IN phase does this cycle (in_op) and which learning chunk retires (rt);
//   next state  phase, sub-phase, cycle, end-of-sample and timestep flags;
//   cursors     row / chunk / spike scan, the accumulation pipeline (pa_*), the retire stage (rp_*);
//   reads       one statement a request: rq[m] = rd_chunk(...) / rd_word(...) / rd_host(...);
//   writes      one statement a request: wq[m] = wr(address, lanes), and the data source;
//   events      phase and idle cycles, done / overrun, operation counts, unit strobes.
// The combinational blocks are `always @*`, not `always_comb`: with several always_comb blocks
// in this module, Icarus 11 re-triggers them forever during a host memory access (measured: the
// replay of icarus_test hung at its first memory write); Verilator and Yosys treat both alike.
// Learning passes share one pattern: a cursor (row, chunk) issues one chunk's reads a cycle; the
// chunk retires the next cycle (rp_*), when the unit computes and the core writes.
module sequencer #(
  parameter int NumIn = 40,
  parameter int NumRec = 40,
  parameter int NumOut = 2,
  parameter int NumAlif = 20,
  parameter int Lanes = 4,
  parameter int AW = 20,     // memory address width
  parameter int RecW = 9,    // neuron index width (pa_base_o, acc_rd_base_o)
  parameter int OutW = 5     // readout index width (ro_y_base_o)
) (
  input  logic clk_i,
  input  logic rst_ni,
  // Registers
  input  logic        learn_i,
  input  logic        online_i,
  input  logic        trc_hold_i,   // CTRL.TRC_HOLD: TRC runs the eps_v pass only
  input  logic        trc_acc_i,    // CTRL.TRC_ACC: NEU reads PSI with STATE (the unit adds psi)
  input  logic        trc_block_i,  // CTRL.TRC_BLOCK: with TRC_HOLD, the synapse pass writes EPSA only
  input  logic        trc_fact_i,   // CTRL.TRC_FACT: factored traces, EPSA and EBAR unused
  input  logic        deepr_i,
  input  logic        fb_symmetric_i,
  input  logic        target_valid_i,
  input  logic [31:0] ts_budget_i,
  input  logic        cmd_start_i,
  input  logic        cmd_end_i,
  input  logic        cmd_update_i,
  // Host memory access (apb_regs): read, then write the merged word, between timesteps
  input  logic        mem_req_i,
  input  logic        mem_we_i,
  input  logic [3:0]  mem_id_i,
  input  logic [AW-1:0] mem_addr_i,
  output logic        mem_ack_o,
  output logic        mem_err_o,
  output logic        host_done_o,      // the host access's second cycle: its word has arrived
  // AER input
  input  logic        aer_valid_i,
  input  logic        aer_eot_i,
  input  logic [7:0]  aer_addr_i,
  output logic        aer_ready_o,
  // From the units
  input  logic [Lanes-1:0] neu_spike_i,       // NEU: spikes of the chunk being written
  input  logic [Lanes-1:0] upd_act_i,         // UPD: active words of the retired chunk
  input  logic [Lanes-1:0] upd_new_active_i,  // ... still active after the update
  input  logic [Lanes-1:0] upd_pruned_i,      // ... pruned by DEEP R
  input  logic             rw_rd_i, rw_wr_i, rw_rec_i, rw_done_i,
  input  logic [AW-1:0]    rw_addr_i,
  // Memory requests: per memory m, rq = {re, lanes, address} and wq = {lanes, address}
  output logic [eligo_pkg::NUM_MEMS*(1+Lanes+AW)-1:0] rq_o,
  output logic [eligo_pkg::NUM_MEMS*(Lanes+AW)-1:0]   wq_o,
  output logic        host_we_o,        // the host's write (memory wmem_o, lane 0, wq's address)
  output logic [3:0]  wsrc_o,           // source of this cycle's write data (WSRC_*)
  output logic [3:0]  wmem_o,           // memory of a one-matrix write (UPD, RWR, HOST)
  // To the units
  output logic             acc_clear_o, acc_add_o, acc_clr_o,
  output logic [Lanes-1:0] acc_clr_lanes_o,
  output logic [RecW-1:0]  acc_rd_base_o,
  output logic [1:0]       pa_src_o,         // the weight chunk arriving this cycle (PA_*)
  output logic [RecW-1:0]  pa_base_o,
  output logic [Lanes-1:0] pa_lanes_o,
  output logic             ro_clear_o, ro_add_o,
  output logic [OutW-1:0]  ro_y_base_o,
  output logic             ro_y_en_o,        // OUT: the readout chunk at ro_y_base_o is updated and written
  output logic             rw_start_o,
  output logic [Lanes-1:0] draw_next_o,
  output logic [3:0]       rt_o,             // the learning chunk retiring this cycle (RT_*)
  output logic [1:0]       rp_sub_o,         // its sub-phase
  output logic [31:0]      rp_row_o,         // its row (source, neuron)
  output logic [31:0]      rp_ch_o,          // its chunk
  output logic [Lanes-1:0] rp_lanes_o,       // its valid lanes
  output logic             rp_last_o,        // LRN: the row's last readout chunk retires
  output logic [NumRec-1:0]   z_o,           // spikes of the last NEU
  output logic [NumRec-1:0]   zpre_o,        // spikes of the previous timestep
  output logic [NumIn*8-1:0]  in_cnt_o,      // input events per input this timestep
  output logic [31:0]      act_in_o, act_rec_o,  // active W_IN / W_REC words after UPD
  // Status and counter events
  output logic        busy_o,
  output logic [3:0]  phase_o,          // phase of this cycle (eligo_pkg::phase_e) ...
  output logic        phase_valid_o,    // ... when the cycle belongs to a phase
  output logic        idle_o,
  output logic        ts_end_o,
  output logic        sample_end_o,
  output logic        set_done_o,
  output logic        set_overrun_o,
  output logic [7:0]  neu_updates_o, trace_updates_o, learn_macs_o, weight_updates_o, prunes_o,
  output logic [7:0]  reactivations_o, probes_o
);

  // ---------------------------------------------------------------------------------------------
  // Sizes
  localparam int NumMems = eligo_pkg::NUM_MEMS;
  localparam int NumPre = NumIn + NumRec;
  localparam int FirstAlif = NumRec - NumAlif;
  localparam int ChRec = (NumRec + Lanes - 1) / Lanes;
  localparam int ChOut = (NumOut + Lanes - 1) / Lanes;
  localparam int ChNp = (NumPre + Lanes - 1) / Lanes;
  localparam int OutBase = NumPre * NumRec;  // GRAD address of the readout gradients
  localparam int RqW = 1 + Lanes + AW;       // a read request: {re, lanes, address}
  localparam int WqW = Lanes + AW;           // a write request: {lanes, address}
  localparam int ScanW = NumRec > 1 ? $clog2(NumRec) : 1;  // index of a spike

  // Memory ids (eligo_pkg::mem_e) as integers for index arithmetic.
  localparam int MState = 32'(eligo_pkg::MemState), MPsi = 32'(eligo_pkg::MemPsi), MY = 32'(eligo_pkg::MemY),
                 MWIn = 32'(eligo_pkg::MemWIn), MWRec = 32'(eligo_pkg::MemWRec), MWOut = 32'(eligo_pkg::MemWOut),
                 MBfb = 32'(eligo_pkg::MemBFb), MEpsv = 32'(eligo_pkg::MemEpsv), MEpsa = 32'(eligo_pkg::MemEpsa),
                 MEbar = 32'(eligo_pkg::MemEbar), MGrad = 32'(eligo_pkg::MemGrad), MZbar = 32'(eligo_pkg::MemZbar),
                 MLsig = 32'(eligo_pkg::MemLsig);

  // ---------------------------------------------------------------------------------------------
  // Names
  typedef enum logic [3:0] {
    StIn   = 4'd0,  // waiting for / accumulating input events (phase IN)
    StRst  = 4'd1,
    StRec  = 4'd2,
    StNeu  = 4'd3,
    StOut  = 4'd4,
    StDone = 4'd5,  // end of the timestep (a cycle of no phase)
    StLrn  = 4'd6,
    StOgr  = 4'd7,
    StTrc  = 4'd8,
    StUpd  = 4'd9,
    StRwr  = 4'd10
  } state_e;

  // What the IN phase does this cycle, in priority order.
  typedef enum logic [2:0] {
    InChunk = 3'd0,  // the next chunk of the current input row
    InHost  = 3'd1,  // a host memory access (between timesteps)
    InStart = 3'd2,  // START_SAMPLE
    InEnd   = 3'd3,  // END_SAMPLE
    InEot   = 3'd4,  // the end-of-timestep beat
    InEvent = 3'd5,  // an input event: the first chunk of its row
    InWait  = 3'd6
  } in_op_e;

  // ---------------------------------------------------------------------------------------------
  // State
  state_e st_q, st_d;
  logic [1:0] sub_q, sub_d;            // sub-phase (Sub*)
  logic ts_open_q, ts_open_d;          // a timestep has started (an event or EOT accepted)
  logic [31:0] cyc_q, cyc_d;           // cycle within the sub-phase
  logic [31:0] row_q, row_d;           // current row (source) of a row pass
  logic [31:0] ch_q, ch_d;             // next chunk of the current row
  logic row_busy_q, row_busy_d;        // chunks of the current row remain
  logic [NumRec-1:0] z_q, z_d;         // spikes of the last NEU
  logic [NumRec-1:0] scan_q, scan_d;   // spikes still to be processed in REC / OUT
  logic [31:0] ts_cyc_q, ts_cyc_d;     // cycles of the current timestep (overrun)
  logic host_q, host_d;                // host memory access in flight
  // The host access's memory, word and direction, latched while it is requested: its write (the
  // second cycle) uses these, not the pins (they hold their values during the access, APB), so
  // the write port does not depend on the pins combinationally.
  logic [3:0] host_id_q;
  logic [AW-1:0] host_addr_q;
  logic host_we_q;
  logic end_q, end_d;                  // END_SAMPLE's UPD / RWR in progress (not a timestep)
  logic [NumIn*8-1:0] in_cnt_q, in_cnt_d;  // input events per input this timestep (saturating)
  logic [NumRec-1:0] zpre_q, zpre_d;   // spikes of the previous timestep (the trace unit's z)
  logic [31:0] act_in_q, act_in_d, act_rec_q, act_rec_d;  // active words after UPD
  // Accumulation pipeline: a weight chunk read this cycle arrives the next.
  logic pa_q, pa_d;
  logic [1:0] pa_src_q, pa_src_d;
  logic [RecW-1:0] pa_base_q, pa_base_d;
  logic [Lanes-1:0] pa_lanes_q, pa_lanes_d;
  // Learning passes: the chunk read last cycle, retired this cycle.
  logic rp_q, rp_d;
  logic [1:0] rp_sub_q, rp_sub_d;
  logic [31:0] rp_row_q, rp_row_d, rp_ch_q, rp_ch_d;
  logic [Lanes-1:0] rp_lanes_q, rp_lanes_d;

  // ---------------------------------------------------------------------------------------------
  // Helpers
  function automatic logic [Lanes-1:0] lanes_upto(input integer base, input integer limit);
    for (int l = 0; l < Lanes; l++) lanes_upto[l] = (base + l) < limit;
  endfunction
  function automatic logic [7:0] popcount(input logic [Lanes-1:0] v);
    popcount = 8'($countones(v));  // (a loop of Lanes adds costs a simulator about 4 times as much)
  endfunction

  // Memory requests. A read of chunk `ch` of a row of `len` words at `base` reads lanes
  // ch*Lanes.. below len; rd_word reads one word; a host read is not counted (no lanes).
  function automatic logic [RqW-1:0] rd(input logic [31:0] addr, input logic [Lanes-1:0] lanes);
    rd = {1'b1, lanes, AW'(addr)};
  endfunction
  function automatic logic [RqW-1:0] rd_chunk(input logic [31:0] base, input logic [31:0] ch, input integer len);
    rd_chunk = rd(base + ch * Lanes, lanes_upto(ch * Lanes, len));
  endfunction
  function automatic logic [RqW-1:0] rd_word(input logic [31:0] addr);
    rd_word = rd(addr, Lanes'(1));
  endfunction
  function automatic logic [WqW-1:0] wr(input logic [31:0] addr, input logic [Lanes-1:0] lanes);
    wr = {lanes, AW'(addr)};
  endfunction

  // ALIF lanes of the neuron chunk starting at j0, and the EPSA lane offset of that chunk (its
  // first ALIF neuron's EPSA word is read / written at sram lane 0).
  function automatic logic [Lanes-1:0] alif_lanes(input logic [31:0] j0);
    for (int l = 0; l < Lanes; l++) alif_lanes[l] = j0 + 32'(l) >= FirstAlif && j0 + 32'(l) < NumRec;
  endfunction
  function automatic logic [31:0] epsa_off(input logic [31:0] j0);
    epsa_off = j0 < FirstAlif ? FirstAlif - j0 : 32'd0;
  endfunction
  function automatic logic [31:0] epsa_addr(input logic [31:0] row, input logic [31:0] j0);
    epsa_addr = row * NumAlif + j0 + epsa_off(j0) - FirstAlif;
  endfunction
  // EPSA write lanes of a neuron chunk: its ALIF lanes, shifted down to sram lane 0.
  function automatic logic [Lanes-1:0] epsa_lanes(input logic [31:0] j0);
    epsa_lanes = alif_lanes(j0) >> epsa_off(j0);
  endfunction

  // The learning passes: whether a sub-phase is one (it reads at the cursor), its rows and chunks.
  function automatic logic in_pass(input state_e st, input logic [1:0] sub);
    unique case (st)
      StLrn:   in_pass = sub == sequencer_pkg::SUB_LRN_ERR || sub == sequencer_pkg::SUB_LRN_SIG;
      StOgr:   in_pass = sub == sequencer_pkg::SUB_OGR_ZBAR || sub == sequencer_pkg::SUB_OGR_GRAD;
      StTrc:   in_pass = sub == sequencer_pkg::SUB_TRC_PRE || sub == sequencer_pkg::SUB_TRC_SYN;
      StUpd:   in_pass = sub == sequencer_pkg::SUB_UPD_REC || sub == sequencer_pkg::SUB_UPD_OUT;
      default: in_pass = 1'b0;
    endcase
  endfunction
  function automatic integer pass_rows(input state_e st, input logic [1:0] sub);
    pass_rows = 1;
    if (st == StLrn && sub == sequencer_pkg::SUB_LRN_SIG) pass_rows = NumRec;
    if (st == StOgr && sub == sequencer_pkg::SUB_OGR_GRAD) pass_rows = NumRec;
    if (st == StTrc && sub == sequencer_pkg::SUB_TRC_SYN) pass_rows = NumPre;
    if (st == StUpd && sub == sequencer_pkg::SUB_UPD_REC) pass_rows = NumPre;
    if (st == StUpd && sub == sequencer_pkg::SUB_UPD_OUT) pass_rows = NumRec;
  endfunction
  function automatic integer pass_chunks(input state_e st, input logic [1:0] sub);
    pass_chunks = 1;
    if (st == StLrn) pass_chunks = ChOut;
    if (st == StOgr && sub == sequencer_pkg::SUB_OGR_ZBAR) pass_chunks = ChRec;
    if (st == StOgr && sub == sequencer_pkg::SUB_OGR_GRAD) pass_chunks = ChOut;
    if (st == StTrc && sub == sequencer_pkg::SUB_TRC_PRE) pass_chunks = ChNp;
    if (st == StTrc && sub == sequencer_pkg::SUB_TRC_SYN) pass_chunks = ChRec;
    if (st == StUpd && sub == sequencer_pkg::SUB_UPD_REC) pass_chunks = ChRec;
    if (st == StUpd && sub == sequencer_pkg::SUB_UPD_OUT) pass_chunks = ChOut;
  endfunction
  // The cursor: the next (row, chunk) after (row, ch) in a pass of rows x chunks, and whether
  // (row, ch) was the pass's last.
  function automatic logic [64:0] cursor(input logic [31:0] row, input logic [31:0] ch, input integer rows,
                                         input integer chunks);
    if (ch + 1 < chunks) cursor = {1'b0, row, ch + 32'd1};
    else cursor = {row + 1 == rows, row + 32'd1, 32'd0};
  endfunction

  // Lowest set bit of a spike vector: the next spike to process.
  function automatic logic [ScanW-1:0] lowest(input logic [NumRec-1:0] v);
    lowest = '0;
    for (int j = NumRec - 1; j >= 0; j--) if (v[j]) lowest = ScanW'(j);
  endfunction

  // ---------------------------------------------------------------------------------------------
  // Decode
  in_op_e in_op;
  always @* begin
    if (row_busy_q) in_op = InChunk;
    else if (host_q || (mem_req_i && !ts_open_q)) in_op = InHost;
    else if (!ts_open_q && cmd_start_i) in_op = InStart;
    else if (!ts_open_q && cmd_end_i) in_op = InEnd;
    else if (aer_valid_i && aer_eot_i) in_op = InEot;
    else if (aer_valid_i) in_op = InEvent;
    else in_op = InWait;
  end

  logic in_pass_now;      // this cycle reads a learning chunk at the cursor
  logic [64:0] cur;       // the cursor after it
  logic pass_done;        // ... and it was the pass's last chunk
  assign in_pass_now = in_pass(st_q, sub_q);
  assign cur = cursor(row_q, ch_q, pass_rows(st_q, sub_q), pass_chunks(st_q, sub_q));
  assign pass_done = in_pass_now && cur[64];

  logic [3:0] rt;         // the retiring chunk
  always @* begin
    rt = sequencer_pkg::RT_NONE;
    if (rp_q) begin
      unique case (st_q)
        StLrn: rt = rp_sub_q == sequencer_pkg::SUB_LRN_ERR ? sequencer_pkg::RT_LRN_ERR : rp_sub_q == sequencer_pkg::SUB_LRN_SIG ? sequencer_pkg::RT_LRN_SIG : sequencer_pkg::RT_NONE;
        StOgr: rt = rp_sub_q == sequencer_pkg::SUB_OGR_ZBAR ? sequencer_pkg::RT_OGR_ZBAR : rp_sub_q == sequencer_pkg::SUB_OGR_GRAD ? sequencer_pkg::RT_OGR_GRAD : sequencer_pkg::RT_NONE;
        StTrc: rt = rp_sub_q == sequencer_pkg::SUB_TRC_PRE ? sequencer_pkg::RT_TRC_PRE : rp_sub_q == sequencer_pkg::SUB_TRC_SYN ? sequencer_pkg::RT_TRC_SYN : sequencer_pkg::RT_NONE;
        StUpd: rt = sequencer_pkg::RT_UPD;
        default: rt = sequencer_pkg::RT_NONE;
      endcase
    end
  end

  // REC / OUT row passes: the current row, or the next spike's row.
  logic [ScanW-1:0] scan_low;
  logic [31:0] rec_row, rec_ch;
  logic row_go;           // a REC / OUT row chunk is read this cycle
  assign scan_low = lowest(scan_q);
  assign rec_row = row_busy_q ? row_q : 32'(scan_low);
  assign rec_ch = row_busy_q ? ch_q : 32'd0;
  assign row_go = row_busy_q || scan_q != '0;
  // A REC / OUT row chunk is read this cycle: its valid lanes, and whether it is the row's last.
  // (Computed here, not in the cursor block's case item for both phases: Verilator 5.006 lost a
  // function's locals called there.)
  logic row_chunk, row_last;
  logic [Lanes-1:0] row_lanes;
  assign row_chunk = row_go && (st_q == StRec || (st_q == StOut && sub_q == sequencer_pkg::SUB_OUT_ROWS));
  assign row_lanes = lanes_upto(rec_ch * Lanes, st_q == StRec ? NumRec : NumOut);
  assign row_last = rec_ch + 1 >= (st_q == StRec ? ChRec : ChOut);

  logic [31:0] rp_j0;     // first neuron / readout / source of the retired chunk
  assign rp_j0 = rp_ch_q * Lanes;
  logic rp_w_out;         // the retired UPD chunk is a W_OUT chunk
  assign rp_w_out = rp_sub_q == sequencer_pkg::SUB_UPD_OUT;

  // NEU: chunk cyc - 1 is updated and written in cycle cyc (1 .. ChRec).
  logic neu_wr;
  logic [Lanes-1:0] neu_lanes;
  assign neu_wr = st_q == StNeu && cyc_q >= 1 && cyc_q <= ChRec;
  assign acc_rd_base_o = (st_q == StNeu && cyc_q >= 1) ? RecW'((cyc_q - 1) * Lanes) : '0;
  assign neu_lanes = lanes_upto(32'(acc_rd_base_o), NumRec);
  // OUT: readout chunk cyc - 1 is updated and written in cycle cyc.
  assign ro_y_en_o = st_q == StOut && sub_q == sequencer_pkg::SUB_OUT_Y && cyc_q >= 1;
  assign ro_y_base_o = ro_y_en_o ? OutW'((cyc_q - 1) * Lanes) : '0;

  // ---------------------------------------------------------------------------------------------
  // Next state: phase, sub-phase, cycle, flags. The IN phase's part (ip_*) depends on the pins
  // (in_op) and is a block of its own, selected in IN; the other phases' part (nx_*) depends on
  // registers only. The same logic, split so that the pin-dependent part stays small: a
  // simulator re-evaluates what depends on the inputs whenever they may have changed (Verilator
  // 5.006: at every evaluation), the rest once per clock edge.
  state_e ip_st_d, nx_st_d;
  logic [1:0] ip_sub_d, nx_sub_d;
  logic [31:0] ip_cyc_d, nx_cyc_d;
  logic ip_ts_open_d, nx_ts_open_d, ip_host_d, nx_host_d, ip_end_d, nx_end_d;
  always @* begin
    ip_st_d = StIn;
    ip_sub_d = sub_q;
    ip_cyc_d = cyc_q;
    ip_ts_open_d = ts_open_q;
    ip_host_d = host_q;
    ip_end_d = end_q;
    unique case (in_op)
      InHost: ip_host_d = !host_q;
      InStart: begin
        ip_st_d = StRst;
        ip_sub_d = sequencer_pkg::SUB_RST_CLEAR;
        ip_cyc_d = 0;
      end
      InEnd: begin  // with UPDATE and learning: UPD (batch mode) and RWR (DEEP R) first
        ip_sub_d = 2'd0;
        ip_cyc_d = 0;
        if (cmd_update_i && learn_i && !online_i) begin
          ip_st_d = StUpd;
          ip_end_d = 1'b1;
        end else if (cmd_update_i && learn_i && deepr_i) begin
          ip_st_d = StRwr;
          ip_end_d = 1'b1;
        end
      end
      InEot: begin
        ip_st_d = StRec;
        ip_ts_open_d = 1'b1;
      end
      InEvent: ip_ts_open_d = 1'b1;
      default: ;
    endcase
  end
  assign st_d = st_q == StIn ? ip_st_d : nx_st_d;
  assign sub_d = st_q == StIn ? ip_sub_d : nx_sub_d;
  assign cyc_d = st_q == StIn ? ip_cyc_d : nx_cyc_d;
  assign ts_open_d = st_q == StIn ? ip_ts_open_d : nx_ts_open_d;
  assign host_d = st_q == StIn ? ip_host_d : nx_host_d;
  assign end_d = st_q == StIn ? ip_end_d : nx_end_d;

  always @* begin
    nx_st_d = st_q;
    nx_sub_d = sub_q;
    nx_cyc_d = cyc_q;
    nx_ts_open_d = ts_open_q;
    nx_host_d = host_q;
    nx_end_d = end_q;
    unique case (st_q)
      StIn: ;  // ip_* above
      StRst: begin
        nx_cyc_d = cyc_q + 1;
        unique case (sub_q)
          sequencer_pkg::SUB_RST_CLEAR: if (cyc_q + 1 == ChRec + ChOut) begin
            nx_cyc_d = 0;
            nx_sub_d = learn_i ? sequencer_pkg::SUB_RST_LEARN : sequencer_pkg::SUB_RST_CLOSE;
          end
          sequencer_pkg::SUB_RST_LEARN: if (cyc_q + 1 == ChRec + ChNp) begin
            nx_cyc_d = 0;  // factored traces use neither EPSA nor EBAR: no rows to clear
            nx_sub_d = trc_fact_i ? sequencer_pkg::SUB_RST_CLOSE : sequencer_pkg::SUB_RST_ROWS;
          end
          sequencer_pkg::SUB_RST_ROWS: begin
            nx_cyc_d = cyc_q;
            if (ch_q + 1 == ChRec && row_q + 1 == NumPre) begin
              nx_sub_d = sequencer_pkg::SUB_RST_CLOSE;
              nx_cyc_d = 0;
            end
          end
          default: if (cyc_q == 1) nx_st_d = StIn;
        endcase
      end
      StRec: if (!row_go) begin
        nx_st_d = StNeu;
        nx_cyc_d = 0;
      end
      StNeu: begin
        nx_cyc_d = cyc_q + 1;
        if (cyc_q == ChRec + 1) begin
          nx_st_d = StOut;
          nx_sub_d = sequencer_pkg::SUB_OUT_ROWS;
          nx_cyc_d = 0;
        end
      end
      StOut: begin
        if (sub_q == sequencer_pkg::SUB_OUT_ROWS) begin
          if (!row_go) begin
            nx_sub_d = sequencer_pkg::SUB_OUT_Y;  // this was the drain cycle
            nx_cyc_d = 0;
          end
        end else begin
          nx_cyc_d = cyc_q + 1;
          if (cyc_q == ChOut) begin
            if (!learn_i) nx_st_d = StDone;
            else if (target_valid_i) nx_st_d = StLrn;
            else nx_st_d = StOgr;
            nx_sub_d = 2'd0;
            nx_cyc_d = 0;
          end
        end
      end
      StLrn: if (sub_q == sequencer_pkg::SUB_LRN_CLOSE) begin
        nx_cyc_d = cyc_q + 1;
        if (cyc_q == 1) begin
          nx_st_d = StOgr;
          nx_sub_d = sequencer_pkg::SUB_OGR_ZBAR;
          nx_cyc_d = 0;
        end
      end
      StOgr: begin
        if (sub_q == sequencer_pkg::SUB_OGR_IDLE) nx_sub_d = target_valid_i ? sequencer_pkg::SUB_OGR_GRAD : sequencer_pkg::SUB_OGR_CLOSE;
        if (sub_q == sequencer_pkg::SUB_OGR_CLOSE) begin
          nx_st_d = StTrc;
          nx_sub_d = sequencer_pkg::SUB_TRC_PRE;
        end
      end
      StTrc: begin
        if (sub_q == sequencer_pkg::SUB_TRC_IDLE)
          nx_sub_d = trc_hold_i && !trc_block_i ? sequencer_pkg::SUB_TRC_CLOSE : sequencer_pkg::SUB_TRC_SYN;
        if (sub_q == sequencer_pkg::SUB_TRC_CLOSE) begin
          if (online_i) nx_st_d = StUpd;
          else nx_st_d = StDone;
          nx_sub_d = sequencer_pkg::SUB_UPD_REC;
          nx_cyc_d = 0;
        end
      end
      StUpd: if (sub_q == sequencer_pkg::SUB_UPD_CLOSE) begin
        nx_cyc_d = cyc_q + 1;
        if (cyc_q == 1) begin
          nx_sub_d = sequencer_pkg::SUB_UPD_REC;
          nx_cyc_d = 0;
          if (!end_q) nx_st_d = StDone;
          else if (deepr_i) nx_st_d = StRwr;
          else begin
            nx_st_d = StIn;
            nx_end_d = 1'b0;
          end
        end
      end
      StRwr: begin
        nx_cyc_d = 1;
        if (rw_done_i) begin
          nx_st_d = StIn;
          nx_cyc_d = 0;
          nx_end_d = 1'b0;
        end
      end
      default: begin  // StDone: the timestep ends
        nx_ts_open_d = 1'b0;
        nx_st_d = StIn;
      end
    endcase
    // A learning pass moves to the next sub-phase after its last chunk.
    if (pass_done) begin
      nx_sub_d = sub_q + 2'd1;
      nx_cyc_d = 0;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Cursors: row / chunk, spike scan, accumulation pipeline, retire stage, activity state. As the
  // next state: the IN phase's part (ip_*, from the pins) and the other phases' (nx_*).
  logic [31:0] ip_row_d, nx_row_d, ip_ch_d, nx_ch_d;
  logic ip_row_busy_d, nx_row_busy_d, ip_pa_d, nx_pa_d;
  logic [NumRec-1:0] ip_scan_d, nx_scan_d, ip_zpre_d, nx_zpre_d;
  logic [NumIn*8-1:0] ip_in_cnt_d, nx_in_cnt_d;
  logic [1:0] ip_pa_src_d, nx_pa_src_d;
  logic [RecW-1:0] ip_pa_base_d, nx_pa_base_d;
  logic [Lanes-1:0] ip_pa_lanes_d, nx_pa_lanes_d;
  always @* begin
    ip_row_d = row_q;
    ip_ch_d = ch_q;
    ip_row_busy_d = row_busy_q;
    ip_scan_d = scan_q;
    ip_zpre_d = zpre_q;
    ip_in_cnt_d = in_cnt_q;
    ip_pa_d = 1'b0;
    ip_pa_src_d = pa_src_q;
    ip_pa_base_d = pa_base_q;
    ip_pa_lanes_d = '0;
    unique case (in_op)
      InChunk: begin  // next chunk of the current input row
        ip_pa_d = 1'b1;
        ip_pa_src_d = sequencer_pkg::PA_W_IN;
        ip_pa_base_d = RecW'(ch_q * Lanes);
        ip_pa_lanes_d = lanes_upto(ch_q * Lanes, NumRec);
        ip_ch_d = ch_q + 1;
        ip_row_busy_d = (ch_q + 1) < ChRec;
      end
      InStart, InEnd: begin
        ip_row_d = 0;
        ip_ch_d = 0;
      end
      InEot: begin
        ip_scan_d = z_q;
        ip_zpre_d = z_q;
        ip_row_busy_d = 1'b0;
      end
      InEvent: begin
        ip_pa_d = 1'b1;
        ip_pa_src_d = sequencer_pkg::PA_W_IN;
        ip_pa_base_d = '0;
        ip_pa_lanes_d = lanes_upto(0, NumRec);
        ip_row_d = 32'(aer_addr_i);
        ip_ch_d = 1;
        if (32'(aer_addr_i) < NumIn && 32'(in_cnt_q[32'(aer_addr_i) * 8 +: 8]) < eligo_pkg::IN_COUNT_MAX) begin
          ip_in_cnt_d[32'(aer_addr_i) * 8 +: 8] = in_cnt_q[32'(aer_addr_i) * 8 +: 8] + 8'd1;
        end
        ip_row_busy_d = ChRec > 1;
      end
      default: ;
    endcase
  end
  assign row_d = st_q == StIn ? ip_row_d : nx_row_d;
  assign ch_d = st_q == StIn ? ip_ch_d : nx_ch_d;
  assign row_busy_d = st_q == StIn ? ip_row_busy_d : nx_row_busy_d;
  assign scan_d = st_q == StIn ? ip_scan_d : nx_scan_d;
  assign zpre_d = st_q == StIn ? ip_zpre_d : nx_zpre_d;
  assign in_cnt_d = st_q == StIn ? ip_in_cnt_d : nx_in_cnt_d;
  assign pa_d = st_q == StIn ? ip_pa_d : nx_pa_d;
  assign pa_src_d = st_q == StIn ? ip_pa_src_d : nx_pa_src_d;
  assign pa_base_d = st_q == StIn ? ip_pa_base_d : nx_pa_base_d;
  assign pa_lanes_d = st_q == StIn ? ip_pa_lanes_d : nx_pa_lanes_d;

  always @* begin
    nx_row_d = row_q;
    nx_ch_d = ch_q;
    nx_row_busy_d = row_busy_q;
    nx_scan_d = scan_q;
    z_d = z_q;
    nx_zpre_d = zpre_q;
    nx_in_cnt_d = in_cnt_q;
    act_in_d = act_in_q;
    act_rec_d = act_rec_q;
    nx_pa_d = 1'b0;
    nx_pa_src_d = pa_src_q;
    nx_pa_base_d = pa_base_q;
    nx_pa_lanes_d = '0;
    unique case (st_q)
      StIn: ;  // ip_* above
      StRst: begin
        if (cyc_q == 0 && sub_q == sequencer_pkg::SUB_RST_CLEAR) z_d = '0;
        if (sub_q == sequencer_pkg::SUB_RST_LEARN && cyc_q + 1 == ChRec + ChNp) begin
          nx_row_d = 0;
          nx_ch_d = 0;
        end
        if (sub_q == sequencer_pkg::SUB_RST_ROWS) begin
          nx_ch_d = ch_q + 1;
          if (ch_q + 1 == ChRec) begin
            nx_ch_d = 0;
            nx_row_d = row_q + 1;
          end
        end
      end
      StRec, StOut: if (row_chunk) begin
        if (!row_busy_q) nx_scan_d[32'(scan_low)] = 1'b0;
        nx_pa_d = 1'b1;
        nx_pa_src_d = st_q == StRec ? sequencer_pkg::PA_W_REC : sequencer_pkg::PA_W_OUT;
        nx_pa_base_d = RecW'(rec_ch * Lanes);
        nx_pa_lanes_d = row_lanes;
        nx_row_d = rec_row;
        nx_ch_d = rec_ch + 1;
        nx_row_busy_d = !row_last;
      end else if (st_q == StOut && sub_q == sequencer_pkg::SUB_OUT_Y && cyc_q == ChOut) begin
        nx_row_d = 0;
        nx_ch_d = 0;
      end
      StNeu: begin
        if (neu_wr) begin
          for (int l = 0; l < Lanes; l++) if (neu_lanes[l]) z_d[32'(acc_rd_base_o) + l] = neu_spike_i[l];
        end
        if (cyc_q == ChRec + 1) begin
          nx_scan_d = z_q;
          nx_row_busy_d = 1'b0;
        end
      end
      StUpd: begin
        if (sub_q == sequencer_pkg::SUB_UPD_REC && row_q == 0 && ch_q == 0) begin  // first cycle (nothing retires)
          act_in_d = '0;
          act_rec_d = '0;
        end
        if (rp_q && rp_sub_q == sequencer_pkg::SUB_UPD_REC) begin
          if (rp_row_q < NumIn) act_in_d = act_in_q + 32'(popcount(upd_new_active_i));
          else act_rec_d = act_rec_q + 32'(popcount(upd_new_active_i));
        end
      end
      StRwr: if (rw_wr_i) begin
        if (rw_rec_i) act_rec_d = act_rec_q + 1;
        else act_in_d = act_in_q + 1;
      end
      StDone: nx_in_cnt_d = '0;
      default: ;
    endcase
    if (in_pass_now) begin
      {nx_row_d, nx_ch_d} = cur[63:0];
      if (pass_done) begin
        nx_row_d = 0;
        nx_ch_d = 0;
      end
    end
  end

  // The retire stage: the chunk read at the cursor this cycle retires the next.
  always @* begin
    rp_d = in_pass_now;
    rp_sub_d = in_pass_now ? sub_q : rp_sub_q;
    rp_row_d = in_pass_now ? row_q : rp_row_q;
    rp_ch_d = in_pass_now ? ch_q : rp_ch_q;
    rp_lanes_d = '0;
    unique case (st_q)
      StLrn: if (in_pass_now) rp_lanes_d = lanes_upto(ch_q * Lanes, NumOut);
      StOgr: if (in_pass_now) rp_lanes_d = lanes_upto(ch_q * Lanes, sub_q == sequencer_pkg::SUB_OGR_ZBAR ? NumRec : NumOut);
      StTrc: if (in_pass_now) rp_lanes_d = lanes_upto(ch_q * Lanes, sub_q == sequencer_pkg::SUB_TRC_PRE ? NumPre : NumRec);
      StUpd: if (in_pass_now) rp_lanes_d = lanes_upto(ch_q * Lanes, sub_q == sequencer_pkg::SUB_UPD_REC ? NumRec : NumOut);
      default: ;
    endcase
  end

  // ---------------------------------------------------------------------------------------------
  // Reads: rq[m] = one request of memory m
  // The IN phase's requests (ip_rq, from the pins) and the other phases' (nx_rq), as above.
  logic [NumMems*RqW-1:0] rq, ip_rq, nx_rq;
  always @* begin
    ip_rq = '0;
    unique case (in_op)
      InChunk: ip_rq[MWIn*RqW +: RqW] = rd_chunk(row_q * NumRec, ch_q, NumRec);
      InHost:  if (!host_q) ip_rq[32'(mem_id_i)*RqW +: RqW] = rd(32'(mem_addr_i), '0);  // not counted
      InEvent: ip_rq[MWIn*RqW +: RqW] = rd_chunk(32'(aer_addr_i) * NumRec, 0, NumRec);
      default: ;
    endcase
  end
  assign rq = st_q == StIn ? ip_rq : nx_rq;
  always @* begin
    nx_rq = '0;
    unique case (st_q)
      StIn: ;  // ip_rq above
      StRec: if (row_go) nx_rq[MWRec*RqW +: RqW] = rd_chunk(rec_row * NumRec, rec_ch, NumRec);
      StNeu: if (cyc_q < ChRec) begin
        nx_rq[MState*RqW +: RqW] = rd_chunk(0, cyc_q, NumRec);
        if (learn_i && trc_acc_i) nx_rq[MPsi*RqW +: RqW] = rd_chunk(0, cyc_q, NumRec);
      end
      StOut: begin
        if (sub_q == sequencer_pkg::SUB_OUT_ROWS && row_go) nx_rq[MWOut*RqW +: RqW] = rd_chunk(rec_row * NumOut, rec_ch, NumOut);
        if (sub_q == sequencer_pkg::SUB_OUT_Y && cyc_q < ChOut) nx_rq[MY*RqW +: RqW] = rd_chunk(0, cyc_q, NumOut);
      end
      StLrn: begin
        if (sub_q == sequencer_pkg::SUB_LRN_ERR) nx_rq[MY*RqW +: RqW] = rd_chunk(0, ch_q, NumOut);
        if (sub_q == sequencer_pkg::SUB_LRN_SIG) nx_rq[(fb_symmetric_i ? MWOut : MBfb)*RqW +: RqW] = rd_chunk(row_q * NumOut, ch_q, NumOut);
      end
      StOgr: begin
        if (sub_q == sequencer_pkg::SUB_OGR_ZBAR) nx_rq[MZbar*RqW +: RqW] = rd_chunk(0, ch_q, NumRec);
        if (sub_q == sequencer_pkg::SUB_OGR_GRAD) begin
          nx_rq[MGrad*RqW +: RqW] = rd_chunk(OutBase + row_q * NumOut, ch_q, NumOut);
          if (ch_q == 0) nx_rq[MZbar*RqW +: RqW] = rd_word(row_q);  // zbar_j of the row
        end
      end
      StTrc: begin
        if (sub_q == sequencer_pkg::SUB_TRC_PRE) nx_rq[MEpsv*RqW +: RqW] = rd_chunk(0, ch_q, NumPre);
        if (sub_q == sequencer_pkg::SUB_TRC_SYN) begin
          nx_rq[MPsi*RqW +: RqW] = rd_chunk(0, ch_q, NumRec);
          if (!trc_fact_i) begin
            if (alif_lanes(ch_q * Lanes) != '0)
              nx_rq[MEpsa*RqW +: RqW] = rd(epsa_addr(row_q, ch_q * Lanes), alif_lanes(ch_q * Lanes));
            if (!trc_hold_i) nx_rq[MEbar*RqW +: RqW] = rd_chunk(row_q * NumRec, ch_q, NumRec);
          end
          if (target_valid_i && !trc_hold_i) begin
            nx_rq[MLsig*RqW +: RqW] = rd_chunk(0, ch_q, NumRec);
            nx_rq[MGrad*RqW +: RqW] = rd_chunk(row_q * NumRec, ch_q, NumRec);
          end
          if (ch_q == 0) nx_rq[MEpsv*RqW +: RqW] = rd_word(row_q);  // eps_v of the row's source
        end
      end
      StUpd: begin
        if (sub_q == sequencer_pkg::SUB_UPD_REC) begin
          if (row_q < NumIn) nx_rq[MWIn*RqW +: RqW] = rd_chunk(row_q * NumRec, ch_q, NumRec);
          else nx_rq[MWRec*RqW +: RqW] = rd_chunk((row_q - NumIn) * NumRec, ch_q, NumRec);
          nx_rq[MGrad*RqW +: RqW] = rd_chunk(row_q * NumRec, ch_q, NumRec);
        end
        if (sub_q == sequencer_pkg::SUB_UPD_OUT) begin
          nx_rq[MWOut*RqW +: RqW] = rd_chunk(row_q * NumOut, ch_q, NumOut);
          nx_rq[MGrad*RqW +: RqW] = rd_chunk(OutBase + row_q * NumOut, ch_q, NumOut);
        end
      end
      StRwr: if (rw_rd_i) nx_rq[(rw_rec_i ? MWRec : MWIn)*RqW +: RqW] = rd_word(32'(rw_addr_i));
      default: ;
    endcase
  end
  assign rq_o = rq;

  // ---------------------------------------------------------------------------------------------
  // Writes: wq[m] = one request of memory m (lanes, address); the data source
  logic [NumMems*WqW-1:0] wq;
  logic [3:0] wsrc, wmem;
  logic host_we;
  logic [3:0] upd_mem;    // the matrix of the retired UPD chunk
  logic [31:0] upd_addr;  // its address in that matrix
  assign upd_mem = rp_w_out ? 4'(MWOut) : rp_row_q < NumIn ? 4'(MWIn) : 4'(MWRec);
  assign upd_addr = rp_w_out ? rp_row_q * NumOut + rp_j0
                             : (rp_row_q < NumIn ? rp_row_q : rp_row_q - NumIn) * NumRec + rp_j0;
  always @* begin
    wq = '0;
    wsrc = sequencer_pkg::WSRC_ZERO;
    wmem = 4'(MWIn);
    host_we = 1'b0;
    unique case (st_q)
      // The host's write of the merged word, in the access's second cycle (in_op == InHost with
      // host_q), to the memory and address latched in its first (host_*_q).
      StIn: if (host_q && !row_busy_q && host_we_q) begin
        wsrc = sequencer_pkg::WSRC_HOST;
        wmem = host_id_q;
        host_we = 1'b1;
        wq[32'(host_id_q)*WqW +: WqW] = wr(32'(host_addr_q), '0);
      end
      StRst: begin  // zeros
        unique case (sub_q)
          sequencer_pkg::SUB_RST_CLEAR:
            if (cyc_q < ChRec) wq[MState*WqW +: WqW] = wr(cyc_q * Lanes, lanes_upto(cyc_q * Lanes, NumRec));
            else wq[MY*WqW +: WqW] = wr((cyc_q - ChRec) * Lanes, lanes_upto((cyc_q - ChRec) * Lanes, NumOut));
          sequencer_pkg::SUB_RST_LEARN:
            if (cyc_q < ChRec) wq[MZbar*WqW +: WqW] = wr(cyc_q * Lanes, lanes_upto(cyc_q * Lanes, NumRec));
            else wq[MEpsv*WqW +: WqW] = wr((cyc_q - ChRec) * Lanes, lanes_upto((cyc_q - ChRec) * Lanes, NumPre));
          sequencer_pkg::SUB_RST_ROWS: begin
            wq[MEpsa*WqW +: WqW] = wr(epsa_addr(row_q, ch_q * Lanes), epsa_lanes(ch_q * Lanes));
            wq[MEbar*WqW +: WqW] = wr(row_q * NumRec + ch_q * Lanes, lanes_upto(ch_q * Lanes, NumRec));
          end
          default: ;
        endcase
      end
      StNeu: if (neu_wr) begin
        wsrc = sequencer_pkg::WSRC_NEU;
        wq[MState*WqW +: WqW] = wr(32'(acc_rd_base_o), neu_lanes);
        if (learn_i) wq[MPsi*WqW +: WqW] = wr(32'(acc_rd_base_o), neu_lanes);
      end
      StOut: if (sub_q == sequencer_pkg::SUB_OUT_Y && cyc_q >= 1) begin
        wsrc = sequencer_pkg::WSRC_Y;
        wq[MY*WqW +: WqW] = wr(32'(ro_y_base_o), lanes_upto(32'(ro_y_base_o), NumOut));
      end
      StRwr: if (rw_wr_i) begin
        wsrc = sequencer_pkg::WSRC_RWR;
        wmem = rw_rec_i ? 4'(MWRec) : 4'(MWIn);
        wq[(rw_rec_i ? MWRec : MWIn)*WqW +: WqW] = wr(32'(rw_addr_i), Lanes'(1));
      end
      default: ;
    endcase
    // The retiring learning chunk.
    unique case (rt)
      sequencer_pkg::RT_LRN_SIG: if (rp_last_o) begin  // L_j, once its last readout chunk is summed
        wsrc = sequencer_pkg::WSRC_LSIG;
        wq[MLsig*WqW +: WqW] = wr(rp_row_q, Lanes'(1));
      end
      sequencer_pkg::RT_OGR_ZBAR: begin
        wsrc = sequencer_pkg::WSRC_ZBAR;
        wq[MZbar*WqW +: WqW] = wr(rp_j0, rp_lanes_q);
      end
      sequencer_pkg::RT_OGR_GRAD: begin
        wsrc = sequencer_pkg::WSRC_OGR;
        wq[MGrad*WqW +: WqW] = wr(OutBase + rp_row_q * NumOut + rp_j0, rp_lanes_q);
      end
      sequencer_pkg::RT_TRC_PRE: begin
        wsrc = sequencer_pkg::WSRC_EPSV;
        wq[MEpsv*WqW +: WqW] = wr(rp_j0, rp_lanes_q);
      end
      sequencer_pkg::RT_TRC_SYN: begin
        wsrc = sequencer_pkg::WSRC_SYN;
        if (!trc_fact_i) begin
          wq[MEpsa*WqW +: WqW] = wr(epsa_addr(rp_row_q, rp_j0), epsa_lanes(rp_j0));
          if (!trc_hold_i) wq[MEbar*WqW +: WqW] = wr(rp_row_q * NumRec + rp_j0, rp_lanes_q);
        end
        if (target_valid_i && !trc_hold_i) wq[MGrad*WqW +: WqW] = wr(rp_row_q * NumRec + rp_j0, rp_lanes_q);
      end
      sequencer_pkg::RT_UPD: begin
        wsrc = sequencer_pkg::WSRC_UPD;
        wmem = upd_mem;
        wq[32'(upd_mem)*WqW +: WqW] = wr(upd_addr, upd_act_i);
        wq[MGrad*WqW +: WqW] = wr(rp_w_out ? OutBase + rp_row_q * NumOut + rp_j0 : rp_row_q * NumRec + rp_j0,
                                  rp_lanes_q);
      end
      default: ;
    endcase
  end
  assign wq_o = wq;
  assign wsrc_o = wsrc;
  assign wmem_o = wmem;
  assign host_we_o = host_we;

  // ---------------------------------------------------------------------------------------------
  // Events: phase and idle cycles, done / overrun, operation counts, unit strobes
  logic phase_cycle, idle_cycle, ts_end;
  logic [3:0] phase_now;
  logic in_phase_cycle;   // IN: an input chunk or the end-of-timestep beat (not idle)
  assign in_phase_cycle = in_op == InChunk || in_op == InEot || in_op == InEvent;
  // The IN phase's events (ip_*, from the pins) and the other phases' (nx_*), as above.
  logic ip_sample_end, nx_sample_end, ip_set_done, nx_set_done, nx_phase_cycle, nx_idle_cycle;
  logic ip_aer_ready, ip_mem_ack, ip_mem_err, ip_host_done;
  always @* begin
    ip_sample_end = 1'b0;
    ip_set_done = 1'b0;
    ip_aer_ready = in_op == InEot || in_op == InEvent || in_op == InWait;
    ip_mem_ack = 1'b0;
    ip_mem_err = 1'b0;
    ip_host_done = 1'b0;
    if (in_op == InHost && host_q) begin
      ip_mem_ack = 1'b1;
      ip_host_done = 1'b1;
    end
    if (in_op == InEnd && !(cmd_update_i && learn_i && (!online_i || deepr_i))) begin
      ip_sample_end = 1'b1;
      ip_set_done = 1'b1;
    end
    if (mem_req_i && ts_open_q && !host_q) begin  // busy: the access is refused
      ip_mem_ack = 1'b1;
      ip_mem_err = 1'b1;
    end
  end
  assign phase_cycle = st_q == StIn ? in_phase_cycle : nx_phase_cycle;
  assign idle_cycle = st_q == StIn ? !in_phase_cycle : nx_idle_cycle;
  assign sample_end_o = st_q == StIn ? ip_sample_end : nx_sample_end;
  assign set_done_o = st_q == StIn ? ip_set_done : nx_set_done;
  assign aer_ready_o = st_q == StIn && ip_aer_ready;
  assign mem_ack_o = st_q == StIn && ip_mem_ack;
  assign mem_err_o = st_q == StIn && ip_mem_err;
  assign host_done_o = st_q == StIn && ip_host_done;

  always @* begin
    phase_now = eligo_pkg::PhIn;
    nx_phase_cycle = 1'b1;
    nx_idle_cycle = 1'b0;
    ts_end = 1'b0;
    nx_sample_end = 1'b0;
    nx_set_done = 1'b0;
    set_overrun_o = 1'b0;
    acc_clear_o = 1'b0;
    acc_clr_o = 1'b0;
    acc_clr_lanes_o = '0;
    ro_clear_o = 1'b0;
    unique case (st_q)
      StIn: phase_now = eligo_pkg::PhIn;  // the rest: ip_* above
      StRst: begin
        phase_now = eligo_pkg::PhRst;
        if (sub_q == sequencer_pkg::SUB_RST_CLOSE && cyc_q == 1) nx_set_done = 1'b1;
        if (sub_q == sequencer_pkg::SUB_RST_CLEAR && cyc_q == 0) begin
          acc_clear_o = 1'b1;
          ro_clear_o = 1'b1;
        end
      end
      StRec: phase_now = eligo_pkg::PhRec;
      StNeu: begin
        phase_now = eligo_pkg::PhNeu;
        acc_clr_o = neu_wr;
        acc_clr_lanes_o = neu_wr ? neu_lanes : '0;
      end
      StOut: begin
        phase_now = eligo_pkg::PhOut;
        ro_clear_o = sub_q == sequencer_pkg::SUB_OUT_Y && cyc_q == ChOut;
      end
      StLrn: phase_now = eligo_pkg::PhLrn;
      StOgr: phase_now = eligo_pkg::PhOgr;
      StTrc: phase_now = eligo_pkg::PhTrc;
      StUpd: begin
        phase_now = eligo_pkg::PhUpd;
        if (sub_q == sequencer_pkg::SUB_UPD_CLOSE && cyc_q == 1 && end_q && !deepr_i) begin
          nx_sample_end = 1'b1;
          nx_set_done = 1'b1;
        end
      end
      StRwr: begin
        phase_now = eligo_pkg::PhRwr;
        if (rw_done_i) begin
          nx_sample_end = 1'b1;
          nx_set_done = 1'b1;
        end
      end
      default: begin  // StDone: the end of the timestep (no cycle of any phase)
        nx_phase_cycle = 1'b0;
        nx_idle_cycle = 1'b1;
        ts_end = 1'b1;
        nx_set_done = 1'b1;
        set_overrun_o = ts_budget_i != 0 && ts_cyc_q > ts_budget_i;
      end
    endcase
  end

  // Operation counts of this cycle.
  assign neu_updates_o = neu_wr ? popcount(neu_lanes) : 8'd0;
  assign trace_updates_o = rt == sequencer_pkg::RT_TRC_PRE ? 8'(2 * popcount(rp_lanes_q)) : rt == sequencer_pkg::RT_TRC_SYN ? popcount(rp_lanes_q) : 8'd0;
  assign learn_macs_o = (rt == sequencer_pkg::RT_LRN_SIG || rt == sequencer_pkg::RT_OGR_GRAD || (rt == sequencer_pkg::RT_TRC_SYN && target_valid_i && !trc_hold_i))
                        ? popcount(rp_lanes_q) : 8'd0;
  assign weight_updates_o = rt == sequencer_pkg::RT_UPD ? popcount(upd_act_i) : 8'd0;
  assign prunes_o = rt == sequencer_pkg::RT_UPD && deepr_i && !rp_w_out ? popcount(upd_act_i & upd_pruned_i) : 8'd0;
  assign reactivations_o = st_q == StRwr && rw_wr_i ? 8'd1 : 8'd0;
  assign probes_o = st_q == StRwr && rw_rd_i ? 8'd1 : 8'd0;

  // Unit strobes.
  assign acc_add_o = pa_q && pa_src_q != sequencer_pkg::PA_W_OUT;  // the weight chunk read last cycle arrives
  assign ro_add_o = pa_q && pa_src_q == sequencer_pkg::PA_W_OUT;
  assign pa_src_o = pa_src_q;
  assign pa_base_o = pa_base_q;
  assign pa_lanes_o = pa_lanes_q;
  assign rw_start_o = st_q == StRwr && cyc_q == 0;
  assign draw_next_o = rt == sequencer_pkg::RT_UPD ? upd_act_i : '0;
  assign rt_o = rt;
  assign rp_sub_o = rp_sub_q;
  assign rp_row_o = rp_row_q;
  assign rp_ch_o = rp_ch_q;
  assign rp_lanes_o = rp_lanes_q;
  assign rp_last_o = rp_ch_q + 1 == ChOut;
  assign z_o = z_q;
  assign zpre_o = zpre_q;
  assign in_cnt_o = in_cnt_q;
  assign act_in_o = act_in_q;
  assign act_rec_o = act_rec_q;
  assign busy_o = ts_open_q || st_q != StIn;
  assign phase_o = phase_now;
  assign phase_valid_o = phase_cycle;
  assign idle_o = idle_cycle;
  assign ts_end_o = ts_end;

  // Timestep cycle count (overrun check): phase cycles of the timestep, RST and END_SAMPLE's
  // passes excepted.
  always @* begin
    ts_cyc_d = ts_cyc_q;
    if (phase_cycle && st_q != StRst && !end_q) ts_cyc_d = ts_cyc_q + 1;
    if (ts_end) ts_cyc_d = 0;
  end

  // ---------------------------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      host_id_q <= '0;
      host_addr_q <= '0;
      host_we_q <= 1'b0;
    end else if (mem_req_i) begin
      host_id_q <= mem_id_i;
      host_addr_q <= mem_addr_i;
      host_we_q <= mem_we_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_q <= StIn;
      sub_q <= '0;
      ts_open_q <= 1'b0;
      cyc_q <= '0;
      row_q <= '0;
      ch_q <= '0;
      row_busy_q <= 1'b0;
      z_q <= '0;
      scan_q <= '0;
      ts_cyc_q <= '0;
      host_q <= 1'b0;
      end_q <= 1'b0;
      in_cnt_q <= '0;
      zpre_q <= '0;
      act_in_q <= '0;
      act_rec_q <= '0;
      pa_q <= 1'b0;
      pa_src_q <= '0;
      pa_base_q <= '0;
      pa_lanes_q <= '0;
      rp_q <= 1'b0;
      rp_sub_q <= '0;
      rp_row_q <= '0;
      rp_ch_q <= '0;
      rp_lanes_q <= '0;
    end else begin
      st_q <= st_d;
      sub_q <= sub_d;
      ts_open_q <= ts_open_d;
      cyc_q <= cyc_d;
      row_q <= row_d;
      ch_q <= ch_d;
      row_busy_q <= row_busy_d;
      z_q <= z_d;
      scan_q <= scan_d;
      ts_cyc_q <= ts_cyc_d;
      host_q <= host_d;
      end_q <= end_d;
      in_cnt_q <= in_cnt_d;
      zpre_q <= zpre_d;
      act_in_q <= act_in_d;
      act_rec_q <= act_rec_d;
      pa_q <= pa_d;
      pa_src_q <= pa_src_d;
      pa_base_q <= pa_base_d;
      pa_lanes_q <= pa_lanes_d;
      rp_q <= rp_d;
      rp_sub_q <= rp_sub_d;
      rp_row_q <= rp_row_d;
      rp_ch_q <= rp_ch_d;
      rp_lanes_q <= rp_lanes_d;
    end
  end

endmodule
