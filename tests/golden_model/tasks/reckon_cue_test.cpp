// The ReckOn cue-accumulation reader on small synthetic files (never the real data: see
// reckon_cue_regress_test.cpp): a good file gives the right events, labels and targets; every
// malformed case is an error naming the file and the line.
#include "golden_model/tasks/reckon_cue.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/run_command.hpp"

namespace eligo::tasks {
namespace {

// 4 inputs, 8 steps, label from step 5 (learning window 3), 2 outputs.
ReckonFormat small() {
  ReckonFormat f;
  f.n_in = 4;
  f.n_rec = 3;
  f.n_out = 2;
  f.T = 8;
  f.label_step = 5;
  return f;
}

// Two samples; CRLF line ends in the first, a blank line and LF in the second.
const char* kGood =
    "2\r\n"
    "0, 0\r\n"
    "3, 2\r\n"
    "3, 2\r\n"
    "1, 4\r\n"
    "-2, 1\r\n"
    "2, 5\r\n"
    "2, 7\r\n"
    "-1, 8\r\n"
    "1,1\n"
    "\n"
    "-2, 0\n"
    "  2 ,  6 \n"
    "-1, 8\n";

std::string error_of(const std::string& text, const ReckonFormat& f = small()) {
  try {
    parse_reckon_dataset(text, "set.dat", f);
  } catch (const ReckonDataError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ReckonCue, GoodFileParsesToEventsLabelsAndTargets) {
  const Batch b = parse_reckon_dataset(kGood, "set.dat", small());
  ASSERT_EQ(b.B, 2);
  ASSERT_EQ(b.T, 8);
  ASSERT_EQ(b.x.rows(), 4);
  ASSERT_EQ(b.target.rows(), 2);
  EXPECT_EQ(b.labels, (std::vector<int>{1, 0}));
  // Sample 0: (0,0), (3,2) twice, (1,4), (2,5), (2,7).
  EXPECT_EQ(b.x_at(0)(0, 0), 1.0);
  EXPECT_EQ(b.x_at(2)(3, 0), 2.0);
  EXPECT_EQ(b.x_at(4)(1, 0), 1.0);
  EXPECT_EQ(b.x_at(5)(2, 0), 1.0);
  EXPECT_EQ(b.x_at(7)(2, 0), 1.0);
  EXPECT_EQ(b.x.middleCols(0, 0).sum(), 0.0);
  double total0 = 0.0, total1 = 0.0;
  for (int t = 0; t < 8; ++t) {
    total0 += b.x_at(t).col(0).sum();
    total1 += b.x_at(t).col(1).sum();
  }
  EXPECT_EQ(total0, 6.0);
  EXPECT_EQ(total1, 2.0);
  EXPECT_EQ(b.x_at(1)(1, 1), 1.0);
  EXPECT_EQ(b.x_at(6)(2, 1), 1.0);
  // Targets: one-hot of the label from step 5 on, zero before.
  for (int t = 0; t < 8; ++t) {
    const double on = t >= 5 ? 1.0 : 0.0;
    EXPECT_EQ(b.target_at(t)(1, 0), on) << t;
    EXPECT_EQ(b.target_at(t)(0, 0), 0.0) << t;
    EXPECT_EQ(b.target_at(t)(0, 1), on) << t;
    EXPECT_EQ(b.target_at(t)(1, 1), 0.0) << t;
  }
  EXPECT_EQ(reckon_learning_window(small()), 3);
  EXPECT_EQ(reckon_learning_window(), 150);
}

struct Bad {
  const char* text;
  const char* expected;  // substring of the message
};

TEST(ReckonCue, EachMalformedCaseNamesFileAndLine) {
  const Bad cases[] = {
      {"x\n", "set.dat: line 1: expected the number of samples"},
      {"1\n0 0\n-2, 1\n-1, 8\n", "set.dat: line 2: malformed line '0 0'"},
      {"1\n0, 0, 1\n-2, 1\n-1, 8\n", "set.dat: line 2: malformed line"},
      {"1\n0, 0\n4, 1\n-2, 1\n-1, 8\n", "set.dat: line 3: channel 4 outside 0..3"},
      {"1\n-3, 1\n-2, 1\n-1, 8\n", "set.dat: line 2: channel -3 outside 0..3"},
      {"1\n0, 8\n-2, 1\n-1, 8\n", "set.dat: line 2: time 8 outside 0..7"},
      {"1\n0, -1\n-2, 1\n-1, 8\n", "set.dat: line 2: time -1 outside 0..7"},
      {"1\n0, 3\n1, 2\n-2, 1\n-1, 8\n", "set.dat: line 3: time 2 goes backwards (after 3)"},
      {"1\n0, 3\n-2, 1\n1, 4\n-1, 8\n", "set.dat: line 4: time 4 goes backwards (after 5, the label step)"},
      {"1\n0, 6\n-2, 1\n-1, 8\n", "set.dat: line 3: label marker after an event at time 6"},
      {"1\n0, 1\n-2, 2\n-1, 8\n", "set.dat: line 3: label 2 (allowed: 0, 1)"},
      {"1\n0, 1\n-2, 0\n-2, 1\n-1, 8\n", "set.dat: line 4: sample 1 of 1 has a second label marker"},
      {"1\n0, 1\n-1, 8\n", "set.dat: line 3: sample 1 of 1 ends without a label marker"},
      {"1\n0, 1\n-2, 0\n-1, 7\n", "set.dat: line 4: end marker at time 7"},
      {"1\n0, 1\n-2, 0\n2, 6\n", "set.dat: end of file (line 4): sample 1 of 1 has no end marker"},
      {"2\n0, 1\n-2, 0\n-1, 8\n", "set.dat: end of file (line 4): sample 2 of 2 has no end marker '-1, 8' (the header on line 1 announces 2 samples, the file has 1 complete)"},
      {"1\n0, 1\n-2, 0\n-1, 8\n1, 1\n", "set.dat: line 5: data after the last of the 1 samples announced on line 1"},
      {"", "set.dat: end of file (line 0): empty file"},
  };
  for (const Bad& c : cases) {
    const std::string msg = error_of(c.text);
    EXPECT_NE(msg.find(c.expected), std::string::npos) << "input:\n" << c.text << "\ngot: " << msg;
  }
}

// A count line of 100000 samples asked for 72 GB of raster before reading them (issue 16): the
// count is bounded by kReckonMaxRasterBytes before anything is allocated.
TEST(ReckonCue, SampleCountIsBoundedByTheRasterLimit) {
  const ReckonFormat full;  // 40 inputs, 2 outputs, 2250 steps: 756,000 bytes per sample
  const std::string msg = [&] {
    try {
      parse_reckon_dataset("100000\n-2, 0\n-1, 2250\n", "big.dat", full);
    } catch (const ReckonDataError& e) {
      return std::string(e.what());
    }
    return std::string();
  }();
  EXPECT_NE(msg.find("big.dat: line 1: expected the number of samples (an integer in 1..2840: 2 GiB of dense raster at most), got '100000'"),
            std::string::npos)
      << msg;
}

TEST(ReckonCue, WeightFilesAreCheckedAndTransposedToPostsynapticRows) {
  const auto dir = eligo::testing::scratch_dir("reckon_cue");
  const ReckonFormat f = small();  // 4 inputs, 3 recurrent, 2 outputs
  auto column = [](int n, int first) {
    std::string s;
    for (int k = 0; k < n; ++k) s += std::to_string(first + k) + "\r\n";
    return s;
  };
  eligo::testing::write_text(dir, kReckonWeightFiles[0], column(12, -6));
  const std::string rec9 = "0\n1\n2\n3\n0\n5\n6\n7\n0\n";  // zero diagonal (entries 0, 4, 8)
  eligo::testing::write_text(dir, kReckonWeightFiles[1], rec9);
  eligo::testing::write_text(dir, kReckonWeightFiles[2], column(6, 120));
  const ReckonWeights w = read_reckon_weights(dir.string(), f);
  ASSERT_EQ(w.w_in.rows(), 3);
  ASSERT_EQ(w.w_in.cols(), 4);
  // Presynaptic-major: input i's weight to neuron j is entry i * n_rec + j.
  EXPECT_EQ(w.w_in(0, 0), -6);
  EXPECT_EQ(w.w_in(2, 0), -4);
  EXPECT_EQ(w.w_in(0, 1), -3);
  EXPECT_EQ(w.w_in(2, 3), 5);
  EXPECT_EQ(w.w_rec(1, 2), 7);
  ASSERT_EQ(w.w_out.rows(), 2);
  EXPECT_EQ(w.w_out(1, 0), 121);
  EXPECT_EQ(w.w_out(0, 2), 124);

  // A self-connection is named with its line (blank line 2 shifts the numbering).
  const std::string rec = (dir / kReckonWeightFiles[1]).string();
  eligo::testing::write_text(dir, kReckonWeightFiles[1], "0\n\n1\n2\n3\n9\n5\n6\n7\n0\n");
  try {
    read_reckon_weights(dir.string(), f);
    ADD_FAILURE() << "no error";
  } catch (const ReckonDataError& e) {
    EXPECT_EQ(std::string(e.what()),
              rec + ": line 6: neuron 1 connects to itself with weight 9 (allowed: 0, the chip has no autapses)");
  }
  // A truncated file is named, with the count.
  eligo::testing::write_text(dir, kReckonWeightFiles[1], column(8, 0));
  try {
    read_reckon_weights(dir.string(), f);
    ADD_FAILURE() << "no error";
  } catch (const ReckonDataError& e) {
    EXPECT_NE(std::string(e.what()).find(rec + ": end of file (line 8): 8 weights, expected 9"), std::string::npos)
        << e.what();
  }
  // A missing file is named.
  std::filesystem::remove(rec);
  try {
    read_reckon_weights(dir.string(), f);
    ADD_FAILURE() << "no error";
  } catch (const ReckonDataError& e) {
    EXPECT_EQ(std::string(e.what()), rec + ": no such file");
  }
}

TEST(ReckonCue, BadWeightLinesNameTheLine) {
  const Bad cases[] = {
      {"1\n2\n128\n", "w.dat: line 3: weight 128 outside -128..127"},
      {"1\n-129\n3\n", "w.dat: line 2: weight -129 outside -128..127"},
      {"1\n2.5\n3\n", "w.dat: line 2: malformed line '2.5' (expected one integer in -128..127)"},
      {"1\n2\n3\n4\n", "w.dat: line 4: more than the expected 3 weights"},
      {"1\n\n2\n", "w.dat: end of file (line 3): 2 weights, expected 3"},
  };
  for (const Bad& c : cases) {
    std::string msg = "(no error)";
    try {
      parse_int8_column(c.text, "w.dat", 3);
    } catch (const ReckonDataError& e) {
      msg = e.what();
    }
    EXPECT_NE(msg.find(c.expected), std::string::npos) << "input:\n" << c.text << "\ngot: " << msg;
  }
  EXPECT_EQ(parse_int8_column("-128\n0\n127", "w.dat", 3), Eigen::Vector3i(-128, 0, 127));
}

TEST(ReckonCue, MissingDataSetFileIsNamed) {
  const auto dir = eligo::testing::scratch_dir("reckon_cue");
  const std::string path = (dir / kReckonTrainFile).string();
  try {
    read_reckon_dataset(path);
    ADD_FAILURE() << "no error";
  } catch (const ReckonDataError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": no such file");
  }
  eligo::testing::write_text(dir, kReckonTrainFile, "1\n0, 3\n-2, 1\n-1, 8\n");
  const Batch b = read_reckon_dataset(path, small());
  EXPECT_EQ(b.labels, std::vector<int>{1});
}

}  // namespace
}  // namespace eligo::tasks
