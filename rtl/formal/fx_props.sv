// Formal properties of the fixed-point helpers (rtl/fx.sv), proved for every input by
// rtl/formal/run.py (Yosys + yosys-smtbmc + z3, a combinational proof: depth 1).
//   fx_sat_prop #(Bits, Signed): fx::sat(x, Bits, Signed) equals the clamp of x to the format's
//     range, evaluated in 66-bit arithmetic (where nothing wraps), for all 2^64 values of x; and the
//     stored field (its low Bits bits, extended by the format's signedness) gives the result back.
//   fx_rnd_prop: r = fx::rnd(p, s) is p 2^-s rounded to nearest, ties towards +infinity, i.e.
//     r 2^s <= p + 2^(s-1) < (r + 1) 2^s in 130-bit arithmetic, for every shift s in 0..63 and
//     every |p| < 2^62 (precondition: every caller rounds a product of fields below 2^56 in
//     magnitude, rtl/README.md "Formal properties"; above 2^63 - 1 - 2^(s-1) the 64-bit p + half
//     wraps).
// fx_formal instantiates fx_sat_prop once per (width, signedness) the units saturate to.
module fx_sat_prop #(
  parameter int Bits = 24,
  parameter bit Signed = 1'b1
) (
  input logic signed [63:0] x
);
  logic signed [63:0] y;
  logic signed [65:0] x66, y66, hi66, lo66, want66, back66;
  always_comb begin
    y = fx::sat(x, Bits, Signed);
    x66 = 66'(x);  // sign-extended: x is signed
    y66 = 66'(y);
    hi66 = Signed ? (66'sd1 <<< (Bits - 1)) - 66'sd1 : (66'sd1 <<< Bits) - 66'sd1;
    lo66 = Signed ? -(66'sd1 <<< (Bits - 1)) : 66'sd0;
    want66 = x66 > hi66 ? hi66 : (x66 < lo66 ? lo66 : x66);
    back66 = Signed ? 66'(fx::sext(64'(y[Bits-1:0]), Bits)) : 66'(fx::zext(64'(y[Bits-1:0]), Bits));
`ifdef FORMAL
    assert (y66 == want66);
    assert (back66 == y66);
`endif
  end
endmodule

module fx_rnd_prop (
  input logic signed [63:0] p,
  input logic [5:0] s
);
  logic signed [63:0] r;
  logic signed [129:0] p130, r130, one130, half130;
  always_comb begin
    r = fx::rnd(p, 32'(s));
    p130 = 130'(p);
    r130 = 130'(r) <<< s;
    one130 = 130'sd1 <<< s;
    half130 = s == 6'd0 ? 130'sd0 : 130'sd1 <<< (s - 6'd1);
`ifdef FORMAL
    if (p < (64'sd1 <<< 62) && p >= -(64'sd1 <<< 62)) begin
      assert (r130 <= p130 + half130);
      assert (p130 + half130 < r130 + one130);
    end
`endif
  end
endmodule

// The formats the RTL saturates to (fx::sat calls in rtl/*.sv): ERR, V, Y, E, EPSA, EBAR, LSIG
// (24 signed), B (18 signed), ACC and G (32 signed), ZBAR and A (24 unsigned), PSI (16 unsigned),
// EPSV (20 unsigned).
module fx_formal (
  input logic signed [63:0] x,
  input logic signed [63:0] p,
  input logic [5:0] s
);
  fx_sat_prop #(.Bits(eligo_pkg::V_BITS), .Signed(eligo_pkg::V_SIGNED)) u_v (.x);
  fx_sat_prop #(.Bits(eligo_pkg::B_BITS), .Signed(eligo_pkg::B_SIGNED)) u_b (.x);
  fx_sat_prop #(.Bits(eligo_pkg::G_BITS), .Signed(eligo_pkg::G_SIGNED)) u_g (.x);
  fx_sat_prop #(.Bits(eligo_pkg::A_BITS), .Signed(eligo_pkg::A_SIGNED)) u_a (.x);
  fx_sat_prop #(.Bits(eligo_pkg::PSI_BITS), .Signed(eligo_pkg::PSI_SIGNED)) u_psi (.x);
  fx_sat_prop #(.Bits(eligo_pkg::EPSV_BITS), .Signed(eligo_pkg::EPSV_SIGNED)) u_epsv (.x);
  fx_rnd_prop u_rnd (.p, .s);
endmodule
