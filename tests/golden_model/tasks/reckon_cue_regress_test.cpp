// The real ReckOn cue-accumulation files (../shared/data/reckon-cue-accumulation, or
// $ELIGO_SHARED_DATA/reckon-cue-accumulation) parse with the reader: label `regress`, run only
// with ELIGO_REGRESS set (scripts/regress.sh), skipped when the data are absent. The CI tests
// never read the shared data (reckon_cue_test.cpp uses synthetic files).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "golden_model/experiment/chip_config.hpp"
#include "golden_model/tasks/reckon_cue.hpp"

namespace eligo::tasks {
namespace {

TEST(ReckonCueRegress, RealFilesParse) {
  const char* regress = std::getenv("ELIGO_REGRESS");
  if (!regress || !*regress) GTEST_SKIP() << "set ELIGO_REGRESS=1 (make regress)";
  const std::string dir = experiment::default_reckon_data_dir();
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no ReckOn data in " << dir;
  for (const char* file : {kReckonTrainFile, kReckonTestFile}) {
    const Batch b = read_reckon_dataset((std::filesystem::path(dir) / file).string());
    EXPECT_EQ(b.B, 50) << file;
    EXPECT_EQ(b.T, kReckonT);
    EXPECT_EQ(b.x.rows(), kReckonInputs);
    int ones = 0;
    for (int l : b.labels) ones += l;
    EXPECT_GT(ones, 10) << file;
    EXPECT_LT(ones, 40) << file;
    // Every sample has input events before and after the label step (the cues and the recall).
    for (int s = 0; s < b.B; ++s) {
      double before = 0.0, after = 0.0;
      for (int t = 0; t < b.T; ++t) (t < kReckonLabelStep ? before : after) += b.x_at(t).col(s).sum();
      EXPECT_GT(before, 0.0) << file << " sample " << s;
      EXPECT_GT(after, 0.0) << file << " sample " << s;
      EXPECT_EQ(b.target_at(b.T - 1)(b.labels[static_cast<size_t>(s)], s), 1.0);
    }
  }
  const ReckonWeights w = read_reckon_weights(dir);
  EXPECT_EQ(w.w_in.rows(), kReckonRecurrent);
  EXPECT_EQ(w.w_in.cols(), kReckonInputs);
  EXPECT_EQ(w.w_out.rows(), kReckonOutputs);
  EXPECT_EQ(w.w_rec.diagonal().cwiseAbs().sum(), 0.0);  // no autapses in the data either
  EXPECT_LE(w.w_in.cwiseAbs().maxCoeff(), 128.0);
}

}  // namespace
}  // namespace eligo::tasks
