// io::read_npz (golden_model/io/npy.cpp, libzip) on an arbitrary file.
#include "fuzz/fuzz_util.hpp"
#include "golden_model/io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = eligo::fuzz::write_input(data, size, "input.npz");
  eligo::fuzz::expect_clean([&] { eligo::io::read_npz(path); }, path);
  return 0;
}
