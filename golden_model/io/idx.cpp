#include "golden_model/io/idx.hpp"

#include "golden_model/io/config.hpp"
#include "golden_model/io/files.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>

namespace eligo::io {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& problem) {
  throw IoError(shown_path(what) + ": " + problem);
}

std::string hex(uint32_t v, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*x", digits, static_cast<unsigned>(v));
  return buf;
}

constexpr size_t kMaxInflated = kMaxIdxBytes;
constexpr int kMaxDims = 8;

bool is_gzip(const std::string& bytes) {
  return bytes.size() >= 2 && static_cast<uint8_t>(bytes[0]) == 0x1f &&
         static_cast<uint8_t>(bytes[1]) == 0x8b;
}

uint32_t be32(const std::string& b, size_t pos) {
  return (uint32_t(uint8_t(b[pos])) << 24) | (uint32_t(uint8_t(b[pos + 1])) << 16) |
         (uint32_t(uint8_t(b[pos + 2])) << 8) | uint32_t(uint8_t(b[pos + 3]));
}

void put_be32(std::string& b, uint32_t v) {
  b.push_back(char((v >> 24) & 0xff));
  b.push_back(char((v >> 16) & 0xff));
  b.push_back(char((v >> 8) & 0xff));
  b.push_back(char(v & 0xff));
}

std::string shape_text(const std::vector<size_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? " x " : "") + std::to_string(shape[i]);
  return s + ")";
}

// Inflates a gzip stream to at most `limit` bytes. With `head`, returns the first `limit` bytes
// (or fewer if the stream is shorter); otherwise a longer stream is an error naming `limit_is`.
// Without `keep`, only checks the stream (no output is kept, so memory stays constant).
std::string inflate_gzip(const std::string& bytes, const std::string& what, size_t limit, bool head,
                         const std::string& limit_is, bool keep = true) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) fail(what, "cannot initialise zlib");
  struct Guard {
    z_stream* z;
    ~Guard() { inflateEnd(z); }
  } guard{&zs};
  std::string out;
  size_t total = 0;  // bytes inflated so far (out.size() when keep)
  size_t pos = 0;    // input consumed so far
  constexpr size_t kChunk = size_t(1) << 18;
  std::string chunk(kChunk, '\0');
  char* buf = chunk.data();
  for (;;) {
    if (zs.avail_in == 0 && pos < bytes.size()) {
      const size_t n = std::min<size_t>(bytes.size() - pos, std::numeric_limits<uInt>::max());
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + pos));
      zs.avail_in = static_cast<uInt>(n);
      pos += n;
    }
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = static_cast<uInt>(kChunk);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    const size_t produced = kChunk - zs.avail_out;
    if (total + produced > limit) {
      if (head) return out.append(buf, limit - total);
      fail(what, "gzip stream inflates to more than " + std::to_string(limit) + " bytes" + limit_is);
    }
    if (keep) out.append(buf, produced);
    total += produced;
    if (rc == Z_STREAM_END) {
      const size_t left = zs.avail_in + (bytes.size() - pos);
      if (left == 0) return out;
      // Another gzip member may follow (gzip -c a b > c); anything else is an error.
      const size_t at = bytes.size() - left;
      if (left >= 2 && uint8_t(bytes[at]) == 0x1f && uint8_t(bytes[at + 1]) == 0x8b) {
        if (inflateReset(&zs) != Z_OK) fail(what, "cannot reset zlib");
        continue;
      }
      fail(what, std::to_string(left) + " trailing bytes after the gzip stream");
    }
    if (rc == Z_DATA_ERROR) {
      fail(what, std::string("corrupted gzip stream: ") + (zs.msg ? zs.msg : "data error"));
    }
    if (rc == Z_MEM_ERROR) fail(what, "out of memory while inflating");
    if (rc == Z_NEED_DICT || rc == Z_STREAM_ERROR) fail(what, "corrupted gzip stream");
    if (rc == Z_BUF_ERROR || (rc == Z_OK && produced == 0 && zs.avail_in == 0)) {
      if (zs.avail_in == 0 && pos >= bytes.size()) {
        fail(what, "truncated gzip stream (ends after " + std::to_string(bytes.size()) +
                       " compressed bytes, " + std::to_string(total) + " inflated)");
      }
    }
  }
}

