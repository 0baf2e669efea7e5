// The long constrained-random co-simulation of make regress (scripts/regress.sh sets
// ELIGO_REGRESS): ELIGO_RANDOM_TIMESTEPS (default 10^5) random-configuration timesteps on every
// verilated size configuration in lock-step, seed ELIGO_RANDOM_SEED (default 21; the seed of
// configuration c is that plus c); zero mismatches. A failure prints the seed, the sizes and the
// random configuration that reproduce it. On a terminal a progress line shows the timesteps done
// and the ETA (256-256-16: 0.15-0.25 s of CPU per timestep by seed, 4-7 CPU-hours for 10^5; make
// regress runs it as two processes of other seeds, scripts/random_regress.sh).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "harness/commands/progress.hpp"
#include "systemc/random_cosim.hpp"
#include "systemc/rtl_models.hpp"

namespace eligo::cosim {
namespace {

int64_t env_int(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long long x = std::strtoll(v, &end, 10);
  if (*end || x <= 0) throw std::invalid_argument(std::string(name) + "=" + v + ": not a positive integer");
  return x;
}

class CosimRandomRegress : public ::testing::TestWithParam<int> {};

TEST_P(CosimRandomRegress, RandomConfigurationsHaveNoMismatch) {
  const char* regress = std::getenv("ELIGO_REGRESS");
  if (!regress || !*regress) GTEST_SKIP() << "set ELIGO_REGRESS=1 (make regress)";
  const chip::Sizes s = rtl_configurations()[static_cast<size_t>(GetParam())];
  RandomCosimOptions o;
  o.seed = static_cast<uint64_t>(env_int("ELIGO_RANDOM_SEED", 21)) + static_cast<uint64_t>(GetParam());
  o.timesteps = env_int("ELIGO_RANDOM_TIMESTEPS", 100000);
  // Progress on a terminal (timesteps, configurations, ETA); silent when piped or in CI.
  harness::Progress progress("random cosim " + describe(s), static_cast<long>(o.timesteps));
  o.on_configuration = harness::random_cosim_progress<RandomCosimResult>(progress, static_cast<long>(o.timesteps));
  const auto t0 = std::chrono::steady_clock::now();
  const RandomCosimResult r = run_random_cosim(s, o);
  progress.finish();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("random cosim %s, seed %llu: %lld configurations, %lld samples, %lld timesteps, %llu RTL cycles, "
              "%llu writes compared, %lld APB accesses checked (%lld refused in IN, %lld waited), %lld overruns, "
              "%lld K errors, %s, %.1f s\n",
              describe(s).c_str(), static_cast<unsigned long long>(o.seed), static_cast<long long>(r.configs),
              static_cast<long long>(r.samples), static_cast<long long>(r.timesteps),
              static_cast<unsigned long long>(r.rtl_cycles), static_cast<unsigned long long>(r.writes_compared),
              static_cast<long long>(r.apb_checked), static_cast<long long>(r.busy_input),
              static_cast<long long>(r.busy_waited), static_cast<long long>(r.overruns),
              static_cast<long long>(r.k_errors), r.ok ? "0 mismatches" : "MISMATCH", wall);
  ASSERT_TRUE(r.ok) << r.failure;
  EXPECT_GE(r.timesteps, o.timesteps);
}

INSTANTIATE_TEST_SUITE_P(Configurations, CosimRandomRegress,
                         ::testing::Range(0, static_cast<int>(rtl_configurations().size())));

}  // namespace
}  // namespace eligo::cosim
