// IDX reader/writer: round trips (plain and gzip), the real Fashion-MNIST files of Debian's
// dataset-fashion-mnist (skipped when the package is absent), and corrupted or truncated copies,
// which must fail with a one-line IoError "<file>: <problem>".
#include "golden_model/io/fashion_mnist.hpp"
#include "golden_model/io/idx.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <numeric>
#include <string>
#include <vector>

#include "tests/support/files.hpp"
#include "tests/support/fashion_mnist.hpp"

namespace eligo::io {
namespace {

namespace fs = std::filesystem;
using eligo::testing::expect_one_line_error;
using eligo::testing::read_text;
using eligo::testing::write_bytes;

// Big-endian IDX header + data.
std::string idx_bytes(uint8_t type, const std::vector<uint32_t>& dims, size_t n_data) {
  std::string b = {0, 0, char(type), char(dims.size())};
  for (uint32_t d : dims) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(char((d >> s) & 0xff));
  }
  for (size_t i = 0; i < n_data; ++i) b.push_back(char(i * 7 % 256));
  return b;
}

IdxArray sample_array() {
  IdxArray a;
  a.shape = {3, 4, 5};
  a.data.resize(60);
  for (size_t i = 0; i < a.data.size(); ++i) a.data[i] = uint8_t(i * 37 % 256);
  return a;
}

class IdxTest : public eligo::testing::ScratchDirTest {
 protected:
  IdxTest() : ScratchDirTest("io_idx") {}

