// tasks::parse_reckon_dataset (golden_model/tasks/reckon_cue.cpp): a ReckOn cue-accumulation
// data set file, in a small format (4 inputs, 8 steps, label at step 5; the reader's code is the
// same for ReckOn's 40 inputs and 2250 steps) so that inputs of a few hundred bytes are whole files.
#include "fuzz/fuzz_util.hpp"
#include "golden_model/tasks/reckon_cue.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eligo::tasks::ReckonFormat f;
  f.n_in = 4;
  f.n_rec = 3;
  f.T = 8;
  f.label_step = 5;
  const std::string text(reinterpret_cast<const char*>(data), size);
  eligo::fuzz::expect_clean([&] { eligo::tasks::parse_reckon_dataset(text, "set.dat", f); }, "set.dat");
  return 0;
}
