// tasks::parse_int8_column (golden_model/tasks/reckon_cue.cpp): a ReckOn weight file, here of 12
// values (a 4-input, 3-neuron layer).
#include "fuzz/fuzz_util.hpp"
#include "golden_model/tasks/reckon_cue.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  eligo::fuzz::expect_clean([&] { eligo::tasks::parse_int8_column(text, "weights.dat", 12); }, "weights.dat");
  return 0;
}