// Checks the IDX header at the start of b (magic, dimensions, shape) into a->magic and a->shape;
// returns the file size the header implies (header + data bytes).
size_t idx_header(const std::string& b, const std::string& what, IdxArray* out) {
  IdxArray& a = *out;
  if (b.size() < 4) {
    fail(what, "truncated: expected at least 4 bytes (IDX magic), found " + std::to_string(b.size()));
  }
  a.magic = be32(b, 0);
  if (b[0] != 0 || b[1] != 0) {
    fail(what, "bad magic " + hex(a.magic, 8) +
                   " (an IDX file starts with 0x00 0x00, the element type, the number of dimensions)");
  }
  const unsigned type = uint8_t(b[2]), d = uint8_t(b[3]);
  if (type != 0x08) {
    fail(what, "bad magic " + hex(a.magic, 8) + ": unsupported element type " + hex(type, 2) +
                   " (only unsigned byte, 0x08)");
  }
  if (d < 1 || d > kMaxDims) {
    fail(what, "bad magic " + hex(a.magic, 8) + ": " + std::to_string(d) +
                   " dimensions (expected 1.." + std::to_string(kMaxDims) + ")");
  }
  const size_t header = 4 + 4 * size_t(d);
  if (b.size() < header) {
    fail(what, "truncated: expected " + std::to_string(header) + " header bytes, found " +
                   std::to_string(b.size()));
  }
  size_t n = 1;
  for (unsigned k = 0; k < d; ++k) {
    const size_t s = be32(b, 4 + 4 * size_t(k));
    a.shape.push_back(s);
    if (s == 0) fail(what, "dimension " + std::to_string(k) + " of " + shape_text(a.shape) + " is zero");
    if (n > (kMaxInflated - header) / s) {
      for (unsigned j = k + 1; j < d; ++j) a.shape.push_back(be32(b, 4 + 4 * size_t(j)));
      fail(what, "shape " + shape_text(a.shape) + " overflows (more than " +
                     std::to_string(kMaxInflated) + " bytes)");
    }
    n *= s;
  }
  return header + n;
}

}  // namespace

std::string gunzip(const std::string& bytes, const std::string& what) {
  return inflate_gzip(bytes, what, kMaxInflated, false, "");
}

IdxArray parse_idx(const std::string& b, const std::string& what) {
  IdxArray a;
  const size_t expected = idx_header(b, what, &a);
  const size_t header = 4 + 4 * a.shape.size();
  const size_t n = expected - header;
  if (b.size() < expected) {
    fail(what, "truncated: expected " + std::to_string(expected) + " bytes (" +
                   std::to_string(header) + "-byte header + " + std::to_string(n) +
                   " data bytes for shape " + shape_text(a.shape) + "), found " +
                   std::to_string(b.size()));
  }
  if (b.size() > expected) {
    fail(what, std::to_string(b.size() - expected) + " trailing bytes after the " +
                   std::to_string(expected) + " bytes of header and data (shape " +
                   shape_text(a.shape) + ")");
  }
  a.data.assign(reinterpret_cast<const uint8_t*>(b.data()) + header,
                reinterpret_cast<const uint8_t*>(b.data()) + expected);
  return a;
}

IdxArray read_idx(const std::string& path) {
  std::string bytes = read_file(path);
  if (is_gzip(bytes)) {
    // Inflate the header first, then no more than the size it declares (a gzip bomb of 1 MB
    // inflated to 2 GB before, issue 16).
    // A corrupted stream can inflate to a garbage header: its gzip error (found inflating the
    // whole stream without keeping it) is the one to report.
    IdxArray a;
    size_t expected = 0;
    try {
      expected = idx_header(inflate_gzip(bytes, path, 4 + 4 * size_t(kMaxDims), true, ""), path, &a);
    } catch (const IoError&) {
      inflate_gzip(bytes, path, SIZE_MAX, false, "", /*keep=*/false);
      throw;
    }
    bytes = inflate_gzip(bytes, path, expected, false,
                         " (its IDX header declares " + std::to_string(expected) + ")");
  }
  return parse_idx(bytes, path);
}

