// io::parse_npy (golden_model/io/npy.cpp) on arbitrary bytes.
#include "fuzz/fuzz_util.hpp"
#include "golden_model/io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  eligo::fuzz::expect_clean([&] { eligo::io::parse_npy(bytes, "input.npy"); }, "input.npy");
  return 0;
}
