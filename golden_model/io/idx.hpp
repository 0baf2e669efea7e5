// IDX reader and writer (the MNIST / Fashion-MNIST file format), plain or gzip-compressed.
//
// Format (all integers big-endian):
//   bytes 0-1   0x00 0x00
//   byte  2     element type; only 0x08 (unsigned byte) is supported
//   byte  3     number of dimensions d (1 .. 8 here)
//   then d uint32 sizes, then product(sizes) elements in C (row-major) order.
// Fashion-MNIST: images magic 0x00000803 (N x 28 x 28), labels magic 0x00000801 (N).
//
// A file starting with the gzip magic 0x1f 0x8b is inflated first (zlib; concatenated gzip
// members are accepted). Everything else is rejected with IoError, whose what() is one line
// "<file>: <what is wrong>": bad magic or unsupported element type, zero or overflowing
// dimensions, truncated data ("expected N bytes, found M"), trailing bytes after the data,
// corrupted or truncated gzip streams. Limits (issue 16): a file (inflated) holds at most
// kMaxIdxBytes; a gzip stream is inflated only up to the size its IDX header declares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "golden_model/io/files.hpp"  // IoError

namespace eligo::io {

// The largest IDX file read, inflated (Fashion-MNIST's training images are 47 MB).
constexpr size_t kMaxIdxBytes = size_t(512) << 20;

struct IdxArray {
  uint32_t magic = 0;             // e.g. 0x00000803
  std::vector<size_t> shape;      // d sizes, each >= 1
  std::vector<uint8_t> data;      // product(shape) elements, C order

  size_t size() const { return data.size(); }
};

// Reads an IDX file (plain or .gz, detected from the content, not the name). Throws IoError.
IdxArray read_idx(const std::string& path);
// Parses the (already inflated) bytes of an IDX file; `what` names the source in errors.
IdxArray parse_idx(const std::string& bytes, const std::string& what);
// Inflates a gzip stream (one or more members); `what` names the source in errors.
std::string gunzip(const std::string& bytes, const std::string& what);

// Writes `a` as unsigned bytes, magic 0x00000800 + a.shape.size() (a.magic is ignored);
// gzip-compressed if `gzip`. Writes "<path>.tmp" and renames it over path. Throws IoError.
void write_idx(const std::string& path, const IdxArray& a, bool gzip = false);

// Fashion-MNIST directory: $ELIGO_FASHION_MNIST_DIR if set and non-empty, else the Debian
// package's /usr/share/datasets/fashion-mnist.
std::string fashion_mnist_dir();

// One split of (Fashion-)MNIST: images N x rows x cols (pixels 0..255), labels N in 0..9.
struct LabelledImages {
  int n = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // n * rows * cols, image-major
  std::vector<uint8_t> labels;  // n
};

// Path of "<dir>/<stem>" or "<dir>/<stem>.gz", whichever exists (plain first); "" if neither.
std::string find_idx_file(const std::string& dir, const std::string& stem);

// Reads train-images-idx3-ubyte / train-labels-idx1-ubyte (train) or the t10k-* pair (test) from
// dir, plain or .gz. Checks the magics (0x803 / 0x801), that the counts agree and that every label
// is in 0..9. Throws IoError (also when a file is missing).
LabelledImages read_mnist_split(const std::string& dir, bool train);

}  // namespace eligo::io