void write_idx(const std::string& path, const IdxArray& a, bool gzip) {
  if (a.shape.empty() || a.shape.size() > kMaxDims) {
    fail(path, "cannot write an IDX array with " + std::to_string(a.shape.size()) + " dimensions");
  }
  size_t n = 1;
  for (size_t s : a.shape) {
    if (s == 0 || s > std::numeric_limits<uint32_t>::max()) {
      fail(path, "cannot write shape " + shape_text(a.shape));
    }
    n *= s;
  }
  if (n != a.data.size()) {
    fail(path, "shape " + shape_text(a.shape) + " needs " + std::to_string(n) + " elements, got " +
                   std::to_string(a.data.size()));
  }
  std::string bytes;
  put_be32(bytes, 0x00000800u | uint32_t(a.shape.size()));
  for (size_t s : a.shape) put_be32(bytes, uint32_t(s));
  bytes.append(reinterpret_cast<const char*>(a.data.data()), a.data.size());
  if (gzip) {
    z_stream zs{};
    if (deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      fail(path, "cannot initialise zlib");
    }
    std::string out(deflateBound(&zs, static_cast<uLong>(bytes.size())), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(bytes.data());
    zs.avail_in = static_cast<uInt>(bytes.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) fail(path, "gzip compression failed");
    bytes.swap(out);
  }
  write_file_atomically(path, bytes);
}

std::string fashion_mnist_dir() {
  const char* env = std::getenv("ELIGO_FASHION_MNIST_DIR");
  if (env != nullptr && *env != '\0') return env;
  return "/usr/share/datasets/fashion-mnist";
}

std::string find_idx_file(const std::string& dir, const std::string& stem) {
  std::error_code ec;
  for (const std::string& name : {stem, stem + ".gz"}) {
    const std::filesystem::path p = std::filesystem::path(dir) / name;
    if (std::filesystem::is_regular_file(p, ec)) return p.string();
  }
  return "";
}

LabelledImages read_mnist_split(const std::string& dir, bool train) {
  const std::string prefix = train ? "train" : "t10k";
  auto locate = [&](const std::string& stem) {
    const std::string p = find_idx_file(dir, stem);
    if (p.empty()) fail(dir + "/" + stem, "not found (nor " + stem + ".gz)");
    return p;
  };
  const std::string ip = locate(prefix + "-images-idx3-ubyte");
  const std::string lp = locate(prefix + "-labels-idx1-ubyte");
  IdxArray images = read_idx(ip);
  IdxArray labels = read_idx(lp);
  if (images.magic != 0x00000803u) {
    fail(ip, "bad magic " + hex(images.magic, 8) + " (images: 0x00000803)");
  }
  if (labels.magic != 0x00000801u) {
    fail(lp, "bad magic " + hex(labels.magic, 8) + " (labels: 0x00000801)");
  }
  if (images.shape[0] != labels.shape[0]) {
    fail(lp, std::to_string(labels.shape[0]) + " labels for " + std::to_string(images.shape[0]) +
                 " images in " + ip);
  }
  if (images.shape[0] > size_t(std::numeric_limits<int>::max())) fail(ip, "too many images");
  for (size_t i = 0; i < labels.data.size(); ++i) {
    if (labels.data[i] > 9) {
      fail(lp, "label " + std::to_string(labels.data[i]) + " at index " + std::to_string(i) +
                   " is not in 0..9");
    }
  }
  LabelledImages s;
  s.n = static_cast<int>(images.shape[0]);
  s.rows = static_cast<int>(images.shape[1]);
  s.cols = static_cast<int>(images.shape[2]);
  s.pixels = std::move(images.data);
  s.labels = std::move(labels.data);
  return s;
}

}  // namespace eligo::io
