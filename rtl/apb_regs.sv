// APB slave of the eligo core: configuration registers, commands, status, counter and memory
// windows (map in spec/chip.toml / docs/chip_spec.md). Twin: golden_model/chip/apb_regs.cpp.
// Registers answer in the access phase without wait states; memory words go through the core
// (mem_req_o .. mem_ack_i), which answers after one or two cycles, or with an error while busy.
// An unmapped address, a write to a read-only register or a word beyond a memory's depth
// answers PSLVERR and changes nothing.
module apb_regs #(
  parameter int NumIn = 40,
  parameter int NumRec = 40,
  parameter int NumOut = 2,
  parameter int NumAlif = 20,
  parameter int Lanes = 4,
  parameter int SynTraces = 1  // 0: a factored-only core (no EPSA, EBAR; CTRL.TRC_FACT reads 1)
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
  // Configuration
  output logic        learn_o,
  output logic        online_o,
  output logic        deepr_o,
  output logic        fb_symmetric_o,
  output logic        spike_ge_o,
  output logic        irq_en_o,
  output logic        err_clamp_o,
  output logic        upd_sign_o,
  output logic        trc_hold_o,
  output logic        trc_acc_o,     // CTRL.TRC_ACC: NEU sums psi into PSI (adaptation blocks)
  output logic        trc_block_o,   // CTRL.TRC_BLOCK: with TRC_HOLD, TRC runs an adaptation block
  output logic        trc_fact_o,
  output logic [31:0] ts_budget_o,
  output logic        target_valid_o,
  output logic [15:0] lr_in_mant_o,    // learning rate per matrix: W_IN, W_REC, W_OUT
  output logic [5:0]  lr_in_shift_o,
  output logic [15:0] lr_rec_mant_o,
  output logic [5:0]  lr_rec_shift_o,
  output logic [15:0] lr_out_mant_o,
  output logic [5:0]  lr_out_shift_o,
  output logic [23:0] err_lo_o,         // readout bounds in the error (CTRL.ERR_CLAMP)
  output logic [23:0] err_hi_o,
  output logic [15:0] l1_o,
  output logic [15:0] noise_o,
  output logic [31:0] k_in_o,
  output logic [31:0] k_rec_o,
  output logic [31:0] seed_upd_o,
  output logic [31:0] seed_rwr_o,
  output logic        seed_write_o,     // pulse: a seed register was written
  output logic [23:0] lif_alpha_o, lif_zeta_o, lif_thr_o, lif_inv_thr_o, lif_psi_scale_o,
  output logic [3:0]  lif_nref_o,
  output logic [23:0] alif_alpha_o, alif_zeta_o, alif_thr_o, alif_inv_thr_o, alif_psi_scale_o,
  output logic [3:0]  alif_nref_o,
  output logic [23:0] alif_rho_o, alif_beta_o, kappa_o, c_out_o, alif_rho_blk_o,
  output logic [16*24-1:0] targets_o,   // target k at [24k +: 24]
  // Commands (pulses) and status
  output logic        cmd_start_o,
  output logic        cmd_end_o,
  output logic        cmd_update_o,
  output logic        cmd_clear_o,
  input  logic        busy_i,
  input  logic        set_done_i,
  input  logic        set_overrun_i,
  input  logic        set_kerror_i,
  output logic        done_o,
  // Counters: index (counters, then reads/writes per memory) and value
  output logic [5:0]  cnt_sel_o,
  input  logic [63:0] cnt_value_i,
  // Memory window
  output logic        mem_req_o,
  output logic        mem_we_o,
  output logic [3:0]  mem_id_o,
  output logic [17:0] mem_word_o,
  output logic        mem_hi_o,
  output logic [31:0] mem_wdata_o,
  input  logic        mem_ack_i,
  input  logic        mem_err_i,
  input  logic [31:0] mem_rdata_i
);

  localparam int NumCnt = eligo_pkg::NUM_COUNTERS + 2 * eligo_pkg::NUM_MEMS;

  // The RW registers (arrays aside) live in one flat register file whose layout, reset value,
  // decode, read-back and write are generated from spec/chip.toml (eligo_pkg: RF_*, rf_read,
  // rf_write, reg_access). This module adds what is not storage: RO values from the parameters,
  // the commands (WO), STATUS (W1C), the TARGET array and the counter and memory windows.
  logic [eligo_pkg::RF_BITS-1:0] rf_q;
  localparam int TgB = eligo_pkg::REG_TARGET_BITS;
  logic [eligo_pkg::REG_TARGET_COUNT*TgB-1:0] targets_q;  // TARGET k at [TgB k +: TgB]
  logic done_q, overrun_q, kerror_q;

  logic access, is_mem, is_cnt, is_target, reg_hit, reg_ro;
  logic [31:0] reg_rdata;
  logic [3:0] mem_m;
  logic [31:0] mem_depth;
  logic [4:0] target_k;

  assign access = psel_i && penable_i;
  assign is_mem = paddr_i >= eligo_pkg::MEM_BASE;
  assign is_cnt = paddr_i >= 24'(eligo_pkg::CNT_BASE) && paddr_i < 24'(eligo_pkg::CNT_BASE) + 24'(8 * NumCnt);
  assign target_k = 5'((paddr_i - 24'(eligo_pkg::REG_TARGET)) >> 2);
  assign is_target = paddr_i >= 24'(eligo_pkg::REG_TARGET) &&
                     paddr_i < 24'(eligo_pkg::REG_TARGET) + 24'(4 * NumOut);
  // Memory windows (spec/chip.toml [memory_map]): memory m at MEM_BASE (m + 1), 1 MiB each, except
  // GRAD at GRAD_BASE with 2 MiB (135,168 words at 256-256-16); GRAD's 1 MiB slot is unmapped (id 15).
  logic is_grad;
  logic [17:0] mem_word;
  assign is_grad = paddr_i >= eligo_pkg::GRAD_BASE;
  assign mem_m = is_grad ? eligo_pkg::MemGrad
               : paddr_i[23:20] == 4'(eligo_pkg::MemGrad) + 4'd1 ? 4'hF : 4'(paddr_i[23:20] - 4'd1);
  assign mem_word = is_grad ? paddr_i[20:3] : {1'b0, paddr_i[19:3]};
  assign cnt_sel_o = 6'((paddr_i - 24'(eligo_pkg::CNT_BASE)) >> 3);

  always_comb begin
    unique case (mem_m)
      4'd0: mem_depth = eligo_pkg::mem_state_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      4'd1: mem_depth = eligo_pkg::mem_psi_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      4'd2: mem_depth = eligo_pkg::mem_y_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      4'd3: mem_depth = eligo_pkg::mem_w_in_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      4'd4: mem_depth = eligo_pkg::mem_w_rec_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      4'd5: mem_depth = eligo_pkg::mem_w_out_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      4'd6: mem_depth = eligo_pkg::mem_b_fb_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      4'd7: mem_depth = eligo_pkg::mem_epsv_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      4'd8: mem_depth = eligo_pkg::mem_epsa_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      4'd9: mem_depth = eligo_pkg::mem_ebar_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      4'd10: mem_depth = eligo_pkg::mem_grad_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      4'd11: mem_depth = eligo_pkg::mem_zbar_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      4'd12: mem_depth = eligo_pkg::mem_lsig_depth(NumIn, NumRec, NumOut, NumAlif, SynTraces);
      default: mem_depth = 32'd0;
    endcase
  end

  // Register read mux; reg_hit = the address is a register, reg_ro = it is read-only.
  logic [2:0] reg_acc;
  assign reg_acc = eligo_pkg::reg_access(paddr_i[11:0]);
  always_comb begin
    reg_hit = reg_acc != eligo_pkg::ACC_NONE;
    reg_ro = reg_acc == eligo_pkg::ACC_RO;
    // Operand isolation: the read mux (the whole register file) only during an access, the only
    // cycles whose PRDATA it drives; 0 otherwise.
    reg_rdata = 32'd0;
    if (access) begin
      unique case (paddr_i[11:0])
        eligo_pkg::REG_ID: reg_rdata = eligo_pkg::CHIP_ID;
        eligo_pkg::REG_VERSION: reg_rdata = eligo_pkg::SPEC_VERSION;
        eligo_pkg::REG_STATUS:
          reg_rdata = (32'(busy_i) << eligo_pkg::STATUS_BUSY_LSB) | (32'(done_q) << eligo_pkg::STATUS_DONE_LSB) |
                      (32'(overrun_q) << eligo_pkg::STATUS_OVERRUN_LSB) |
                      (32'(kerror_q) << eligo_pkg::STATUS_K_ERROR_LSB);
        eligo_pkg::REG_SIZES:
          reg_rdata = (32'(NumIn) << eligo_pkg::SIZES_NI_LSB) | (32'(NumRec) << eligo_pkg::SIZES_NR_LSB) |
                      (32'(NumOut) << eligo_pkg::SIZES_NO_LSB) | (32'(Lanes - 1) << eligo_pkg::SIZES_LANES_M1_LSB) |
                      (32'(SynTraces) << eligo_pkg::SIZES_ST_LSB);
        eligo_pkg::REG_CTRL:  // TRC_FACT set for good in a core without per-synapse trace memories
          reg_rdata = eligo_pkg::rf_read(rf_q, paddr_i[11:0]) | (SynTraces != 0 ? 32'd0 : eligo_pkg::CTRL_TRC_FACT_MASK);
        eligo_pkg::REG_N_ALIF: reg_rdata = 32'(NumAlif);
        default: reg_rdata = eligo_pkg::rf_read(rf_q, paddr_i[11:0]);  // RW registers; 0 for CMD
      endcase
    end
    if (is_mem || is_cnt || paddr_i[1:0] != 2'b00 || paddr_i[23:12] != 12'd0) reg_hit = 1'b0;  // no alias pages
    if (is_target && paddr_i[1:0] == 2'b00) begin
      reg_hit = 1'b1;
      if (access) reg_rdata = 32'(targets_q[TgB * target_k +: TgB]);
    end
  end

  // Memory requests: held through the access phase until the core acknowledges.
  logic mem_ok;
  assign mem_ok = is_mem && mem_m < 4'(eligo_pkg::NUM_MEMS) && paddr_i[1:0] == 2'b00 &&
                  32'(mem_word) < mem_depth;
  assign mem_req_o = access && mem_ok;
  assign mem_we_o = pwrite_i;
  assign mem_id_o = mem_m;
  assign mem_word_o = mem_word;
  assign mem_hi_o = paddr_i[2];
  assign mem_wdata_o = pwdata_i;

  logic wr_reg, bad;
  assign bad = access && !(mem_ok || (is_cnt && paddr_i[1:0] == 2'b00 && !pwrite_i) ||
                           (reg_hit && !(pwrite_i && reg_ro)));
  assign wr_reg = access && pwrite_i && reg_hit && !reg_ro && !bad;

  always_comb begin
    pready_o = 1'b1;
    pslverr_o = 1'b0;
    prdata_o = 32'd0;
    if (access) begin
      if (bad) begin
        pslverr_o = 1'b1;
      end else if (mem_ok) begin
        pready_o = mem_ack_i;
        pslverr_o = mem_ack_i && mem_err_i;
        prdata_o = mem_rdata_i;
      end else if (is_cnt) begin
        prdata_o = paddr_i[2] ? cnt_value_i[63:32] : cnt_value_i[31:0];
      end else begin
        prdata_o = reg_rdata;
      end
    end
  end

  logic cmd_write;
  assign cmd_write = wr_reg && paddr_i[11:0] == eligo_pkg::REG_CMD;
  assign cmd_start_o = cmd_write && pwdata_i[eligo_pkg::CMD_START_SAMPLE_LSB];
  assign cmd_end_o = cmd_write && pwdata_i[eligo_pkg::CMD_END_SAMPLE_LSB];
  assign cmd_update_o = cmd_write && pwdata_i[eligo_pkg::CMD_UPDATE_LSB];
  assign cmd_clear_o = cmd_write && pwdata_i[eligo_pkg::CMD_CLEAR_COUNTERS_LSB];
  assign seed_write_o = wr_reg && (paddr_i[11:0] == eligo_pkg::REG_SEED_UPD ||
                                   paddr_i[11:0] == eligo_pkg::REG_SEED_RWR);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rf_q <= eligo_pkg::RF_RESET;
      targets_q <= {eligo_pkg::REG_TARGET_COUNT{eligo_pkg::REG_TARGET_RESET[TgB-1:0]}};
      done_q <= eligo_pkg::REG_STATUS_RESET[eligo_pkg::STATUS_DONE_LSB];
      overrun_q <= eligo_pkg::REG_STATUS_RESET[eligo_pkg::STATUS_OVERRUN_LSB];
      kerror_q <= eligo_pkg::REG_STATUS_RESET[eligo_pkg::STATUS_K_ERROR_LSB];
    end else begin
      if (wr_reg) begin
        rf_q <= eligo_pkg::rf_write(rf_q, paddr_i[11:0], pwdata_i);
        if (is_target) targets_q[TgB * target_k +: TgB] <= pwdata_i[TgB-1:0];
      end
      // STATUS: set by the core, write 1 to clear (set wins over clear in the same cycle).
      if (wr_reg && paddr_i[11:0] == eligo_pkg::REG_STATUS) begin
        if (pwdata_i[eligo_pkg::STATUS_DONE_LSB]) done_q <= 1'b0;
        if (pwdata_i[eligo_pkg::STATUS_OVERRUN_LSB]) overrun_q <= 1'b0;
        if (pwdata_i[eligo_pkg::STATUS_K_ERROR_LSB]) kerror_q <= 1'b0;
      end
      if (set_done_i) done_q <= 1'b1;
      if (set_overrun_i) overrun_q <= 1'b1;
      if (set_kerror_i) kerror_q <= 1'b1;
    end
  end

  // The configuration outputs: fields and registers of the register file.
  assign learn_o = rf_q[eligo_pkg::RF_CTRL_OFS + eligo_pkg::CTRL_LEARN_LSB];
  assign online_o = rf_q[eligo_pkg::RF_CTRL_OFS + eligo_pkg::CTRL_ONLINE_LSB];
  assign deepr_o = rf_q[eligo_pkg::RF_CTRL_OFS + eligo_pkg::CTRL_DEEPR_LSB];
  assign fb_symmetric_o = rf_q[eligo_pkg::RF_CTRL_OFS + eligo_pkg::CTRL_FB_SYMMETRIC_LSB];
  assign spike_ge_o = rf_q[eligo_pkg::RF_CTRL_OFS + eligo_pkg::CTRL_SPIKE_GE_LSB];
  assign irq_en_o = rf_q[eligo_pkg::RF_CTRL_OFS + eligo_pkg::CTRL_IRQ_EN_LSB];
  assign err_clamp_o = rf_q[eligo_pkg::RF_CTRL_OFS + eligo_pkg::CTRL_ERR_CLAMP_LSB];
  assign upd_sign_o = rf_q[eligo_pkg::RF_CTRL_OFS + eligo_pkg::CTRL_UPD_SIGN_LSB];
  assign trc_hold_o = rf_q[eligo_pkg::RF_CTRL_OFS + eligo_pkg::CTRL_TRC_HOLD_LSB];
  assign trc_acc_o = rf_q[eligo_pkg::RF_CTRL_OFS + eligo_pkg::CTRL_TRC_ACC_LSB];
  assign trc_block_o = rf_q[eligo_pkg::RF_CTRL_OFS + eligo_pkg::CTRL_TRC_BLOCK_LSB];
  assign trc_fact_o = rf_q[eligo_pkg::RF_CTRL_OFS + eligo_pkg::CTRL_TRC_FACT_LSB] || SynTraces == 0;
  assign ts_budget_o = rf_q[eligo_pkg::RF_TS_BUDGET_OFS +: eligo_pkg::REG_TS_BUDGET_BITS];
  assign target_valid_o = rf_q[eligo_pkg::RF_TARGET_VALID_OFS +: eligo_pkg::REG_TARGET_VALID_BITS];
  assign lr_in_mant_o = rf_q[eligo_pkg::RF_LR_IN_MANT_OFS +: eligo_pkg::REG_LR_IN_MANT_BITS];
  assign lr_in_shift_o = rf_q[eligo_pkg::RF_LR_IN_SHIFT_OFS +: eligo_pkg::REG_LR_IN_SHIFT_BITS];
  assign lr_rec_mant_o = rf_q[eligo_pkg::RF_LR_REC_MANT_OFS +: eligo_pkg::REG_LR_REC_MANT_BITS];
  assign lr_rec_shift_o = rf_q[eligo_pkg::RF_LR_REC_SHIFT_OFS +: eligo_pkg::REG_LR_REC_SHIFT_BITS];
  assign lr_out_mant_o = rf_q[eligo_pkg::RF_LR_OUT_MANT_OFS +: eligo_pkg::REG_LR_OUT_MANT_BITS];
  assign lr_out_shift_o = rf_q[eligo_pkg::RF_LR_OUT_SHIFT_OFS +: eligo_pkg::REG_LR_OUT_SHIFT_BITS];
  assign err_lo_o = rf_q[eligo_pkg::RF_ERR_LO_OFS +: eligo_pkg::REG_ERR_LO_BITS];
  assign err_hi_o = rf_q[eligo_pkg::RF_ERR_HI_OFS +: eligo_pkg::REG_ERR_HI_BITS];
  assign l1_o = rf_q[eligo_pkg::RF_L1_OFS +: eligo_pkg::REG_L1_BITS];
  assign noise_o = rf_q[eligo_pkg::RF_NOISE_OFS +: eligo_pkg::REG_NOISE_BITS];
  assign k_in_o = rf_q[eligo_pkg::RF_K_IN_OFS +: eligo_pkg::REG_K_IN_BITS];
  assign k_rec_o = rf_q[eligo_pkg::RF_K_REC_OFS +: eligo_pkg::REG_K_REC_BITS];
  assign seed_upd_o = rf_q[eligo_pkg::RF_SEED_UPD_OFS +: eligo_pkg::REG_SEED_UPD_BITS];
  assign seed_rwr_o = rf_q[eligo_pkg::RF_SEED_RWR_OFS +: eligo_pkg::REG_SEED_RWR_BITS];
  assign lif_alpha_o = rf_q[eligo_pkg::RF_LIF_ALPHA_OFS +: eligo_pkg::REG_LIF_ALPHA_BITS];
  assign lif_zeta_o = rf_q[eligo_pkg::RF_LIF_ZETA_OFS +: eligo_pkg::REG_LIF_ZETA_BITS];
  assign lif_thr_o = rf_q[eligo_pkg::RF_LIF_THR_OFS +: eligo_pkg::REG_LIF_THR_BITS];
  assign lif_inv_thr_o = rf_q[eligo_pkg::RF_LIF_INV_THR_OFS +: eligo_pkg::REG_LIF_INV_THR_BITS];
  assign lif_psi_scale_o = rf_q[eligo_pkg::RF_LIF_PSI_SCALE_OFS +: eligo_pkg::REG_LIF_PSI_SCALE_BITS];
  assign lif_nref_o = rf_q[eligo_pkg::RF_LIF_NREF_OFS +: eligo_pkg::REG_LIF_NREF_BITS];
  assign alif_alpha_o = rf_q[eligo_pkg::RF_ALIF_ALPHA_OFS +: eligo_pkg::REG_ALIF_ALPHA_BITS];
  assign alif_zeta_o = rf_q[eligo_pkg::RF_ALIF_ZETA_OFS +: eligo_pkg::REG_ALIF_ZETA_BITS];
  assign alif_thr_o = rf_q[eligo_pkg::RF_ALIF_THR_OFS +: eligo_pkg::REG_ALIF_THR_BITS];
  assign alif_inv_thr_o = rf_q[eligo_pkg::RF_ALIF_INV_THR_OFS +: eligo_pkg::REG_ALIF_INV_THR_BITS];
  assign alif_psi_scale_o = rf_q[eligo_pkg::RF_ALIF_PSI_SCALE_OFS +: eligo_pkg::REG_ALIF_PSI_SCALE_BITS];
  assign alif_nref_o = rf_q[eligo_pkg::RF_ALIF_NREF_OFS +: eligo_pkg::REG_ALIF_NREF_BITS];
  assign alif_rho_o = rf_q[eligo_pkg::RF_ALIF_RHO_OFS +: eligo_pkg::REG_ALIF_RHO_BITS];
  assign alif_rho_blk_o = rf_q[eligo_pkg::RF_ALIF_RHO_BLK_OFS +: eligo_pkg::REG_ALIF_RHO_BLK_BITS];
  assign alif_beta_o = rf_q[eligo_pkg::RF_ALIF_BETA_OFS +: eligo_pkg::REG_ALIF_BETA_BITS];
  assign kappa_o = rf_q[eligo_pkg::RF_KAPPA_OFS +: eligo_pkg::REG_KAPPA_BITS];
  assign c_out_o = rf_q[eligo_pkg::RF_C_OUT_OFS +: eligo_pkg::REG_C_OUT_BITS];
  assign targets_o = targets_q;
  assign done_o = done_q;

endmodule
