// io::load_config (golden_model/io/config.cpp): a float run config (eligo train, grad, compare),
// schema and cross-field checks included.
#include "fuzz/fuzz_util.hpp"
#include "golden_model/io/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = eligo::fuzz::write_input(data, size, "config.json");
  eligo::fuzz::expect_clean([&] { eligo::io::load_config(path); }, path);
  return 0;
}
