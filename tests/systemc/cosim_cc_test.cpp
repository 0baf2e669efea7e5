// Lock-step co-simulation with the direct (--cc) engine: inference on evidence-accumulation input
// with zero mismatches, for every verilated size configuration.
#include <gtest/gtest.h>

#include "golden_model/chip/quantize.hpp"
#include "golden_model/float/trainer.hpp"
#include "golden_model/tasks/evidence_accumulation.hpp"
#include "systemc/cosim.hpp"
#include "systemc/rtl_models.hpp"

namespace eligo::cosim {
namespace {

std::string report(const Cosim& c) {
  if (!c.first_mismatch()) return "no mismatch";
  const Mismatch& m = *c.first_mismatch();
  return m.kind + " at timestep " + std::to_string(m.timestep) + ", cycle " + std::to_string(m.cycle) + ", phase " +
         m.phase + ", " + m.memory + "[" + std::to_string(m.address) + "]: expected " + std::to_string(m.expected) +
         ", actual " + std::to_string(m.actual) + " (" + m.detail + ")";
}

TEST(CosimCc, SmokeInference) {
  const chip::Sizes s = rtl_configurations()[0];
  fl::NetworkParams p;
  p.n_in = s.n_in;
  p.n_out = s.n_out;
  p.lif.n = s.n_rec - s.n_alif;
  p.alif.n = s.n_alif;
  const fl::Neurons n = fl::Neurons::from(p);
  const fl::Weights w = fl::init_weights(n, 3);
  chip::ChipOptions o;
  o.lanes = s.lanes;
  const chip::ChipImage im = chip::quantize(n, w, o);
  chip::Core model(im.sizes, im.regs);
  chip::load_image(model, im);
  auto rtl = make_cc_engine(s);
  Cosim c(*rtl, model);
  ASSERT_TRUE(c.configure()) << report(c);
  tasks::EvidenceAccumulationParams tp;
  tp.t_cue = 40;
  tp.t_cue_spacing = 60;
  tp.t_delay = 150;
  tp.t_recall = 40;
  const tasks::Batch b = tasks::make_evidence_accumulation(tp, 1, 5);
  EXPECT_TRUE(c.run_sample(b, 0, 40, false)) << report(c);
  EXPECT_TRUE(c.check_counters()) << report(c);
  std::printf("timesteps %lld, writes %llu, words %llu, rtl cycles %llu\n",
              static_cast<long long>(c.stats().timesteps), static_cast<unsigned long long>(c.stats().writes_compared),
              static_cast<unsigned long long>(c.stats().words_compared),
              static_cast<unsigned long long>(rtl->cycles()));
}

}  // namespace
}  // namespace eligo::cosim

namespace eligo::cosim {
namespace {

TEST(CosimCc, DetectsAnInjectedFault) {
  const chip::Sizes s = rtl_configurations()[0];
  fl::NetworkParams p;
  p.n_in = s.n_in;
  p.n_out = s.n_out;
  p.lif.n = s.n_rec - s.n_alif;
  p.alif.n = s.n_alif;
  const fl::Neurons n = fl::Neurons::from(p);
  const fl::Weights w = fl::init_weights(n, 3);
  chip::ChipOptions o;
  o.lanes = s.lanes;
  const chip::ChipImage im = chip::quantize(n, w, o);
  chip::Core model(im.sizes, im.regs);
  chip::load_image(model, im);
  auto rtl = make_cc_engine(s);
  Cosim c(*rtl, model);
  c.set_faults({parse_fault("STATE:3:20@100")});
  ASSERT_TRUE(c.configure());
  tasks::EvidenceAccumulationParams tp;
  tp.t_cue = 40;
  tp.t_cue_spacing = 60;
  tp.t_delay = 150;
  tp.t_recall = 40;
  const tasks::Batch b = tasks::make_evidence_accumulation(tp, 1, 5);
  EXPECT_FALSE(c.run_sample(b, 0, 40, false));
  ASSERT_TRUE(c.first_mismatch().has_value());
  EXPECT_EQ(c.first_mismatch()->timestep, 100);
  std::printf("%s %s[%lld] phase %s: %s\n", c.first_mismatch()->kind.c_str(), c.first_mismatch()->memory.c_str(),
              static_cast<long long>(c.first_mismatch()->address), c.first_mismatch()->phase.c_str(),
              c.first_mismatch()->detail.c_str());
}

}  // namespace
}  // namespace eligo::cosim
