// harness::parse_mlp_config (harness/commands/image_commands.cpp): a "model": "mlp" config.
#include "fuzz/fuzz_util.hpp"
#include "harness/commands/image_commands.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = eligo::fuzz::write_input(data, size, "mlp.json");
  eligo::fuzz::expect_clean([&] { eligo::harness::parse_mlp_config(path); }, path);
  return 0;
}
