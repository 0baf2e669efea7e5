#include "golden_model/io/npy.hpp"

#include "golden_model/io/config.hpp"
#include "golden_model/io/files.hpp"

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <utility>

namespace eligo::io {
namespace {

const char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;
constexpr size_t kMaxArrayBytes = kMaxNpyArrayBytes;
const char kSupported[] = "supported: bool, int8..int64, uint8..uint64, float32, float64";

[[noreturn]] void fail(const std::string& what, const std::string& problem) {
  throw IoError(shown_path(what) + ": " + problem);
}

// One-line printable rendering of untrusted bytes for messages: escapes, truncates.
std::string printable(const std::string& s, size_t max_len = 120) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max_len; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > max_len) out += "...";
  return out;
}

// *out = factor * product(shape); false on 64-bit overflow.
bool checked_product(const std::vector<size_t>& shape, size_t factor, size_t* out) {
  size_t n = factor;
  for (size_t d : shape) {
    if (d != 0 && n > std::numeric_limits<size_t>::max() / d) return false;
    n *= d;
  }
  *out = n;
  return true;
}

size_t element_count(const std::vector<size_t>& shape, const std::string& what) {
  size_t n = 0;
  if (!checked_product(shape, 1, &n)) {
    fail(what, "shape " + shape_string(shape) + " overflows: element count exceeds 64 bits");
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// The header: a Python literal. A small recursive-descent parser for the subset numpy writes
// (strings, integers with optional Python 2 'L', True/False/None, tuples, lists, dicts).

struct PyValue {
  enum Kind { kStr, kInt, kBool, kNone, kTuple, kList, kDict } kind = kNone;
  std::string str;                // kStr
  bool negative = false;          // kInt
  uint64_t magnitude = 0;         // kInt
  bool boolean = false;           // kBool
  std::vector<std::string> keys;  // kDict: keys[i] maps to items[i]
  std::vector<PyValue> items;     // kTuple, kList, kDict
  std::string text;               // source text, for messages
};

class LiteralParser {
 public:
  LiteralParser(const std::string& text, const std::string& what) : s_(text), what_(what) {}

  PyValue parse_all() {
    PyValue v = value(0);
    skip_ws();
    if (pos_ != s_.size()) error("unexpected text after the value");
    return v;
  }

 private:
  [[noreturn]] void error(const std::string& why) const {
    fail(what_, "header is not a valid dict: " + why + " at offset " + std::to_string(pos_) +
                    " in \"" + printable(s_) + "\"");
  }
  void skip_ws() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n')) {
      ++pos_;
    }
  }
  char peek() {
    skip_ws();
    if (pos_ >= s_.size()) error("unexpected end");
    return s_[pos_];
  }

  PyValue value(int depth) {
    if (depth > 32) error("nesting too deep");
    const char c = peek();
    const size_t start = pos_;
    PyValue v;
    if (c == '\'' || c == '"') {
      v = string();
    } else if (c == '(' || c == '[') {
      v = sequence(depth, c == '(' ? ')' : ']');
    } else if (c == '{') {
      v = dict(depth);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v = integer();
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      v = name();
    } else {
      error("unexpected character '" + printable(std::string(1, c)) + "'");
    }
    if (v.text.empty()) v.text = s_.substr(start, pos_ - start);
    return v;
  }

  PyValue string() {
    const char quote = s_[pos_++];
    PyValue v;
    v.kind = PyValue::kStr;
    while (pos_ < s_.size() && s_[pos_] != quote) {
      if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
      v.str += s_[pos_++];
    }
    if (pos_ >= s_.size()) error("unterminated string");
    ++pos_;
    return v;
  }

  PyValue integer() {
    PyValue v;
    v.kind = PyValue::kInt;
    v.negative = s_[pos_] == '-';
    if (v.negative) ++pos_;
    const size_t first = pos_;
    for (; pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9'; ++pos_) {
      const auto digit = static_cast<uint64_t>(s_[pos_] - '0');
      if (v.magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
        error("integer out of range");
      }
      v.magnitude = v.magnitude * 10 + digit;
    }
    if (pos_ == first) error("expected a digit");
    if (pos_ < s_.size() && (s_[pos_] == 'L' || s_[pos_] == 'l')) ++pos_;  // Python 2 long
    return v;
  }

  PyValue name() {
    const size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) {
      ++pos_;
    }
    const std::string word = s_.substr(start, pos_ - start);
    PyValue v;
    if (word == "True" || word == "False") {
      v.kind = PyValue::kBool;
      v.boolean = word == "True";
    } else if (word != "None") {
      pos_ = start;
      error("unknown name '" + printable(word) + "'");
    }
    return v;
  }

  // "(...)" or "[...]". "(x)" without a comma is just x, as in Python.
  PyValue sequence(int depth, char close) {
    PyValue v;
    v.kind = close == ')' ? PyValue::kTuple : PyValue::kList;
    ++pos_;
    bool trailing_comma = false;
    while (peek() != close) {
      v.items.push_back(value(depth + 1));
      trailing_comma = peek() == ',';
      if (trailing_comma) {
        ++pos_;
      } else if (peek() != close) {
        error(std::string("expected ',' or '") + close + "'");
      }
    }
    ++pos_;
    if (v.kind == PyValue::kTuple && v.items.size() == 1 && !trailing_comma) {
      return v.items.front();
    }
    return v;
  }

  PyValue dict(int depth) {
    PyValue v;
    v.kind = PyValue::kDict;
    ++pos_;
    while (peek() != '}') {
      const PyValue key = value(depth + 1);
      if (key.kind != PyValue::kStr) error("dict keys must be strings");
      if (peek() != ':') error("expected ':'");
      ++pos_;
      v.keys.push_back(key.str);
      v.items.push_back(value(depth + 1));
      if (peek() == ',') {
        ++pos_;
      } else if (peek() != '}') {
        error("expected ',' or '}'");
      }
    }
    ++pos_;
    return v;
  }

  const std::string& s_;
  const std::string& what_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Dtypes and element decoding.

