#include "golden_model/io/npy.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "tests/support/files.hpp"

namespace eligo::io {
namespace {

namespace fs = std::filesystem;
using eligo::testing::expect_one_line_error;
using eligo::testing::read_text;
using eligo::testing::write_bytes;

const std::string kFixtures = std::string(ELIGO_SOURCE_DIR) + "/tests/golden_model/io/fixtures/";

uint64_t bits_of(double d) {
  uint64_t b = 0;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

double from_bits(uint64_t b) {
  double d = 0;
  std::memcpy(&d, &b, sizeof d);
  return d;
}

// Bytes of a .npy file with the given header dict text and data (version 1.0 unless given).
std::string npy_bytes(const std::string& dict, const std::string& data, int major = 1) {
  std::string header = dict + "\n";
  std::string out = std::string("\x93NUMPY", 6) + static_cast<char>(major) + '\0';
  const size_t len = header.size();
  out += static_cast<char>(len & 0xff);
  out += static_cast<char>((len >> 8) & 0xff);
  if (major > 1) out += std::string(2, '\0');
  return out + header + data;
}

std::string f8_dict(const std::string& shape) {
  return "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
}

class NpyTest : public eligo::testing::ScratchDirTest {
 protected:
  NpyTest() : ScratchDirTest("io_npy") {}

  // Writes bytes to a temp file and reads it back as .npy.
  NdArray read_bytes(const std::string& name, const std::string& bytes) {
    write_bytes(file(name), bytes);
    return read_npy(file(name));
  }
  void expect_bad_npy(const std::string& name, const std::string& bytes,
                      const std::vector<std::string>& phrases) {
    write_bytes(file(name), bytes);
    std::vector<std::string> all = phrases;
    all.push_back(file(name));
    expect_one_line_error<IoError>([&] { read_npy(file(name)); }, all);
  }

};

// ------------------------------------------------------------------------------------------
// Round trips.

TEST_F(NpyTest, RoundTripSpecialValuesBitIdentical) {
  const double inf = std::numeric_limits<double>::infinity();
  NdArray a;
  a.data = {0.0,
            -0.0,
            1.0,
            -1.5,
            inf,
            -inf,
            std::numeric_limits<double>::quiet_NaN(),
            from_bits(0xfff8000000000000ull),  // negative NaN
            from_bits(0x7ff80000deadbeefull),  // NaN with payload
            std::numeric_limits<double>::denorm_min(),
            -std::numeric_limits<double>::denorm_min(),
            from_bits(0x000fffffffffffffull),  // largest denormal
            std::numeric_limits<double>::min(),
            std::numeric_limits<double>::max(),
            std::numeric_limits<double>::lowest(),
            std::numeric_limits<double>::epsilon(),
            0.1};
  a.shape = {a.data.size()};
  write_npy(file("special.npy"), a);
  const NdArray b = read_npy(file("special.npy"));
  ASSERT_EQ(b.shape, a.shape);
  EXPECT_EQ(b.dtype, "<f8");
  EXPECT_FALSE(b.fortran_order);
  ASSERT_EQ(b.data.size(), a.data.size());
  for (size_t i = 0; i < a.data.size(); ++i) EXPECT_EQ(bits_of(b.data[i]), bits_of(a.data[i])) << i;
}

TEST_F(NpyTest, RoundTripNonSquareMatrix) {
  Eigen::MatrixXd m(3, 5);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 5; ++c) m(r, c) = r * 10 + c + 0.25;
  const NdArray a = from_matrix(m);
  EXPECT_EQ(a.shape, (std::vector<size_t>{3, 5}));
  EXPECT_EQ(a.data[1], 1.25);   // row-major: (0, 1)
  EXPECT_EQ(a.data[5], 10.25);  // (1, 0)
  write_npy(file("m.npy"), a);
  const Eigen::MatrixXd back = to_matrix(read_npy(file("m.npy")), "m");
  ASSERT_EQ(back.rows(), 3);
  ASSERT_EQ(back.cols(), 5);
  EXPECT_EQ(back, m);
}

TEST_F(NpyTest, RoundTrip3D) {
  NdArray a;
  a.shape = {2, 3, 4};
  for (int i = 0; i < 24; ++i) a.data.push_back(i * 1.5 - 7);
  write_npy(file("t.npy"), a);
  const NdArray b = read_npy(file("t.npy"));
  EXPECT_EQ(b.shape, a.shape);
  EXPECT_EQ(b.data, a.data);
}

TEST_F(NpyTest, RoundTrip0D) {
  NdArray a;
  a.data = {-2.75};
  write_npy(file("s.npy"), a);
  const NdArray b = read_npy(file("s.npy"));
  EXPECT_TRUE(b.shape.empty());
  EXPECT_EQ(b.data, a.data);
}

TEST_F(NpyTest, RoundTripEmpty) {
  NdArray a;
  a.shape = {0, 3};
  write_npy(file("e.npy"), a);
  const NdArray b = read_npy(file("e.npy"));
  EXPECT_EQ(b.shape, a.shape);
  EXPECT_TRUE(b.data.empty());
}

TEST_F(NpyTest, WrittenHeaderIsNumpyStyle) {
  NdArray a;
  a.shape = {3};
  a.data = {1, 2, 3};
  write_npy(file("h.npy"), a);
  const std::string bytes = read_text(file("h.npy"));
  ASSERT_EQ(bytes.size(), 128u + 24u);  // header padded to 64 bytes
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_NE(bytes.find("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"),
            std::string::npos);
  EXPECT_EQ(bytes[127], '\n');
}

TEST_F(NpyTest, WriteReplacesTargetAndLeavesNoTemp) {
  write_bytes(file("x.npy"), "old contents");
  write_npy(file("x.npy"), from_matrix(Eigen::MatrixXd::Identity(2, 2)));
  EXPECT_FALSE(fs::exists(file("x.npy.tmp")));
  EXPECT_EQ(read_npy(file("x.npy")).shape, (std::vector<size_t>{2, 2}));
}

TEST_F(NpyTest, WriteRejectsInconsistentArray) {
  NdArray a;
  a.shape = {2, 2};
  a.data = {1, 2, 3};
  expect_one_line_error<IoError>([&] { write_npy(file("bad.npy"), a); },
                  {file("bad.npy"), "3 elements", "(2, 2)"});
  EXPECT_FALSE(fs::exists(file("bad.npy")));
  EXPECT_FALSE(fs::exists(file("bad.npy.tmp")));
}

TEST_F(NpyTest, WriteToMissingDirectoryFails) {
  const std::string p = file("no/such/dir/a.npy");
  expect_one_line_error<IoError>([&] { write_npy(p, from_matrix(Eigen::MatrixXd::Zero(1, 1))); },
                  {p, "cannot create"});
  const std::string z = file("no/such/dir/a.npz");
  expect_one_line_error<IoError>([&] { write_npz(z, {{"a", from_matrix(Eigen::MatrixXd::Zero(1, 1))}}); }, {z});
}

TEST_F(NpyTest, NpzRoundTripIsStored) {
  NdArray special;
  special.shape = {4};
  special.data = {std::nan(""), -0.0, std::numeric_limits<double>::denorm_min(),
                  -std::numeric_limits<double>::infinity()};
  NdArray scalar;
  scalar.data = {42};
  Eigen::MatrixXd w(2, 3);
  w << 1, 2, 3, 4, 5, 6;
  const std::map<std::string, NdArray> in = {
      {"W_in", from_matrix(w)}, {"special", special}, {"s", scalar}};
  write_npz(file("a.npz"), in);
  EXPECT_FALSE(fs::exists(file("a.npz.tmp")));
  const auto out = read_npz(file("a.npz"));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(to_matrix(out.at("W_in"), "W_in"), w);
  EXPECT_TRUE(out.at("s").shape.empty());
  EXPECT_EQ(out.at("s").data, scalar.data);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(bits_of(out.at("special").data[i]), bits_of(special.data[i])) << i;
  }
  // Stored, not deflated: the member's .npy header appears verbatim in the zip.
  const std::string zip = read_text(file("a.npz"));
  EXPECT_NE(zip.find("W_in.npy"), std::string::npos);
  EXPECT_NE(zip.find("'shape': (2, 3), }"), std::string::npos);
}

TEST_F(NpyTest, NpzEmpty) {
  write_npz(file("empty.npz"), {});
  EXPECT_TRUE(read_npz(file("empty.npz")).empty());
}

// ------------------------------------------------------------------------------------------
// Files written by numpy (tests/golden_model/io/make_npy_fixtures.py).

TEST(NpyFixtures, Float32FortranOrder) {
  const NdArray a = read_npy(kFixtures + "f4_fortran.npy");
  EXPECT_EQ(a.dtype, "<f4");
  EXPECT_TRUE(a.fortran_order);
  ASSERT_EQ(a.shape, (std::vector<size_t>{3, 4}));
  const Eigen::MatrixXd m = to_matrix(a, "f4");
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j)
      EXPECT_EQ(m(i, j), static_cast<double>(static_cast<float>(i * 4 + j) * 0.1f));
}

