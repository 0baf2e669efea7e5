// Fault injection proves the checker: 20 random bit flips (memory, address, bit, timestep) in
// the RTL's memories, one run each. A flip in a word that the core does not rewrite during that
// timestep changes the state, so it must be reported at exactly that timestep. A flip in a word
// that the core rewrites may be masked by the rewrite; if it is reported, it must also be at
// that timestep.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <set>
#include <utility>

#include "golden_model/chip/task_runner.hpp"
#include "systemc/hooks.hpp"
#include "tests/systemc/cosim_test_util.hpp"

namespace eligo::cosim {
namespace {

using chip::spec::Mem;

// (memory, address) written by the model in each timestep of sample 0.
std::vector<std::set<std::pair<int, int64_t>>> model_writes(const testing::Setup& st) {
  chip::Core core = chip::make_core(st.image);
  std::vector<std::set<std::pair<int, int64_t>>> per_step(static_cast<size_t>(st.batch.T));
  int t_now = -1;
  core.set_write_hook([&](const chip::WriteEvent& e) {
    if (t_now >= 0) per_step[static_cast<size_t>(t_now)].insert({static_cast<int>(e.mem), e.addr});
  });
  core.start_sample();
  for (int t = 0; t < st.batch.T; ++t) {
    t_now = t;
    core.step(chip::input_events(st.batch, t, 0), {}, false);
  }
  return per_step;
}

// Sample 0 of the setup's batch with `fault` injected into the RTL: the first mismatch (if any)
// and its description.
struct FaultRun {
  std::optional<Mismatch> mismatch;
  std::string description;
};
FaultRun run_with_fault(const testing::Setup& st, const chip::Sizes& s, const Fault& fault, int lw, bool update,
                        int trace_from = 0, int adapt_block = 0) {
  chip::Core model = chip::make_core(st.image);
  auto rtl = make_cc_engine(s);
  Cosim c(*rtl, model);
  FaultInjector injector({fault});
  c.add_hook(injector);
  EXPECT_TRUE(c.configure());
  testing::run(c, st.batch, 0, lw, update, trace_from, adapt_block);
  return {c.first_mismatch(), testing::describe(c)};
}

TEST(FaultInjection, EveryStateChangingFlipIsReportedAtItsTimestep) {
  const chip::Sizes s = rtl_configurations()[2];  // the small configuration
  const testing::Setup st = testing::trained_setup(s, 5, 11);
  const auto written = model_writes(st);
  std::mt19937_64 rng(2026);
  int detected = 0, masked = 0, must_detect = 0;
  for (int f = 0; f < 20; ++f) {
    Fault fault;
    fault.mem = static_cast<Mem>(rng() % chip::spec::NUM_MEMS);
    const int64_t depth = s.depth(fault.mem);
    fault.address = static_cast<int64_t>(rng() % static_cast<uint64_t>(depth));
    fault.bit = static_cast<int>(rng() % static_cast<uint64_t>(chip::spec::kMems[static_cast<size_t>(fault.mem)].bits));
    fault.timestep = static_cast<int64_t>(rng() % static_cast<uint64_t>(st.batch.T));
    const std::string name = std::string(chip::spec::kMems[static_cast<size_t>(fault.mem)].name) + ":" +
                             std::to_string(fault.address) + ":" + std::to_string(fault.bit) + "@" +
                             std::to_string(fault.timestep);
    SCOPED_TRACE(name);
    const bool rewritten =
        written[static_cast<size_t>(fault.timestep)].count({static_cast<int>(fault.mem), fault.address}) > 0;

    const FaultRun r = run_with_fault(st, s, fault, st.learning_window, false);
    const bool ok = !r.mismatch;
    if (!rewritten) {
      ++must_detect;
      EXPECT_FALSE(ok) << "a flip in a word the core does not rewrite went unnoticed";
    }
    if (!ok) {
      EXPECT_EQ(r.mismatch->timestep, fault.timestep) << r.description;
      ++detected;
    } else {
      ++masked;
    }
    std::printf("fault %-18s %s%s\n", name.c_str(), ok ? "masked (word rewritten)" : "detected: ",
                ok ? "" : r.description.c_str());
  }
  RecordProperty("detected", std::to_string(detected));
  RecordProperty("masked", std::to_string(masked));
  std::printf("faults: %d detected at their timestep, %d masked by a rewrite, %d had to be detected\n", detected,
              masked, must_detect);
}

}  // namespace
}  // namespace eligo::cosim

