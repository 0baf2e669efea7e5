// Names shared by the sequencer and eligo_core: the sub-phases of each phase, the weight source
// of the accumulation pipeline, the learning chunk retiring in a cycle, and the source of a
// cycle's write data. Hand-written (the RTL's internal encoding, not part of spec/chip.toml).
package sequencer_pkg;

  // Sub-phases, named per phase. A learning pass moves to the next value when its last chunk has
  // been read, so each phase's sub-phases are numbered in order.
  localparam logic [1:0] SUB_RST_CLEAR = 2'd0;  // STATE, then Y (zeros)
  localparam logic [1:0] SUB_RST_LEARN = 2'd1;  // ZBAR, then EPSV (learning)
  localparam logic [1:0] SUB_RST_ROWS  = 2'd2;  // per source row: EPSA (ALIF lanes) and EBAR
  localparam logic [1:0] SUB_RST_CLOSE = 2'd3;  // two closing cycles
  localparam logic [1:0] SUB_OUT_ROWS  = 2'd0;  // a W_OUT row per spike, then a drain cycle
  localparam logic [1:0] SUB_OUT_Y     = 2'd1;  // the readout update
  localparam logic [1:0] SUB_LRN_ERR   = 2'd0;  // pass: err_k of the readout chunks
  localparam logic [1:0] SUB_LRN_SIG   = 2'd1;  // pass: L_j of every neuron, a readout chunk a cycle
  localparam logic [1:0] SUB_LRN_CLOSE = 2'd2;  // a drain and a closing cycle
  localparam logic [1:0] SUB_OGR_ZBAR  = 2'd0;  // pass: zbar of the neuron chunks
  localparam logic [1:0] SUB_OGR_IDLE  = 2'd1;  // idle (the next pass reads ZBAR)
  localparam logic [1:0] SUB_OGR_GRAD  = 2'd2;  // pass (target valid): the readout gradients
  localparam logic [1:0] SUB_OGR_CLOSE = 2'd3;
  localparam logic [1:0] SUB_TRC_PRE   = 2'd0;  // pass: eps_v of the source chunks
  localparam logic [1:0] SUB_TRC_IDLE  = 2'd1;  // idle (the next pass reads EPSV)
  localparam logic [1:0] SUB_TRC_SYN   = 2'd2;  // pass: per source row, the synapses' traces and G
  localparam logic [1:0] SUB_TRC_CLOSE = 2'd3;
  localparam logic [1:0] SUB_UPD_REC   = 2'd0;  // pass: W_IN / W_REC rows in source order
  localparam logic [1:0] SUB_UPD_OUT   = 2'd1;  // pass: W_OUT rows
  localparam logic [1:0] SUB_UPD_CLOSE = 2'd2;  // a drain and a closing cycle

  // The weight chunk arriving in the accumulation pipeline.
  localparam logic [1:0] PA_W_IN = 2'd0, PA_W_REC = 2'd1, PA_W_OUT = 2'd2;

  // The learning chunk retiring this cycle.
  localparam logic [3:0] RT_NONE = 4'd0;
  localparam logic [3:0] RT_LRN_ERR = 4'd1;   // LRN: err_k of a readout chunk
  localparam logic [3:0] RT_LRN_SIG = 4'd2;   // LRN: a readout chunk's part of L_j
  localparam logic [3:0] RT_OGR_ZBAR = 4'd3;  // OGR: zbar of a neuron chunk
  localparam logic [3:0] RT_OGR_GRAD = 4'd4;  // OGR: readout gradients of a neuron's readout chunk
  localparam logic [3:0] RT_TRC_PRE = 4'd5;   // TRC: eps_v of a source chunk
  localparam logic [3:0] RT_TRC_SYN = 4'd6;   // TRC: a source row's neuron chunk (eps_a, ebar, G)
  localparam logic [3:0] RT_UPD = 4'd7;       // UPD: a weight chunk and its G

  // The source of this cycle's write data (eligo_core routes it to the memories).
  localparam logic [3:0] WSRC_ZERO = 4'd0;  // RST: zeros
  localparam logic [3:0] WSRC_HOST = 4'd1;  // the host's merged word
  localparam logic [3:0] WSRC_NEU = 4'd2;   // STATE and PSI from the neuron lanes
  localparam logic [3:0] WSRC_Y = 4'd3;     // Y from the readout unit
  localparam logic [3:0] WSRC_LSIG = 4'd4;  // LSIG from the learn unit
  localparam logic [3:0] WSRC_ZBAR = 4'd5;  // ZBAR from the learn unit
  localparam logic [3:0] WSRC_OGR = 4'd6;   // GRAD (readout gradients) from the learn unit
  localparam logic [3:0] WSRC_EPSV = 4'd7;  // EPSV from the trace unit
  localparam logic [3:0] WSRC_SYN = 4'd8;   // EPSA, EBAR and GRAD from the trace unit
  localparam logic [3:0] WSRC_UPD = 4'd9;   // the updated weights (to wmem); GRAD cleared
  localparam logic [3:0] WSRC_RWR = 4'd10;  // a re-activated weight (to wmem)

endpackage
