// experiment::load_chip_config (golden_model/experiment/chip_config.cpp): a chip config (eligo
// chip, quantize, cosim). The float configs of examples/ are copied beside the input first, so
// that its network_config can name them.
#include <filesystem>

#include "fuzz/fuzz_util.hpp"
#include "golden_model/experiment/chip_config.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  namespace fs = std::filesystem;
  for (const auto& e : fs::directory_iterator(fs::path(ELIGO_SOURCE_DIR) / "examples")) {
    if (e.path().extension() == ".json") fs::copy_file(e.path(), eligo::fuzz::scratch_dir() / e.path().filename());
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = eligo::fuzz::write_input(data, size, "chip_config.json");
  // Errors may name the float config it points to, also in the scratch directory.
  eligo::fuzz::expect_clean([&] { eligo::experiment::load_chip_config(path); }, eligo::fuzz::scratch_dir());
  return 0;
}
