// Lock-step co-simulation of on-chip learning with the direct (--cc) engine: e-prop with the
// update at the end of every sample (and in online mode), DEEP R rewiring on, over 3 samples of
// reduced evidence accumulation. Zero mismatches (every write, the cycles of every phase, every
// memory word at every timestep boundary, all counters), and afterwards the RTL's weights equal
// the model's bit for bit, differ from the initial ones, and DEEP R pruned and re-activated.
// The shaped case learns without DEEP R, with a different rate per matrix, the readout clamped in
// the error and targets encoded as +-0.25. The sign case: batch updates with CTRL.UPD_SIGN under
// DEEP R. The scheduled case: the shaped one with the host's rate schedule (every rate times 1/4
// before samples 1 and 2, register writes between samples). The windowed case: DEEP R with
// CTRL.TRC_HOLD set by the host until 100 steps before the learning window (windowed traces).
// The factored cases: CTRL.TRC_FACT with the pass held outside the learning window (factored
// traces, no EPSA or EBAR), under DEEP R with random feedback, and online with symmetric feedback;
// and the factored-only core (no EPSA or EBAR built) against the full one.
#include <gtest/gtest.h>

#include "golden_model/experiment/train_test.hpp"
#include "tests/systemc/cosim_test_util.hpp"

namespace eligo::cosim {
namespace {

struct TrainCase {
  int config;
  bool online;
  bool fb_symmetric;
  bool shaped = false;  // three learning rates, error clamp, +-0.25 targets; no DEEP R
  bool sign = false;    // CTRL.UPD_SIGN: steps of the rate times sign(G)
  bool scheduled = false;  // experiment::scale_rates(2) before samples 1 and 2
  bool windowed = false;   // per-synapse traces from 100 steps before the learning window
  bool factored = false;   // CTRL.TRC_FACT, the pass held until the learning window
  int adapt_block = 0;     // windowed: ALIF eps_a in adaptation blocks of this many steps before
};

// Trains 3 samples of case tc in lock-step and checks them (gtest failures); the RTL's write
// stream in `hash`.
void train_in_lock_step(const TrainCase& tc, chip::WriteHash* hash) {
  const chip::Sizes s = rtl_configurations()[static_cast<size_t>(tc.config)];
  chip::ChipOptions o = testing::deepr_learning_options(tc.online);
  o.fb_symmetric = tc.fb_symmetric;
  o.deepr = !tc.shaped;
  if (tc.shaped) {
    o.lr_in = 0.01;
    o.lr_rec = 0.004;
    o.lr_out = 0.05;
    o.err_clamp = true;
    o.err_lo = -0.3;
    o.err_hi = 0.3;
  }
  if (tc.sign) {
    o.upd_sign = true;
    o.lr = 0.05;  // about 51 weight LSBs per step: enough for some weights to cross zero (prune)
  }
  o.trc_fact = tc.factored;
  o.adapt_block = tc.adapt_block;
  if (tc.adapt_block > 0) {
    ASSERT_GT(s.n_alif, 0) << "adaptation blocks need ALIF neurons";
  }
  const testing::Setup st = testing::trained_setup(s, 10, 3, o);
  tasks::Batch batch = tasks::make_evidence_accumulation(testing::reduced_task(s.n_in), 3, 21);
  if (tc.shaped) tasks::encode_targets(batch, -0.25, 0.25);
  chip::Core model = chip::make_core(st.image);
  auto rtl = make_cc_engine(s);
  Cosim c(*rtl, model);
  ASSERT_TRUE(c.configure()) << testing::describe(c);
  const auto before = model.snapshot();
  for (int b = 0; b < 3; ++b) {
    if (tc.scheduled && b > 0) experiment::scale_rates(c, 2);
    const int trace_from = tc.windowed ? batch.T - st.learning_window - 100 : tc.factored ? batch.T - st.learning_window : 0;
    ASSERT_TRUE(testing::run(c, batch, b, st.learning_window, true, trace_from, tc.adapt_block)) << testing::describe(c);
  }
  if (tc.scheduled) {
    EXPECT_EQ(model.regs().lr_out.shift, st.image.regs.lr_out.shift + 4);
  }
  EXPECT_TRUE(c.check_counters()) << testing::describe(c);
  EXPECT_EQ(c.stats().timesteps, 3 * 610);

  using chip::spec::Mem;
  for (Mem m : {Mem::W_IN, Mem::W_REC, Mem::W_OUT}) {
    const auto& words = model.mem(m).words();
    const MemoryBackdoor bd = rtl->memory(m);
    int64_t changed = 0;
    for (size_t a = 0; a < words.size(); ++a) {
      ASSERT_EQ(bd.read(static_cast<int64_t>(a)), words[a]) << chip::spec::kMems[static_cast<size_t>(m)].name << "[" << a << "]";
      changed += words[a] != before.mems[static_cast<size_t>(m)][a] ? 1 : 0;
    }
    EXPECT_GT(changed, 0) << chip::spec::kMems[static_cast<size_t>(m)].name << " did not learn";
  }
  const auto& cnt = model.counters();
  EXPECT_GT(cnt[chip::spec::Counter::weight_updates], 0u);
  if (tc.shaped) {
    EXPECT_EQ(cnt[chip::spec::Counter::prunes], 0u);
    EXPECT_TRUE(model.regs().err_clamp);
    EXPECT_FALSE(model.regs().lr_in == model.regs().lr_rec);
    EXPECT_FALSE(model.regs().lr_rec == model.regs().lr_out);
  } else {
    EXPECT_EQ(model.regs().upd_sign, tc.sign);
    // DEEP R kept K active words per matrix and did rewire.
    EXPECT_EQ(model.active_count(Mem::W_IN), model.regs().k_in);
    EXPECT_EQ(model.active_count(Mem::W_REC), model.regs().k_rec);
    EXPECT_GT(cnt[chip::spec::Counter::prunes], 0u);
    EXPECT_EQ(cnt[chip::spec::Counter::reactivations], cnt[chip::spec::Counter::prunes]);
  }
  EXPECT_GT(cnt[chip::spec::Counter::trace_updates], 0u);
  if (tc.windowed) {
    // The per-synapse pass ran on the last 140 of 610 steps of each sample, and the hold is off.
    EXPECT_FALSE(model.regs().trc_hold);
    const int64_t np = s.n_in + s.n_rec, pass = np * chip::spec::cdiv(s.n_rec, s.lanes);
    const int64_t held_steps = 610 - st.learning_window - 100;
    // Adaptation blocks: one pass on each block's last step, the last block ending at the last held step.
    const int64_t blocks = tc.adapt_block > 0 ? chip::spec::cdiv(held_steps, tc.adapt_block) : 0;
    EXPECT_EQ(static_cast<int64_t>(c.stats().phase_cycles[static_cast<size_t>(chip::spec::Phase::TRC)]),
              3 * (610 * (chip::spec::cdiv(np, s.lanes) + 2) + (610 - held_steps + blocks) * pass));
    EXPECT_FALSE(model.regs().trc_acc);
    EXPECT_FALSE(model.regs().trc_block);
    if (tc.adapt_block > 0) {
      EXPECT_EQ(model.regs().alif_rho_blk, chip::block_decay(model.regs().alif.rho, tc.adapt_block));
    }
  }
  if (tc.factored) {
    // The pass ran on the learning window only, and nothing touched EPSA or EBAR (START_SAMPLE
    // clears their rows only for the other trace modes).
    EXPECT_TRUE(model.regs().trc_fact);
    const int64_t np = s.n_in + s.n_rec, pass = np * chip::spec::cdiv(s.n_rec, s.lanes);
    EXPECT_EQ(static_cast<int64_t>(c.stats().phase_cycles[static_cast<size_t>(chip::spec::Phase::TRC)]),
              3 * (610 * (chip::spec::cdiv(np, s.lanes) + 2) + st.learning_window * pass));
    EXPECT_EQ(model.mem(Mem::EPSA).reads(), 0u);
    EXPECT_EQ(model.mem(Mem::EBAR).reads(), 0u);
    EXPECT_EQ(model.mem(Mem::EPSA).writes(), 0u);
    EXPECT_EQ(model.mem(Mem::EBAR).writes(), 0u);
  }
  ::testing::Test::RecordProperty("prunes", std::to_string(cnt[chip::spec::Counter::prunes]));
  ::testing::Test::RecordProperty("probes", std::to_string(cnt[chip::spec::Counter::probes]));
  ::testing::Test::RecordProperty("writes_compared", std::to_string(c.stats().writes_compared));
  testing::record_write_hash(c);
  ::testing::Test::RecordProperty("rtl_cycles", std::to_string(rtl->cycles()));
  *hash = c.stats().write_hash;
}

class CosimTrain : public ::testing::TestWithParam<TrainCase> {};

TEST_P(CosimTrain, LearningWithRewiringHasNoMismatch) {
  chip::WriteHash hash;
  train_in_lock_step(GetParam(), &hash);
}

INSTANTIATE_TEST_SUITE_P(Configurations, CosimTrain,
                         ::testing::Values(TrainCase{0, false, false}, TrainCase{1, false, true},
                                           TrainCase{2, true, false}, TrainCase{2, false, true},
                                           TrainCase{2, false, false, true}, TrainCase{2, false, true, false, true},
                                           TrainCase{2, false, false, true, false, true},
                                           TrainCase{2, false, true, false, false, false, true},
                                           TrainCase{2, false, false, false, false, false, false, true},
                                           TrainCase{2, true, true, false, false, false, false, true},
                                           // windowed with adaptation blocks of 4 and 7 steps:
                                           // 40-40-2 (20 ALIF), DEEP R, symmetric, per batch; 5 of
                                           // 10 ALIF, online, random feedback
                                           TrainCase{0, false, true, false, false, false, true, false, 4},
                                           TrainCase{2, true, false, false, false, false, true, false, 7}));

// A factored-only core (SynTraces = 0: no EPSA, no EBAR, CTRL.TRC_FACT set for good) learns in
// lock-step with its model, and its write stream is the full core's under CTRL.TRC_FACT, write
// for write (DEEP R, random feedback, per-batch updates).
TEST(CosimTrainFactoredOnly, WritesWhatTheFullCoreWritesUnderTrcFact) {
  const TrainCase full{2, false, false, false, false, false, false, true};
  TrainCase only = full;
  only.config = 4;
  ASSERT_FALSE(rtl_configurations()[4].synapse_traces);
  ASSERT_TRUE(rtl_configurations()[2].synapse_traces);
  chip::WriteHash h_full, h_only;
  train_in_lock_step(full, &h_full);
  train_in_lock_step(only, &h_only);
  EXPECT_GT(h_full.n, 0u);
  EXPECT_EQ(h_only.n, h_full.n);
  EXPECT_EQ(h_only.h, h_full.h);
}

}  // namespace
}  // namespace eligo::cosim
