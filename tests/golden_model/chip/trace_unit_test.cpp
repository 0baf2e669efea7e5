// The trace unit under CTRL.TRC_HOLD (windowed traces): TRC updates the presynaptic traces
// (EPSV) only, in cdiv(NP, L) + 2 cycles, and leaves every per-synapse word (EBAR, EPSA, GRAD)
// as it was; released, the same steps run the per-synapse pass from START_SAMPLE's zeros.
// Under CTRL.TRC_FACT (factored traces) the per-synapse pass forms e = psi_j eps_v_i of every
// lane as LIF's and adds L_j e to G, recomputed here from the words the pass read; EPSA and EBAR
// stay untouched. A factored-only core (Sizes::synapse_traces false: no EPSA, no EBAR) has
// CTRL.TRC_FACT set for good and writes exactly what a full core writes under CTRL.TRC_FACT.
#include <gtest/gtest.h>

#include <vector>

#include "golden_model/chip/core.hpp"
#include "tests/golden_model/chip/chip_unit_util.hpp"

namespace eligo::chip {
namespace {

using namespace testing;
using spec::Mem;

// Every input fires and every weight is 1/8: the neurons hover around threshold (psi != 0).
Core busy_core(bool hold, bool fact = false, bool synapse_traces = true) {
  Regs r = unit_regs();
  r.learn = true;
  r.fb_symmetric = true;  // B = W_OUT^T: non-zero learning signals
  r.trc_hold = hold;
  r.trc_fact = fact;
  r.alif.zeta /= 2;  // the populations' eps_v differ: ALIF lanes must use their own
  Sizes sz = unit_sizes();
  sz.synapse_traces = synapse_traces;
  Core c(sz, r);
  for (Mem m : {Mem::W_IN, Mem::W_REC, Mem::W_OUT}) {
    for (int64_t a = 0; a < c.mem(m).depth(); ++a) c.mem(m).poke(a, weight(false, int64_t{1} << (spec::W_MAG.frac - 3)));
  }
  c.start_sample();
  return c;
}

bool all_zero(const Core& c, Mem m) {  // every word of memory m
  for (int64_t a = 0; a < c.mem(m).depth(); ++a) {
    if (c.mem(m).peek(a) != 0) return false;
  }
  return true;
}

TEST(TraceUnit, HoldUpdatesEpsvOnly) {
  Core held = busy_core(true), free = busy_core(false);
  const Sizes s = held.sizes();
  const std::vector<int> events = {0, 1};
  const std::vector<int64_t> target(static_cast<size_t>(s.n_out), 0);
  for (int t = 0; t < 4; ++t) {
    held.step(events, target, true);
    free.step(events, target, true);
    const int64_t NP = s.n_pre(), L = s.lanes;
    EXPECT_EQ(held.last_cycles()[static_cast<size_t>(spec::Phase::TRC)], spec::cdiv(NP, L) + 2);
    EXPECT_EQ(free.last_cycles()[static_cast<size_t>(spec::Phase::TRC)], spec::cdiv(NP, L) + NP * spec::cdiv(s.n_rec, L) + 2);
  }
  // The presynaptic traces are the same whether held or not; the per-synapse ones stay zero.
  EXPECT_EQ(held.mem(Mem::EPSV).words(), free.mem(Mem::EPSV).words());
  EXPECT_FALSE(all_zero(held, Mem::EPSV));
  for (Mem m : {Mem::EBAR, Mem::EPSA}) {
    EXPECT_TRUE(all_zero(held, m)) << spec::kMems[static_cast<size_t>(m)].name;
    EXPECT_FALSE(all_zero(free, m)) << spec::kMems[static_cast<size_t>(m)].name << ": the test must exercise the trace";
  }
  // G of W_IN and W_REC (the first NP NR words; the readouts' follow and still learn).
  const auto synapse_grads_zero = [&](const Core& c) {
    for (int64_t a = 0; a < static_cast<int64_t>(s.n_pre()) * s.n_rec; ++a) {
      if (c.mem(Mem::GRAD).peek(a) != 0) return false;
    }
    return true;
  };
  EXPECT_TRUE(synapse_grads_zero(held));
  EXPECT_FALSE(synapse_grads_zero(free));
  EXPECT_EQ(held.counters()[spec::Counter::trace_updates], 4u * 2u * static_cast<uint64_t>(s.n_pre()));

  // Released: the next steps run the full pass.
  Regs r = held.regs();
  r.trc_hold = false;
  bool err = false;
  held.apb_write(spec::REG_CTRL, r.ctrl(), &err);
  ASSERT_FALSE(err);
  for (int t = 0; t < 4; ++t) {
    held.step(events, target, true);
    EXPECT_EQ(held.last_cycles()[static_cast<size_t>(spec::Phase::TRC)],
              free.last_cycles()[static_cast<size_t>(spec::Phase::TRC)]);
  }
  EXPECT_FALSE(all_zero(held, Mem::EBAR));
}

TEST(TraceUnit, FactoredAccumulatesPsiEpsvUnfiltered) {
  Core fact = busy_core(false, true), exact = busy_core(false);
  const Sizes s = fact.sizes();
  const int NP = s.n_pre(), NR = s.n_rec;
  const std::vector<int> events = {0, 1};
  const std::vector<int64_t> target(static_cast<size_t>(s.n_out), 0);
  constexpr int kEpsvToE = spec::E.frac - spec::EPSV.frac;
  constexpr int kGrad = spec::LSIG.frac + spec::E.frac - spec::G.frac;
  std::vector<int64_t> g(static_cast<size_t>(NP) * NR, 0);
  bool psi_seen = false, alif_seen = false;
  for (int t = 0; t < 6; ++t) {
    fact.step(events, target, true);
    exact.step(events, target, true);
    EXPECT_EQ(fact.last_cycles()[static_cast<size_t>(spec::Phase::TRC)],
              exact.last_cycles()[static_cast<size_t>(spec::Phase::TRC)]);
    // PSI, LSIG and EPSV hold what this step's trace pass read (NEU, LRN and the presynaptic
    // pass wrote them before it; nothing after it in the step does).
    for (int i = 0; i < NP; ++i) {
      const uint64_t ev = fact.mem(Mem::EPSV).peek(i);
      for (int j = 0; j < NR; ++j) {
        const bool alif = j >= s.n_lif();
        const int64_t x = from_word(spec::EPSV, alif ? ev >> spec::EPSV.bits : ev) * (int64_t{1} << kEpsvToE);
        const int64_t psi = from_word(spec::PSI, fact.mem(Mem::PSI).peek(j));
        const int64_t e = sat(spec::E, rnd(psi * x, spec::PSI.frac));
        const int64_t lj = from_word(spec::LSIG, fact.mem(Mem::LSIG).peek(j));
        int64_t& gs = g[static_cast<size_t>(i) * NR + j];
        gs = sat(spec::G, gs + rnd(lj * e, kGrad));
        psi_seen = psi_seen || psi != 0;
        alif_seen = alif_seen || (alif && e != 0 && lj != 0);
      }
    }
  }
  ASSERT_TRUE(psi_seen && alif_seen) << "the test must exercise the pass, ALIF lanes included";
  bool nonzero = false;
  for (int64_t a = 0; a < static_cast<int64_t>(NP) * NR; ++a) {
    EXPECT_EQ(from_word(spec::G, fact.mem(Mem::GRAD).peek(a)), g[static_cast<size_t>(a)]) << "synapse " << a;
    nonzero = nonzero || g[static_cast<size_t>(a)] != 0;
  }
  EXPECT_TRUE(nonzero);
  for (Mem m : {Mem::EBAR, Mem::EPSA}) {
    EXPECT_TRUE(all_zero(fact, m)) << spec::kMems[static_cast<size_t>(m)].name;
    EXPECT_EQ(fact.mem(m).reads(), 0u) << spec::kMems[static_cast<size_t>(m)].name;
  }
  EXPECT_NE(fact.mem(Mem::GRAD).words(), exact.mem(Mem::GRAD).words()) << "factored must differ from exact here";
}

TEST(TraceUnit, FactoredOnlyCoreWritesWhatTheFullCoreWritesUnderTrcFact) {
  Core only = busy_core(false, false, false), full = busy_core(false, true);
  EXPECT_TRUE(only.factored());
  EXPECT_TRUE(only.regs().trc_fact);
  EXPECT_EQ(only.mem(Mem::EPSA).depth(), 0);
  EXPECT_EQ(only.mem(Mem::EBAR).depth(), 0);
  EXPECT_GT(full.mem(Mem::EBAR).depth(), 0);
  // SIZES.ST says which core it is; CTRL.TRC_FACT cannot be cleared in the factored-only one.
  bool err = false;
  EXPECT_EQ(only.apb_read(spec::REG_SIZES, &err) & spec::SIZES_ST_MASK, 0u);
  EXPECT_NE(full.apb_read(spec::REG_SIZES, &err) & spec::SIZES_ST_MASK, 0u);
  for (Core* c : {&only, &full}) {
    c->apb_write(spec::REG_CTRL, c->apb_read(spec::REG_CTRL, &err) & ~spec::CTRL_TRC_FACT_MASK, &err);
  }
  ASSERT_FALSE(err);
  EXPECT_NE(only.apb_read(spec::REG_CTRL, &err) & spec::CTRL_TRC_FACT_MASK, 0u);
  EXPECT_TRUE(only.factored());
  EXPECT_FALSE(full.factored());
  full.apb_write(spec::REG_CTRL, full.apb_read(spec::REG_CTRL, &err) | spec::CTRL_TRC_FACT_MASK, &err);
  ASSERT_FALSE(err);
  // The same writes, in the same order, and the same cycles in every phase: two samples of
  // steps with an update between them, START_SAMPLE included (it clears no EPSA or EBAR rows).
  for (Core* c : {&only, &full}) c->regs().lr_in = c->regs().lr_rec = c->regs().lr_out = LearningRate{0x8000, 0};
  std::vector<WriteEvent> w_only, w_full;
  only.set_write_hook([&](const WriteEvent& e) { w_only.push_back(e); });
  full.set_write_hook([&](const WriteEvent& e) { w_full.push_back(e); });
  const Sizes s = full.sizes();
  const std::vector<int> events = {0, 1};
  const std::vector<int64_t> target(static_cast<size_t>(s.n_out), 0);
  for (int sample = 0; sample < 2; ++sample) {
    for (Core* c : {&only, &full}) c->start_sample();
    EXPECT_EQ(only.last_cycles(), full.last_cycles());
    for (int t = 0; t < 5; ++t) {
      for (Core* c : {&only, &full}) c->step(events, target, true);
      EXPECT_EQ(only.last_cycles(), full.last_cycles());
    }
    for (Core* c : {&only, &full}) c->end_sample(true);
  }
  ASSERT_EQ(w_only.size(), w_full.size());
  for (size_t i = 0; i < w_full.size(); ++i) {
    ASSERT_EQ(w_only[i].mem, w_full[i].mem) << "write " << i;
    ASSERT_EQ(w_only[i].addr, w_full[i].addr) << "write " << i;
    ASSERT_EQ(w_only[i].data, w_full[i].data) << "write " << i;
  }
  bool learned = false;  // the updates changed weights: the factored G reached them
  const uint64_t w0 = weight(false, int64_t{1} << (spec::W_MAG.frac - 3));
  for (Mem m : {Mem::W_IN, Mem::W_REC}) {
    for (int64_t a = 0; a < full.mem(m).depth(); ++a) learned = learned || (WeightWord::unpack(full.mem(m).peek(a)).active && full.mem(m).peek(a) != w0);
  }
  EXPECT_TRUE(learned);
  EXPECT_EQ(full.mem(Mem::EBAR).writes(), 0u);
  EXPECT_EQ(full.mem(Mem::EPSA).writes(), 0u);
}

// Adaptation blocks (CTRL.TRC_ACC, CTRL.TRC_BLOCK under CTRL.TRC_HOLD; docs/architecture.md):
// NEU sums psi into PSI while TRC_ACC is set; on a block's last step the synapse pass keeps the
// ALIF synapses' eps_a with the block's decay ALIF_RHO_BLK and psi the PSI word (the sum), and
// writes nothing else. Recomputed here from the words the pass read; the block's psi sum from a
// twin core without TRC_ACC (its PSI word is each step's psi).
void set_trace_bits(Core& c, bool acc, bool block) {
  Regs r = c.regs();
  r.trc_acc = acc;
  r.trc_block = block;
  bool err = false;
  c.apb_write(spec::REG_CTRL, r.ctrl(), &err);
  ASSERT_FALSE(err);
}

TEST(TraceUnit, AdaptationBlockKeepsEpsaWithTheBlocksPsiSumAndDecay) {
  constexpr int K = 3;
  Core blk = busy_core(true), twin = busy_core(true);
  const Sizes s = blk.sizes();
  const int NP = s.n_pre(), NR = s.n_rec, NA = s.n_alif, L = s.lanes;
  ASSERT_GT(NA, 0);
  bool err = false;
  for (Core* c : {&blk, &twin}) {  // a decay below 1 (the unit registers' rho is 1)
    c->apb_write(spec::REG_ALIF_RHO, static_cast<uint32_t>((int64_t{1} << spec::COEF.frac) * 9 / 10), &err);
    ASSERT_FALSE(err);
  }
  const int64_t rho_blk = block_decay(blk.regs().alif.rho, K);
  blk.apb_write(spec::REG_ALIF_RHO_BLK, static_cast<uint32_t>(rho_blk), &err);
  ASSERT_FALSE(err);
  ASSERT_EQ(blk.regs().alif_rho_blk, rho_blk);
  ASSERT_LT(rho_blk, blk.regs().alif.rho);
  const std::vector<int> events = {0, 1};
  const std::vector<int64_t> target(static_cast<size_t>(s.n_out), 0);
  constexpr int kEpsvToE = spec::E.frac - spec::EPSV.frac;
  constexpr int kBetaEpsa = spec::COEF.frac + spec::EPSA.frac - spec::E.frac;
  constexpr int kEtoEpsa = spec::E.frac - spec::EPSA.frac;
  std::vector<int64_t> psum(static_cast<size_t>(NR), 0);
  bool sum_seen = false, epsa_seen = false;
  for (int t = 0; t < 2 * K; ++t) {
    const bool first = t % K == 0, last = t % K == K - 1;
    set_trace_bits(blk, !first, last);
    const std::vector<uint64_t> epsa_before = blk.mem(Mem::EPSA).words();
    blk.step(events, target, true);
    twin.step(events, target, true);
    for (int j = 0; j < NR; ++j) {
      const int64_t psi = from_word(spec::PSI, twin.mem(Mem::PSI).peek(j));
      int64_t& p = psum[static_cast<size_t>(j)];
      p = sat(spec::PSI, (first ? 0 : p) + psi);
      ASSERT_EQ(from_word(spec::PSI, blk.mem(Mem::PSI).peek(j)), p) << "step " << t << " neuron " << j;
      sum_seen = sum_seen || (!first && p != psi);
    }
    const int64_t trc = blk.last_cycles()[static_cast<size_t>(spec::Phase::TRC)];
    if (!last) {
      EXPECT_EQ(trc, spec::cdiv(NP, L) + 2);
      EXPECT_EQ(blk.mem(Mem::EPSA).words(), epsa_before);
      continue;
    }
    EXPECT_EQ(trc, spec::cdiv(NP, L) + NP * spec::cdiv(NR, L) + 2);
    for (int i = 0; i < NP; ++i) {
      const int64_t x_alif = from_word(spec::EPSV, blk.mem(Mem::EPSV).peek(i) >> spec::EPSV.bits) * (int64_t{1} << kEpsvToE);
      for (int j = s.n_lif(); j < NR; ++j) {
        const int64_t a = static_cast<int64_t>(i) * NA + (j - s.n_lif());
        const int64_t ea = from_word(spec::EPSA, epsa_before[static_cast<size_t>(a)]);
        const int64_t x = sat(spec::E, x_alif - rnd(blk.regs().alif.beta * ea, kBetaEpsa));
        const int64_t e = sat(spec::E, rnd(psum[static_cast<size_t>(j)] * x, spec::PSI.frac));
        const int64_t want = sat(spec::EPSA, rnd(rho_blk * ea, spec::COEF.frac) + rnd(e, kEtoEpsa));
        ASSERT_EQ(from_word(spec::EPSA, blk.mem(Mem::EPSA).peek(a)), want) << "step " << t << " synapse " << i << " -> " << j;
        epsa_seen = epsa_seen || (want != 0 && ea != 0);
      }
    }
  }
  ASSERT_TRUE(sum_seen && epsa_seen) << "the test must exercise the sum and a decaying eps_a";
  EXPECT_TRUE(all_zero(blk, Mem::EBAR));
  for (int64_t a = 0; a < static_cast<int64_t>(NP) * NR; ++a) ASSERT_EQ(blk.mem(Mem::GRAD).peek(a), 0u) << a;
  EXPECT_EQ(blk.mem(Mem::EBAR).reads(), 0u);
}

// Blocks of one step (TRC_ACC never set, TRC_BLOCK on every step, ALIF_RHO_BLK = rho) keep
// exactly the eps_a of the exact pass.
TEST(TraceUnit, AdaptationBlocksOfOneStepKeepTheExactEpsa) {
  Core blk = busy_core(true), exact = busy_core(false);
  bool err = false;
  for (Core* c : {&blk, &exact}) {  // a decay below 1 (the unit registers' rho is 1)
    c->apb_write(spec::REG_ALIF_RHO, static_cast<uint32_t>((int64_t{1} << spec::COEF.frac) * 9 / 10), &err);
    ASSERT_FALSE(err);
  }
  EXPECT_EQ(block_decay(blk.regs().alif.rho, 1), blk.regs().alif.rho);
  blk.apb_write(spec::REG_ALIF_RHO_BLK, static_cast<uint32_t>(block_decay(blk.regs().alif.rho, 1)), &err);
  ASSERT_FALSE(err);
  set_trace_bits(blk, false, true);
  const std::vector<int> events = {0, 1};
  const std::vector<int64_t> target(static_cast<size_t>(blk.sizes().n_out), 0);
  for (int t = 0; t < 8; ++t) {
    blk.step(events, target, true);
    exact.step(events, target, true);
    ASSERT_EQ(blk.mem(Mem::EPSA).words(), exact.mem(Mem::EPSA).words()) << "step " << t;
  }
  EXPECT_FALSE(all_zero(blk, Mem::EPSA));
  EXPECT_TRUE(all_zero(blk, Mem::EBAR));
  EXPECT_FALSE(all_zero(exact, Mem::EBAR));
}

}  // namespace
}  // namespace eligo::chip
