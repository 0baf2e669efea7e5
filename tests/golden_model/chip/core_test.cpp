// The core as a whole: determinism of the write stream, the cycle model against the schedule's
// formulas, the order of writes, and snapshots.
#include <gtest/gtest.h>

#include <array>
#include <stdexcept>

#include "golden_model/chip/write_hash.hpp"
#include "tests/golden_model/chip/chip_test_util.hpp"

namespace eligo::chip {
namespace {

using spec::Counter;
using spec::Mem;
using spec::Phase;

using StreamHash = WriteHash;

StreamHash training_run(uint32_t seed) {
  ChipOptions o;
  o.learn = true;
  o.deepr = true;
  o.connectivity = 0.3;
  o.lr = 0.01;
  o.l1 = 0.1;
  o.temperature = 1e-4;
  o.seed = seed;
  auto s = testing::reduced_setup(o, 3, 21);
  Core core = make_core(s.image);
  StreamHash hash;
  core.set_write_hook([&hash](const WriteEvent& e) { hash(e); });
  for (int b = 0; b < 3; ++b) run_sample(core, s.batch, b, s.learning_window, true);
  return hash;
}

TEST(Sizes, ConstructorChecksTheLimitsAndEqualityComparesEverySize) {
  const Sizes s(40, 40, 2, 20, 4);
  EXPECT_EQ(s, Sizes(40, 40, 2, 20, 4));
  EXPECT_NE(s, Sizes(40, 40, 2, 20, 2));
  EXPECT_NE(s, Sizes(40, 40, 2, 19, 4));
  EXPECT_EQ(Sizes(), Sizes(40, 100, 2, 50, 4)) << "the default sizes";
  const int max_in = static_cast<int>(spec::MAX_IN), max_rec = static_cast<int>(spec::MAX_REC),
            max_out = static_cast<int>(spec::MAX_OUT);
  EXPECT_NO_THROW(Sizes(max_in, max_rec, max_out, max_rec, 32));
  EXPECT_NO_THROW(Sizes(1, 1, 1, 0, 1));
  for (const auto& bad : {std::array<int, 5>{0, 4, 1, 0, 1}, {max_in + 1, 4, 1, 0, 1}, {4, 0, 1, 0, 1},
                          {4, max_rec + 1, 1, 0, 1}, {4, 4, 0, 0, 1}, {4, 4, max_out + 1, 0, 1},
                          {4, 4, 1, 5, 1}, {4, 4, 1, -1, 1}, {4, 4, 1, 0, 0}, {4, 4, 1, 0, 33}}) {
    EXPECT_THROW(Sizes(bad[0], bad[1], bad[2], bad[3], bad[4]), std::invalid_argument)
        << bad[0] << "-" << bad[1] << "-" << bad[2] << " alif " << bad[3] << " lanes " << bad[4];
  }
  try {
    Sizes(4, 4, 1, 5, 1);
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "chip sizes: n_alif = 5 (allowed: 0 .. 4)");
  }
}

TEST(Core, SameSeedSameWriteStream) {
  const StreamHash a = training_run(5), b = training_run(5), c = training_run(6);
  EXPECT_GT(a.n, 100000u);
  EXPECT_EQ(a.n, b.n);
  EXPECT_EQ(a.h, b.h);
  EXPECT_NE(a.h, c.h) << "another seed must change the stream (LFSR noise, rewiring, initial set)";
}

// The cycles of every phase follow the formulas with the observed event counts; the formulas
// are checked here against an independent count of the work (words per lane-cycle).
TEST(Core, CyclesFollowTheSchedule) {
  for (int lanes : {1, 3, 4}) {
    ChipOptions o;
    o.learn = true;
    o.lr = 0.001;
    o.lanes = lanes;
    auto s = testing::reduced_setup(o, 1, 4);
    Core core = make_core(s.image);
    const Sizes& z = core.sizes();
    auto cd = [](int64_t a, int64_t b) { return (a + b - 1) / b; };
    core.start_sample();
    const int64_t NP = z.n_pre(), NR = z.n_rec, NO = z.n_out, L = lanes;
    EXPECT_EQ(core.last_cycles()[static_cast<size_t>(Phase::RST)],
              cd(NR, L) + cd(NO, L) + cd(NR, L) + cd(NP, L) + NP * cd(NR, L) + 2);
    int64_t prev_spikes = 0;
    for (int t = 0; t < 120; ++t) {
      const auto ev = input_events(s.batch, t, 0);
      const bool valid = t >= 100;
      core.step(ev, {0, int64_t{1} << spec::Y.frac}, valid);
      const auto& c = core.last_cycles();
      const int64_t spk = static_cast<int64_t>(core.spikes().size());
      EXPECT_EQ(c[static_cast<size_t>(Phase::IN)], static_cast<int64_t>(ev.size()) * cd(NR, L) + 1);
      EXPECT_EQ(c[static_cast<size_t>(Phase::REC)], prev_spikes * cd(NR, L) + 1);
      EXPECT_EQ(c[static_cast<size_t>(Phase::NEU)], cd(NR, L) + 2);
      EXPECT_EQ(c[static_cast<size_t>(Phase::OUT)], spk * cd(NO, L) + cd(NO, L) + 2);
      EXPECT_EQ(c[static_cast<size_t>(Phase::LRN)], valid ? cd(NO, L) + NR * cd(NO, L) + 2 : 0);
      EXPECT_EQ(c[static_cast<size_t>(Phase::OGR)], cd(NR, L) + (valid ? NR * cd(NO, L) : 0) + 2);
      EXPECT_EQ(c[static_cast<size_t>(Phase::TRC)], cd(NP, L) + NP * cd(NR, L) + 2);
      EXPECT_EQ(c[static_cast<size_t>(Phase::UPD)], 0);
      prev_spikes = spk;
    }
    core.end_sample(true);
    EXPECT_EQ(core.last_cycles()[static_cast<size_t>(Phase::UPD)], NP * cd(NR, L) + NR * cd(NO, L) + 2);
    // The counters add up the phases.
    uint64_t sum = 0;
    for (int p = 0; p < spec::NUM_PHASES; ++p) sum += core.counters()[cycles_counter(static_cast<Phase>(p))];
    EXPECT_GT(sum, 0u);
    EXPECT_EQ(core.counters()[Counter::timesteps], 120u);
    EXPECT_EQ(core.counters()[Counter::neuron_updates], 120u * static_cast<uint64_t>(NR));
  }
}

TEST(Core, OverrunIsFlaggedWhenATimestepExceedsItsBudget) {
  ChipOptions o;
  auto s = testing::reduced_setup(o, 1, 4);
  Core core = make_core(s.image);
  core.regs().ts_budget = 50;  // below NEU + OUT alone for 40 neurons, 4 lanes? NEU = 12
  core.start_sample();
  core.step({0, 1, 2, 3, 4, 5}, {}, false);  // IN = 6 * 10 + 1 = 61 > 50
  EXPECT_TRUE(core.status().overrun);
  EXPECT_EQ(core.counters()[Counter::overruns], 1u);
  core.regs().ts_budget = 100000;
  core.status().overrun = false;
  core.step({0}, {}, false);
  EXPECT_FALSE(core.status().overrun);
}

TEST(Core, WritesWithinACycleAreOrderedByMemoryThenLane) {
  ChipOptions o;
  o.learn = true;
  o.lr = 0.001;
  o.lanes = 4;
  auto s = testing::reduced_setup(o, 1, 4);
  Core core = make_core(s.image);
  std::vector<WriteEvent> ev;
  core.start_sample();
  core.set_write_hook([&ev](const WriteEvent& e) { ev.push_back(e); });
  core.step(input_events(s.batch, 0, 0), {}, false);
  // NEU: STATE 0..3 then PSI 0..3 then STATE 4..7 ...
  ASSERT_GE(ev.size(), 16u);
  for (int l = 0; l < 4; ++l) {
    EXPECT_EQ(ev[static_cast<size_t>(l)].mem, Mem::STATE);
    EXPECT_EQ(ev[static_cast<size_t>(l)].addr, static_cast<uint32_t>(l));
    EXPECT_EQ(ev[static_cast<size_t>(4 + l)].mem, Mem::PSI);
    EXPECT_EQ(ev[static_cast<size_t>(8 + l)].addr, static_cast<uint32_t>(4 + l));
  }
}

TEST(Core, SnapshotsCompareTheWholeState) {
  ChipOptions o;
  auto s = testing::reduced_setup(o, 1, 4);
  Core a = make_core(s.image), b = make_core(s.image);
  for (Core* c : {&a, &b}) {
    c->start_sample();
    for (int t = 0; t < 20; ++t) c->step(input_events(s.batch, t, 0), {}, false);
  }
  EXPECT_TRUE(a.snapshot() == b.snapshot());
  b.mem(Mem::STATE).poke(3, b.mem(Mem::STATE).peek(3) ^ 1u);
  EXPECT_FALSE(a.snapshot() == b.snapshot());
}

}  // namespace
}  // namespace eligo::chip