TEST(NpyFixtures, Float64FortranOrder3D) {
  const NdArray a = read_npy(kFixtures + "f8_fortran_3d.npy");
  EXPECT_TRUE(a.fortran_order);
  ASSERT_EQ(a.shape, (std::vector<size_t>{2, 3, 4}));
  for (size_t i = 0; i < 24; ++i) EXPECT_EQ(a.data[i], static_cast<double>(i));
}

TEST(NpyFixtures, Int64) {
  const NdArray a = read_npy(kFixtures + "i8.npy");
  EXPECT_EQ(a.dtype, "<i8");
  ASSERT_EQ(a.shape, (std::vector<size_t>{2, 3}));
  const double two53 = 9007199254740992.0;
  EXPECT_EQ(a.data, (std::vector<double>{-9223372036854775808.0, -two53, -1, 0, two53,
                                         9223372036854775807.0}));
}

TEST(NpyFixtures, Bool) {
  const NdArray a = read_npy(kFixtures + "b1.npy");
  EXPECT_EQ(a.dtype, "|b1");
  EXPECT_EQ(a.shape, (std::vector<size_t>{5}));
  EXPECT_EQ(a.data, (std::vector<double>{1, 0, 1, 1, 0}));
}

TEST(NpyFixtures, BigEndian) {
  const NdArray a = read_npy(kFixtures + "be_f8.npy");
  EXPECT_EQ(a.dtype, ">f8");
  ASSERT_EQ(a.shape, (std::vector<size_t>{2, 2}));
  EXPECT_EQ(a.data[0], 1.5);
  EXPECT_EQ(bits_of(a.data[1]), bits_of(-0.0));
  EXPECT_EQ(a.data[2], M_PI);
  EXPECT_EQ(a.data[3], 1e-310);
  const NdArray b = read_npy(kFixtures + "be_f4.npy");
  EXPECT_EQ(b.dtype, ">f4");
  EXPECT_EQ(b.data, (std::vector<double>{static_cast<double>(0.1f), -2.5,
                                         std::numeric_limits<double>::infinity()}));
}

