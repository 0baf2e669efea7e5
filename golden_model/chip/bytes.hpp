// Plain binary (de)serialisation of trivially copyable values and vectors of them, for the core's
// state (Core::save_state) and chip checkpoints (golden_model/experiment/chip_checkpoint.hpp).
// Native byte order: a checkpoint is resumed on the machine that wrote it. ByteReader throws
// std::invalid_argument when the bytes end early or a vector is longer than the bytes left.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace eligo::chip {

class ByteWriter {
 public:
  template <class T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  template <class T>
  void put_vector(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    put(static_cast<uint64_t>(v.size()));
    bytes_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  void put_bytes(const std::string& s) {
    put(static_cast<uint64_t>(s.size()));
    bytes_ += s;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(const std::string& bytes) : bytes_(bytes) {}
  template <class T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T v;
    std::memcpy(&v, take(sizeof v), sizeof v);
    return v;
  }
  template <class T>
  std::vector<T> get_vector() {
    static_assert(std::is_trivially_copyable_v<T>);
    const uint64_t n = get<uint64_t>();
    if (n > left() / sizeof(T)) throw std::invalid_argument("a vector of " + std::to_string(n) + " elements past the end");
    std::vector<T> v(static_cast<size_t>(n));
    if (n > 0) std::memcpy(v.data(), take(v.size() * sizeof(T)), v.size() * sizeof(T));
    return v;
  }
  std::string get_bytes() {
    const uint64_t n = get<uint64_t>();
    if (n > left()) throw std::invalid_argument(std::to_string(n) + " bytes past the end");
    return std::string(take(static_cast<size_t>(n)), static_cast<size_t>(n));
  }
  size_t left() const { return bytes_.size() - at_; }

 private:
  const char* take(size_t n) {
    if (n > left()) throw std::invalid_argument("ends early");
    const char* p = bytes_.data() + at_;
    at_ += n;
    return p;
  }
  const std::string& bytes_;
  size_t at_ = 0;
};

}  // namespace eligo::chip
