// eligo core, top level: APB registers, AER input, the phase sequencer and the units, thirteen
// SRAM-like memories and the performance counters. docs/architecture.md describes the schedule;
// the bit-exact twin is golden_model/chip/core.cpp, which must produce the same memory writes in
// the same order and the same cycles per phase.
//
// This RTL implements RST, IN, REC, NEU and OUT (inference; the learning phases LRN, OGR, TRC,
// UPD and RWR come with the learning units). With CTRL.LEARN set it still clears the learning
// memories in RST and writes PSI in NEU, as the model does.
//
// Write monitor (observation only): per memory m and lane l, mon_we_o[m*Lanes+l] with the
// lane's word at mon_addr_o[m] + l and data mon_data_o[(m*Lanes+l)*64 +: 64]. Host (APB) writes
// are not shown, as the model's host writes are not in its write stream.
module eligo_core #(
  parameter int NumIn = 40,
  parameter int NumRec = 40,
  parameter int NumOut = 2,
  parameter int NumAlif = 20,
  parameter int Lanes = 4
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // APB
  input  logic        psel_i,
  input  logic        penable_i,
  input  logic        pwrite_i,
  input  logic [23:0] paddr_i,
  input  logic [31:0] pwdata_i,
  output logic [31:0] prdata_o,
  output logic        pready_o,
  output logic        pslverr_o,
  // AER input events; a beat with aer_eot_i ends the timestep
  input  logic        aer_valid_i,
  output logic        aer_ready_o,
  input  logic [7:0]  aer_addr_i,
  input  logic        aer_eot_i,
  output logic        irq_o,
  output logic        busy_o,
  output logic [3:0]  phase_o,        // phase of this cycle (eligo_pkg::phase_e) ...
  output logic        phase_valid_o,  // ... when the cycle belongs to a phase (not idle)
  // Write monitor
  output logic [eligo_pkg::NUM_MEMS*Lanes-1:0]    mon_we_o,
  output logic [eligo_pkg::NUM_MEMS*20-1:0]       mon_addr_o,
  output logic [eligo_pkg::NUM_MEMS*Lanes*64-1:0] mon_data_o
);

  // ---------------------------------------------------------------------------------------------
  // Sizes and constants
  localparam int NumMems = eligo_pkg::NUM_MEMS;
  localparam int NumPre = NumIn + NumRec;
  localparam int FirstAlif = NumRec - NumAlif;
  localparam int ChRec = (NumRec + Lanes - 1) / Lanes;
  localparam int ChOut = (NumOut + Lanes - 1) / Lanes;
  localparam int ChEpsv = (2 * NumPre + Lanes - 1) / Lanes;
  localparam int AW = 20;
  localparam int WB = eligo_pkg::WORD_BITS;
  localparam int NumCnt = eligo_pkg::NUM_COUNTERS + 2 * NumMems;

  // Memory ids used by the inference datapath (B_FB, GRAD and LSIG: learning units).
  localparam int MState = 0, MPsi = 1, MY = 2, MWIn = 3, MWRec = 4, MWOut = 5, MEpsv = 7,
                 MEpsa = 8, MEbar = 9, MZbar = 11;

  // ---------------------------------------------------------------------------------------------
  // Memories: every port as a slice of a flat vector indexed by memory id; data 64 bits per lane.
  logic [NumMems-1:0]          m_re;
  logic [NumMems*AW-1:0]       m_raddr;
  logic [NumMems*Lanes*64-1:0] m_rdata;
  logic [NumMems*Lanes-1:0]    m_cwe;     // core writes (monitored)
  logic [NumMems*Lanes-1:0]    m_hwe;     // host writes (APB)
  logic [NumMems*AW-1:0]       m_waddr;
  logic [NumMems*Lanes*64-1:0] m_wdata;
  logic [NumMems*8-1:0]        m_rcnt;    // words read by the core this cycle

  for (genvar m = 0; m < NumMems; m++) begin : g_mem
    localparam int W = eligo_pkg::mem_bits(m);
    logic [Lanes*W-1:0] rdata, wdata;
    for (genvar l = 0; l < Lanes; l++) begin : g_lane
      assign wdata[l*W +: W] = m_wdata[(m*Lanes+l)*64 +: W];
      assign m_rdata[(m*Lanes+l)*64 +: 64] = 64'(rdata[l*W +: W]);
    end
    sram #(.Width(W), .Depth(eligo_pkg::mem_depth(m, NumIn, NumRec, NumOut, NumAlif)), .Lanes(Lanes), .AddrW(AW)) u_sram (
      .clk_i,
      .re_i(m_re[m]),
      .raddr_i(m_raddr[m*AW +: AW]),
      .rdata_o(rdata),
      .we_i(m_cwe[m*Lanes +: Lanes] | m_hwe[m*Lanes +: Lanes]),
      .waddr_i(m_waddr[m*AW +: AW]),
      .wdata_i(wdata)
    );
  end

  assign mon_we_o = m_cwe;
  assign mon_addr_o = m_waddr;
  assign mon_data_o = m_wdata;

  // ---------------------------------------------------------------------------------------------
  // Registers (APB)
  logic learn, spike_ge, irq_en, target_valid;
  logic [31:0] ts_budget;
  logic [23:0] lif_alpha, lif_zeta, lif_thr, lif_inv_thr, lif_psi_scale;
  logic [23:0] alif_alpha, alif_zeta, alif_thr, alif_inv_thr, alif_psi_scale;
  logic [23:0] alif_rho, alif_beta, kappa, c_out;
  logic [3:0] lif_nref, alif_nref;
  logic cmd_start, cmd_end, cmd_update, cmd_clear, done;
  logic set_done, set_overrun;
  logic [5:0] cnt_sel;
  logic [63:0] cnt_value;
  logic mem_req, mem_we, mem_hi, mem_ack, mem_err;
  logic [3:0] mem_id;
  logic [16:0] mem_word;
  logic [31:0] mem_wdata, mem_rdata;
  logic busy;

  // Registers that the inference datapath does not use yet (learning units).
  /* verilator lint_off UNUSEDSIGNAL */
  logic online, deepr, fb_symmetric, seed_write, cmd_update_unused, target_valid_unused;
  logic [15:0] lr_mant, l1, noise;
  logic [5:0] lr_shift;
  logic [31:0] k_in, k_rec, seed_upd, seed_rwr;
  logic [16*24-1:0] targets;
  /* verilator lint_on UNUSEDSIGNAL */
  assign cmd_update_unused = cmd_update;
  assign target_valid_unused = target_valid;

  apb_regs #(.NumIn(NumIn), .NumRec(NumRec), .NumOut(NumOut), .NumAlif(NumAlif), .Lanes(Lanes)) u_regs (
    .clk_i, .rst_ni, .psel_i, .penable_i, .pwrite_i, .paddr_i, .pwdata_i, .prdata_o, .pready_o,
    .pslverr_o,
    .learn_o(learn), .online_o(online), .deepr_o(deepr), .fb_symmetric_o(fb_symmetric),
    .spike_ge_o(spike_ge), .irq_en_o(irq_en), .ts_budget_o(ts_budget),
    .target_valid_o(target_valid), .lr_mant_o(lr_mant), .lr_shift_o(lr_shift), .l1_o(l1),
    .noise_o(noise), .k_in_o(k_in), .k_rec_o(k_rec), .seed_upd_o(seed_upd), .seed_rwr_o(seed_rwr),
    .seed_write_o(seed_write),
    .lif_alpha_o(lif_alpha), .lif_zeta_o(lif_zeta), .lif_thr_o(lif_thr),
    .lif_inv_thr_o(lif_inv_thr), .lif_psi_scale_o(lif_psi_scale), .lif_nref_o(lif_nref),
    .alif_alpha_o(alif_alpha), .alif_zeta_o(alif_zeta), .alif_thr_o(alif_thr),
    .alif_inv_thr_o(alif_inv_thr), .alif_psi_scale_o(alif_psi_scale), .alif_nref_o(alif_nref),
    .alif_rho_o(alif_rho), .alif_beta_o(alif_beta), .kappa_o(kappa), .c_out_o(c_out),
    .targets_o(targets),
    .cmd_start_o(cmd_start), .cmd_end_o(cmd_end), .cmd_update_o(cmd_update),
    .cmd_clear_o(cmd_clear), .busy_i(busy), .set_done_i(set_done), .set_overrun_i(set_overrun),
    .set_kerror_i(1'b0), .done_o(done), .cnt_sel_o(cnt_sel), .cnt_value_i(cnt_value),
    .mem_req_o(mem_req), .mem_we_o(mem_we), .mem_id_o(mem_id), .mem_word_o(mem_word),
    .mem_hi_o(mem_hi), .mem_wdata_o(mem_wdata), .mem_ack_i(mem_ack), .mem_err_i(mem_err),
    .mem_rdata_i(mem_rdata)
  );

  // ---------------------------------------------------------------------------------------------
  // Sequencer state
  typedef enum logic [3:0] {
    StIn   = 4'd0,  // waiting for / accumulating input events (phase IN)
    StRst  = 4'd1,
    StRec  = 4'd2,
    StNeu  = 4'd3,
    StOut  = 4'd4,
    StDone = 4'd5
  } state_e;

  state_e st_q, st_d;
  logic ts_open_q, ts_open_d;          // a timestep has started (an event or EOT accepted)
  logic [31:0] cyc_q, cyc_d;           // cycle within the phase
  logic [1:0] seg_q, seg_d;            // RST segment / OUT part
  logic [31:0] row_q, row_d;           // current row (source) of a row pass
  logic [31:0] ch_q, ch_d;             // next chunk of the current row
  logic row_busy_q, row_busy_d;        // chunks of the current row remain
  logic [NumRec-1:0] z_q, z_d;         // spikes of the last NEU
  logic [NumRec-1:0] scan_q, scan_d;   // spikes still to be processed in REC / OUT
  logic [31:0] ts_cyc_q, ts_cyc_d;     // cycles of the current timestep (overrun)
  logic host_q, host_d;                // host memory access in flight

  // Accumulation pipeline (read data arrives one cycle after the read)
  logic pa_q, pa_d;                    // a weight chunk arrives this cycle
  logic [1:0] pa_src_q, pa_src_d;      // 0 W_IN, 1 W_REC, 2 W_OUT
  logic [8:0] pa_base_q, pa_base_d;
  logic [Lanes-1:0] pa_lanes_q, pa_lanes_d;

  // ---------------------------------------------------------------------------------------------
  // Units
  logic acc_clear, acc_add, acc_clr;
  logic [8:0] acc_rd_base;
  logic [Lanes-1:0] acc_clr_lanes;
  logic [Lanes*eligo_pkg::ACC_BITS-1:0] acc_rd;
  logic [7:0] acc_sops, ro_sops;
  logic [Lanes*WB-1:0] pa_words;

  always_comb begin
    for (int l = 0; l < Lanes; l++) begin
      unique case (pa_src_q)
        2'd0: pa_words[l*WB +: WB] = m_rdata[(MWIn*Lanes+l)*64 +: WB];
        2'd1: pa_words[l*WB +: WB] = m_rdata[(MWRec*Lanes+l)*64 +: WB];
        default: pa_words[l*WB +: WB] = m_rdata[(MWOut*Lanes+l)*64 +: WB];
      endcase
    end
  end

  synapse_acc #(.NumRec(NumRec), .Lanes(Lanes)) u_synapse_acc (
    .clk_i, .rst_ni, .clear_all_i(acc_clear), .add_i(acc_add), .add_base_i(pa_base_q),
    .add_lanes_i(pa_lanes_q), .add_words_i(pa_words), .sops_o(acc_sops),
    .rd_base_i(acc_rd_base), .rd_acc_o(acc_rd), .clr_i(acc_clr), .clr_lanes_i(acc_clr_lanes)
  );

  // Neuron lanes: chunk (cyc - 1) of NEU, from the STATE words read in the previous cycle.
  logic [Lanes*eligo_pkg::MEM_STATE_BITS-1:0] neu_state;
  logic [Lanes*eligo_pkg::PSI_BITS-1:0] neu_psi;
  logic [Lanes-1:0] neu_spike;
  for (genvar l = 0; l < Lanes; l++) begin : g_neuron
    logic alif;
    assign alif = 32'(acc_rd_base) + l >= FirstAlif;
    neuron_unit u_neuron (
      .state_i(m_rdata[(MState*Lanes+l)*64 +: eligo_pkg::MEM_STATE_BITS]),
      .acc_i(acc_rd[l*eligo_pkg::ACC_BITS +: eligo_pkg::ACC_BITS]),
      .is_alif_i(alif),
      .spike_ge_i(spike_ge),
      .alpha_i(alif ? alif_alpha : lif_alpha),
      .zeta_i(alif ? alif_zeta : lif_zeta),
      .thr_i(alif ? alif_thr : lif_thr),
      .inv_thr_i(alif ? alif_inv_thr : lif_inv_thr),
      .psi_scale_i(alif ? alif_psi_scale : lif_psi_scale),
      .n_ref_i(alif ? alif_nref : lif_nref),
      .rho_i(alif_rho),
      .beta_i(alif_beta),
      .state_o(neu_state[l*eligo_pkg::MEM_STATE_BITS +: eligo_pkg::MEM_STATE_BITS]),
      .psi_o(neu_psi[l*eligo_pkg::PSI_BITS +: eligo_pkg::PSI_BITS]),
      .spike_o(neu_spike[l])
    );
  end

  logic ro_clear, ro_add;
  logic [4:0] ro_y_base;
  logic [Lanes*eligo_pkg::Y_BITS-1:0] ro_y_old, ro_y_new;
  for (genvar l = 0; l < Lanes; l++) begin : g_y_old
    assign ro_y_old[l*eligo_pkg::Y_BITS +: eligo_pkg::Y_BITS] =
        m_rdata[(MY*Lanes+l)*64 +: eligo_pkg::Y_BITS];
  end
  readout_unit #(.NumOut(NumOut), .Lanes(Lanes)) u_readout (
    .clk_i, .rst_ni, .clear_i(ro_clear), .add_i(ro_add), .add_base_i(pa_base_q[4:0]),
    .add_lanes_i(pa_lanes_q), .add_words_i(pa_words), .sops_o(ro_sops), .y_base_i(ro_y_base),
    .y_old_i(ro_y_old), .kappa_i(kappa), .c_i(c_out), .y_new_o(ro_y_new)
  );

  // Row and chunk of a REC / OUT row pass: the current row, or the next spike's row.
  logic [31:0] rec_row, rec_ch;
  assign rec_row = row_busy_q ? row_q : 32'(lowest(scan_q));
  assign rec_ch = row_busy_q ? ch_q : 32'd0;
  // The word a host access read (its second cycle).
  logic [63:0] host_old;
  assign host_old = m_rdata[(mem_id*Lanes)*64 +: 64];
  // Valid lanes of the NEU chunk being written.
  logic [Lanes-1:0] neu_lanes;
  assign neu_lanes = lanes_upto(32'(acc_rd_base), NumRec);

  // Chunk bases of the neuron and readout lanes, from the registered state only.
  assign acc_rd_base = (st_q == StNeu && cyc_q >= 1) ? 9'((cyc_q - 1) * Lanes) : 9'd0;
  assign ro_y_base = (st_q == StOut && seg_q == 2'd1 && cyc_q >= 1) ? 5'((cyc_q - 1) * Lanes) : 5'd0;

  // ---------------------------------------------------------------------------------------------
  // Helpers
  function automatic logic [Lanes-1:0] lanes_upto(input integer base, input integer limit);
    for (int l = 0; l < Lanes; l++) lanes_upto[l] = (base + l) < limit;
  endfunction

  function automatic logic [7:0] popcount(input logic [Lanes-1:0] v);
    popcount = 8'd0;
    for (int l = 0; l < Lanes; l++) popcount = popcount + 8'(v[l]);
  endfunction

  // Lowest set bit of a spike vector.
  function automatic logic [8:0] lowest(input logic [NumRec-1:0] v);
    lowest = 9'd0;
    for (int j = NumRec - 1; j >= 0; j--) if (v[j]) lowest = 9'(j);
  endfunction

  // ---------------------------------------------------------------------------------------------
  // Counter increments of this cycle (spec::Counter order, then reads/writes per memory).
  logic [NumCnt*8-1:0] cnt_inc;
  logic [3:0] phase_now;      // phase whose cycle this is (eligo_pkg::phase_e)
  logic phase_cycle, idle_cycle, ts_end, sample_end;
  logic [7:0] neu_updates;

  always_comb begin
    // Defaults: nothing happens.
    st_d = st_q;
    ts_open_d = ts_open_q;
    cyc_d = cyc_q;
    seg_d = seg_q;
    row_d = row_q;
    ch_d = ch_q;
    row_busy_d = row_busy_q;
    z_d = z_q;
    scan_d = scan_q;
    host_d = host_q;
    pa_d = 1'b0;
    pa_src_d = pa_src_q;
    pa_base_d = pa_base_q;
    pa_lanes_d = '0;
    m_re = '0;
    m_raddr = '0;
    m_cwe = '0;
    m_hwe = '0;
    m_waddr = '0;
    m_wdata = '0;
    m_rcnt = '0;
    aer_ready_o = 1'b0;
    acc_clear = 1'b0;
    acc_add = 1'b0;
    acc_clr = 1'b0;
    acc_clr_lanes = '0;
    ro_clear = 1'b0;
    ro_add = 1'b0;
    mem_ack = 1'b0;
    mem_err = 1'b0;
    mem_rdata = '0;
    phase_now = eligo_pkg::PhIn;
    phase_cycle = 1'b0;
    idle_cycle = 1'b0;
    ts_end = 1'b0;
    sample_end = 1'b0;
    set_done = 1'b0;
    set_overrun = 1'b0;
    neu_updates = 8'd0;

    // Weight chunk read in the previous cycle: accumulate it.
    if (pa_q) begin
      if (pa_src_q == 2'd2) ro_add = 1'b1;
      else acc_add = 1'b1;
    end

    unique case (st_q)
      // ---- IN: events, then the end-of-timestep marker; commands and host access between steps
      StIn: begin
        phase_now = eligo_pkg::PhIn;
        if (row_busy_q) begin
          // Next chunk of the current input row.
          m_re[MWIn] = 1'b1;
          m_raddr[MWIn*AW +: AW] = AW'(row_q * NumRec + ch_q * Lanes);
          m_rcnt[MWIn*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumRec));
          pa_d = 1'b1;
          pa_src_d = 2'd0;
          pa_base_d = 9'(ch_q * Lanes);
          pa_lanes_d = lanes_upto(ch_q * Lanes, NumRec);
          ch_d = ch_q + 1;
          row_busy_d = (ch_q + 1) < ChRec;
          phase_cycle = 1'b1;
        end else if (host_q || (mem_req && !ts_open_q)) begin
          // Host memory access (not counted, not monitored): read, then write the merged word.
          if (!host_q) begin
            m_re[mem_id] = 1'b1;
            m_raddr[mem_id*AW +: AW] = AW'(mem_word);
            host_d = 1'b1;
          end else begin
            mem_rdata = mem_hi ? host_old[63:32] : host_old[31:0];
            if (mem_we) begin
              m_hwe[mem_id*Lanes] = 1'b1;
              m_waddr[mem_id*AW +: AW] = AW'(mem_word);
              m_wdata[(mem_id*Lanes)*64 +: 64] = mem_hi ? {mem_wdata, host_old[31:0]} : {host_old[63:32], mem_wdata};
            end
            mem_ack = 1'b1;
            host_d = 1'b0;
          end
          idle_cycle = 1'b1;
        end else if (!ts_open_q && cmd_start) begin
          st_d = StRst;
          cyc_d = 0;
          seg_d = 0;
          row_d = 0;
          ch_d = 0;
          idle_cycle = 1'b1;
        end else if (!ts_open_q && cmd_end) begin
          // END_SAMPLE (the update and rewiring phases come with the learning units).
          sample_end = 1'b1;
          set_done = 1'b1;
          idle_cycle = 1'b1;
        end else begin
          aer_ready_o = 1'b1;
          if (aer_valid_i && aer_eot_i) begin
            phase_cycle = 1'b1;
            st_d = StRec;
            scan_d = z_q;
            row_busy_d = 1'b0;
            ts_open_d = 1'b1;
          end else if (aer_valid_i) begin
            m_re[MWIn] = 1'b1;
            m_raddr[MWIn*AW +: AW] = AW'(32'(aer_addr_i) * NumRec);
            m_rcnt[MWIn*8 +: 8] = popcount(lanes_upto(0, NumRec));
            pa_d = 1'b1;
            pa_src_d = 2'd0;
            pa_base_d = 9'd0;
            pa_lanes_d = lanes_upto(0, NumRec);
            row_d = 32'(aer_addr_i);
            ch_d = 1;
            row_busy_d = ChRec > 1;
            ts_open_d = 1'b1;
            phase_cycle = 1'b1;
          end else begin
            idle_cycle = 1'b1;
          end
        end
        if (mem_req && ts_open_q && !host_q) begin
          mem_ack = 1'b1;  // busy: the access is refused
          mem_err = 1'b1;
        end
      end

      // ---- RST: STATE, Y, then (learning) ZBAR, EPSV, EPSA/EBAR rows; 2 more cycles
      StRst: begin
        phase_now = eligo_pkg::PhRst;
        phase_cycle = 1'b1;
        unique case (seg_q)
          2'd0: begin  // STATE, then Y
            if (cyc_q < ChRec) begin
              m_cwe[MState*Lanes +: Lanes] = lanes_upto(cyc_q * Lanes, NumRec);
              m_waddr[MState*AW +: AW] = AW'(cyc_q * Lanes);
            end else begin
              m_cwe[MY*Lanes +: Lanes] = lanes_upto((cyc_q - ChRec) * Lanes, NumOut);
              m_waddr[MY*AW +: AW] = AW'((cyc_q - ChRec) * Lanes);
            end
            cyc_d = cyc_q + 1;
            if (cyc_q + 1 == ChRec + ChOut) begin
              cyc_d = 0;
              seg_d = learn ? 2'd1 : 2'd3;
            end
          end
          2'd1: begin  // ZBAR, then EPSV
            if (cyc_q < ChRec) begin
              m_cwe[MZbar*Lanes +: Lanes] = lanes_upto(cyc_q * Lanes, NumRec);
              m_waddr[MZbar*AW +: AW] = AW'(cyc_q * Lanes);
            end else begin
              m_cwe[MEpsv*Lanes +: Lanes] = lanes_upto((cyc_q - ChRec) * Lanes, 2 * NumPre);
              m_waddr[MEpsv*AW +: AW] = AW'((cyc_q - ChRec) * Lanes);
            end
            cyc_d = cyc_q + 1;
            if (cyc_q + 1 == ChRec + ChEpsv) begin
              cyc_d = 0;
              seg_d = 2'd2;
              row_d = 0;
              ch_d = 0;
            end
          end
          2'd2: begin  // per source row: EPSA (ALIF lanes) and EBAR
            for (int l = 0; l < Lanes; l++) begin
              if (ch_q * Lanes + l < NumRec && ch_q * Lanes + l >= FirstAlif) begin
                m_cwe[MEpsa*Lanes + (ch_q * Lanes + l - ((ch_q * Lanes > FirstAlif) ? ch_q * Lanes : FirstAlif))] = 1'b1;
              end
            end
            m_waddr[MEpsa*AW +: AW] =
                AW'(row_q * NumAlif + ((ch_q * Lanes > FirstAlif) ? ch_q * Lanes : FirstAlif) - FirstAlif);
            m_cwe[MEbar*Lanes +: Lanes] = lanes_upto(ch_q * Lanes, NumRec);
            m_waddr[MEbar*AW +: AW] = AW'(row_q * NumRec + ch_q * Lanes);
            ch_d = ch_q + 1;
            if (ch_q + 1 == ChRec) begin
              ch_d = 0;
              row_d = row_q + 1;
              if (row_q + 1 == NumPre) begin
                seg_d = 2'd3;
                cyc_d = 0;
              end
            end
          end
          default: begin  // two closing cycles
            cyc_d = cyc_q + 1;
            if (cyc_q == 1) begin
              st_d = StIn;
              set_done = 1'b1;
            end
          end
        endcase
        if (cyc_q == 0 && seg_q == 2'd0) begin
          acc_clear = 1'b1;
          ro_clear = 1'b1;
          z_d = '0;
        end
      end

      // ---- REC: one W_REC row per spike of the previous timestep, then one drain cycle
      StRec: begin
        phase_now = eligo_pkg::PhRec;
        phase_cycle = 1'b1;
        if (row_busy_q || scan_q != '0) begin
          // Row rec_row, chunk rec_ch (see the assigns below the helpers).
          if (!row_busy_q) scan_d[32'(lowest(scan_q))] = 1'b0;
          m_re[MWRec] = 1'b1;
          m_raddr[MWRec*AW +: AW] = AW'(rec_row * NumRec + rec_ch * Lanes);
          m_rcnt[MWRec*8 +: 8] = popcount(lanes_upto(rec_ch * Lanes, NumRec));
          pa_d = 1'b1;
          pa_src_d = 2'd1;
          pa_base_d = 9'(rec_ch * Lanes);
          pa_lanes_d = lanes_upto(rec_ch * Lanes, NumRec);
          row_d = rec_row;
          ch_d = rec_ch + 1;
          row_busy_d = (rec_ch + 1) < ChRec;
        end else begin
          st_d = StNeu;
          cyc_d = 0;
        end
      end

      // ---- NEU: read chunk c in cycle c, update it in cycle c + 1; one closing cycle
      StNeu: begin
        phase_now = eligo_pkg::PhNeu;
        phase_cycle = 1'b1;
        if (cyc_q < ChRec) begin
          m_re[MState] = 1'b1;
          m_raddr[MState*AW +: AW] = AW'(cyc_q * Lanes);
          m_rcnt[MState*8 +: 8] = popcount(lanes_upto(cyc_q * Lanes, NumRec));
        end
        if (cyc_q >= 1 && cyc_q <= ChRec) begin
          acc_clr = 1'b1;
          acc_clr_lanes = neu_lanes;
          m_cwe[MState*Lanes +: Lanes] = neu_lanes;
          m_waddr[MState*AW +: AW] = AW'(acc_rd_base);
          for (int l = 0; l < Lanes; l++) begin
            m_wdata[(MState*Lanes+l)*64 +: 64] =
                64'(neu_state[l*eligo_pkg::MEM_STATE_BITS +: eligo_pkg::MEM_STATE_BITS]);
            m_wdata[(MPsi*Lanes+l)*64 +: 64] = 64'(neu_psi[l*eligo_pkg::PSI_BITS +: eligo_pkg::PSI_BITS]);
            if (neu_lanes[l]) z_d[32'(acc_rd_base) + l] = neu_spike[l];
          end
          if (learn) begin
            m_cwe[MPsi*Lanes +: Lanes] = neu_lanes;
            m_waddr[MPsi*AW +: AW] = AW'(acc_rd_base);
          end
          neu_updates = popcount(neu_lanes);
        end
        cyc_d = cyc_q + 1;
        if (cyc_q == ChRec + 1) begin
          st_d = StOut;
          seg_d = 0;
          scan_d = z_q;
          row_busy_d = 1'b0;
          cyc_d = 0;
        end
      end

      // ---- OUT: W_OUT row per new spike, a drain cycle, then the readout update
      StOut: begin
        phase_now = eligo_pkg::PhOut;
        phase_cycle = 1'b1;
        if (seg_q == 2'd0) begin
          if (row_busy_q || scan_q != '0) begin
            if (!row_busy_q) scan_d[32'(lowest(scan_q))] = 1'b0;
            m_re[MWOut] = 1'b1;
            m_raddr[MWOut*AW +: AW] = AW'(rec_row * NumOut + rec_ch * Lanes);
            m_rcnt[MWOut*8 +: 8] = popcount(lanes_upto(rec_ch * Lanes, NumOut));
            pa_d = 1'b1;
            pa_src_d = 2'd2;
            pa_base_d = 9'(rec_ch * Lanes);
            pa_lanes_d = lanes_upto(rec_ch * Lanes, NumOut);
            row_d = rec_row;
            ch_d = rec_ch + 1;
            row_busy_d = (rec_ch + 1) < ChOut;
          end else begin
            seg_d = 2'd1;  // this was the drain cycle
            cyc_d = 0;
          end
        end else begin
          if (cyc_q < ChOut) begin
            m_re[MY] = 1'b1;
            m_raddr[MY*AW +: AW] = AW'(cyc_q * Lanes);
            m_rcnt[MY*8 +: 8] = popcount(lanes_upto(cyc_q * Lanes, NumOut));
          end
          if (cyc_q >= 1) begin
            m_cwe[MY*Lanes +: Lanes] = lanes_upto(32'(ro_y_base), NumOut);
            m_waddr[MY*AW +: AW] = AW'(ro_y_base);
            for (int l = 0; l < Lanes; l++) begin
              m_wdata[(MY*Lanes+l)*64 +: 64] = 64'(ro_y_new[l*eligo_pkg::Y_BITS +: eligo_pkg::Y_BITS]);
            end
          end
          cyc_d = cyc_q + 1;
          if (cyc_q == ChOut) begin
            ro_clear = 1'b1;
            st_d = StDone;
          end
        end
      end

      // ---- end of the timestep (no cycle of any phase: the model's timestep ends with OUT)
      default: begin
        ts_end = 1'b1;
        set_done = 1'b1;
        set_overrun = ts_budget != 0 && ts_cyc_q > ts_budget;
        ts_open_d = 1'b0;
        st_d = StIn;
        idle_cycle = 1'b1;
      end
    endcase

  end

  // Timestep cycle count and counter increments of this cycle (a separate block: it reads what
  // the sequencer block writes).
  always_comb begin
    ts_cyc_d = ts_cyc_q;
    if (phase_cycle && st_q != StRst) ts_cyc_d = ts_cyc_q + 1;
    if (ts_end) ts_cyc_d = 0;

    // Counter increments.
    cnt_inc = '0;
    if (phase_cycle) cnt_inc[(eligo_pkg::CNT_CYCLES_RST + 32'(phase_now)) * 8 +: 8] = 8'd1;
    if (idle_cycle) cnt_inc[eligo_pkg::CNT_CYCLES_IDLE * 8 +: 8] = 8'd1;
    if (ts_end) cnt_inc[eligo_pkg::CNT_TIMESTEPS * 8 +: 8] = 8'd1;
    if (sample_end) cnt_inc[eligo_pkg::CNT_SAMPLES * 8 +: 8] = 8'd1;
    if (set_overrun) cnt_inc[eligo_pkg::CNT_OVERRUNS * 8 +: 8] = 8'd1;
    cnt_inc[eligo_pkg::CNT_SOPS * 8 +: 8] = acc_sops + ro_sops;
    cnt_inc[eligo_pkg::CNT_NEURON_UPDATES * 8 +: 8] = neu_updates;
    for (int m = 0; m < NumMems; m++) begin
      cnt_inc[(eligo_pkg::NUM_COUNTERS + 2 * m) * 8 +: 8] = m_rcnt[m*8 +: 8];
      cnt_inc[(eligo_pkg::NUM_COUNTERS + 2 * m + 1) * 8 +: 8] = popcount(m_cwe[m*Lanes +: Lanes]);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_q <= StIn;
      ts_open_q <= 1'b0;
      cyc_q <= '0;
      seg_q <= '0;
      row_q <= '0;
      ch_q <= '0;
      row_busy_q <= 1'b0;
      z_q <= '0;
      scan_q <= '0;
      ts_cyc_q <= '0;
      host_q <= 1'b0;
      pa_q <= 1'b0;
      pa_src_q <= '0;
      pa_base_q <= '0;
      pa_lanes_q <= '0;
    end else begin
      st_q <= st_d;
      ts_open_q <= ts_open_d;
      cyc_q <= cyc_d;
      seg_q <= seg_d;
      row_q <= row_d;
      ch_q <= ch_d;
      row_busy_q <= row_busy_d;
      z_q <= z_d;
      scan_q <= scan_d;
      ts_cyc_q <= ts_cyc_d;
      host_q <= host_d;
      pa_q <= pa_d;
      pa_src_q <= pa_src_d;
      pa_base_q <= pa_base_d;
      pa_lanes_q <= pa_lanes_d;
    end
  end

  perf_counters #(.NumCnt(NumCnt)) u_counters (
    .clk_i, .rst_ni, .clear_i(cmd_clear && !busy), .inc_i(cnt_inc), .sel_i(cnt_sel), .value_o(cnt_value)
  );

  assign busy = ts_open_q || st_q != StIn;
  assign busy_o = busy;
  assign irq_o = done && irq_en;
  assign phase_o = phase_now;
  assign phase_valid_o = phase_cycle;

endmodule