TEST(NpyFixtures, ZeroD) {
  const NdArray a = read_npy(kFixtures + "scalar.npy");
  EXPECT_TRUE(a.shape.empty());
  EXPECT_EQ(a.data, std::vector<double>{3.25});
}

TEST(NpyFixtures, FormatVersions2And3) {
  for (const char* name : {"v2.npy", "v3.npy"}) {
    const NdArray a = read_npy(kFixtures + name);
    EXPECT_EQ(a.shape, (std::vector<size_t>{2, 3})) << name;
    EXPECT_EQ(a.data, (std::vector<double>{0, 1, 2, 3, 4, 5})) << name;
  }
  EXPECT_EQ(read_text(kFixtures + "v2.npy")[6], '\x02');
  EXPECT_EQ(read_text(kFixtures + "v3.npy")[6], '\x03');
}

TEST(NpyFixtures, AllIntegerTypes) {
  const auto m = read_npz(kFixtures + "ints.npz");
  ASSERT_EQ(m.size(), 7u);
  // [min, min // 2 + 1, 0, 1, max] for each type.
  EXPECT_EQ(m.at("i1").data, (std::vector<double>{-128, -63, 0, 1, 127}));
  EXPECT_EQ(m.at("i1").dtype, "|i1");
  EXPECT_EQ(m.at("i2").data, (std::vector<double>{-32768, -16383, 0, 1, 32767}));
  EXPECT_EQ(m.at("i4").data, (std::vector<double>{-2147483648.0, -1073741823, 0, 1, 2147483647}));
  EXPECT_EQ(m.at("u1").data, (std::vector<double>{0, 1, 0, 1, 255}));
  EXPECT_EQ(m.at("u1").dtype, "|u1");
  EXPECT_EQ(m.at("u2").data, (std::vector<double>{0, 1, 0, 1, 65535}));
  EXPECT_EQ(m.at("u4").data, (std::vector<double>{0, 1, 0, 1, 4294967295.0}));
  EXPECT_EQ(m.at("u8").data, (std::vector<double>{0, 1, 0, 1, 18446744073709551615.0}));
}

