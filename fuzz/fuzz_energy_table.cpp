// energy::load_table (golden_model/energy/energy.cpp): the digital core's energy table
// (eligo report --table, data/energy/28nm.json).
#include "fuzz/fuzz_util.hpp"
#include "golden_model/energy/energy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = eligo::fuzz::write_input(data, size, "energy.json");
  eligo::fuzz::expect_clean([&] { eligo::energy::load_table(path); }, path);
  return 0;
}
