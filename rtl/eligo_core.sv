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
  localparam int ChNp = (NumPre + Lanes - 1) / Lanes;
  localparam int OutBase = NumPre * NumRec;  // GRAD address of the readout gradients
  localparam int AW = 20;
  localparam int WB = eligo_pkg::WORD_BITS;
  localparam int NumCnt = eligo_pkg::NUM_COUNTERS + 2 * NumMems;

  // Memory ids (eligo_pkg::mem_e order).
  localparam int MState = 0, MPsi = 1, MY = 2, MWIn = 3, MWRec = 4, MWOut = 5, MBfb = 6, MEpsv = 7,
                 MEpsa = 8, MEbar = 9, MGrad = 10, MZbar = 11, MLsig = 12;
  // Word widths of the learning memories.
  localparam int EvB = 2 * eligo_pkg::EPSV_BITS, EaB = eligo_pkg::EPSA_BITS, EbB = eligo_pkg::EBAR_BITS;
  localparam int GB = eligo_pkg::G_BITS, LsB = eligo_pkg::LSIG_BITS, ZbB = eligo_pkg::ZBAR_BITS;
  localparam int ErrB = eligo_pkg::ERR_BITS, YB = eligo_pkg::Y_BITS, PsB = eligo_pkg::PSI_BITS;

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
    // A memory of depth 0 (EPSA without ALIF neurons) is built with one word, never accessed.
    localparam int D = eligo_pkg::mem_depth(m, NumIn, NumRec, NumOut, NumAlif);
    sram #(.Width(W), .Depth(D > 0 ? D : 1), .Lanes(Lanes), .AddrW(AW)) u_sram (
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

  logic online, deepr, fb_symmetric, seed_write, set_kerror;
  logic seed_load_q;  // the LFSRs reload the cycle after a seed register write (its new value)
  logic [15:0] lr_mant, l1, noise;
  logic [5:0] lr_shift;
  logic [31:0] k_in, k_rec, seed_upd, seed_rwr;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [16*24-1:0] targets;  // TARGET registers (MAX_OUT of them; NumOut used)
  /* verilator lint_on UNUSEDSIGNAL */

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
    .set_kerror_i(set_kerror), .done_o(done), .cnt_sel_o(cnt_sel), .cnt_value_i(cnt_value),
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
    StDone = 4'd5,
    StLrn  = 4'd6,
    StOgr  = 4'd7,
    StTrc  = 4'd8,
    StUpd  = 4'd9,
    StRwr  = 4'd10
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
  logic end_q, end_d;                  // END_SAMPLE's UPD / RWR in progress (not a timestep)
  logic [NumIn*8-1:0] in_cnt_q, in_cnt_d;  // input events per input this timestep (saturating)
  logic [NumRec-1:0] zpre_q, zpre_d;   // spikes of the previous timestep (the trace unit's z)

  // Learning passes: the chunk read last cycle, retired this cycle.
  logic rp_q, rp_d;
  logic [1:0] rp_seg_q, rp_seg_d;
  logic [31:0] rp_row_q, rp_row_d, rp_ch_q, rp_ch_d;
  logic [Lanes-1:0] rp_lanes_q, rp_lanes_d;
  logic [NumOut*ErrB-1:0] err_q, err_d;  // err_k of this timestep (LRN)
  logic [LsB-1:0] lacc_q, lacc_d;        // L_j summed over the readout chunks so far
  logic [ZbB-1:0] zb_q, zb_d;            // zbar_j of the row (OGR)
  logic [EvB-1:0] ev_q, ev_d;            // EPSV word of the row (TRC)
  logic [31:0] act_in_q, act_in_d, act_rec_q, act_rec_d;  // active words after UPD

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

  // ---- Learning units. Their inputs are the words of the chunk being retired (rp_*).
  // Words of memory m's lanes, W bits each.
  function automatic logic [Lanes*64-1:0] lanes_of(input logic [NumMems*Lanes*64-1:0] rd, input integer m);
    lanes_of = rd[m*Lanes*64 +: Lanes*64];
  endfunction
  /* verilator lint_off UNUSEDSIGNAL */  // a lane's word is the low bits of its 64
  logic [Lanes*64-1:0] rd_y, rd_bfb, rd_wout, rd_win, rd_wrec, rd_zbar, rd_grad, rd_epsv, rd_psi, rd_epsa, rd_ebar,
                       rd_lsig;
  /* verilator lint_on UNUSEDSIGNAL */
  assign rd_y = lanes_of(m_rdata, MY);
  assign rd_bfb = lanes_of(m_rdata, MBfb);
  assign rd_wout = lanes_of(m_rdata, MWOut);
  assign rd_win = lanes_of(m_rdata, MWIn);
  assign rd_wrec = lanes_of(m_rdata, MWRec);
  assign rd_zbar = lanes_of(m_rdata, MZbar);
  assign rd_grad = lanes_of(m_rdata, MGrad);
  assign rd_epsv = lanes_of(m_rdata, MEpsv);
  assign rd_psi = lanes_of(m_rdata, MPsi);
  assign rd_epsa = lanes_of(m_rdata, MEpsa);
  assign rd_ebar = lanes_of(m_rdata, MEbar);
  assign rd_lsig = lanes_of(m_rdata, MLsig);

  logic [31:0] rp_j0;         // first neuron / readout / source of the retired chunk
  logic [Lanes-1:0] rp_alif;  // ALIF lanes of the retired neuron chunk
  logic [31:0] rp_off;        // EPSA lane offset of the retired chunk
  assign rp_j0 = rp_ch_q * Lanes;
  assign rp_alif = alif_lanes(rp_j0);
  assign rp_off = epsa_off(rp_j0);

  logic [Lanes*YB-1:0] lu_y, lu_target;
  logic [Lanes*ErrB-1:0] lu_err_new, lu_err;
  logic [Lanes*eligo_pkg::B_BITS-1:0] lu_b;
  logic [Lanes*WB-1:0] lu_wout, lu_w, lu_w_plain, rw_w;
  logic [Lanes*ZbB-1:0] lu_zbar, lu_zbar_new;
  logic [Lanes-1:0] lu_z, draw_next, rw_pruned;
  logic [Lanes*GB-1:0] lu_grad, lu_ogr_grad;
  logic [LsB-1:0] lu_lsig_new;
  logic [ZbB-1:0] lu_zb;
  logic [Lanes*64-1:0] lu_delta;
  logic [Lanes*32-1:0] lu_draw;
  logic upd_deepr;            // the retired UPD chunk is a W_IN / W_REC chunk under DEEP R
  for (genvar l = 0; l < Lanes; l++) begin : g_learn_lane
    assign lu_y[l*YB +: YB] = rd_y[l*64 +: YB];
    assign lu_target[l*YB +: YB] = (32'(rp_j0) + l < NumOut) ? targets[(32'(rp_j0) + l) * 24 +: YB] : '0;
    assign lu_err[l*ErrB +: ErrB] = (32'(rp_j0) + l < NumOut) ? err_q[(32'(rp_j0) + l) * ErrB +: ErrB] : '0;
    assign lu_b[l*eligo_pkg::B_BITS +: eligo_pkg::B_BITS] = rd_bfb[l*64 +: eligo_pkg::B_BITS];
    assign lu_wout[l*WB +: WB] = rd_wout[l*64 +: WB];
    assign lu_zbar[l*ZbB +: ZbB] = rd_zbar[l*64 +: ZbB];
    assign lu_z[l] = (32'(rp_j0) + l < NumRec) ? z_q[32'(rp_j0) + l] : 1'b0;
    assign lu_grad[l*GB +: GB] = rd_grad[l*64 +: GB];
    assign lu_w[l*WB +: WB] = rp_seg_q == 2'd1 ? rd_wout[l*64 +: WB] : (rp_row_q < NumIn ? rd_win[l*64 +: WB] : rd_wrec[l*64 +: WB]);
  end
  assign lu_zb = rp_ch_q == 0 ? rd_zbar[ZbB-1:0] : zb_q;
  assign upd_deepr = deepr && rp_seg_q == 2'd0;

  learn_unit #(.Lanes(Lanes)) u_learn (
    .clk_i, .rst_ni, .y_i(lu_y), .target_i(lu_target), .err_o(lu_err_new),
    .lsig_i(rp_ch_q == 0 ? '0 : lacc_q), .lanes_i(rp_lanes_q), .fb_symmetric_i(fb_symmetric), .b_i(lu_b),
    .w_out_i(lu_wout), .err_i(lu_err), .lsig_o(lu_lsig_new),
    .zbar_i(lu_zbar), .z_i(lu_z), .kappa_i(kappa), .c_i(c_out), .zbar_o(lu_zbar_new), .zb_i(lu_zb),
    .grad_i(lu_grad), .ogr_grad_o(lu_ogr_grad),
    .lr_mant_i(lr_mant), .lr_shift_i(lr_shift), .delta_o(lu_delta), .w_i(lu_w), .w_plain_o(lu_w_plain),
    .seed_load_i(seed_load_q), .seed_i(seed_upd), .draw_next_i(draw_next), .draw_o(lu_draw)
  );

  // Trace unit inputs: the EPSV words and event counts of a source chunk (presynaptic pass), or
  // a neuron chunk of one source row (synapse pass; EPSA lanes realigned to the neurons).
  logic [Lanes*EvB-1:0] tu_epsv, tu_epsv_new;
  logic [Lanes*8-1:0] tu_pre_n;
  logic [EvB-1:0] tu_row_epsv;
  logic [Lanes*PsB-1:0] tu_psi;
  logic [Lanes*EaB-1:0] tu_epsa, tu_epsa_new;
  logic [Lanes*EbB-1:0] tu_ebar, tu_ebar_new;
  logic [Lanes*LsB-1:0] tu_lsig;
  logic [Lanes*GB-1:0] tu_grad_new;
  for (genvar l = 0; l < Lanes; l++) begin : g_trace_lane
    assign tu_epsv[l*EvB +: EvB] = rd_epsv[l*64 +: EvB];
    assign tu_pre_n[l*8 +: 8] = pre_count(32'(rp_j0) + l, in_cnt_q, zpre_q);
    assign tu_psi[l*PsB +: PsB] = rd_psi[l*64 +: PsB];
    assign tu_epsa[l*EaB +: EaB] = (32'(l) >= rp_off) ? epsa_word(rd_epsa, 32'(l) - rp_off) : '0;
    assign tu_ebar[l*EbB +: EbB] = rd_ebar[l*64 +: EbB];
    assign tu_lsig[l*LsB +: LsB] = rd_lsig[l*64 +: LsB];
  end
  assign tu_row_epsv = rp_ch_q == 0 ? rd_epsv[EvB-1:0] : ev_q;

  trace_unit #(.Lanes(Lanes)) u_trace (
    .epsv_i(tu_epsv), .pre_n_i(tu_pre_n), .lif_alpha_i(lif_alpha), .lif_zeta_i(lif_zeta),
    .alif_alpha_i(alif_alpha), .alif_zeta_i(alif_zeta), .epsv_o(tu_epsv_new),
    .row_epsv_i(tu_row_epsv), .alif_i(rp_alif), .psi_i(tu_psi), .epsa_i(tu_epsa), .ebar_i(tu_ebar),
    .lsig_i(tu_lsig), .grad_i(lu_grad), .beta_i(alif_beta), .rho_i(alif_rho), .kappa_i(kappa), .c_i(c_out),
    .epsa_o(tu_epsa_new), .ebar_o(tu_ebar_new), .grad_o(tu_grad_new)
  );

  logic rw_start, rw_rd, rw_wr, rw_rec, rw_done;
  logic [AW-1:0] rw_addr;
  logic [WB-1:0] rw_wdata;
  rewire_unit #(.NumIn(NumIn), .NumRec(NumRec), .Lanes(Lanes)) u_rewire (
    .clk_i, .rst_ni, .w_i(lu_w), .delta_i(lu_delta), .draw_i(lu_draw), .l1_i(l1), .noise_i(noise),
    .w_o(rw_w), .pruned_o(rw_pruned),
    .start_i(rw_start), .k_in_i(k_in), .k_rec_i(k_rec), .active_in_i(act_in_q), .active_rec_i(act_rec_q),
    .seed_load_i(seed_load_q), .seed_i(seed_rwr), .word_in_i(rd_win[WB-1:0]), .word_rec_i(rd_wrec[WB-1:0]),
    .rd_o(rw_rd), .wr_o(rw_wr), .rec_o(rw_rec), .addr_o(rw_addr), .wdata_o(rw_wdata), .kerror_o(set_kerror),
    .done_o(rw_done)
  );
  assign rw_start = st_q == StRwr && cyc_q == 0;

  // Row and chunk of a REC / OUT row pass: the current row, or the next spike's row.
  logic [31:0] rec_row, rec_ch;
  logic [8:0] scan_low;  // the next spike to process: the lowest set bit of scan_q
  assign scan_low = lowest(scan_q);
  assign rec_row = row_busy_q ? row_q : 32'(scan_low);
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
  function automatic logic [EaB-1:0] epsa_word(input logic [Lanes*64-1:0] rd, input logic [31:0] q);
    epsa_word = rd[q*64 +: EaB];
  endfunction
  // Events of presynaptic source i this timestep: input event count, or the previous spike.
  function automatic logic [7:0] pre_count(input logic [31:0] i, input logic [NumIn*8-1:0] cnt,
                                          input logic [NumRec-1:0] zp);
    if (i < NumIn) pre_count = cnt[i*8 +: 8];
    else if (i < NumPre) pre_count = {7'd0, zp[i - NumIn]};
    else pre_count = 8'd0;
  endfunction
  // Whether a state's segment is a learning pass (reads at the cursor), and its rows and chunks.
  function automatic logic in_pass(input state_e st, input logic [1:0] seg);
    in_pass = ((st == StLrn || st == StUpd) && seg != 2'd2 && seg != 2'd3) ||
              ((st == StOgr || st == StTrc) && (seg == 2'd0 || seg == 2'd2));
  endfunction
  function automatic integer pass_rows(input state_e st, input logic [1:0] seg);
    pass_rows = 1;
    if (st == StLrn && seg == 2'd1) pass_rows = NumRec;
    if (st == StOgr && seg == 2'd2) pass_rows = NumRec;
    if (st == StTrc && seg == 2'd2) pass_rows = NumPre;
    if (st == StUpd && seg == 2'd0) pass_rows = NumPre;
    if (st == StUpd && seg == 2'd1) pass_rows = NumRec;
  endfunction
  function automatic integer pass_chunks(input state_e st, input logic [1:0] seg);
    pass_chunks = 1;
    if (st == StLrn && seg != 2'd2) pass_chunks = ChOut;
    if (st == StOgr && seg == 2'd0) pass_chunks = ChRec;
    if (st == StOgr && seg == 2'd2) pass_chunks = ChOut;
    if (st == StTrc && seg == 2'd0) pass_chunks = ChNp;
    if (st == StTrc && seg == 2'd2) pass_chunks = ChRec;
    if (st == StUpd && seg == 2'd0) pass_chunks = ChRec;
    if (st == StUpd && seg == 2'd1) pass_chunks = ChOut;
  endfunction
  // The learning-pass cursor: the next (row, chunk) after (row, ch) in a pass of rows x chunks,
  // and whether (row, ch) was the pass's last.
  function automatic logic [64:0] cursor(input logic [31:0] row, input logic [31:0] ch, input integer rows,
                                         input integer chunks);
    if (ch + 1 < chunks) cursor = {1'b0, row, ch + 32'd1};
    else cursor = {row + 1 == rows, row + 32'd1, 32'd0};
  endfunction

  // Active bits of Lanes weight words.
  function automatic logic [Lanes-1:0] active_lanes(input logic [Lanes*WB-1:0] w);
    for (int l = 0; l < Lanes; l++) active_lanes[l] = w[l*WB + eligo_pkg::WORD_ACTIVE_BIT];
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
  logic [7:0] neu_updates, trace_updates, learn_macs, weight_updates, prunes, reactivations, probes;
  logic [64:0] cur;  // cursor() of the current learning pass
  logic [Lanes-1:0] upd_act, upd_new_active;  // UPD: active words of the retired chunk, still active after
  assign cur = cursor(row_q, ch_q, pass_rows(st_q, seg_q), pass_chunks(st_q, seg_q));
  assign upd_act = rp_lanes_q & active_lanes(lu_w);
  assign upd_new_active = upd_act & active_lanes(upd_deepr ? rw_w : lu_w_plain);

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
    /* verilator lint_off WIDTHCONCAT */  // 13 memories x Lanes x 64 bits exceed 8k at 16 lanes
    m_wdata = '0;
    /* verilator lint_on WIDTHCONCAT */
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
    trace_updates = 8'd0;
    learn_macs = 8'd0;
    weight_updates = 8'd0;
    prunes = 8'd0;
    reactivations = 8'd0;
    probes = 8'd0;
    end_d = end_q;
    in_cnt_d = in_cnt_q;
    zpre_d = zpre_q;
    rp_d = 1'b0;
    rp_seg_d = rp_seg_q;
    rp_row_d = rp_row_q;
    rp_ch_d = rp_ch_q;
    rp_lanes_d = '0;
    err_d = err_q;
    lacc_d = lacc_q;
    zb_d = zb_q;
    ev_d = ev_q;
    act_in_d = act_in_q;
    act_rec_d = act_rec_q;
    draw_next = '0;

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
          // END_SAMPLE: with UPDATE and learning, UPD (batch mode) and RWR (DEEP R) first.
          idle_cycle = 1'b1;
          seg_d = 0;
          row_d = 0;
          ch_d = 0;
          cyc_d = 0;
          if (cmd_update && learn && !online) begin
            st_d = StUpd;
            end_d = 1'b1;
          end else if (cmd_update && learn && deepr) begin
            st_d = StRwr;
            end_d = 1'b1;
          end else begin
            sample_end = 1'b1;
            set_done = 1'b1;
          end
        end else begin
          aer_ready_o = 1'b1;
          if (aer_valid_i && aer_eot_i) begin
            phase_cycle = 1'b1;
            st_d = StRec;
            scan_d = z_q;
            zpre_d = z_q;
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
            if (32'(aer_addr_i) < NumIn && 32'(in_cnt_q[32'(aer_addr_i) * 8 +: 8]) < eligo_pkg::IN_COUNT_MAX) begin
              in_cnt_d[32'(aer_addr_i) * 8 +: 8] = in_cnt_q[32'(aer_addr_i) * 8 +: 8] + 8'd1;
            end
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
              m_cwe[MEpsv*Lanes +: Lanes] = lanes_upto((cyc_q - ChRec) * Lanes, NumPre);
              m_waddr[MEpsv*AW +: AW] = AW'((cyc_q - ChRec) * Lanes);
            end
            cyc_d = cyc_q + 1;
            if (cyc_q + 1 == ChRec + ChNp) begin
              cyc_d = 0;
              seg_d = 2'd2;
              row_d = 0;
              ch_d = 0;
            end
          end
          2'd2: begin  // per source row: EPSA (ALIF lanes) and EBAR
            for (int l = 0; l < Lanes; l++) begin
              if (ch_q * Lanes + l >= FirstAlif && ch_q * Lanes + l < NumRec) begin
                m_cwe[MEpsa*Lanes + l - 32'(epsa_off(ch_q * Lanes))] = 1'b1;
              end
            end
            m_waddr[MEpsa*AW +: AW] = AW'(epsa_addr(row_q, ch_q * Lanes));
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
          if (!row_busy_q) scan_d[32'(scan_low)] = 1'b0;
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
            if (!row_busy_q) scan_d[32'(scan_low)] = 1'b0;
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
            if (!learn) st_d = StDone;
            else if (target_valid) st_d = StLrn;
            else st_d = StOgr;
            seg_d = 0;
            row_d = 0;
            ch_d = 0;
            cyc_d = 0;
          end
        end
      end

      // ---- LRN (target valid): err_k of the readout chunks, then L_j of every neuron (one
      // readout chunk per cycle); a drain and a closing cycle
      StLrn: begin
        phase_now = eligo_pkg::PhLrn;
        phase_cycle = 1'b1;
        if (rp_q && rp_seg_q == 2'd0) begin
          for (int l = 0; l < Lanes; l++) begin
            if (rp_lanes_q[l]) err_d[(rp_j0 + l) * ErrB +: ErrB] = lu_err_new[l*ErrB +: ErrB];
          end
        end
        if (rp_q && rp_seg_q == 2'd1) begin
          learn_macs = popcount(rp_lanes_q);
          if (rp_ch_q + 1 == ChOut) begin
            m_cwe[MLsig*Lanes] = 1'b1;
            m_waddr[MLsig*AW +: AW] = AW'(rp_row_q);
            m_wdata[(MLsig*Lanes)*64 +: 64] = 64'(lu_lsig_new);
          end else begin
            lacc_d = lu_lsig_new;
          end
        end
        unique case (seg_q)
          2'd0: begin
            m_re[MY] = 1'b1;
            m_raddr[MY*AW +: AW] = AW'(ch_q * Lanes);
            m_rcnt[MY*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumOut));
            rp_lanes_d = lanes_upto(ch_q * Lanes, NumOut);
          end
          2'd1: begin
            rp_lanes_d = lanes_upto(ch_q * Lanes, NumOut);
            if (fb_symmetric) begin
              m_re[MWOut] = 1'b1;
              m_raddr[MWOut*AW +: AW] = AW'(row_q * NumOut + ch_q * Lanes);
              m_rcnt[MWOut*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumOut));
            end else begin
              m_re[MBfb] = 1'b1;
              m_raddr[MBfb*AW +: AW] = AW'(row_q * NumOut + ch_q * Lanes);
              m_rcnt[MBfb*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumOut));
            end
          end
          default: begin
            cyc_d = cyc_q + 1;
            if (cyc_q == 1) begin
              st_d = StOgr;
              seg_d = 0;
              cyc_d = 0;
            end
          end
        endcase
      end

      // ---- OGR: zbar of the neuron chunks; an idle cycle; with the target valid, the readout
      // gradients of every neuron (one readout chunk per cycle); a last cycle
      StOgr: begin
        phase_now = eligo_pkg::PhOgr;
        phase_cycle = 1'b1;
        if (rp_q && rp_seg_q == 2'd0) begin
          m_cwe[MZbar*Lanes +: Lanes] = rp_lanes_q;
          m_waddr[MZbar*AW +: AW] = AW'(rp_j0);
          for (int l = 0; l < Lanes; l++) m_wdata[(MZbar*Lanes+l)*64 +: 64] = 64'(lu_zbar_new[l*ZbB +: ZbB]);
        end
        if (rp_q && rp_seg_q == 2'd2) begin
          zb_d = lu_zb;
          learn_macs = popcount(rp_lanes_q);
          m_cwe[MGrad*Lanes +: Lanes] = rp_lanes_q;
          m_waddr[MGrad*AW +: AW] = AW'(OutBase + rp_row_q * NumOut + rp_j0);
          for (int l = 0; l < Lanes; l++) m_wdata[(MGrad*Lanes+l)*64 +: 64] = 64'(lu_ogr_grad[l*GB +: GB]);
        end
        unique case (seg_q)
          2'd0: begin
            m_re[MZbar] = 1'b1;
            m_raddr[MZbar*AW +: AW] = AW'(ch_q * Lanes);
            m_rcnt[MZbar*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumRec));
            rp_lanes_d = lanes_upto(ch_q * Lanes, NumRec);
          end
          2'd1: begin
            seg_d = target_valid ? 2'd2 : 2'd3;
          end
          2'd2: begin
            m_re[MGrad] = 1'b1;
            m_raddr[MGrad*AW +: AW] = AW'(OutBase + row_q * NumOut + ch_q * Lanes);
            m_rcnt[MGrad*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumOut));
            if (ch_q == 0) begin
              m_re[MZbar] = 1'b1;
              m_raddr[MZbar*AW +: AW] = AW'(row_q);
              m_rcnt[MZbar*8 +: 8] = 8'd1;
            end
            rp_lanes_d = lanes_upto(ch_q * Lanes, NumOut);
          end
          default: begin
            st_d = StTrc;
            seg_d = 0;
          end
        endcase
      end

      // ---- TRC: eps_v of the source chunks; an idle cycle; per source row, the neuron chunks'
      // eps_a, ebar and (target valid) G; a last cycle
      StTrc: begin
        phase_now = eligo_pkg::PhTrc;
        phase_cycle = 1'b1;
        if (rp_q && rp_seg_q == 2'd0) begin
          trace_updates = 8'(2 * popcount(rp_lanes_q));
          m_cwe[MEpsv*Lanes +: Lanes] = rp_lanes_q;
          m_waddr[MEpsv*AW +: AW] = AW'(rp_j0);
          for (int l = 0; l < Lanes; l++) m_wdata[(MEpsv*Lanes+l)*64 +: 64] = 64'(tu_epsv_new[l*EvB +: EvB]);
        end
        if (rp_q && rp_seg_q == 2'd2) begin
          ev_d = tu_row_epsv;
          trace_updates = popcount(rp_lanes_q);
          for (int l = 0; l < Lanes; l++) begin
            if (rp_alif[l]) begin
              m_cwe[MEpsa*Lanes + l - rp_off] = 1'b1;
              m_wdata[(MEpsa*Lanes + l - rp_off)*64 +: 64] = 64'(tu_epsa_new[l*EaB +: EaB]);
            end
            m_wdata[(MEbar*Lanes+l)*64 +: 64] = 64'(tu_ebar_new[l*EbB +: EbB]);
            m_wdata[(MGrad*Lanes+l)*64 +: 64] = 64'(tu_grad_new[l*GB +: GB]);
          end
          m_waddr[MEpsa*AW +: AW] = AW'(epsa_addr(rp_row_q, rp_j0));
          m_cwe[MEbar*Lanes +: Lanes] = rp_lanes_q;
          m_waddr[MEbar*AW +: AW] = AW'(rp_row_q * NumRec + rp_j0);
          if (target_valid) begin
            learn_macs = popcount(rp_lanes_q);
            m_cwe[MGrad*Lanes +: Lanes] = rp_lanes_q;
            m_waddr[MGrad*AW +: AW] = AW'(rp_row_q * NumRec + rp_j0);
          end
        end
        unique case (seg_q)
          2'd0: begin
            m_re[MEpsv] = 1'b1;
            m_raddr[MEpsv*AW +: AW] = AW'(ch_q * Lanes);
            m_rcnt[MEpsv*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumPre));
            rp_lanes_d = lanes_upto(ch_q * Lanes, NumPre);
          end
          2'd1: begin
            seg_d = 2'd2;
          end
          2'd2: begin
            m_re[MPsi] = 1'b1;
            m_raddr[MPsi*AW +: AW] = AW'(ch_q * Lanes);
            m_rcnt[MPsi*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumRec));
            if (alif_lanes(ch_q * Lanes) != '0) begin
              m_re[MEpsa] = 1'b1;
              m_raddr[MEpsa*AW +: AW] = AW'(epsa_addr(row_q, ch_q * Lanes));
              m_rcnt[MEpsa*8 +: 8] = popcount(alif_lanes(ch_q * Lanes));
            end
            m_re[MEbar] = 1'b1;
            m_raddr[MEbar*AW +: AW] = AW'(row_q * NumRec + ch_q * Lanes);
            m_rcnt[MEbar*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumRec));
            if (target_valid) begin
              m_re[MLsig] = 1'b1;
              m_raddr[MLsig*AW +: AW] = AW'(ch_q * Lanes);
              m_rcnt[MLsig*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumRec));
              m_re[MGrad] = 1'b1;
              m_raddr[MGrad*AW +: AW] = AW'(row_q * NumRec + ch_q * Lanes);
              m_rcnt[MGrad*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumRec));
            end
            if (ch_q == 0) begin
              m_re[MEpsv] = 1'b1;
              m_raddr[MEpsv*AW +: AW] = AW'(row_q);
              m_rcnt[MEpsv*8 +: 8] = 8'd1;
            end
            rp_lanes_d = lanes_upto(ch_q * Lanes, NumRec);
          end
          default: begin
            if (online) st_d = StUpd;
            else st_d = StDone;
            seg_d = 0;
            cyc_d = 0;
          end
        endcase
      end

      // ---- UPD: W_IN / W_REC rows (source order), then W_OUT rows: w -= lr G (stochastic
      // rounding; DEEP R on W_IN / W_REC), G = 0; a drain and a closing cycle
      StUpd: begin
        phase_now = eligo_pkg::PhUpd;
        phase_cycle = 1'b1;
        if (seg_q == 2'd0 && row_q == 0 && ch_q == 0) begin  // first cycle (nothing retires)
          act_in_d = '0;
          act_rec_d = '0;
        end
        if (rp_q) begin
          draw_next = upd_act;
          weight_updates = popcount(upd_act);
          prunes = upd_deepr ? popcount(upd_act & rw_pruned) : 8'd0;
          for (int m = MWIn; m <= MWOut; m++) begin
            if (m == (rp_seg_q == 2'd1 ? MWOut : (rp_row_q < NumIn ? MWIn : MWRec))) begin
              m_cwe[m*Lanes +: Lanes] = upd_act;
              m_waddr[m*AW +: AW] = rp_seg_q == 2'd1 ? AW'(rp_row_q * NumOut + rp_j0)
                                  : AW'((rp_row_q < NumIn ? rp_row_q : rp_row_q - NumIn) * NumRec + rp_j0);
              for (int l = 0; l < Lanes; l++) begin
                m_wdata[(m*Lanes+l)*64 +: 64] = upd_deepr ? 64'(rw_w[l*WB +: WB]) : 64'(lu_w_plain[l*WB +: WB]);
              end
            end
          end
          if (rp_seg_q == 2'd0) begin
            if (rp_row_q < NumIn) act_in_d = act_in_q + 32'(popcount(upd_new_active));
            else act_rec_d = act_rec_q + 32'(popcount(upd_new_active));
          end
          m_cwe[MGrad*Lanes +: Lanes] = rp_lanes_q;
          m_waddr[MGrad*AW +: AW] = rp_seg_q == 2'd1 ? AW'(OutBase + rp_row_q * NumOut + rp_j0) : AW'(rp_row_q * NumRec + rp_j0);
        end
        unique case (seg_q)
          2'd0: begin
            if (row_q < NumIn) begin
              m_re[MWIn] = 1'b1;
              m_raddr[MWIn*AW +: AW] = AW'(row_q * NumRec + ch_q * Lanes);
              m_rcnt[MWIn*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumRec));
            end else begin
              m_re[MWRec] = 1'b1;
              m_raddr[MWRec*AW +: AW] = AW'((row_q - NumIn) * NumRec + ch_q * Lanes);
              m_rcnt[MWRec*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumRec));
            end
            m_re[MGrad] = 1'b1;
            m_raddr[MGrad*AW +: AW] = AW'(row_q * NumRec + ch_q * Lanes);
            m_rcnt[MGrad*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumRec));
            rp_lanes_d = lanes_upto(ch_q * Lanes, NumRec);
          end
          2'd1: begin
            m_re[MWOut] = 1'b1;
            m_raddr[MWOut*AW +: AW] = AW'(row_q * NumOut + ch_q * Lanes);
            m_rcnt[MWOut*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumOut));
            m_re[MGrad] = 1'b1;
            m_raddr[MGrad*AW +: AW] = AW'(OutBase + row_q * NumOut + ch_q * Lanes);
            m_rcnt[MGrad*8 +: 8] = popcount(lanes_upto(ch_q * Lanes, NumOut));
            rp_lanes_d = lanes_upto(ch_q * Lanes, NumOut);
          end
          default: begin
            cyc_d = cyc_q + 1;
            if (cyc_q == 1) begin
              seg_d = 0;
              cyc_d = 0;
              if (!end_q) begin
                st_d = StDone;
              end else if (deepr) begin
                st_d = StRwr;
              end else begin
                st_d = StIn;
                end_d = 1'b0;
                sample_end = 1'b1;
                set_done = 1'b1;
              end
            end
          end
        endcase
      end

      // ---- RWR (END_SAMPLE, DEEP R): the rewiring unit's probes and re-activations
      StRwr: begin
        phase_now = eligo_pkg::PhRwr;
        phase_cycle = 1'b1;
        cyc_d = 1;
        if (rw_rd) begin
          probes = 8'd1;
          if (rw_rec) begin
            m_re[MWRec] = 1'b1;
            m_raddr[MWRec*AW +: AW] = rw_addr;
            m_rcnt[MWRec*8 +: 8] = 8'd1;
          end else begin
            m_re[MWIn] = 1'b1;
            m_raddr[MWIn*AW +: AW] = rw_addr;
            m_rcnt[MWIn*8 +: 8] = 8'd1;
          end
        end
        if (rw_wr) begin
          reactivations = 8'd1;
          if (rw_rec) begin
            m_cwe[MWRec*Lanes] = 1'b1;
            m_waddr[MWRec*AW +: AW] = rw_addr;
            m_wdata[(MWRec*Lanes)*64 +: 64] = 64'(rw_wdata);
            act_rec_d = act_rec_q + 1;
          end else begin
            m_cwe[MWIn*Lanes] = 1'b1;
            m_waddr[MWIn*AW +: AW] = rw_addr;
            m_wdata[(MWIn*Lanes)*64 +: 64] = 64'(rw_wdata);
            act_in_d = act_in_q + 1;
          end
        end
        if (rw_done) begin
          st_d = StIn;
          cyc_d = 0;
          end_d = 1'b0;
          sample_end = 1'b1;
          set_done = 1'b1;
        end
      end

      // ---- end of the timestep (no cycle of any phase: the model's timestep ends with its last
      // phase)
      default: begin
        ts_end = 1'b1;
        in_cnt_d = '0;
        set_done = 1'b1;
        set_overrun = ts_budget != 0 && ts_cyc_q > ts_budget;
        ts_open_d = 1'b0;
        st_d = StIn;
        idle_cycle = 1'b1;
      end
    endcase

    // Learning passes: the chunk at the cursor is read this cycle and retires the next; the
    // cursor advances, to the next segment after the pass's last chunk.
    if (in_pass(st_q, seg_q)) begin
      rp_d = 1'b1;
      rp_seg_d = seg_q;
      rp_row_d = row_q;
      rp_ch_d = ch_q;
      {row_d, ch_d} = cur[63:0];
      if (cur[64]) begin
        seg_d = seg_q + 2'd1;
        row_d = 0;
        ch_d = 0;
        cyc_d = 0;
      end
    end

  end

  // Timestep cycle count and counter increments of this cycle (a separate block: it reads what
  // the sequencer block writes).
  always_comb begin
    ts_cyc_d = ts_cyc_q;
    if (phase_cycle && st_q != StRst && !end_q) ts_cyc_d = ts_cyc_q + 1;
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
    cnt_inc[eligo_pkg::CNT_TRACE_UPDATES * 8 +: 8] = trace_updates;
    cnt_inc[eligo_pkg::CNT_LEARN_MACS * 8 +: 8] = learn_macs;
    cnt_inc[eligo_pkg::CNT_WEIGHT_UPDATES * 8 +: 8] = weight_updates;
    cnt_inc[eligo_pkg::CNT_PRUNES * 8 +: 8] = prunes;
    cnt_inc[eligo_pkg::CNT_REACTIVATIONS * 8 +: 8] = reactivations;
    cnt_inc[eligo_pkg::CNT_PROBES * 8 +: 8] = probes;
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
      end_q <= 1'b0;
      seed_load_q <= 1'b0;
      in_cnt_q <= '0;
      zpre_q <= '0;
      rp_q <= 1'b0;
      rp_seg_q <= '0;
      rp_row_q <= '0;
      rp_ch_q <= '0;
      rp_lanes_q <= '0;
      err_q <= '0;
      lacc_q <= '0;
      zb_q <= '0;
      ev_q <= '0;
      act_in_q <= '0;
      act_rec_q <= '0;
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
      end_q <= end_d;
      seed_load_q <= seed_write;
      in_cnt_q <= in_cnt_d;
      zpre_q <= zpre_d;
      rp_q <= rp_d;
      rp_seg_q <= rp_seg_d;
      rp_row_q <= rp_row_d;
      rp_ch_q <= rp_ch_d;
      rp_lanes_q <= rp_lanes_d;
      err_q <= err_d;
      lacc_q <= lacc_d;
      zb_q <= zb_d;
      ev_q <= ev_d;
      act_in_q <= act_in_d;
      act_rec_q <= act_rec_d;
    end
  end

`ifndef SYNTHESIS
  // DEEP R invariant: when RWR ends, exactly K words are active in W_IN and in W_REC, unless
  // K_ERROR applies to the matrix (K above its allowed words, or more than K active after UPD).
  localparam int AllowedIn = NumIn * NumRec, AllowedRec = NumRec * NumRec - NumRec;
  always_ff @(posedge clk_i) begin
    if (rst_ni && st_q == StRwr && rw_done) begin
      assert (act_in_q == k_in || k_in > 32'(AllowedIn) || act_in_q > k_in)
        else $error("eligo_core: DEEP R: %0d words active in W_IN, K_IN = %0d", act_in_q, k_in);
      assert (act_rec_q == k_rec || k_rec > 32'(AllowedRec) || act_rec_q > k_rec)
        else $error("eligo_core: DEEP R: %0d words active in W_REC, K_REC = %0d", act_rec_q, k_rec);
    end
  end
`endif

  perf_counters #(.NumCnt(NumCnt)) u_counters (
    .clk_i, .rst_ni, .clear_i(cmd_clear && !busy), .inc_i(cnt_inc), .sel_i(cnt_sel), .value_o(cnt_value)
  );

  assign busy = ts_open_q || st_q != StIn;
  assign busy_o = busy;
  assign irq_o = done && irq_en;
  assign phase_o = phase_now;
  assign phase_valid_o = phase_cycle;

endmodule