void expect_savez_contents(const std::map<std::string, NdArray>& m) {
  ASSERT_EQ(m.size(), 2u);
  const NdArray& w = m.at("W_in");
  expect_shape(w, {2, 3}, "W_in");
  EXPECT_EQ(w.data, (std::vector<double>{-1, -0.5, 0, 0.5, 1, 1.5}));
  const NdArray& b = m.at("bias");
  EXPECT_EQ(b.dtype, "<f4");
  EXPECT_EQ(b.data, (std::vector<double>{0.25, -1, 3.5}));
}

TEST(NpyFixtures, Savez) { expect_savez_contents(read_npz(kFixtures + "savez.npz")); }

TEST(NpyFixtures, SavezCompressed) {
  expect_savez_contents(read_npz(kFixtures + "savez_compressed.npz"));
}

TEST(NpyFixtures, BadMemberNamed) {
  const std::string p = kFixtures + "bad_member.npz";
  expect_one_line_error<IoError>([&] { read_npz(p); },
                  {p, "member 'x.npy'", "truncated: expected 32 bytes of data, found 24"});
}

// ------------------------------------------------------------------------------------------
// Bad input.

TEST_F(NpyTest, MissingFile) {
  const std::string p = file("absent.npy");
  expect_one_line_error<IoError>([&] { read_npy(p); }, {p, "cannot open"});
  const std::string z = file("absent.npz");
  expect_one_line_error<IoError>([&] { read_npz(z); }, {z, "cannot open"});
}

TEST_F(NpyTest, BadMagic) {
  expect_bad_npy("magic.npy", "PK\x03\x04 this is a zip, not npy", {"bad magic"});
  expect_bad_npy("text.npy", "hello", {"bad magic"});
}

TEST_F(NpyTest, TruncatedHeader) {
  expect_bad_npy("empty.npy", "", {"truncated header", "0 bytes"});
  expect_bad_npy("short.npy", std::string("\x93NUMPY\x01", 7), {"truncated header"});
  const std::string full = npy_bytes(f8_dict("(2,)"), std::string(16, '\0'));
  expect_bad_npy("cut.npy", full.substr(0, 30), {"truncated header", "header bytes"});
}

TEST_F(NpyTest, UnsupportedVersion) {
  std::string b = npy_bytes(f8_dict("(1,)"), std::string(8, '\0'));
  b[6] = 4;
  expect_bad_npy("v4.npy", b, {"unsupported .npy format version 4.0"});
}

TEST_F(NpyTest, HeaderNotADict) {
  const std::string d(8, '\0');
  expect_bad_npy("list.npy", npy_bytes("[1, 2]", d), {"header is not a valid dict"});
  expect_bad_npy("open.npy", npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,", d),
                 {"header is not a valid dict"});
  expect_bad_npy("junk.npy", npy_bytes("{'descr': '<f8'} xyz", d), {"header is not a valid dict"});
  expect_bad_npy("name.npy",
                 npy_bytes("{'descr': '<f8', 'fortran_order': maybe, 'shape': (1,)}", d),
                 {"header is not a valid dict", "unknown name 'maybe'"});
  expect_bad_npy("key.npy", npy_bytes("{1: 2}", d), {"header is not a valid dict"});
}