namespace eligo::chip {
namespace {

// Online mode: UPD runs after every timestep (its cycles are part of the timestep), the weights
// move during the sample and GRAD is zero after every step; the batch-mode run of the same
// sample moves them only at END_SAMPLE.
TEST(Core, OnlineModeUpdatesEveryTimestep) {
  ChipOptions o;
  o.learn = true;
  o.online = true;
  o.lr = 0.05;
  auto s = testing::reduced_setup(o, 1, 4);
  Core core = make_core(s.image);
  const auto w0 = core.mem(Mem::W_OUT).words();
  core.start_sample();
  const int64_t T = 80;
  bool moved_during_sample = false;
  for (int t = 0; t < T; ++t) {
    core.step(input_events(s.batch, t, 0), {int64_t{1} << spec::Y.frac, 0}, t >= 40);
    EXPECT_GT(core.last_cycles()[static_cast<size_t>(Phase::UPD)], 0);
    for (uint64_t g : core.mem(Mem::GRAD).words()) ASSERT_EQ(g, 0u) << "step " << t;
    moved_during_sample = moved_during_sample || core.mem(Mem::W_OUT).words() != w0;
  }
  EXPECT_TRUE(moved_during_sample);

  o.online = false;
  auto s2 = testing::reduced_setup(o, 1, 4);
  Core batch = make_core(s2.image);
  batch.start_sample();
  for (int t = 0; t < T; ++t) {
    batch.step(input_events(s2.batch, t, 0), {int64_t{1} << spec::Y.frac, 0}, t >= 40);
    EXPECT_EQ(batch.last_cycles()[static_cast<size_t>(Phase::UPD)], 0);
  }
  EXPECT_EQ(batch.mem(Mem::W_OUT).words(), w0);
  batch.end_sample(true);
  EXPECT_NE(batch.mem(Mem::W_OUT).words(), w0);
}

}  // namespace
}  // namespace eligo::chip
