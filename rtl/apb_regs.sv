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
  // Configuration
  output logic        learn_o,
  output logic        online_o,
  output logic        deepr_o,
  output logic        fb_symmetric_o,
  output logic        spike_ge_o,
  output logic        irq_en_o,
  output logic [31:0] ts_budget_o,
  output logic        target_valid_o,
  output logic [15:0] lr_mant_o,
  output logic [5:0]  lr_shift_o,
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
  output logic [23:0] alif_rho_o, alif_beta_o, kappa_o, c_out_o,
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
  output logic [16:0] mem_word_o,
  output logic        mem_hi_o,
  output logic [31:0] mem_wdata_o,
  input  logic        mem_ack_i,
  input  logic        mem_err_i,
  input  logic [31:0] mem_rdata_i
);

  localparam int NumCnt = eligo_pkg::NUM_COUNTERS + 2 * eligo_pkg::NUM_MEMS;

  logic [5:0] ctrl_q;
  logic [31:0] ts_budget_q, k_in_q, k_rec_q, seed_upd_q, seed_rwr_q;
  logic target_valid_q;
  logic [15:0] lr_mant_q, l1_q, noise_q;
  logic [5:0] lr_shift_q;
  logic [23:0] lif_alpha_q, lif_zeta_q, lif_thr_q, lif_inv_thr_q, lif_psi_scale_q;
  logic [23:0] alif_alpha_q, alif_zeta_q, alif_thr_q, alif_inv_thr_q, alif_psi_scale_q;
  logic [23:0] alif_rho_q, alif_beta_q, kappa_q, c_out_q;
  logic [3:0] lif_nref_q, alif_nref_q;
  logic [16*24-1:0] targets_q;
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
  assign mem_m = 4'(paddr_i[23:20] - 4'd1);
  assign cnt_sel_o = 6'((paddr_i - 24'(eligo_pkg::CNT_BASE)) >> 3);

  always_comb begin
    unique case (mem_m)
      4'd0: mem_depth = eligo_pkg::mem_state_depth(NumIn, NumRec, NumOut, NumAlif);
      4'd1: mem_depth = eligo_pkg::mem_psi_depth(NumIn, NumRec, NumOut, NumAlif);
      4'd2: mem_depth = eligo_pkg::mem_y_depth(NumIn, NumRec, NumOut, NumAlif);
      4'd3: mem_depth = eligo_pkg::mem_w_in_depth(NumIn, NumRec, NumOut, NumAlif);
      4'd4: mem_depth = eligo_pkg::mem_w_rec_depth(NumIn, NumRec, NumOut, NumAlif);
      4'd5: mem_depth = eligo_pkg::mem_w_out_depth(NumIn, NumRec, NumOut, NumAlif);
      4'd6: mem_depth = eligo_pkg::mem_b_fb_depth(NumIn, NumRec, NumOut, NumAlif);
      4'd7: mem_depth = eligo_pkg::mem_epsv_depth(NumIn, NumRec, NumOut, NumAlif);
      4'd8: mem_depth = eligo_pkg::mem_epsa_depth(NumIn, NumRec, NumOut, NumAlif);
      4'd9: mem_depth = eligo_pkg::mem_ebar_depth(NumIn, NumRec, NumOut, NumAlif);
      4'd10: mem_depth = eligo_pkg::mem_grad_depth(NumIn, NumRec, NumOut, NumAlif);
      4'd11: mem_depth = eligo_pkg::mem_zbar_depth(NumIn, NumRec, NumOut, NumAlif);
      4'd12: mem_depth = eligo_pkg::mem_lsig_depth(NumIn, NumRec, NumOut, NumAlif);
      default: mem_depth = 32'd0;
    endcase
  end

  // Register read mux; reg_hit = the address is a register, reg_ro = it is read-only.
  always_comb begin
    reg_hit = 1'b1;
    reg_ro = 1'b0;
    reg_rdata = 32'd0;
    unique case (paddr_i[11:0])
      eligo_pkg::REG_ID: begin reg_rdata = eligo_pkg::CHIP_ID; reg_ro = 1'b1; end
      eligo_pkg::REG_VERSION: begin reg_rdata = 32'd1; reg_ro = 1'b1; end
      eligo_pkg::REG_CTRL: reg_rdata = 32'(ctrl_q);
      eligo_pkg::REG_CMD: reg_rdata = 32'd0;
      eligo_pkg::REG_STATUS: reg_rdata = {28'd0, kerror_q, overrun_q, done_q, busy_i};
      eligo_pkg::REG_SIZES: begin
        reg_rdata = 32'(NumIn) | (32'(NumRec) << 9) | (32'(NumOut) << 18) | (32'(Lanes - 1) << 23);
        reg_ro = 1'b1;
      end
      eligo_pkg::REG_N_ALIF: begin reg_rdata = 32'(NumAlif); reg_ro = 1'b1; end
      eligo_pkg::REG_TS_BUDGET: reg_rdata = ts_budget_q;
      eligo_pkg::REG_TARGET_VALID: reg_rdata = 32'(target_valid_q);
      eligo_pkg::REG_LR_MANT: reg_rdata = 32'(lr_mant_q);
      eligo_pkg::REG_LR_SHIFT: reg_rdata = 32'(lr_shift_q);
      eligo_pkg::REG_L1: reg_rdata = 32'(l1_q);
      eligo_pkg::REG_NOISE: reg_rdata = 32'(noise_q);
      eligo_pkg::REG_K_IN: reg_rdata = k_in_q;
      eligo_pkg::REG_K_REC: reg_rdata = k_rec_q;
      eligo_pkg::REG_SEED_UPD: reg_rdata = seed_upd_q;
      eligo_pkg::REG_SEED_RWR: reg_rdata = seed_rwr_q;
      eligo_pkg::REG_LIF_ALPHA: reg_rdata = 32'(lif_alpha_q);
      eligo_pkg::REG_LIF_ZETA: reg_rdata = 32'(lif_zeta_q);
      eligo_pkg::REG_LIF_THR: reg_rdata = 32'(lif_thr_q);
      eligo_pkg::REG_LIF_INV_THR: reg_rdata = 32'(lif_inv_thr_q);
      eligo_pkg::REG_LIF_PSI_SCALE: reg_rdata = 32'(lif_psi_scale_q);
      eligo_pkg::REG_LIF_NREF: reg_rdata = 32'(lif_nref_q);
      eligo_pkg::REG_ALIF_ALPHA: reg_rdata = 32'(alif_alpha_q);
      eligo_pkg::REG_ALIF_ZETA: reg_rdata = 32'(alif_zeta_q);
      eligo_pkg::REG_ALIF_THR: reg_rdata = 32'(alif_thr_q);
      eligo_pkg::REG_ALIF_INV_THR: reg_rdata = 32'(alif_inv_thr_q);
      eligo_pkg::REG_ALIF_PSI_SCALE: reg_rdata = 32'(alif_psi_scale_q);
      eligo_pkg::REG_ALIF_NREF: reg_rdata = 32'(alif_nref_q);
      eligo_pkg::REG_ALIF_RHO: reg_rdata = 32'(alif_rho_q);
      eligo_pkg::REG_ALIF_BETA: reg_rdata = 32'(alif_beta_q);
      eligo_pkg::REG_KAPPA: reg_rdata = 32'(kappa_q);
      eligo_pkg::REG_C_OUT: reg_rdata = 32'(c_out_q);
      default: reg_hit = 1'b0;
    endcase
    if (is_mem || is_cnt || paddr_i[1:0] != 2'b00) reg_hit = 1'b0;
    if (is_target && paddr_i[1:0] == 2'b00) begin
      reg_hit = 1'b1;
      reg_rdata = 32'(targets_q[24 * target_k +: 24]);
    end
  end

  // Memory requests: held through the access phase until the core acknowledges.
  logic mem_ok;
  assign mem_ok = is_mem && mem_m < 4'(eligo_pkg::NUM_MEMS) && paddr_i[1:0] == 2'b00 &&
                  32'(paddr_i[19:3]) < mem_depth;
  assign mem_req_o = access && mem_ok;
  assign mem_we_o = pwrite_i;
  assign mem_id_o = mem_m;
  assign mem_word_o = paddr_i[19:3];
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
  assign cmd_start_o = cmd_write && pwdata_i[0];
  assign cmd_end_o = cmd_write && pwdata_i[1];
  assign cmd_update_o = cmd_write && pwdata_i[2];
  assign cmd_clear_o = cmd_write && pwdata_i[3];
  assign seed_write_o = wr_reg && (paddr_i[11:0] == eligo_pkg::REG_SEED_UPD ||
                                   paddr_i[11:0] == eligo_pkg::REG_SEED_RWR);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ctrl_q <= 6'b010000;  // SPIKE_GE
      ts_budget_q <= '0;
      target_valid_q <= 1'b0;
      lr_mant_q <= '0;
      lr_shift_q <= 6'd8;
      l1_q <= '0;
      noise_q <= '0;
      k_in_q <= '0;
      k_rec_q <= '0;
      seed_upd_q <= 32'd1;
      seed_rwr_q <= 32'd1;
      lif_alpha_q <= '0;
      lif_zeta_q <= '0;
      lif_thr_q <= '0;
      lif_inv_thr_q <= '0;
      lif_psi_scale_q <= '0;
      lif_nref_q <= '0;
      alif_alpha_q <= '0;
      alif_zeta_q <= '0;
      alif_thr_q <= '0;
      alif_inv_thr_q <= '0;
      alif_psi_scale_q <= '0;
      alif_nref_q <= '0;
      alif_rho_q <= '0;
      alif_beta_q <= '0;
      kappa_q <= '0;
      c_out_q <= '0;
      targets_q <= '0;
      done_q <= 1'b0;
      overrun_q <= 1'b0;
      kerror_q <= 1'b0;
    end else begin
      if (wr_reg) begin
        unique case (paddr_i[11:0])
          eligo_pkg::REG_CTRL: ctrl_q <= pwdata_i[5:0];
          eligo_pkg::REG_TS_BUDGET: ts_budget_q <= pwdata_i;
          eligo_pkg::REG_TARGET_VALID: target_valid_q <= pwdata_i[0];
          eligo_pkg::REG_LR_MANT: lr_mant_q <= pwdata_i[15:0];
          eligo_pkg::REG_LR_SHIFT: lr_shift_q <= pwdata_i[5:0];
          eligo_pkg::REG_L1: l1_q <= pwdata_i[15:0];
          eligo_pkg::REG_NOISE: noise_q <= pwdata_i[15:0];
          eligo_pkg::REG_K_IN: k_in_q <= pwdata_i;
          eligo_pkg::REG_K_REC: k_rec_q <= pwdata_i;
          eligo_pkg::REG_SEED_UPD: seed_upd_q <= pwdata_i;
          eligo_pkg::REG_SEED_RWR: seed_rwr_q <= pwdata_i;
          eligo_pkg::REG_LIF_ALPHA: lif_alpha_q <= pwdata_i[23:0];
          eligo_pkg::REG_LIF_ZETA: lif_zeta_q <= pwdata_i[23:0];
          eligo_pkg::REG_LIF_THR: lif_thr_q <= pwdata_i[23:0];
          eligo_pkg::REG_LIF_INV_THR: lif_inv_thr_q <= pwdata_i[23:0];
          eligo_pkg::REG_LIF_PSI_SCALE: lif_psi_scale_q <= pwdata_i[23:0];
          eligo_pkg::REG_LIF_NREF: lif_nref_q <= pwdata_i[3:0];
          eligo_pkg::REG_ALIF_ALPHA: alif_alpha_q <= pwdata_i[23:0];
          eligo_pkg::REG_ALIF_ZETA: alif_zeta_q <= pwdata_i[23:0];
          eligo_pkg::REG_ALIF_THR: alif_thr_q <= pwdata_i[23:0];
          eligo_pkg::REG_ALIF_INV_THR: alif_inv_thr_q <= pwdata_i[23:0];
          eligo_pkg::REG_ALIF_PSI_SCALE: alif_psi_scale_q <= pwdata_i[23:0];
          eligo_pkg::REG_ALIF_NREF: alif_nref_q <= pwdata_i[3:0];
          eligo_pkg::REG_ALIF_RHO: alif_rho_q <= pwdata_i[23:0];
          eligo_pkg::REG_ALIF_BETA: alif_beta_q <= pwdata_i[23:0];
          eligo_pkg::REG_KAPPA: kappa_q <= pwdata_i[23:0];
          eligo_pkg::REG_C_OUT: c_out_q <= pwdata_i[23:0];
          default: ;
        endcase
        if (is_target) targets_q[24 * target_k +: 24] <= pwdata_i[23:0];
      end
      // STATUS: set by the core, write 1 to clear (set wins over clear in the same cycle).
      if (wr_reg && paddr_i[11:0] == eligo_pkg::REG_STATUS) begin
        if (pwdata_i[1]) done_q <= 1'b0;
        if (pwdata_i[2]) overrun_q <= 1'b0;
        if (pwdata_i[3]) kerror_q <= 1'b0;
      end
      if (set_done_i) done_q <= 1'b1;
      if (set_overrun_i) overrun_q <= 1'b1;
      if (set_kerror_i) kerror_q <= 1'b1;
    end
  end

  assign learn_o = ctrl_q[0];
  assign online_o = ctrl_q[1];
  assign deepr_o = ctrl_q[2];
  assign fb_symmetric_o = ctrl_q[3];
  assign spike_ge_o = ctrl_q[4];
  assign irq_en_o = ctrl_q[5];
  assign ts_budget_o = ts_budget_q;
  assign target_valid_o = target_valid_q;
  assign lr_mant_o = lr_mant_q;
  assign lr_shift_o = lr_shift_q;
  assign l1_o = l1_q;
  assign noise_o = noise_q;
  assign k_in_o = k_in_q;
  assign k_rec_o = k_rec_q;
  assign seed_upd_o = seed_upd_q;
  assign seed_rwr_o = seed_rwr_q;
  assign lif_alpha_o = lif_alpha_q;
  assign lif_zeta_o = lif_zeta_q;
  assign lif_thr_o = lif_thr_q;
  assign lif_inv_thr_o = lif_inv_thr_q;
  assign lif_psi_scale_o = lif_psi_scale_q;
  assign lif_nref_o = lif_nref_q;
  assign alif_alpha_o = alif_alpha_q;
  assign alif_zeta_o = alif_zeta_q;
  assign alif_thr_o = alif_thr_q;
  assign alif_inv_thr_o = alif_inv_thr_q;
  assign alif_psi_scale_o = alif_psi_scale_q;
  assign alif_nref_o = alif_nref_q;
  assign alif_rho_o = alif_rho_q;
  assign alif_beta_o = alif_beta_q;
  assign kappa_o = kappa_q;
  assign c_out_o = c_out_q;
  assign targets_o = targets_q;
  assign done_o = done_q;

endmodule