TEST_F(NpyTest, HeaderKeys) {
  const std::string d(8, '\0');
  expect_bad_npy("missing.npy", npy_bytes("{'descr': '<f8', 'fortran_order': False}", d),
                 {"missing key 'shape'"});
  expect_bad_npy("extra.npy",
                 npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", d),
                 {"unexpected key 'x'"});
  expect_bad_npy("fo.npy", npy_bytes("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}", d),
                 {"fortran_order"});
  expect_bad_npy("shape.npy",
                 npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}", d),
                 {"'shape' is not a tuple of non-negative integers"});
  expect_bad_npy("notuple.npy",
                 npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1)}", d),
                 {"'shape' is not a tuple"});
}

TEST_F(NpyTest, UnsupportedDtypes) {
  const auto hdr = [](const std::string& descr) {
    return npy_bytes("{'descr': " + descr + ", 'fortran_order': False, 'shape': (1,), }",
                     std::string(16, '\0'));
  };
  expect_bad_npy("c16.npy", hdr("'<c16'"), {"unsupported dtype '<c16'"});
  expect_bad_npy("obj.npy", hdr("'|O'"), {"unsupported dtype '|O'"});
  expect_bad_npy("str.npy", hdr("'<U2'"), {"unsupported dtype '<U2'"});
  expect_bad_npy("bytes.npy", hdr("'|S4'"), {"unsupported dtype '|S4'"});
  expect_bad_npy("f2.npy", hdr("'<f2'"), {"unsupported dtype '<f2'"});
  expect_bad_npy("pipe.npy", hdr("'|f8'"), {"unsupported dtype '|f8'"});
  expect_bad_npy("rec.npy", hdr("[('a', '<f8'), ('b', '<i4')]"),
                 {"unsupported structured dtype [('a', '<f8'), ('b', '<i4')]"});
}

TEST_F(NpyTest, DataLengthMismatch) {
  expect_bad_npy("short.npy", npy_bytes(f8_dict("(3, 4)"), std::string(80, '\0')),
                 {"truncated: expected 96 bytes of data, found 80"});
  expect_bad_npy("long.npy", npy_bytes(f8_dict("(3, 4)"), std::string(104, '\0')),
                 {"trailing bytes", "expected 96 bytes of data, found 104"});
}

TEST_F(NpyTest, ShapeOverflow) {
  expect_bad_npy("elems.npy", npy_bytes(f8_dict("(4294967296, 4294967296)"), ""), {"overflows"});
  expect_bad_npy("bytes.npy", npy_bytes(f8_dict("(2305843009213693952,)"), ""), {"overflows"});
  expect_bad_npy("huge.npy", npy_bytes(f8_dict("(99999999999999999999,)"), ""),
                 {"integer out of range"});
}

// Arrays beyond kMaxNpyArrayBytes as doubles are refused from the header, before any data is
// read or inflated (a 523 KB .npz inflated to 1 GB before, issue 16); 1-byte elements count as 8.
TEST_F(NpyTest, ArraysBeyondTheSizeLimitAreRefusedFromTheHeader) {
  expect_bad_npy("big.npy", npy_bytes(f8_dict("(8192, 8193)"), ""),
                 {"shape (8192, 8193) is too large: more than 512 MiB as doubles (the limit of one array)"});
  expect_bad_npy("big_u1.npy", npy_bytes("{'descr': '|u1', 'fortran_order': False, 'shape': (67108865,), }", ""),
                 {"is too large"});
  const std::string ok = file("ok.npy");
  write_bytes(ok, npy_bytes(f8_dict("(2, 3)"), std::string(48, '\0')));
  EXPECT_EQ(read_npy_shape(ok), (std::vector<size_t>{2, 3}));
}

TEST_F(NpyTest, LenientHeaderSpellings) {
  // Python 2 longs, double quotes, no trailing comma, version 2.0 header.
  std::string data(16, '\0');
  data[7] = '\x3f';
  data[6] = '\xf0';  // 1.0 little-endian
  const NdArray a = read_bytes(
      "py2.npy",
      npy_bytes("{\"descr\": \"<f8\", \"fortran_order\": True, \"shape\": (2L, 1L)}", data, 2));
  EXPECT_EQ(a.shape, (std::vector<size_t>{2, 1}));
  EXPECT_EQ(a.data, (std::vector<double>{1.0, 0.0}));
}

