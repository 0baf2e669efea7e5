// eligo core, top level: APB registers, AER input, the phase sequencer and the units, thirteen
// SRAM-like memories and the performance counters. docs/architecture.md describes the schedule;
// the bit-exact twin is golden_model/chip/core.cpp, which must produce the same memory writes in
// the same order and the same cycles per phase.
//
// Phases: RST, IN, REC, NEU, OUT (inference: synapse_acc, neuron_unit, readout_unit) and, with
// CTRL.LEARN, LRN, OGR (learn_unit), TRC (trace_unit), UPD (learn_unit, rewire_unit for DEEP R)
// every timestep in online mode or at END_SAMPLE with UPDATE, and RWR (rewire_unit) after UPD
// at END_SAMPLE with DEEP R.
//
// Learning passes share one pattern: a cursor (row, chunk) issues the reads of one chunk per
// cycle; the chunk is retired the next cycle (rp_*: its memory words have arrived), when the
// unit computes and the core writes. A pass that reads what the previous pass wrote waits one
// idle cycle; every phase ends with the cycle that retires its last chunk (plus a closing cycle
// where the schedule has one), so each phase takes exactly the cycles of spec/chip.toml.
//
// Structure: apb_regs (registers, commands, host access), sequencer (phases, cursors and every
// memory request: where and when), the units (what: synapse_acc, neuron_unit, readout_unit,
// learn_unit, trace_unit, rewire_unit), the memories and perf_counters. This module instantiates
// them, routes the units' words to the memories' write ports (wsrc) and holds the few registers
// that carry a learning pass's partial results from one chunk to the next.
//
// Write monitor (verification only: the ports show the memories' core write ports and add no
// logic; a tape-out top leaves them unconnected): per memory m and lane l, mon_we_o[m*Lanes+l] with the lane's word at
// mon_addr_o[m] + l and data mon_data_o[(m*Lanes+l)*64 +: 64]. Host (APB) writes are not shown,
// as the model's host writes are not in its write stream.
module eligo_core #(
  parameter int NumIn = 40,
  parameter int NumRec = 40,
  parameter int NumOut = 2,
  parameter int NumAlif = 20,
  parameter int Lanes = 4,
  // 1: the per-synapse trace memories EPSA and EBAR are built (exact, windowed and factored
  // traces); 0: a factored-only core without them (CTRL.TRC_FACT reads 1, SIZES.ST = 0).
  parameter int SynTraces = 1
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
  // Write monitor (verification only)
  output logic [eligo_pkg::NUM_MEMS*Lanes-1:0]    mon_we_o,
  output logic [eligo_pkg::NUM_MEMS*eligo_pkg::MEM_ADDR_BITS-1:0] mon_addr_o,
  output logic [eligo_pkg::NUM_MEMS*Lanes*64-1:0] mon_data_o
);


  // ---------------------------------------------------------------------------------------------
  // Sizes
  localparam int NumMems = eligo_pkg::NUM_MEMS;
  localparam int NumPre = NumIn + NumRec;
  localparam int FirstAlif = NumRec - NumAlif;
  localparam int AW = eligo_pkg::MEM_ADDR_BITS;          // memory word address
  localparam int RecW = $clog2(eligo_pkg::MAX_REC + 1);  // neuron index (synapse_acc)
  localparam int OutW = $clog2(eligo_pkg::MAX_OUT + 1);  // readout index (readout_unit)
  localparam int WB = eligo_pkg::WORD_BITS;
  localparam int NumCnt = eligo_pkg::NUM_COUNTERS + 2 * NumMems;
  localparam int RqW = 1 + Lanes + AW, WqW = Lanes + AW;  // sequencer's memory requests
  // Memory ids (eligo_pkg::mem_e) as integers for index arithmetic.
  localparam int MState = 32'(eligo_pkg::MemState), MPsi = 32'(eligo_pkg::MemPsi), MY = 32'(eligo_pkg::MemY),
                 MWIn = 32'(eligo_pkg::MemWIn), MWRec = 32'(eligo_pkg::MemWRec), MWOut = 32'(eligo_pkg::MemWOut),
                 MBfb = 32'(eligo_pkg::MemBFb), MEpsv = 32'(eligo_pkg::MemEpsv), MEpsa = 32'(eligo_pkg::MemEpsa),
                 MEbar = 32'(eligo_pkg::MemEbar), MGrad = 32'(eligo_pkg::MemGrad), MZbar = 32'(eligo_pkg::MemZbar),
                 MLsig = 32'(eligo_pkg::MemLsig);
  // Word widths of the learning memories.
  localparam int EvB = 2 * eligo_pkg::EPSV_BITS, EaB = eligo_pkg::EPSA_BITS, EbB = eligo_pkg::EBAR_BITS;
  localparam int GB = eligo_pkg::G_BITS, LsB = eligo_pkg::LSIG_BITS, ZbB = eligo_pkg::ZBAR_BITS;
  localparam int ErrB = eligo_pkg::ERR_BITS, YB = eligo_pkg::Y_BITS, PsB = eligo_pkg::PSI_BITS;

  // Legal sizes (spec/chip.toml's limits); elaboration stops on anything else. Icarus 11 has no
  // elaboration tasks: the checks run under Verilator and Yosys.
