// io::read_idx (golden_model/io/idx.cpp) on an arbitrary file: plain IDX or gzip, by content.
#include "fuzz/fuzz_util.hpp"
#include "golden_model/io/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = eligo::fuzz::write_input(data, size, "input-idx3-ubyte");
  eligo::fuzz::expect_clean([&] { eligo::io::read_idx(path); }, path);
  return 0;
}