TEST_F(NpyTest, ParseNpyNamesSource) {
  expect_one_line_error<IoError>([] { parse_npy("nope", "layer3.W_rec"); }, {"layer3.W_rec: bad magic"});
}

TEST_F(NpyTest, TruncatedNpz) {
  Eigen::MatrixXd m = Eigen::MatrixXd::Random(8, 8);
  write_npz(file("full.npz"), {{"a", from_matrix(m)}, {"b", from_matrix(m.transpose())}});
  const std::string bytes = read_text(file("full.npz"));
  write_bytes(file("half.npz"), bytes.substr(0, bytes.size() / 2));
  expect_one_line_error<IoError>([&] { read_npz(file("half.npz")); },
                  {file("half.npz"), "not a valid .npz (zip) file"});
  write_bytes(file("text.npz"), "definitely not a zip file");
  expect_one_line_error<IoError>([&] { read_npz(file("text.npz")); },
                  {file("text.npz"), "not a valid .npz (zip) file"});
}

TEST_F(NpyTest, CorruptedNpzMemberNamed) {
  NdArray a;
  a.shape = {16};
  a.data.assign(16, 1.0);
  write_npz(file("c.npz"), {{"W_in", a}});
  std::string bytes = read_text(file("c.npz"));
  const size_t pos = bytes.find("'shape': (16,), }");
  ASSERT_NE(pos, std::string::npos);
  const size_t data_pos = bytes.find('\n', pos) + 20;  // inside the stored array data
  bytes[data_pos] = static_cast<char>(bytes[data_pos] ^ 0x55);
  write_bytes(file("c.npz"), bytes);
  expect_one_line_error<IoError>([&] { read_npz(file("c.npz")); }, {file("c.npz"), "member 'W_in.npy'", "CRC"});
}

TEST_F(NpyTest, CompressedFixtureCorruptedMemberNamed) {
  std::string bytes = read_text(kFixtures + "savez_compressed.npz");
  const size_t pos = bytes.find("W_in.npy");  // local header name; deflated data follows
  ASSERT_NE(pos, std::string::npos);
  for (size_t i = pos + 40; i < pos + 60; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0xa5);
  write_bytes(file("cc.npz"), bytes);
  expect_one_line_error<IoError>([&] { read_npz(file("cc.npz")); }, {file("cc.npz"), "member 'W_in.npy'"});
}

// ------------------------------------------------------------------------------------------
// Eigen helpers and shape checks.

TEST(NpyHelpers, ToMatrixRequires2D) {
  NdArray v;
  v.shape = {3};
  v.data = {1, 2, 3};
  expect_one_line_error<IoError>([&] { to_matrix(v, "bias"); },
                  {"bias: expected a 2-D array, got shape (3,) (1-D)"});
  NdArray s;
  s.data = {1};
  expect_one_line_error<IoError>([&] { to_matrix(s, "x"); }, {"x: expected a 2-D array, got shape () (0-D)"});
}

TEST(NpyHelpers, EmptyMatrix) {
  const NdArray a = from_matrix(Eigen::MatrixXd(0, 4));
  EXPECT_EQ(a.shape, (std::vector<size_t>{0, 4}));
  const Eigen::MatrixXd m = to_matrix(a, "e");
  EXPECT_EQ(m.rows(), 0);
  EXPECT_EQ(m.cols(), 4);
}

TEST(NpyHelpers, ExpectShape) {
  NdArray a;
  a.shape = {4, 3};
  a.data.assign(12, 0.0);
  EXPECT_NO_THROW(expect_shape(a, {4, 3}, "W"));
  try {
    expect_shape(a, {3, 4}, "config.W_in");
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_STREQ(e.what(), "config.W_in: expected shape (3, 4), got (4, 3)");
  }
}

TEST(NpyHelpers, ShapeString) {
  EXPECT_EQ(shape_string({}), "()");
  EXPECT_EQ(shape_string({5}), "(5,)");
  EXPECT_EQ(shape_string({2, 3, 4}), "(2, 3, 4)");
}

}  // namespace
}  // namespace eligo::io