`ifndef __ICARUS__
  if (NumIn < 1 || NumIn > eligo_pkg::MAX_IN) begin : g_bad_in
    $fatal(1, "eligo_core: NumIn = %0d, allowed 1 .. %0d", NumIn, eligo_pkg::MAX_IN);
  end
  if (NumRec < 1 || NumRec > eligo_pkg::MAX_REC) begin : g_bad_rec
    $fatal(1, "eligo_core: NumRec = %0d, allowed 1 .. %0d", NumRec, eligo_pkg::MAX_REC);
  end
  if (NumOut < 1 || NumOut > eligo_pkg::MAX_OUT) begin : g_bad_out
    $fatal(1, "eligo_core: NumOut = %0d, allowed 1 .. %0d", NumOut, eligo_pkg::MAX_OUT);
  end
  if (NumAlif < 0 || NumAlif > NumRec) begin : g_bad_alif
    $fatal(1, "eligo_core: NumAlif = %0d, allowed 0 .. NumRec = %0d", NumAlif, NumRec);
  end
  if (Lanes < 1 || Lanes > eligo_pkg::MAX_LANES) begin : g_bad_lanes
    $fatal(1, "eligo_core: Lanes = %0d, allowed 1 .. %0d", Lanes, eligo_pkg::MAX_LANES);
  end
  if (SynTraces != 0 && SynTraces != 1) begin : g_bad_syn_traces
    $fatal(1, "eligo_core: SynTraces = %0d, allowed 0 or 1", SynTraces);
  end
`endif

  // ---------------------------------------------------------------------------------------------
  // Memories: every port as a slice of a flat vector indexed by memory id; data 64 bits per lane,
  // as arrays of words (memory m, lane l at m*Lanes + l) so that a simulator copies words, not
  // one 13,000-bit vector per access.
  logic [NumMems-1:0]          m_re;
  logic [NumMems*AW-1:0]       m_raddr;
  logic [NumMems*Lanes-1:0]    m_rlanes;  // lanes the core reads (counted; a host read has none)
  wire  [63:0]                 m_rdata [NumMems*Lanes];
  logic [NumMems*Lanes-1:0]    m_cwe;     // core writes (monitored)
  logic [NumMems*Lanes-1:0]    m_hwe;     // host writes (APB)
  logic [NumMems*AW-1:0]       m_waddr;
  logic [63:0]                 m_wdata [NumMems*Lanes];

  for (genvar m = 0; m < NumMems; m++) begin : g_mem
    localparam int W = eligo_pkg::mem_bits(m);
    // A memory of depth 0 (EPSA without ALIF neurons, EPSA and EBAR without SynTraces) is not
    // built: it is never accessed, and reads 0.
    localparam int D = eligo_pkg::mem_depth(m, NumIn, NumRec, NumOut, NumAlif, SynTraces);
