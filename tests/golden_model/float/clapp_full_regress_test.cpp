// CLAPP full comparison on Fashion-MNIST (long: only with ELIGO_REGRESS set, e.g.
// `ELIGO_REGRESS=1 build/tests/golden_model_float_clapp_full_regress_test`). Parameters:
// examples/clapp_fashion_mnist.json (all 60000 training / 10000 test images), or the file named
// by $ELIGO_CLAPP_CONFIG. Prints the table (per layer: CLAPP, random, supervised probe; pixels;
// the supervised readout), records every number with RecordProperty, writes the table to
// $ELIGO_CLAPP_TABLE if set, and asserts the targets:
//   - the top CLAPP layer beats the random network's top layer and the raw pixels;
//   - CLAPP probe accuracy does not fall with depth (clapp[l+1] >= clapp[l] - 0.002, i.e. at
//     most 20 of 10000 test images of noise).
// Each accuracy is the mean of probe_repeats probes (3 in the example): one probe's shuffle seed
// alone moves its test accuracy by up to 0.5 points, more than the 0.2-point tolerance.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "golden_model/float/clapp.hpp"
#include "golden_model/io/fashion_mnist.hpp"
#include "test_util.hpp"
#include "golden_model/io/clapp_config.hpp"
#include "golden_model/io/idx.hpp"
#include "tests/support/fashion_mnist.hpp"

namespace eligo::fl {
namespace {

TEST(ClappRegress, FashionMnistFullComparison) {
  if (!testing::regress_enabled()) GTEST_SKIP() << "long run: set ELIGO_REGRESS=1 (make regress)";
  ELIGO_SKIP_WITHOUT_FASHION_MNIST();
  const char* cfg = std::getenv("ELIGO_CLAPP_CONFIG");
  const std::string path = cfg && *cfg ? std::string(cfg)
                                       : std::string(ELIGO_SOURCE_DIR) + "/examples/clapp_fashion_mnist.json";
  const ClappParams p = io::load_clapp_config(path);
  std::printf("parameters: %s\n", path.c_str());
  const io::FashionMnist data = io::load_fashion_mnist(p.n_train, p.n_test);
  const ClappReport r = run_clapp_experiment(p, data.train, data.test, [](const std::string& s) {
    std::printf("  %s\n", s.c_str());
    std::fflush(stdout);
  });
  const std::string table = r.table();
  std::printf("%s", table.c_str());
  if (const char* out = std::getenv("ELIGO_CLAPP_TABLE"); out && *out) std::ofstream(out) << table;
  testing::record_clapp_report(r);
  RecordProperty("wall_s", std::to_string(r.total_s));
  EXPECT_GT(r.clapp.back(), r.random.back()) << "top CLAPP layer vs random features";
  EXPECT_GT(r.clapp.back(), r.pixels) << "top CLAPP layer vs raw pixels";
  EXPECT_TRUE(r.non_decreasing(0.002)) << "CLAPP probe accuracy falls with depth";
}

}  // namespace
}  // namespace eligo::fl
