// fx: fixed-point helpers of the eligo core, twins of golden_model/chip/fixed.hpp. All arithmetic is
// done on 64-bit signed values; results are saturated to the destination format by sat_*.
//   rnd(p, s): p * 2^-s rounded to nearest, ties towards +infinity ((p + 2^(s-1)) >>> s).
package fx;

  typedef logic signed [63:0] s64_t;

  function automatic logic signed [63:0] rnd(input logic signed [63:0] p, input integer s);
    logic signed [63:0] half;
    if (s == 0) begin
      rnd = p;
    end else begin
      half = 64'sd1 <<< (s - 1);
      rnd = (p + half) >>> s;
    end
  endfunction

  // Clamp x to the range of a format with `bits` bits, signed or unsigned.
  function automatic logic signed [63:0] sat(input logic signed [63:0] x, input integer bits,
                                             input logic is_signed);
    logic signed [63:0] hi, lo;
    if (is_signed) begin
      hi = (64'sd1 <<< (bits - 1)) - 64'sd1;
      lo = -(64'sd1 <<< (bits - 1));
    end else begin
      hi = (64'sd1 <<< bits) - 64'sd1;
      lo = 64'sd0;
    end
    sat = x > hi ? hi : (x < lo ? lo : x);
  endfunction

  // Sign- or zero-extension of a raw field to 64 bits.
  function automatic logic signed [63:0] sext(input logic [63:0] raw, input integer bits);
    logic [63:0] m;
    m = (bits >= 64) ? '1 : ((64'd1 << bits) - 64'd1);
    if (bits < 64 && raw[bits - 1]) begin
      sext = $signed(raw | ~m);
    end else begin
      sext = $signed(raw & m);
    end
  endfunction

  function automatic logic signed [63:0] zext(input logic [63:0] raw, input integer bits);
    logic [63:0] m;
    m = (bits >= 64) ? '1 : ((64'd1 << bits) - 64'd1);
    zext = $signed(raw & m);
  endfunction

  // Signed value of a weight word {active, sign, magnitude} (W_MAG fraction bits; dormant = 0).
  function automatic logic signed [63:0] weight_value(input logic [eligo_pkg::WORD_BITS-1:0] w);
    logic signed [63:0] mag;
    mag = zext(64'(w[eligo_pkg::W_MAG_BITS-1:0]), eligo_pkg::W_MAG_BITS);
    weight_value = !w[eligo_pkg::WORD_ACTIVE_BIT] ? 64'sd0 : (w[eligo_pkg::WORD_SIGN_BIT] ? -mag : mag);
  endfunction

  // Stochastic rounding of x (UPD_FRAC fraction bits) with the low UPD_FRAC bits of an LFSR draw:
  // floor(x 2^-UPD_FRAC) + (fraction > draw[7:0]) (twin of chip::stochastic_round).
  function automatic logic signed [63:0] stochastic_round(input logic signed [63:0] x,
                                                          input logic [eligo_pkg::UPD_FRAC-1:0] draw_lo);
    logic [63:0] fraction;
    fraction = 64'(x) & ((64'd1 << eligo_pkg::UPD_FRAC) - 64'd1);
    stochastic_round = (x >>> eligo_pkg::UPD_FRAC) + ((fraction > 64'(draw_lo)) ? 64'sd1 : 64'sd0);
  endfunction

endpackage