`ifndef __ICARUS__
    if (D > 2 ** AW) begin : g_bad_depth
      $fatal(1, "eligo_core: memory %0d has %0d words, more than 2^MEM_ADDR_BITS", m, D);
    end
`endif
    logic [Lanes*W-1:0] rdata, wdata;
    for (genvar l = 0; l < Lanes; l++) begin : g_lane
      assign wdata[l*W +: W] = m_wdata[m*Lanes+l][W-1:0];
      assign m_rdata[m*Lanes+l] = 64'(rdata[l*W +: W]);
    end
    if (D > 0) begin : g_sram
      sram #(.Width(W), .Depth(D), .Lanes(Lanes), .AddrW(AW)) u_sram (
        .clk_i,
        .re_i(m_re[m]),
        .raddr_i(m_raddr[m*AW +: AW]),
        .rdata_o(rdata),
        .we_i(m_cwe[m*Lanes +: Lanes] | m_hwe[m*Lanes +: Lanes]),
        .waddr_i(m_waddr[m*AW +: AW]),
        .wdata_i(wdata)
      );
    end else begin : g_none
      logic unused_wdata;  // nothing to write
      assign unused_wdata = ^wdata;
      assign rdata = '0;
    end
  end

  assign mon_we_o = m_cwe;
  assign mon_addr_o = m_waddr;
  always_comb begin
    for (int i = 0; i < NumMems*Lanes; i++) mon_data_o[i*64 +: 64] = m_wdata[i];
  end

  function automatic logic [7:0] popcount(input logic [Lanes-1:0] v);
    popcount = 8'($countones(v));  // (a loop of Lanes adds costs a simulator about 4 times as much)
  endfunction
  // ---------------------------------------------------------------------------------------------
  // Registers (APB)
  logic learn, spike_ge, irq_en, target_valid;
  logic [31:0] ts_budget;
  localparam int CB = eligo_pkg::COEF_BITS;
  logic [CB-1:0] lif_alpha, lif_zeta, lif_thr, lif_inv_thr, lif_psi_scale;
  logic [CB-1:0] alif_alpha, alif_zeta, alif_thr, alif_inv_thr, alif_psi_scale;
  logic [CB-1:0] alif_rho, alif_beta, kappa, c_out, alif_rho_blk;
  logic [eligo_pkg::REF_BITS-1:0] lif_nref, alif_nref;
  logic cmd_start, cmd_end, cmd_update, cmd_clear, done;
  logic set_done, set_overrun;
  logic [5:0] cnt_sel;
  logic [63:0] cnt_value;
  logic mem_req, mem_we, mem_hi, mem_ack, mem_err;
  logic [3:0] mem_id;
  logic [17:0] mem_word;
  logic [31:0] mem_wdata, mem_rdata;
  logic busy;

  logic online, deepr, fb_symmetric, seed_write, set_kerror;
  logic seed_load_q;  // the LFSRs reload the cycle after a seed register write (its new value)
  logic err_clamp, upd_sign, trc_hold, trc_fact, trc_acc, trc_block;
  logic [YB-1:0] err_lo, err_hi;
  logic [eligo_pkg::LR_MANT_BITS-1:0] lr_mant, lr_in_mant, lr_rec_mant, lr_out_mant;
  logic [eligo_pkg::UPD_BITS-1:0] l1, noise;
  logic [eligo_pkg::LR_SHIFT_BITS-1:0] lr_shift, lr_in_shift, lr_rec_shift, lr_out_shift;
  logic [31:0] k_in, k_rec, seed_upd, seed_rwr;
  localparam int TgtB = 24;  // a TARGET register's width
  logic [eligo_pkg::MAX_OUT*TgtB-1:0] targets;  // TARGET registers (MAX_OUT of them; NumOut used)

  apb_regs #(.NumIn(NumIn), .NumRec(NumRec), .NumOut(NumOut), .NumAlif(NumAlif), .Lanes(Lanes),
             .SynTraces(SynTraces)) u_regs (
    .clk_i, .rst_ni, .psel_i, .penable_i, .pwrite_i, .paddr_i, .pwdata_i, .prdata_o, .pready_o,
    .pslverr_o,
    .learn_o(learn), .online_o(online), .deepr_o(deepr), .fb_symmetric_o(fb_symmetric),
    .spike_ge_o(spike_ge), .irq_en_o(irq_en), .ts_budget_o(ts_budget),
    .target_valid_o(target_valid), .lr_in_mant_o(lr_in_mant), .lr_in_shift_o(lr_in_shift),
    .lr_rec_mant_o(lr_rec_mant), .lr_rec_shift_o(lr_rec_shift), .lr_out_mant_o(lr_out_mant),
    .lr_out_shift_o(lr_out_shift), .err_clamp_o(err_clamp), .upd_sign_o(upd_sign), .trc_hold_o(trc_hold), .trc_fact_o(trc_fact),
    .trc_acc_o(trc_acc), .trc_block_o(trc_block), .err_lo_o(err_lo), .err_hi_o(err_hi), .l1_o(l1),
    .noise_o(noise), .k_in_o(k_in), .k_rec_o(k_rec), .seed_upd_o(seed_upd), .seed_rwr_o(seed_rwr),
    .seed_write_o(seed_write),
    .lif_alpha_o(lif_alpha), .lif_zeta_o(lif_zeta), .lif_thr_o(lif_thr),
    .lif_inv_thr_o(lif_inv_thr), .lif_psi_scale_o(lif_psi_scale), .lif_nref_o(lif_nref),
    .alif_alpha_o(alif_alpha), .alif_zeta_o(alif_zeta), .alif_thr_o(alif_thr),
    .alif_inv_thr_o(alif_inv_thr), .alif_psi_scale_o(alif_psi_scale), .alif_nref_o(alif_nref),
    .alif_rho_o(alif_rho), .alif_beta_o(alif_beta), .kappa_o(kappa), .c_out_o(c_out), .alif_rho_blk_o(alif_rho_blk),
    .targets_o(targets),
    .cmd_start_o(cmd_start), .cmd_end_o(cmd_end), .cmd_update_o(cmd_update),
    .cmd_clear_o(cmd_clear), .busy_i(busy), .set_done_i(set_done), .set_overrun_i(set_overrun),
    .set_kerror_i(set_kerror), .done_o(done), .cnt_sel_o(cnt_sel), .cnt_value_i(cnt_value),
    .mem_req_o(mem_req), .mem_we_o(mem_we), .mem_id_o(mem_id), .mem_word_o(mem_word),
    .mem_hi_o(mem_hi), .mem_wdata_o(mem_wdata), .mem_ack_i(mem_ack), .mem_err_i(mem_err),
    .mem_rdata_i(mem_rdata)
  );


  // ---------------------------------------------------------------------------------------------
  // Sequencer: phases, cursors, memory requests
  logic [NumMems*RqW-1:0] rq;
  logic [NumMems*WqW-1:0] wq;
  logic host_we, host_done;
  logic [3:0] wsrc, wmem, rt;
  logic acc_clear, acc_add, acc_clr, ro_clear, ro_add, ro_y_en, rw_start;
  logic [Lanes-1:0] acc_clr_lanes, pa_lanes, draw_next, rp_lanes, neu_spike;
  logic [RecW-1:0] acc_rd_base, pa_base;
  logic [OutW-1:0] ro_y_base;
  logic [1:0] pa_src, rp_sub;
  logic [31:0] rp_row, rp_ch, act_in, act_rec;
  logic rp_last, phase_cycle, idle_cycle, ts_end, sample_end;
  logic [NumRec-1:0] z, zpre;
  logic [NumIn*8-1:0] in_cnt;
  logic [7:0] neu_updates, trace_updates, learn_macs, weight_updates, prunes, reactivations, probes;
  logic [Lanes-1:0] upd_act, upd_new_active, rw_pruned;
  logic rw_rd, rw_wr, rw_rec, rw_done;
  logic [AW-1:0] rw_addr;

  sequencer #(.NumIn(NumIn), .NumRec(NumRec), .NumOut(NumOut), .NumAlif(NumAlif), .Lanes(Lanes), .AW(AW),
              .RecW(RecW), .OutW(OutW)) u_seq (
    .clk_i, .rst_ni,
    .learn_i(learn), .online_i(online), .trc_hold_i(trc_hold), .trc_fact_i(trc_fact), .trc_acc_i(trc_acc), .trc_block_i(trc_block), .deepr_i(deepr), .fb_symmetric_i(fb_symmetric),
    .target_valid_i(target_valid), .ts_budget_i(ts_budget), .cmd_start_i(cmd_start), .cmd_end_i(cmd_end),
    .cmd_update_i(cmd_update),
    .mem_req_i(mem_req), .mem_we_i(mem_we), .mem_id_i(mem_id), .mem_addr_i(AW'(mem_word)), .mem_ack_o(mem_ack),
    .mem_err_o(mem_err), .host_done_o(host_done),
    .aer_valid_i, .aer_eot_i, .aer_addr_i, .aer_ready_o,
    .neu_spike_i(neu_spike), .upd_act_i(upd_act), .upd_new_active_i(upd_new_active), .upd_pruned_i(rw_pruned),
    .rw_rd_i(rw_rd), .rw_wr_i(rw_wr), .rw_rec_i(rw_rec), .rw_done_i(rw_done), .rw_addr_i(rw_addr),
    .rq_o(rq), .wq_o(wq), .host_we_o(host_we), .wsrc_o(wsrc), .wmem_o(wmem),
    .acc_clear_o(acc_clear), .acc_add_o(acc_add), .acc_clr_o(acc_clr), .acc_clr_lanes_o(acc_clr_lanes),
    .acc_rd_base_o(acc_rd_base), .pa_src_o(pa_src), .pa_base_o(pa_base), .pa_lanes_o(pa_lanes),
    .ro_clear_o(ro_clear), .ro_add_o(ro_add), .ro_y_base_o(ro_y_base), .ro_y_en_o(ro_y_en), .rw_start_o(rw_start),
    .draw_next_o(draw_next), .rt_o(rt), .rp_sub_o(rp_sub), .rp_row_o(rp_row), .rp_ch_o(rp_ch),
    .rp_lanes_o(rp_lanes), .rp_last_o(rp_last), .z_o(z), .zpre_o(zpre), .in_cnt_o(in_cnt),
    .act_in_o(act_in), .act_rec_o(act_rec),
    .busy_o(busy), .phase_o, .phase_valid_o(phase_cycle), .idle_o(idle_cycle), .ts_end_o(ts_end),
    .sample_end_o(sample_end), .set_done_o(set_done), .set_overrun_o(set_overrun),
    .neu_updates_o(neu_updates), .trace_updates_o(trace_updates), .learn_macs_o(learn_macs),
    .weight_updates_o(weight_updates), .prunes_o(prunes), .reactivations_o(reactivations), .probes_o(probes)
  );

  // Read requests: {re, lanes, address} of each memory.
  for (genvar m = 0; m < NumMems; m++) begin : g_req
    assign m_re[m] = rq[m*RqW + Lanes + AW];
    assign m_rlanes[m*Lanes +: Lanes] = rq[m*RqW + AW +: Lanes];
    assign m_raddr[m*AW +: AW] = rq[m*RqW +: AW];
    assign m_cwe[m*Lanes +: Lanes] = wq[m*WqW + AW +: Lanes];
    assign m_waddr[m*AW +: AW] = wq[m*WqW +: AW];
    assign m_hwe[m*Lanes +: Lanes] = Lanes'(host_we && 32'(wmem) == m);  // wmem: the host access's memory
  end

  // ---------------------------------------------------------------------------------------------
  // Units
  logic [Lanes*eligo_pkg::ACC_BITS-1:0] acc_rd;
  logic [7:0] acc_sops, ro_sops;
  logic [Lanes*WB-1:0] pa_words;  // the weight chunk read last cycle
  always_comb begin
    for (int l = 0; l < Lanes; l++) begin
      unique case (pa_src)
        sequencer_pkg::PA_W_IN: pa_words[l*WB +: WB] = m_rdata[MWIn*Lanes+l][WB-1:0];
        sequencer_pkg::PA_W_REC: pa_words[l*WB +: WB] = m_rdata[MWRec*Lanes+l][WB-1:0];
        default: pa_words[l*WB +: WB] = m_rdata[MWOut*Lanes+l][WB-1:0];
      endcase
    end
  end

  synapse_acc #(.NumRec(NumRec), .Lanes(Lanes)) u_synapse_acc (
    .clk_i, .rst_ni, .clear_all_i(acc_clear), .add_i(acc_add), .add_base_i(pa_base),
    .add_lanes_i(pa_lanes), .add_words_i(pa_words), .sops_o(acc_sops),
    .rd_base_i(acc_rd_base), .rd_acc_o(acc_rd), .clr_i(acc_clr), .clr_lanes_i(acc_clr_lanes)
  );

  // Neuron lanes: chunk (cyc - 1) of NEU, from the STATE words read in the previous cycle; enabled
  // (operand isolation) in the cycles that write a chunk, when the accumulators are read and
  // cleared (acc_clr).
  logic [Lanes*eligo_pkg::MEM_STATE_BITS-1:0] neu_state;
  logic [Lanes*PsB-1:0] neu_psi;
  for (genvar l = 0; l < Lanes; l++) begin : g_neuron
    logic alif;
    assign alif = 32'(acc_rd_base) + l >= FirstAlif;
    neuron_unit u_neuron (
      .en_i(acc_clr),
      .state_i(m_rdata[MState*Lanes+l][eligo_pkg::MEM_STATE_BITS-1:0]),
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
      .psi_o(neu_psi[l*PsB +: PsB]),
      .spike_o(neu_spike[l])
    );
  end

  logic [Lanes*YB-1:0] ro_y_old, ro_y_new;
  for (genvar l = 0; l < Lanes; l++) begin : g_y_old
    assign ro_y_old[l*YB +: YB] = m_rdata[MY*Lanes+l][YB-1:0];
  end
  readout_unit #(.NumOut(NumOut), .Lanes(Lanes)) u_readout (
    .clk_i, .rst_ni, .clear_i(ro_clear), .add_i(ro_add), .add_base_i(OutW'(pa_base)),
    .add_lanes_i(pa_lanes), .add_words_i(pa_words), .sops_o(ro_sops), .y_en_i(ro_y_en), .y_base_i(ro_y_base),
    .y_old_i(ro_y_old), .kappa_i(kappa), .c_i(c_out), .y_new_o(ro_y_new)
  );

  // ---- Learning units. Their inputs are the words of the chunk being retired (rp_*).
  logic [Lanes*64-1:0] rd_y, rd_bfb, rd_wout, rd_win, rd_wrec, rd_zbar, rd_grad, rd_epsv, rd_psi, rd_epsa, rd_ebar,
                       rd_lsig;
  for (genvar l = 0; l < Lanes; l++) begin : g_rd
    assign rd_y[l*64 +: 64] = m_rdata[MY*Lanes+l];
    assign rd_bfb[l*64 +: 64] = m_rdata[MBfb*Lanes+l];
    assign rd_wout[l*64 +: 64] = m_rdata[MWOut*Lanes+l];
    assign rd_win[l*64 +: 64] = m_rdata[MWIn*Lanes+l];
    assign rd_wrec[l*64 +: 64] = m_rdata[MWRec*Lanes+l];
    assign rd_zbar[l*64 +: 64] = m_rdata[MZbar*Lanes+l];
    assign rd_grad[l*64 +: 64] = m_rdata[MGrad*Lanes+l];
    assign rd_epsv[l*64 +: 64] = m_rdata[MEpsv*Lanes+l];
    assign rd_psi[l*64 +: 64] = m_rdata[MPsi*Lanes+l];
    assign rd_epsa[l*64 +: 64] = m_rdata[MEpsa*Lanes+l];
    assign rd_ebar[l*64 +: 64] = m_rdata[MEbar*Lanes+l];
    assign rd_lsig[l*64 +: 64] = m_rdata[MLsig*Lanes+l];
  end

  logic [31:0] rp_j0;         // first neuron / readout / source of the retired chunk
  logic [Lanes-1:0] rp_alif;  // ALIF lanes of the retired neuron chunk
  logic [31:0] rp_off;        // EPSA lane offset of the retired chunk (its first ALIF lane at sram lane 0)
  assign rp_j0 = rp_ch * Lanes;
  always_comb begin
    for (int l = 0; l < Lanes; l++) rp_alif[l] = rp_j0 + 32'(l) >= FirstAlif && rp_j0 + 32'(l) < NumRec;
  end
  assign rp_off = rp_j0 < FirstAlif ? FirstAlif - rp_j0 : 32'd0;

  // Partial results a learning pass carries from one chunk to the next (written on retirement).
  logic [NumOut*ErrB-1:0] err_q;  // err_k of this timestep (LRN)
  logic [LsB-1:0] lacc_q;         // L_j summed over the readout chunks so far (LRN)
  logic [ZbB-1:0] zb_q;           // zbar_j of the row (OGR)
  logic [EvB-1:0] ev_q;           // EPSV word of the row (TRC)

  logic [Lanes*YB-1:0] lu_y, lu_target;
  logic [Lanes*ErrB-1:0] lu_err_new, lu_err;
  logic [Lanes*eligo_pkg::B_BITS-1:0] lu_b;
  logic [Lanes*WB-1:0] lu_wout, lu_w, lu_w_plain, rw_w;
  logic [Lanes*ZbB-1:0] lu_zbar, lu_zbar_new;
  logic [Lanes-1:0] lu_z;
  logic [Lanes*GB-1:0] lu_grad, lu_ogr_grad;
  logic [LsB-1:0] lu_lsig_new;
  logic [ZbB-1:0] lu_zb;
  logic [Lanes*64-1:0] lu_delta;
  logic [Lanes*32-1:0] lu_draw;
  logic upd_deepr;            // the retired UPD chunk is a W_IN / W_REC chunk under DEEP R
  // Operand isolation of the learning units: each of their results is evaluated only in the
  // cycles that retire a chunk using it (the enables, from the retiring chunk's kind rt) and is 0
  // otherwise, so their datapaths do not switch in the other phases (dynamic power: most cycles
  // are IN and REC) and a simulator skips them. So are the operands that only they read (the
  // chunk's targets, errors, spikes and presynaptic counts below).
  logic lrn_err_en, lrn_sig_en, ogr_zbar_en, ogr_grad_en, upd_en, trc_pre_en, trc_syn_en;
  assign lrn_err_en = rt == sequencer_pkg::RT_LRN_ERR;
  assign lrn_sig_en = rt == sequencer_pkg::RT_LRN_SIG;
  assign ogr_zbar_en = rt == sequencer_pkg::RT_OGR_ZBAR;
  assign ogr_grad_en = rt == sequencer_pkg::RT_OGR_GRAD;
  assign upd_en = rt == sequencer_pkg::RT_UPD;
  assign trc_pre_en = rt == sequencer_pkg::RT_TRC_PRE;
  assign trc_syn_en = rt == sequencer_pkg::RT_TRC_SYN;
  always @* begin
    lu_target = '0;
    lu_err = '0;
    lu_z = '0;
    if (lrn_err_en) begin
      for (int l = 0; l < Lanes; l++) begin
        if (rp_j0 + 32'(l) < NumOut) lu_target[l*YB +: YB] = targets[(rp_j0 + 32'(l)) * TgtB +: YB];
      end
    end
    if (lrn_sig_en || ogr_grad_en) begin
      for (int l = 0; l < Lanes; l++) begin
        if (rp_j0 + 32'(l) < NumOut) lu_err[l*ErrB +: ErrB] = err_q[(rp_j0 + 32'(l)) * ErrB +: ErrB];
      end
    end
    if (ogr_zbar_en) begin
      for (int l = 0; l < Lanes; l++) if (rp_j0 + 32'(l) < NumRec) lu_z[l] = z[rp_j0 + 32'(l)];
    end
  end
  for (genvar l = 0; l < Lanes; l++) begin : g_learn_lane
    assign lu_y[l*YB +: YB] = rd_y[l*64 +: YB];
    assign lu_b[l*eligo_pkg::B_BITS +: eligo_pkg::B_BITS] = rd_bfb[l*64 +: eligo_pkg::B_BITS];
    assign lu_wout[l*WB +: WB] = rd_wout[l*64 +: WB];
    assign lu_zbar[l*ZbB +: ZbB] = rd_zbar[l*64 +: ZbB];
    assign lu_grad[l*GB +: GB] = rd_grad[l*64 +: GB];
    // UPD's weights: W_OUT in its second pass, else W_IN or W_REC by source row.
    assign lu_w[l*WB +: WB] = rp_sub == sequencer_pkg::SUB_UPD_OUT ? rd_wout[l*64 +: WB] : (rp_row < NumIn ? rd_win[l*64 +: WB] : rd_wrec[l*64 +: WB]);
  end
  assign lu_zb = rp_ch == 0 ? rd_zbar[ZbB-1:0] : zb_q;
  assign upd_deepr = deepr && rp_sub == sequencer_pkg::SUB_UPD_REC;
  // UPD's learning rate: the retired chunk's matrix's (selected as lu_w is).
  assign lr_mant = rp_sub == sequencer_pkg::SUB_UPD_OUT ? lr_out_mant : (rp_row < NumIn ? lr_in_mant : lr_rec_mant);
  assign lr_shift = rp_sub == sequencer_pkg::SUB_UPD_OUT ? lr_out_shift : (rp_row < NumIn ? lr_in_shift : lr_rec_shift);

  learn_unit #(.Lanes(Lanes)) u_learn (
    .clk_i, .rst_ni, .err_en_i(lrn_err_en), .lsig_en_i(lrn_sig_en), .zbar_en_i(ogr_zbar_en),
    .ogr_en_i(ogr_grad_en), .upd_en_i(upd_en), .y_i(lu_y), .target_i(lu_target), .err_clamp_i(err_clamp), .err_lo_i(err_lo),
    .err_hi_i(err_hi), .err_o(lu_err_new),
    .lsig_i(rp_ch == 0 ? '0 : lacc_q), .lanes_i(rp_lanes), .fb_symmetric_i(fb_symmetric), .b_i(lu_b),
    .w_out_i(lu_wout), .err_i(lu_err), .lsig_o(lu_lsig_new),
    .zbar_i(lu_zbar), .z_i(lu_z), .kappa_i(kappa), .c_i(c_out), .zbar_o(lu_zbar_new), .zb_i(lu_zb),
    .grad_i(lu_grad), .ogr_grad_o(lu_ogr_grad),
    .upd_sign_i(upd_sign), .lr_mant_i(lr_mant), .lr_shift_i(lr_shift), .delta_o(lu_delta), .w_i(lu_w), .w_plain_o(lu_w_plain),
    .seed_load_i(seed_load_q), .seed_i(seed_upd), .draw_next_i(draw_next), .draw_o(lu_draw)
  );

  // Active bits of Lanes weight words.
  function automatic logic [Lanes-1:0] active_lanes(input logic [Lanes*WB-1:0] w);
    for (int l = 0; l < Lanes; l++) active_lanes[l] = w[l*WB + eligo_pkg::WORD_ACTIVE_BIT];
  endfunction
  assign upd_act = rp_lanes & active_lanes(lu_w);
  assign upd_new_active = upd_act & active_lanes(upd_deepr ? rw_w : lu_w_plain);

  // Trace unit inputs: the EPSV words and event counts of a source chunk (presynaptic pass), or
  // a neuron chunk of one source row (synapse pass; EPSA lanes realigned to the neurons).
  // Events of presynaptic source i this timestep: input event count, or the previous spike.
  function automatic logic [7:0] pre_count(input logic [31:0] i, input logic [NumIn*8-1:0] cnt,
                                          input logic [NumRec-1:0] zp);
    if (i < NumIn) pre_count = cnt[i*8 +: 8];
    else if (i < NumPre) pre_count = {7'd0, zp[i - NumIn]};
    else pre_count = 8'd0;
  endfunction
  logic [Lanes*EvB-1:0] tu_epsv, tu_epsv_new;
  logic [Lanes*8-1:0] tu_pre_n;
  logic [EvB-1:0] tu_row_epsv;
  logic [Lanes*PsB-1:0] tu_psi;
  logic [Lanes*EaB-1:0] tu_epsa, tu_epsa_new;
  logic [Lanes*EbB-1:0] tu_ebar, tu_ebar_new;
  logic [Lanes*LsB-1:0] tu_lsig;
  logic [Lanes*GB-1:0] tu_grad_new;
  always @* begin  // the operands of one pass only (operand isolation, above)
    tu_pre_n = '0;
    tu_epsa = '0;
    if (trc_pre_en) begin
      for (int l = 0; l < Lanes; l++) tu_pre_n[l*8 +: 8] = pre_count(rp_j0 + 32'(l), in_cnt, zpre);
    end
    if (trc_syn_en) begin
      for (int l = 0; l < Lanes; l++) if (32'(l) >= rp_off) tu_epsa[l*EaB +: EaB] = rd_epsa[(32'(l) - rp_off)*64 +: EaB];
    end
  end
  for (genvar l = 0; l < Lanes; l++) begin : g_trace_lane
    assign tu_epsv[l*EvB +: EvB] = rd_epsv[l*64 +: EvB];
    assign tu_psi[l*PsB +: PsB] = rd_psi[l*64 +: PsB];
    assign tu_ebar[l*EbB +: EbB] = rd_ebar[l*64 +: EbB];
    assign tu_lsig[l*LsB +: LsB] = rd_lsig[l*64 +: LsB];
  end
  assign tu_row_epsv = rp_ch == 0 ? rd_epsv[EvB-1:0] : ev_q;

  // The synapse pass runs under CTRL.TRC_HOLD only as an adaptation block (CTRL.TRC_BLOCK): its
  // eps_a decays by ALIF_RHO_BLK (rho^K), the block's K steps at once.
  trace_unit #(.Lanes(Lanes), .SynTraces(SynTraces)) u_trace (
    .pre_en_i(trc_pre_en), .syn_en_i(trc_syn_en), .epsv_i(tu_epsv), .pre_n_i(tu_pre_n), .lif_alpha_i(lif_alpha), .lif_zeta_i(lif_zeta),
    .alif_alpha_i(alif_alpha), .alif_zeta_i(alif_zeta), .epsv_o(tu_epsv_new),
    .row_epsv_i(tu_row_epsv), .alif_i(rp_alif), .psi_i(tu_psi), .epsa_i(tu_epsa), .ebar_i(tu_ebar),
    .lsig_i(tu_lsig), .grad_i(lu_grad), .beta_i(alif_beta), .rho_i(trc_hold ? alif_rho_blk : alif_rho), .kappa_i(kappa), .c_i(c_out), .fact_i(trc_fact),
    .epsa_o(tu_epsa_new), .ebar_o(tu_ebar_new), .grad_o(tu_grad_new)
  );

  logic [WB-1:0] rw_wdata;
  rewire_unit #(.NumIn(NumIn), .NumRec(NumRec), .Lanes(Lanes)) u_rewire (
    .clk_i, .rst_ni, .upd_en_i(upd_en && upd_deepr), .w_i(lu_w), .delta_i(lu_delta), .draw_i(lu_draw), .l1_i(l1), .noise_i(noise),
    .w_o(rw_w), .pruned_o(rw_pruned),
    .start_i(rw_start), .k_in_i(k_in), .k_rec_i(k_rec), .active_in_i(act_in), .active_rec_i(act_rec),
    .seed_load_i(seed_load_q), .seed_i(seed_rwr), .word_in_i(rd_win[WB-1:0]), .word_rec_i(rd_wrec[WB-1:0]),
    .rd_o(rw_rd), .wr_o(rw_wr), .rec_o(rw_rec), .addr_o(rw_addr), .wdata_o(rw_wdata), .kerror_o(set_kerror),
    .done_o(rw_done)
  );

  // ---------------------------------------------------------------------------------------------
  // Write data: the words of the source the sequencer names (wsrc), lane by lane; the sequencer's
  // write requests choose which lanes are written.
  // The PSI words NEU writes: psi_j, or under CTRL.TRC_ACC (adaptation blocks) PSI_j + psi_j, the
  // word read with STATE, saturated at PSI's maximum (an unsigned format: the carry selects all
  // ones): the block's psi sum. The adder is operand-isolated (as the datapath units): it adds
  // only on NEU writes under CTRL.TRC_ACC, the only cycles that use its sum, and holds 0 otherwise.
  logic [Lanes*PsB-1:0] neu_psi_w;
  logic psi_acc_en;
  assign psi_acc_en = trc_acc && wsrc == sequencer_pkg::WSRC_NEU;
  for (genvar l = 0; l < Lanes; l++) begin : g_psi_w
    logic [PsB:0] sum;
    always @* begin  // operand isolation (always @*: rtl/README.md on Icarus)
      sum = '0;
      if (psi_acc_en) sum = {1'b0, rd_psi[l*64 +: PsB]} + {1'b0, neu_psi[l*PsB +: PsB]};
    end
    assign neu_psi_w[l*PsB +: PsB] = !trc_acc ? neu_psi[l*PsB +: PsB] : sum[PsB] ? {PsB{1'b1}} : sum[PsB-1:0];
  end

  logic [63:0] host_old;  // the word a host access read (its second cycle)
  assign host_old = m_rdata[mem_id*Lanes];
  assign mem_rdata = host_done ? (mem_hi ? host_old[63:32] : host_old[31:0]) : '0;
  // The host's write half and data, latched while the access is requested (as the sequencer
  // latches its memory and word): the merged word written in the access's second cycle depends on
  // registers, not on the APB pins (which hold their values during the access).
  logic host_hi_q;
  logic [31:0] host_wdata_q;
  logic [63:0] host_wold;  // the word read for the host's write (memory wmem)
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      host_hi_q <= 1'b0;
      host_wdata_q <= '0;
    end else if (mem_req) begin
      host_hi_q <= mem_hi;
      host_wdata_q <= mem_wdata;
    end
  end
  assign host_wold = m_rdata[wmem*Lanes];

  always_comb begin
    for (int i = 0; i < NumMems*Lanes; i++) m_wdata[i] = '0;
    unique case (wsrc)
      sequencer_pkg::WSRC_HOST:
        m_wdata[wmem*Lanes] = host_hi_q ? {host_wdata_q, host_wold[31:0]} : {host_wold[63:32], host_wdata_q};
      default: ;
    endcase
    for (int l = 0; l < Lanes; l++) begin
      unique case (wsrc)
        sequencer_pkg::WSRC_NEU: begin
          m_wdata[MState*Lanes+l] = 64'(neu_state[l*eligo_pkg::MEM_STATE_BITS +: eligo_pkg::MEM_STATE_BITS]);
          m_wdata[MPsi*Lanes+l] = 64'(neu_psi_w[l*PsB +: PsB]);
        end
        sequencer_pkg::WSRC_Y: m_wdata[MY*Lanes+l] = 64'(ro_y_new[l*YB +: YB]);
        sequencer_pkg::WSRC_LSIG: if (l == 0) m_wdata[MLsig*Lanes] = 64'(lu_lsig_new);
        sequencer_pkg::WSRC_ZBAR: m_wdata[MZbar*Lanes+l] = 64'(lu_zbar_new[l*ZbB +: ZbB]);
        sequencer_pkg::WSRC_OGR: m_wdata[MGrad*Lanes+l] = 64'(lu_ogr_grad[l*GB +: GB]);
        sequencer_pkg::WSRC_EPSV: m_wdata[MEpsv*Lanes+l] = 64'(tu_epsv_new[l*EvB +: EvB]);
        sequencer_pkg::WSRC_SYN: begin
          if (rp_alif[l]) m_wdata[MEpsa*Lanes + l - rp_off] = 64'(tu_epsa_new[l*EaB +: EaB]);
          m_wdata[MEbar*Lanes+l] = 64'(tu_ebar_new[l*EbB +: EbB]);
          m_wdata[MGrad*Lanes+l] = 64'(tu_grad_new[l*GB +: GB]);
        end
        sequencer_pkg::WSRC_UPD:  // the updated weights; GRAD is cleared (zeros)
          m_wdata[wmem*Lanes+l] = upd_deepr ? 64'(rw_w[l*WB +: WB]) : 64'(lu_w_plain[l*WB +: WB]);
        sequencer_pkg::WSRC_RWR: if (l == 0) m_wdata[wmem*Lanes] = 64'(rw_wdata);
        default: ;  // zeros (RST) or the host word
      endcase
    end
  end

  // Partial results of the learning passes.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      seed_load_q <= 1'b0;
      err_q <= '0;
      lacc_q <= '0;
      zb_q <= '0;
      ev_q <= '0;
    end else begin
      seed_load_q <= seed_write;
      if (rt == sequencer_pkg::RT_LRN_ERR) begin
        for (int l = 0; l < Lanes; l++) begin
          if (rp_lanes[l]) err_q[(rp_j0 + l) * ErrB +: ErrB] <= lu_err_new[l*ErrB +: ErrB];
        end
      end
      if (rt == sequencer_pkg::RT_LRN_SIG && !rp_last) lacc_q <= lu_lsig_new;
      if (rt == sequencer_pkg::RT_OGR_GRAD) zb_q <= lu_zb;
      if (rt == sequencer_pkg::RT_TRC_SYN) ev_q <= tu_row_epsv;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Counter increments of this cycle (spec::Counter order, then reads / writes per memory).
  logic [NumCnt*8-1:0] cnt_inc;
  always_comb begin
    cnt_inc = '0;
    if (phase_cycle) cnt_inc[(eligo_pkg::CNT_CYCLES_RST + 32'(phase_o)) * 8 +: 8] = 8'd1;
    if (idle_cycle) cnt_inc[eligo_pkg::CNT_CYCLES_IDLE * 8 +: 8] = 8'd1;
    if (ts_end) cnt_inc[eligo_pkg::CNT_TIMESTEPS * 8 +: 8] = 8'd1;
    if (sample_end) cnt_inc[eligo_pkg::CNT_SAMPLES * 8 +: 8] = 8'd1;
    if (set_overrun) cnt_inc[eligo_pkg::CNT_OVERRUNS * 8 +: 8] = 8'd1;
    cnt_inc[eligo_pkg::CNT_SOPS * 8 +: 8] = acc_sops + ro_sops;
    cnt_inc[eligo_pkg::CNT_NEURON_UPDATES * 8 +: 8] = neu_updates;
    cnt_inc[eligo_pkg::CNT_TRACE_UPDATES * 8 +: 8] = trace_updates;
    cnt_inc[eligo_pkg::CNT_LEARN_MACS * 8 +: 8] = learn_macs;
    cnt_inc[eligo_pkg::CNT_WEIGHT_UPDATES * 8 +: 8] = weight_updates;
    cnt_inc[eligo_pkg::CNT_PRUNES * 8 +: 8] = prunes;
    cnt_inc[eligo_pkg::CNT_REACTIVATIONS * 8 +: 8] = reactivations;
    cnt_inc[eligo_pkg::CNT_PROBES * 8 +: 8] = probes;
    for (int m = 0; m < NumMems; m++) begin
      cnt_inc[(eligo_pkg::NUM_COUNTERS + 2 * m) * 8 +: 8] = popcount(m_rlanes[m*Lanes +: Lanes]);
      cnt_inc[(eligo_pkg::NUM_COUNTERS + 2 * m + 1) * 8 +: 8] = popcount(m_cwe[m*Lanes +: Lanes]);
    end
  end

  perf_counters #(.NumCnt(NumCnt)) u_counters (
    .clk_i, .rst_ni, .clear_i(cmd_clear && !busy), .inc_i(cnt_inc), .sel_i(cnt_sel), .value_o(cnt_value)
  );

`ifndef SYNTHESIS
  // DEEP R invariant: when RWR ends, exactly K words are active in W_IN and in W_REC, unless
  // K_ERROR applies to the matrix (K above its allowed words, or more than K active after UPD).
  localparam int AllowedIn = NumIn * NumRec, AllowedRec = NumRec * NumRec - NumRec;
  always_ff @(posedge clk_i) begin
    if (rst_ni && phase_cycle && phase_o == eligo_pkg::PhRwr && rw_done) begin
      assert (act_in == k_in || k_in > 32'(AllowedIn) || act_in > k_in)
        else $error("eligo_core: DEEP R: %0d words active in W_IN, K_IN = %0d", act_in, k_in);
      assert (act_rec == k_rec || k_rec > 32'(AllowedRec) || act_rec > k_rec)
        else $error("eligo_core: DEEP R: %0d words active in W_REC, K_REC = %0d", act_rec, k_rec);
    end
  end
`endif

  assign busy_o = busy;
  assign irq_o = done && irq_en;
  assign phase_valid_o = phase_cycle;

endmodule