  void expect_bad(const std::string& name, const std::string& bytes,
                  std::vector<std::string> phrases) {
    write_bytes(file(name), bytes);
    phrases.push_back(file(name) + ": ");
    expect_one_line_error<IoError>([&] { read_idx(file(name)); }, phrases);
  }

};

// ------------------------------------------------------------------------------------------
// Round trips.

TEST_F(IdxTest, RoundTripPlainAndGzip) {
  const IdxArray a = sample_array();
  for (bool gz : {false, true}) {
    const std::string p = file(gz ? "a.idx.gz" : "a.idx");
    write_idx(p, a, gz);
    EXPECT_FALSE(fs::exists(p + ".tmp"));
    const std::string raw = read_text(p);
    EXPECT_EQ(raw.size() >= 2 && uint8_t(raw[0]) == 0x1f && uint8_t(raw[1]) == 0x8b, gz);
    const IdxArray b = read_idx(p);
    EXPECT_EQ(b.magic, 0x00000803u);
    EXPECT_EQ(b.shape, a.shape);
    EXPECT_EQ(b.data, a.data);
  }
}

TEST_F(IdxTest, ParsesBigEndianDimensions) {
  // 1 x 258 x 2: dims above 255 need the big-endian byte order to come out right.
  const IdxArray a = parse_idx(idx_bytes(0x08, {1, 258, 2}, 516), "mem");
  EXPECT_EQ(a.magic, 0x00000803u);
  EXPECT_EQ(a.shape, (std::vector<size_t>{1, 258, 2}));
  ASSERT_EQ(a.size(), 516u);
  EXPECT_EQ(a.data[515], uint8_t(515 * 7 % 256));
}

TEST_F(IdxTest, ConcatenatedGzipMembersAreOneStream) {
  // `gzip -c a b > c` makes two members; they inflate back to back.
  IdxArray a1 = sample_array(), a2 = sample_array();
  a2.data[0] = 99;
  write_idx(file("m1.gz"), a1, true);
  write_idx(file("m2.gz"), a2, true);
  write_idx(file("m1"), a1, false);
  write_idx(file("m2"), a2, false);
  const std::string two = read_text(file("m1.gz")) + read_text(file("m2.gz"));
  EXPECT_EQ(gunzip(two, "two"), read_text(file("m1")) + read_text(file("m2")));
}

// ------------------------------------------------------------------------------------------
// Malformed files.

TEST_F(IdxTest, RejectsBadMagic) {
  std::string b = idx_bytes(0x08, {2, 2}, 4);
  b[0] = 0x12;
  expect_bad("m0.idx", b, {"bad magic 0x12000802"});
  expect_bad("type.idx", idx_bytes(0x0D, {2}, 8), {"bad magic 0x00000d01", "unsupported element type 0x0d"});
  expect_bad("nd0.idx", idx_bytes(0x08, {}, 0), {"0 dimensions"});
  expect_bad("empty.idx", "", {"truncated: expected at least 4 bytes", "found 0"});
  expect_bad("text.idx", "hello world\n", {"bad magic 0x68656c6c"});
}

TEST_F(IdxTest, RejectsZeroAndOverflowingDimensions) {
  expect_bad("zero.idx", idx_bytes(0x08, {3, 0, 2}, 0), {"dimension 1", "is zero"});
  expect_bad("ovf.idx", idx_bytes(0x08, {0xFFFFFFFFu, 0xFFFFFFFFu, 16}, 0),
             {"shape (4294967295 x 4294967295 x 16) overflows"});
}

TEST_F(IdxTest, RejectsTruncatedHeaderAndData) {
  expect_bad("hdr.idx", idx_bytes(0x08, {2, 3, 4}, 0).substr(0, 9),
             {"truncated: expected 16 header bytes, found 9"});
  // 3 x 4: 12-byte header + 12 data bytes = 24 expected.
  expect_bad("data.idx", idx_bytes(0x08, {3, 4}, 7), {"truncated: expected 24 bytes", "found 19"});
}

TEST_F(IdxTest, RejectsTrailingBytes) {
  expect_bad("trail.idx", idx_bytes(0x08, {3, 4}, 15), {"3 trailing bytes after the 24 bytes"});
}

TEST_F(IdxTest, RejectsTruncatedAndCorruptedGzip) {
  const IdxArray a = sample_array();
  write_idx(file("ok.gz"), a, true);
  const std::string gz = read_text(file("ok.gz"));
  expect_bad("cut.gz", gz.substr(0, gz.size() - 10), {"truncated gzip stream"});
  expect_bad("cut_header.gz", gz.substr(0, 5), {"truncated gzip stream"});
  std::string crc = gz;
  crc[crc.size() - 6] = char(crc[crc.size() - 6] ^ 0x55);  // inside the CRC-32 trailer
  expect_bad("crc.gz", crc, {"corrupted gzip stream", "incorrect data check"});
  std::string body = gz;
  body[12] = char(0xff);  // first bytes of the deflate data after the 10-byte gzip header
  body[13] = char(0xff);
  expect_bad("body.gz", body, {"corrupted gzip stream"});
  expect_bad("junk.gz", gz + "xyz", {"3 trailing bytes after the gzip stream"});
}

// A gzip stream is inflated only up to the size its IDX header declares: a small header followed
// by a large second gzip member stops there (a 1 MB gzip inflated to 2 GB before, issue 16).
TEST_F(IdxTest, GzipIsInflatedOnlyToTheDeclaredSize) {
  write_idx(file("small.gz"), sample_array(), true);  // 16-byte header + 60 bytes
  IdxArray big;
  big.shape = {size_t(64) << 20};
  big.data.assign(big.shape[0], 0);
  write_idx(file("big.gz"), big, true);
  expect_bad("bomb.gz", read_text(file("small.gz")) + read_text(file("big.gz")),
             {"gzip stream inflates to more than 76 bytes (its IDX header declares 76)"});
}

TEST_F(IdxTest, MissingFileAndDirectory) {
  expect_one_line_error<IoError>([&] { read_idx(file("nope.idx")); }, {file("nope.idx") + ": cannot open"});
  expect_one_line_error<IoError>([&] { read_idx(dir_.string()); }, {"is a directory"});
}

TEST_F(IdxTest, WriterRejectsInconsistentArrays) {
  IdxArray a;
  a.shape = {2, 3};
  a.data = {1, 2, 3};
  expect_one_line_error<IoError>([&] { write_idx(file("x.idx"), a); }, {"needs 6 elements, got 3"});
  a.shape = {};
  expect_one_line_error<IoError>([&] { write_idx(file("x.idx"), a); }, {"0 dimensions"});
}

// ------------------------------------------------------------------------------------------
// MNIST-style splits from a synthetic directory.

void write_split(const std::string& dir, const std::string& prefix, int n, bool gz,
                 uint8_t bad_label = 0) {
  IdxArray im, lb;
  im.shape = {size_t(n), 28, 28};
  im.data.assign(size_t(n) * 784, 0);
  for (size_t i = 0; i < im.data.size(); ++i) im.data[i] = uint8_t(i % 251);
  lb.shape = {size_t(n)};
  for (int i = 0; i < n; ++i) lb.data.push_back(uint8_t(i % 10));
  if (bad_label) lb.data.back() = bad_label;
  const std::string ext = gz ? ".gz" : "";
  write_idx(dir + "/" + prefix + "-images-idx3-ubyte" + ext, im, gz);
  write_idx(dir + "/" + prefix + "-labels-idx1-ubyte" + ext, lb, gz);
}

TEST_F(IdxTest, ReadsSyntheticSplitsPlainAndGzip) {
  write_split(dir_.string(), "train", 12, true);
  write_split(dir_.string(), "t10k", 5, false);
  const LabelledImages tr = read_mnist_split(dir_.string(), true);
  EXPECT_EQ(tr.n, 12);
  EXPECT_EQ(tr.rows, 28);
  EXPECT_EQ(tr.cols, 28);
  EXPECT_EQ(tr.pixels.size(), 12u * 784);
  EXPECT_EQ(tr.labels[11], 1);
  const LabelledImages te = read_mnist_split(dir_.string(), false);
  EXPECT_EQ(te.n, 5);
}

TEST_F(IdxTest, SplitChecksLabelsCountsAndMagics) {
  write_split(dir_.string(), "train", 12, false, 10);
  expect_one_line_error<IoError>([&] { read_mnist_split(dir_.string(), true); },
                  {"train-labels-idx1-ubyte: label 10 at index 11 is not in 0..9"});
  IdxArray lb;
  lb.shape = {11};
  lb.data.assign(11, 1);
  write_idx(file("train-labels-idx1-ubyte"), lb);
  expect_one_line_error<IoError>([&] { read_mnist_split(dir_.string(), true); }, {"11 labels for 12 images"});
  // Images and labels swapped: the magics tell.
  fs::copy_file(file("train-labels-idx1-ubyte"), file("t10k-images-idx3-ubyte"));
  fs::copy_file(file("train-images-idx3-ubyte"), file("t10k-labels-idx1-ubyte"));
  expect_one_line_error<IoError>([&] { read_mnist_split(dir_.string(), false); },
                  {"t10k-images-idx3-ubyte: bad magic 0x00000801 (images: 0x00000803)"});
  expect_one_line_error<IoError>([&] { read_mnist_split(file("none"), true); },
                  {"train-images-idx3-ubyte: not found (nor train-images-idx3-ubyte.gz)"});
}

TEST(FashionMnistDir, EnvironmentOverridesDefault) {
  const char* old = std::getenv("ELIGO_FASHION_MNIST_DIR");
  const std::string saved = old ? old : "";
  unsetenv("ELIGO_FASHION_MNIST_DIR");
  EXPECT_EQ(fashion_mnist_dir(), "/usr/share/datasets/fashion-mnist");
  setenv("ELIGO_FASHION_MNIST_DIR", "/tmp/fm", 1);
  EXPECT_EQ(fashion_mnist_dir(), "/tmp/fm");
  setenv("ELIGO_FASHION_MNIST_DIR", "", 1);
  EXPECT_EQ(fashion_mnist_dir(), "/usr/share/datasets/fashion-mnist");
  if (old) {
    setenv("ELIGO_FASHION_MNIST_DIR", saved.c_str(), 1);
  } else {
    unsetenv("ELIGO_FASHION_MNIST_DIR");
  }
}

// ------------------------------------------------------------------------------------------
// The real Fashion-MNIST files (Debian package dataset-fashion-mnist).

TEST(FashionMnist, RealFilesHaveTheDocumentedShapes) {
  ELIGO_SKIP_WITHOUT_FASHION_MNIST();
  const std::string d = fashion_mnist_dir();
  for (bool train : {true, false}) {
    const LabelledImages s = read_mnist_split(d, train);
    const int n = train ? 60000 : 10000;
    EXPECT_EQ(s.n, n);
    EXPECT_EQ(s.rows, 28);
    EXPECT_EQ(s.cols, 28);
    EXPECT_EQ(s.pixels.size(), size_t(n) * 784);
    ASSERT_EQ(s.labels.size(), size_t(n));
    std::vector<int> count(10, 0);
    for (uint8_t l : s.labels) {
      ASSERT_LE(l, 9);
      ++count[l];
    }
    for (int c = 0; c < 10; ++c) EXPECT_EQ(count[c], n / 10) << "class " << c;  // balanced
    const double mean =
        std::accumulate(s.pixels.begin(), s.pixels.end(), 0.0) / double(s.pixels.size());
    EXPECT_GT(mean, 50.0);  // Fashion-MNIST mean pixel is about 72.9 (not an all-zero file)
    EXPECT_LT(mean, 100.0);
  }
}

TEST_F(IdxTest, CorruptedCopiesOfTheRealFilesFailClearly) {
  ELIGO_SKIP_WITHOUT_FASHION_MNIST();
  const std::string src = find_idx_file(fashion_mnist_dir(), "t10k-labels-idx1-ubyte");
  const std::string bytes = read_text(src);
  std::string plain = bytes;
  if (plain.size() >= 2 && uint8_t(plain[0]) == 0x1f) plain = gunzip(bytes, src);
  ASSERT_EQ(plain.size(), 10008u);
  expect_bad("labels_cut", plain.substr(0, 5000), {"truncated: expected 10008 bytes", "found 5000"});
  expect_bad("labels_long", plain + "\n", {"1 trailing bytes after the 10008 bytes"});
  std::string magic = plain;
  magic[2] = 0x09;
  expect_bad("labels_magic", magic, {"unsupported element type 0x09"});
  if (bytes.size() >= 2 && uint8_t(bytes[0]) == 0x1f) {
    expect_bad("labels_cut.gz", bytes.substr(0, bytes.size() / 2), {"truncated gzip stream"});
    std::string flipped = bytes;
    flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 0x01);
    expect_bad("labels_flip.gz", flipped, {"corrupted gzip stream"});
  }
  // A directory whose test labels are truncated: read_mnist_split names the bad file.
  const std::string img = find_idx_file(fashion_mnist_dir(), "t10k-images-idx3-ubyte");
  fs::copy_file(img, file(fs::path(img).filename().string()));
  write_bytes(file("t10k-labels-idx1-ubyte"), plain.substr(0, 9000));
  expect_one_line_error<IoError>([&] { read_mnist_split(dir_.string(), false); },
                  {file("t10k-labels-idx1-ubyte") + ": truncated: expected 10008 bytes"});
}

}  // namespace
}  // namespace eligo::io
