// analog::EnergyTable::parse (golden_model/analog/energy.cpp): the analog core's energy table
// (data/energy/analog.json, or a config's analog.energy_table).
#include "fuzz/fuzz_util.hpp"
#include "golden_model/analog/energy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  eligo::fuzz::expect_clean([&] { eligo::analog::EnergyTable::parse(text, "analog.json"); }, "analog.json");
  return 0;
}
