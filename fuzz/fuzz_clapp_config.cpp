// io::load_clapp_config (golden_model/io/clapp_config.cpp): a "model": "clapp" config.
#include "fuzz/fuzz_util.hpp"
#include "golden_model/io/clapp_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = eligo::fuzz::write_input(data, size, "clapp.json");
  eligo::fuzz::expect_clean([&] { eligo::io::load_clapp_config(path); }, path);
  return 0;
}