enum class ElemKind { kBool, kInt, kUInt, kFloat };

struct Dtype {
  ElemKind kind = ElemKind::kFloat;
  size_t size = 8;
  bool big_endian = false;
};

bool parse_dtype(const std::string& descr, Dtype* out) {
  if (descr.size() != 3) return false;
  const char order = descr[0];
  const char kind = descr[1];
  const char size = descr[2];
  if (size != '1' && size != '2' && size != '4' && size != '8') return false;
  out->size = static_cast<size_t>(size - '0');
  if (order == '|' ? out->size != 1 : order != '<' && order != '>') return false;
  out->big_endian = order == '>';
  switch (kind) {
    case 'b':
      out->kind = ElemKind::kBool;
      return out->size == 1;
    case 'i':
      out->kind = ElemKind::kInt;
      return true;
    case 'u':
      out->kind = ElemKind::kUInt;
      return true;
    case 'f':
      out->kind = ElemKind::kFloat;
      return out->size >= 4;
    default:
      return false;
  }
}

uint64_t load_uint(const unsigned char* p, size_t n, bool big_endian) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | p[big_endian ? i : n - 1 - i];
  return v;
}

void append_uint_le(std::string* out, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

double to_double(uint64_t bits, const Dtype& t) {
  switch (t.kind) {
    case ElemKind::kBool:
      return bits != 0 ? 1.0 : 0.0;
    case ElemKind::kUInt:
      return static_cast<double>(bits);
    case ElemKind::kInt: {
      if (t.size < 8 && ((bits >> (8 * t.size - 1)) & 1) != 0) bits |= ~uint64_t{0} << (8 * t.size);
      int64_t s = 0;
      std::memcpy(&s, &bits, sizeof s);
      return static_cast<double>(s);
    }
    case ElemKind::kFloat:
      break;
  }
  if (t.size == 4) {
    const auto b32 = static_cast<uint32_t>(bits);
    float f = 0;
    std::memcpy(&f, &b32, sizeof f);
    return static_cast<double>(f);
  }
  double d = 0;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

std::vector<double> decode(const unsigned char* p, size_t count, const Dtype& t) {
  std::vector<double> out(count);
  for (size_t i = 0; i < count; ++i)
    out[i] = to_double(load_uint(p + i * t.size, t.size, t.big_endian), t);
  return out;
}

// Reorders Fortran-order (first index fastest) data into C order (last index fastest).
std::vector<double> fortran_to_c(const std::vector<double>& f, const std::vector<size_t>& shape) {
  const size_t nd = shape.size();
  if (nd < 2 || f.empty()) return f;
  std::vector<size_t> stride(nd, 1);  // C-order strides
  for (size_t k = nd - 1; k-- > 0;) stride[k] = stride[k + 1] * shape[k + 1];
  std::vector<double> c(f.size());
  std::vector<size_t> idx(nd, 0);
  size_t off = 0;
  for (double x : f) {
    c[off] = x;
    for (size_t k = 0; k < nd; ++k) {
      if (++idx[k] < shape[k]) {
        off += stride[k];
        break;
      }
      off -= (shape[k] - 1) * stride[k];
      idx[k] = 0;
    }
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// .npy header.

struct Header {
  std::string descr;
  Dtype dtype;
  bool fortran_order = false;
  std::vector<size_t> shape;
  size_t data_offset = 0;
};

// Checks magic, version and header length in the first bytes `b` (at least the whole prefix if
// the file has it) of a file of `file_size` bytes; returns the header length, sets *prefix_size.
// The length is checked against the file's size before anything is allocated from it.
size_t header_length(const std::string& b, size_t file_size, const std::string& what, size_t* prefix_size) {
  const size_t n = std::min(b.size(), kMagicLen);
  if (b.compare(0, n, kMagic, n) != 0) {
    fail(what, "bad magic: not a .npy file (starts with \"" + printable(b.substr(0, kMagicLen)) +
                   "\", expected \"\\x93NUMPY\")");
  }
  if (b.size() < kMagicLen + 2) {
    fail(what, "truncated header: file is only " + std::to_string(file_size) + " bytes");
  }
  const int major = static_cast<unsigned char>(b[6]);
  const int minor = static_cast<unsigned char>(b[7]);
  if (major < 1 || major > 3 || minor != 0) {
    fail(what, "unsupported .npy format version " + std::to_string(major) + "." +
                   std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)");
  }
  const size_t len_size = major == 1 ? 2 : 4;
  const size_t prefix = kMagicLen + 2 + len_size;
  if (b.size() < prefix) {
    fail(what, "truncated header: file is only " + std::to_string(file_size) + " bytes");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(b.data());
  const size_t len = load_uint(p + kMagicLen + 2, len_size, false);
  if (file_size - prefix < len) {
    fail(what, "truncated header: expected " + std::to_string(len) + " header bytes, found " +
                   std::to_string(file_size - prefix));
  }
  *prefix_size = prefix;
  return len;
}
// Finds the three required keys, rejecting missing, duplicate and unknown ones.
std::vector<const PyValue*> header_fields(const PyValue& dict, const std::string& what) {
  static const char* const kKeys[] = {"descr", "fortran_order", "shape"};
  std::vector<const PyValue*> fields(3, nullptr);
  for (size_t i = 0; i < dict.keys.size(); ++i) {
    size_t k = 0;
    while (k < 3 && dict.keys[i] != kKeys[k]) ++k;
    if (k == 3) fail(what, "header has unexpected key '" + printable(dict.keys[i]) + "'");
    if (fields[k] != nullptr)
      fail(what, "header has duplicate key '" + printable(dict.keys[i]) + "'");
    fields[k] = &dict.items[i];
  }
  for (size_t k = 0; k < 3; ++k) {
    if (fields[k] == nullptr) fail(what, std::string("header is missing key '") + kKeys[k] + "'");
  }
  return fields;
}

std::vector<size_t> header_shape(const PyValue& v, const std::string& what) {
  std::vector<size_t> shape;
  bool ok = v.kind == PyValue::kTuple;
  for (const PyValue& d : v.items) {
    ok = ok && d.kind == PyValue::kInt && !d.negative &&
         d.magnitude <= std::numeric_limits<size_t>::max();
    shape.push_back(static_cast<size_t>(d.magnitude));
  }
  if (!ok)
    fail(what, "header 'shape' is not a tuple of non-negative integers: " + printable(v.text));
  return shape;
}

// The header dict: dtype, order and shape.
Header parse_header_text(const std::string& text, const std::string& what) {
  Header h;
  const PyValue dict = LiteralParser(text, what).parse_all();
  if (dict.kind != PyValue::kDict) {
    fail(what, "header is not a valid dict: \"" + printable(text) + "\"");
  }
  const std::vector<const PyValue*> f = header_fields(dict, what);
  if (f[0]->kind != PyValue::kStr) {
    fail(what, "unsupported structured dtype " + printable(f[0]->text) + " (" + kSupported + ")");
  }
  h.descr = f[0]->str;
  if (!parse_dtype(h.descr, &h.dtype)) {
    fail(what, "unsupported dtype '" + printable(h.descr) + "' (" + kSupported + ")");
  }
  if (f[1]->kind != PyValue::kBool) {
    fail(what, "header 'fortran_order' is not True or False: " + printable(f[1]->text));
  }
  h.fortran_order = f[1]->boolean;
  h.shape = header_shape(*f[2], what);
  size_t nbytes = 0;
  if (!checked_product(h.shape, h.dtype.size, &nbytes)) {
    fail(what, "shape " + shape_string(h.shape) + " overflows: data size exceeds 64 bits");
  }
  if (!checked_product(h.shape, sizeof(double), &nbytes) || nbytes > kMaxArrayBytes) {
    fail(what, "shape " + shape_string(h.shape) + " is too large: more than " +
                   std::to_string(kMaxArrayBytes >> 20) + " MiB as doubles (the limit of one array)");
  }
  return h;
}

Header parse_header(const std::string& bytes, const std::string& what) {
  size_t prefix = 0;
  const size_t len = header_length(bytes, bytes.size(), what, &prefix);
  Header h = parse_header_text(bytes.substr(prefix, len), what);
  h.data_offset = prefix + len;
  return h;
}

// Returns the header text (dict, padding, '\n') and version for a '<f8' C-order array.
std::string make_header(const std::vector<size_t>& shape) {
  const std::string dict =
      "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape_string(shape) + ", }";
  size_t len_size = 2;
  size_t total = 0;
  for (;;) {  // magic + version + length + dict + padding + '\n' is a multiple of 64
    const size_t prefix = kMagicLen + 2 + len_size;
    total = (prefix + dict.size() + 1 + 63) / 64 * 64;
    if (total - prefix <= 0xffff || len_size == 4) break;
    len_size = 4;
  }
  const size_t prefix = kMagicLen + 2 + len_size;
  std::string out(kMagic, kMagicLen);
  out += static_cast<char>(len_size == 2 ? 1 : 2);
  out += '\0';
  append_uint_le(&out, total - prefix, len_size);
  out += dict;
  out.append(total - prefix - dict.size() - 1, ' ');
  out += '\n';
  return out;
}

std::string serialize_npy(const NdArray& a, const std::string& what) {
  const size_t count = element_count(a.shape, what);
  if (a.data.size() != count) {
    fail(what, "array has " + std::to_string(a.data.size()) + " elements but shape " +
                   shape_string(a.shape) + " needs " + std::to_string(count));
  }
  std::string out = make_header(a.shape);
  out.reserve(out.size() + count * 8);
  for (double d : a.data) {
    uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    append_uint_le(&out, bits, 8);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Zip (libzip).

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFclose {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFclose>;

std::string zip_code_message(int code) {
  zip_error_t e;
  zip_error_init_with_code(&e, code);
  std::string msg = zip_error_strerror(&e);
  zip_error_fini(&e);
  return msg;
}

ZipPtr open_zip_for_reading(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path, "cannot read: is a directory");
  int err = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (za == nullptr && (err == ZIP_ER_NOENT || err == ZIP_ER_OPEN)) {
    fail(path, "cannot open: " + zip_code_message(err));
  }
  if (za == nullptr) fail(path, "not a valid .npz (zip) file: " + zip_code_message(err));
  return ZipPtr(za);
}

std::string read_member(zip_t* za, zip_uint64_t index, const zip_stat_t& st,
                        const std::string& what) {
  ZipFilePtr f(zip_fopen_index(za, index, 0));
  if (!f) fail(what, std::string("cannot open member: ") + zip_strerror(za));
  // A member may hold at most one array of kMaxArrayBytes (1-byte elements: that many elements)
  // and its header; inflating stops as soon as it holds more than its directory entry declares.
  const size_t limit = kMaxArrayBytes + (size_t(1) << 20);
  if ((st.valid & ZIP_STAT_SIZE) == 0) fail(what, "the zip directory does not give the member's size");
  if (st.size > limit) {
    fail(what, "member of " + std::to_string(st.size) + " bytes is too large (limit: " +
                   std::to_string(limit >> 20) + " MiB)");
  }
  std::string out;
  std::vector<char> buf(1 << 16);
  for (;;) {
    const zip_int64_t n = zip_fread(f.get(), buf.data(), buf.size());
    if (n < 0) fail(what, std::string("corrupt member: ") + zip_file_strerror(f.get()));
    if (n == 0) break;
    out.append(buf.data(), static_cast<size_t>(n));
    if (out.size() > st.size) {
      fail(what, "member inflates to more than the " + std::to_string(st.size) + " bytes its zip entry declares");
    }
  }
  if ((st.valid & ZIP_STAT_SIZE) != 0 && out.size() != st.size) {
    fail(what, "truncated member: expected " + std::to_string(st.size) + " bytes, read " +
                   std::to_string(out.size()));
  }
  return out;
}

// numpy.savez writes an empty archive for no arrays; libzip would write no file at all.
const char kEmptyZip[22] = {'P', 'K', 5, 6};

// MS-DOS time 00:00:00 and date 1980-01-01 (day 1 | month 1 << 5 | (1980 - 1980) << 9).
constexpr zip_uint16_t kZipDosTime = 0;
constexpr zip_uint16_t kZipDosDate = 1 | (1 << 5);

void add_stored_member(zip_t* za, const std::string& name, const std::string& bytes,
                       const std::string& path) {
  zip_source_t* src = zip_source_buffer(za, bytes.data(), bytes.size(), 0);
  if (src == nullptr) fail(path, "cannot add " + name + ": " + zip_strerror(za));
  const zip_int64_t idx = zip_file_add(za, name.c_str(), src, ZIP_FL_ENC_UTF_8);
  if (idx < 0) {
    zip_source_free(src);
    fail(path, "cannot add " + name + ": " + zip_strerror(za));
  }
  if (zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0) != 0) {
    fail(path, "cannot store " + name + ": " + zip_strerror(za));
  }
  // A fixed modification time (the zip format's epoch, 1980-01-01 00:00:00, as MS-DOS time and
  // date fields of the local and central headers) instead of the wall clock, so that the same
  // arrays give the same bytes (issue 16).
  if (zip_file_set_dostime(za, static_cast<zip_uint64_t>(idx), kZipDosTime, kZipDosDate, 0) != 0) {
    fail(path, "cannot set the time of " + name + ": " + zip_strerror(za));
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public API.

std::string shape_string(const std::vector<size_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i > 0 ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

NdArray parse_npy(const std::string& bytes, const std::string& what) {
  const Header h = parse_header(bytes, what);
  size_t nbytes = 0;
  if (!checked_product(h.shape, h.dtype.size, &nbytes)) {
    fail(what, "shape " + shape_string(h.shape) + " overflows: data size exceeds 64 bits");
  }
  const size_t found = bytes.size() - h.data_offset;
  if (found < nbytes) {
    fail(what, "truncated: expected " + std::to_string(nbytes) + " bytes of data, found " +
                   std::to_string(found));
  }
  if (found > nbytes) {
    fail(what, "trailing bytes after the array data: expected " + std::to_string(nbytes) +
                   " bytes of data, found " + std::to_string(found));
  }
  NdArray a;
  a.shape = h.shape;
  a.dtype = h.descr;
  a.fortran_order = h.fortran_order;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + h.data_offset;
  a.data = decode(p, nbytes / h.dtype.size, h.dtype);
  if (h.fortran_order) a.data = fortran_to_c(a.data, a.shape);
  return a;
}

NdArray read_npy(const std::string& path) { return parse_npy(read_file(path), path); }

std::vector<size_t> read_npy_shape(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path, "cannot read: is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string("cannot open: ") + std::strerror(errno));
  const auto file_size = static_cast<size_t>(std::filesystem::file_size(path, ec));
  if (ec) fail(path, "cannot read its size: " + ec.message());
  std::string prefix(std::min<size_t>(file_size, kMagicLen + 2 + 4), '\0');
  in.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
  size_t prefix_size = 0;
  const size_t len = header_length(prefix, file_size, path, &prefix_size);
  std::string text(len, '\0');  // len <= the file's size
  in.seekg(static_cast<std::streamoff>(prefix_size));
  in.read(text.data(), static_cast<std::streamsize>(len));
  if (!in) fail(path, "read error in the header");
  return parse_header_text(text, path).shape;
}

std::map<std::string, NdArray> read_npz(const std::string& path) {
  const ZipPtr za = open_zip_for_reading(path);
  std::map<std::string, NdArray> arrays;
  const zip_int64_t n = zip_get_num_entries(za.get(), 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const auto index = static_cast<zip_uint64_t>(i);
    zip_stat_t st;
    if (zip_stat_index(za.get(), index, 0, &st) != 0 || (st.valid & ZIP_STAT_NAME) == 0) {
      fail(path, "cannot read entry " + std::to_string(i) + ": " + zip_strerror(za.get()));
    }
    const std::string name = st.name;
    const std::string what = path + ": member '" + printable(name) + "'";
    const size_t ext = name.size() >= 4 ? name.size() - 4 : 0;
    if (name.size() <= 4 || name.compare(ext, 4, ".npy") != 0) fail(what, "not a .npy member");
    const std::string key = name.substr(0, ext);
    if (arrays.count(key) != 0) fail(what, "duplicate member");
    arrays[key] = parse_npy(read_member(za.get(), index, st, what), what);
  }
  return arrays;
}

void write_npy(const std::string& path, const NdArray& a) {
  write_file_atomically(path, serialize_npy(a, path));
}

void write_npz(const std::string& path, const std::map<std::string, NdArray>& arrays) {
  if (arrays.empty()) {
    write_file_atomically(path, std::string(kEmptyZip, sizeof kEmptyZip));
    return;
  }
  std::vector<std::pair<std::string, std::string>> members;  // must outlive zip_close
  for (const auto& [key, a] : arrays) {
    if (key.empty()) fail(path, "array with an empty name");
    members.emplace_back(key + ".npy", serialize_npy(a, path + ": array '" + key + "'"));
  }
  const std::string tmp = path + ".tmp";
  int err = 0;
  ZipPtr za(zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err));
  if (!za) fail(path, "cannot create " + tmp + ": " + zip_code_message(err));
  for (const auto& [name, bytes] : members) add_stored_member(za.get(), name, bytes, path);
  if (zip_close(za.get()) != 0) {
    const std::string msg = zip_strerror(za.get());
    std::remove(tmp.c_str());
    fail(path, "cannot write " + tmp + ": " + msg);
  }
  za.release();  // closed
  replace_file(tmp, path);
}

Eigen::MatrixXd to_matrix(const NdArray& a, const std::string& what) {
  if (a.shape.size() != 2) {
    fail(what, "expected a 2-D array, got shape " + shape_string(a.shape) + " (" +
                   std::to_string(a.shape.size()) + "-D)");
  }
  const size_t count = element_count(a.shape, what);
  if (a.data.size() != count) {
    fail(what, "array has " + std::to_string(a.data.size()) + " elements but shape " +
                   shape_string(a.shape) + " needs " + std::to_string(count));
  }
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  return Eigen::Map<const RowMajor>(a.data.data(), static_cast<Eigen::Index>(a.shape[0]),
                                    static_cast<Eigen::Index>(a.shape[1]));
}

NdArray from_matrix(const Eigen::MatrixXd& m) {
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  NdArray a;
  a.shape = {static_cast<size_t>(m.rows()), static_cast<size_t>(m.cols())};
  a.data.resize(static_cast<size_t>(m.size()));
  a.dtype = "<f8";
  Eigen::Map<RowMajor>(a.data.data(), m.rows(), m.cols()) = m;
  return a;
}

namespace {

// Throws for the first element for which ok() is false, naming its index and value.
template <class Ok>
void expect_elements(const NdArray& a, const std::string& what, Ok ok, const std::string& allowed) {
  for (size_t i = 0; i < a.data.size(); ++i) {
    if (ok(a.data[i])) continue;
    std::vector<size_t> index(a.shape.size());
    size_t rest = i;
    for (size_t k = a.shape.size(); k-- > 0;) {
      index[k] = rest % a.shape[k];
      rest /= a.shape[k];
    }
    std::string text = shape_string(index);
    if (index.size() == 1) text.erase(text.size() - 2, 1);  // "(3)", not "(3,)"
    char value[32];
    std::snprintf(value, sizeof value, "%.17g", a.data[i]);
    fail(what, "element " + text + " is " + value + " (allowed: " + allowed + ")");
  }
}

}  // namespace

void expect_finite(const NdArray& a, const std::string& what) {
  expect_elements(
      a, what, [](double v) { return std::isfinite(v); }, "finite numbers, no NaN or infinity");
}

void expect_spikes(const NdArray& a, const std::string& what) {
  expect_elements(
      a, what, [](double v) { return v == 0.0 || v == 1.0; }, "spikes, 0 or 1");
}

void expect_shape(const NdArray& a, const std::vector<size_t>& shape, const std::string& what) {
  if (a.shape != shape) {
    fail(what, "expected shape " + shape_string(shape) + ", got " + shape_string(a.shape));
  }
}

}  // namespace eligo::io
