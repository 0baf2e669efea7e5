// Synaptic accumulation (phases IN and REC): the input accumulators acc_j (ACC format) of the
// NR neurons. Each cycle it may add one chunk of a weight row (Lanes words, lane l -> neuron
// base + l): acc = sat_ACC(acc + w 2^(ACC.frac - W_MAG.frac)); dormant words add 0. The neuron
// unit reads a chunk of accumulators and clears it. Twin: golden_model/chip/synapse_acc.cpp.
module synapse_acc #(
  parameter int NumRec = 40,
  parameter int Lanes = 4
) (
  input  logic                                         clk_i,
  input  logic                                         rst_ni,
  input  logic                                         clear_all_i,
  input  logic                                         add_i,
  input  logic [8:0]                                   add_base_i,
  input  logic [Lanes-1:0]                             add_lanes_i,   // valid lanes
  input  logic [Lanes*eligo_pkg::WORD_BITS-1:0]        add_words_i,
  output logic [7:0]                                   sops_o,        // active words added
  input  logic [8:0]                                   rd_base_i,
  output logic [Lanes*eligo_pkg::ACC_BITS-1:0]         rd_acc_o,
  input  logic                                         clr_i,         // clear the rd chunk
  input  logic [Lanes-1:0]                             clr_lanes_i
);

  localparam int AccBits = eligo_pkg::ACC_BITS;
  localparam int WBits = eligo_pkg::WORD_BITS;
  localparam int Shift = eligo_pkg::ACC_FRAC - eligo_pkg::W_MAG_FRAC;

  logic [NumRec*AccBits-1:0] acc_q;  // acc_j at [j*AccBits +: AccBits]

  // Function temporaries are 64 bits wide; only the destination format is kept.
  function automatic logic [AccBits-1:0] add(input logic [AccBits-1:0] acc, input logic [WBits-1:0] w);
    logic signed [63:0] s;
    s = fx::sat(fx::sext(64'(acc), AccBits) + (fx::weight_value(w) <<< Shift), AccBits, 1'b1);
    add = s[AccBits-1:0];
  endfunction

  // Active words among the valid lanes.
  function automatic logic [7:0] count_active(input logic [Lanes-1:0] lanes, input logic [Lanes*WBits-1:0] words);
    count_active = 8'd0;
    for (int l = 0; l < Lanes; l++) begin
      if (lanes[l] && words[l * WBits + eligo_pkg::WORD_ACTIVE_BIT]) count_active = count_active + 8'd1;
    end
  endfunction

  // The accumulator of lane l of a chunk at `base` (0 beyond NumRec).
  function automatic logic [AccBits-1:0] acc_at(input logic [NumRec*AccBits-1:0] accs, input integer j);
    acc_at = (j < NumRec) ? accs[j * AccBits +: AccBits] : '0;
  endfunction


  // Operand isolation: the sums are formed only in a cycle that adds (add_i), and the chunk is
  // read out only in the cycle that reads and clears it (clr_i, NEU); otherwise both are held at
  // 0 (no switching in the other phases; a simulator skips them). Each is used only then.
  logic [AccBits-1:0] sum [0:Lanes-1];
  // (A default, then the enabled lanes: Verilator turns an if/else of one assignment each into a
  // select of both, which evaluates the disabled side too.)
  always @* begin
    for (int l = 0; l < Lanes; l++) sum[l] = '0;
    rd_acc_o = '0;
    if (add_i) begin
      for (int l = 0; l < Lanes; l++) sum[l] = add(acc_at(acc_q, 32'(add_base_i) + l), add_words_i[l * WBits +: WBits]);
    end
    if (clr_i) begin
      for (int l = 0; l < Lanes; l++) rd_acc_o[l * AccBits +: AccBits] = acc_at(acc_q, 32'(rd_base_i) + l);
    end
  end
  assign sops_o = add_i ? count_active(add_lanes_i, add_words_i) : 8'd0;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      acc_q <= '0;
    end else if (clear_all_i) begin
      acc_q <= '0;
    end else begin
      for (int l = 0; l < Lanes; l++) begin
        if (add_i && add_lanes_i[l] && 32'(add_base_i) + l < NumRec) begin
          acc_q[(32'(add_base_i) + l) * AccBits +: AccBits] <= sum[l];
        end
        if (clr_i && clr_lanes_i[l] && 32'(rd_base_i) + l < NumRec) begin
          acc_q[(32'(rd_base_i) + l) * AccBits +: AccBits] <= '0;
        end
      end
    end
  end

endmodule