namespace eligo::cosim {
namespace {

// While learning (e-prop, DEEP R), flips of a high bit in the trace memories (EPSV, EPSA, EBAR,
// ZBAR), the gradient and learning-signal memories (GRAD, LSIG) and of the active bit of weight
// words (the rewiring state of W_IN and W_REC) are all reported at their timestep: a trace word
// is read before it is rewritten, so the flip reaches the write; the others are not rewritten
// before the learning window (the faults are placed before it), so the boundary check finds them.
// With windowed traces (CTRL.TRC_HOLD until 5 steps before the window) the trace pass does not
// read EBAR and EPSA where the faults fall: the boundary check must find those too. With
// factored traces, on the factored-only core (no EPSA, no EBAR), the memories that mode keeps.
// With adaptation blocks (windowed, blocks of 4 steps before it) PSI carries a block's psi sum
// from step to step as well: its flips are placed on steps whose NEU adds to it (CTRL.TRC_ACC).
enum class Traces { exact, windowed, factored, adapt };
void learning_state_flips_are_reported(Traces mode) {
  const chip::Sizes s = rtl_configurations()[mode == Traces::factored ? 4 : 2];
  ASSERT_EQ(s.synapse_traces, mode != Traces::factored);
  chip::ChipOptions o;
  o.trc_fact = mode == Traces::factored;
  constexpr int kBlock = 4;
  o.adapt_block = mode == Traces::adapt ? kBlock : 0;
  o.learn = true;
  o.lr = 0.01;
  o.deepr = true;
  o.connectivity = 0.5;
  const testing::Setup st = testing::trained_setup(s, 5, 11, o);
  std::mt19937_64 rng(7);
  const int T = st.batch.T, lw = st.learning_window;
  int n = 0;
  const int trace_from = mode == Traces::windowed || mode == Traces::adapt ? T - lw - 5 : mode == Traces::factored ? T - lw : 0;
  for (const Mem m : {Mem::EPSV, Mem::EPSA, Mem::EBAR, Mem::ZBAR, Mem::GRAD, Mem::LSIG, Mem::W_IN, Mem::W_REC, Mem::PSI}) {
    if (s.depth(m) == 0) continue;  // not built (the factored-only core's EPSA, EBAR)
    if (m == Mem::PSI && mode != Traces::adapt) continue;  // rewritten by NEU before any read
    for (int rep = 0; rep < 2; ++rep) {
      Fault fault;
      fault.mem = m;
      const int64_t depth = s.depth(m);
      fault.address = static_cast<int64_t>(rng() % static_cast<uint64_t>(depth));
      if (m == Mem::W_REC && fault.address / s.n_rec == fault.address % s.n_rec) {  // not the diagonal
        fault.address = fault.address / s.n_rec * s.n_rec + (fault.address % s.n_rec + 1) % s.n_rec;
      }
      const int bits = chip::spec::kMems[static_cast<size_t>(m)].bits;
      fault.bit = m == Mem::W_IN || m == Mem::W_REC ? chip::spec::WORD_ACTIVE_BIT
                  : m == Mem::EPSV                  ? (rep == 0 ? chip::spec::EPSV.bits - 3 : bits - 3)  // LIF, ALIF
                                                    : bits - 3;
      fault.timestep = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(T - lw - 2));
      if (m == Mem::PSI) {  // a step of a block but its first (its NEU reads PSI), before trace_from
        fault.timestep = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(trace_from - 2));
        if ((trace_from - fault.timestep) % kBlock == 0) ++fault.timestep;
      }
      const std::string name = std::string(chip::spec::kMems[static_cast<size_t>(m)].name) + ":" +
                               std::to_string(fault.address) + ":" + std::to_string(fault.bit) + "@" +
                               std::to_string(fault.timestep);
      SCOPED_TRACE(name);
      const FaultRun r = run_with_fault(st, s, fault, lw, true, trace_from, o.adapt_block);
      ASSERT_TRUE(r.mismatch.has_value()) << "the flip went unnoticed";
      EXPECT_EQ(r.mismatch->timestep, fault.timestep) << r.description;
      std::printf("fault %-18s detected: %s\n", name.c_str(), r.description.c_str());
      ++n;
    }
  }
  ::testing::Test::RecordProperty("detected", std::to_string(n));
}

TEST(FaultInjection, LearningStateFlipsAreReportedAtTheirTimestep) { learning_state_flips_are_reported(Traces::exact); }
TEST(FaultInjection, LearningStateFlipsUnderWindowedTracesAreReported) {
  learning_state_flips_are_reported(Traces::windowed);
}
TEST(FaultInjection, LearningStateFlipsOfTheFactoredOnlyCoreAreReported) {
  learning_state_flips_are_reported(Traces::factored);
}
TEST(FaultInjection, LearningStateFlipsUnderAdaptationBlocksAreReported) {
  learning_state_flips_are_reported(Traces::adapt);
}

}  // namespace
}  // namespace eligo::cosim
