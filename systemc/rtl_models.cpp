#include "systemc/rtl_models.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "systemc/activity.hpp"
#include "systemc/cc_engine.hpp"
// The configurations this build verilates (systemc/CMakeLists.txt, ELIGO_RTL_MODELS).
#ifdef ELIGO_RTL_r40x40x2_l4
#include "Vr40x40x2_l4.h"
#endif
#ifdef ELIGO_RTL_r40x100x2_l3
#include "Vr40x100x2_l3.h"
#endif
#ifdef ELIGO_RTL_r20x10x2_l2
#include "Vr20x10x2_l2.h"
#endif
#ifdef ELIGO_RTL_r40x100x2_a0_l16
#include "Vr40x100x2_a0_l16.h"
#endif
#ifdef ELIGO_RTL_r20x10x2_l2_f
#include "Vr20x10x2_l2_f.h"
#endif
#ifdef ELIGO_RTL_r37x23x5_a23_l4
#include "Vr37x23x5_a23_l4.h"
#endif
#ifdef ELIGO_RTL_r256x256x16_a128_l16
#include "Vr256x256x16_a128_l16.h"
#endif

namespace eligo::cosim {

std::vector<chip::Sizes> rtl_configurations() {
  return {chip::Sizes(40, 40, 2, 20, 4), chip::Sizes(40, 100, 2, 50, 3), chip::Sizes(20, 10, 2, 5, 2),
          chip::Sizes(40, 100, 2, 0, 16), chip::Sizes(20, 10, 2, 5, 2, false), chip::Sizes(37, 23, 5, 23, 4),
          chip::Sizes(256, 256, 16, 128, 16)};
}

namespace {

using CcFactory = std::unique_ptr<Engine> (*)(const chip::Sizes&);

template <class V>
std::unique_ptr<Engine> make_cc(const chip::Sizes& s) {
  return std::make_unique<CcEngine<V>>("cc", s);
}

// The --cc models of this build: their index in rtl_configurations() and their factory.
const ModelTable<CcFactory>& cc_models() {
  static const ModelTable<CcFactory> models = {
#ifdef ELIGO_RTL_r40x40x2_l4
      {0, make_cc<Vr40x40x2_l4>},
#endif
#ifdef ELIGO_RTL_r40x100x2_l3
      {1, make_cc<Vr40x100x2_l3>},
#endif
#ifdef ELIGO_RTL_r20x10x2_l2
      {2, make_cc<Vr20x10x2_l2>},
#endif
#ifdef ELIGO_RTL_r40x100x2_a0_l16
      {3, make_cc<Vr40x100x2_a0_l16>},
#endif
#ifdef ELIGO_RTL_r20x10x2_l2_f
      {4, make_cc<Vr20x10x2_l2_f>},
#endif
#ifdef ELIGO_RTL_r37x23x5_a23_l4
      {5, make_cc<Vr37x23x5_a23_l4>},
#endif
#ifdef ELIGO_RTL_r256x256x16_a128_l16
      {6, make_cc<Vr256x256x16_a128_l16>},
#endif
  };
  return models;
}

}  // namespace

std::vector<chip::Sizes> built_rtl_configurations() { return sizes_of(cc_models()); }

std::string not_built(const std::string& what, const chip::Sizes& s, const std::vector<chip::Sizes>& built,
                      const std::vector<chip::Sizes>& all) {
  std::string list;
  for (const auto& x : built) list += (list.empty() ? "" : "; ") + describe(x);
  const bool elsewhere = std::find(all.begin(), all.end(), s) != all.end();
  return "cosim: no " + what + " for " + describe(s) + " (available: " + (list.empty() ? "none" : list) + ")" +
         (elsewhere ? "; this build verilates only some configurations (CMake ELIGO_RTL_MODELS, make demo's "
                      "build): build with -DELIGO_RTL_MODELS=all (make build) for it"
                    : "");
}

std::string describe(const chip::Sizes& s) {
  return std::to_string(s.n_in) + "-" + std::to_string(s.n_rec) + "-" + std::to_string(s.n_out) + " (" +
         std::to_string(s.n_alif) + " ALIF), " + std::to_string(s.lanes) + " lanes" +
         (s.synapse_traces ? "" : ", factored traces only");
}

std::unique_ptr<Engine> make_cc_engine(const chip::Sizes& s) {
  if (const CcFactory make = find_model(cc_models(), s)) return make(s);
  throw std::invalid_argument(not_built("verilated RTL", s, built_rtl_configurations(), rtl_configurations()));
}

#ifndef ELIGO_HAVE_SYSTEMC
void run_systemc(const chip::Sizes& s, const std::function<void(Engine&)>&) {
  const auto c = rtl_configurations();
  throw std::invalid_argument(not_built("SystemC model", s, {}, {c[0], c[1]}));
}
#endif

void with_engine(const std::string& engine, const chip::Sizes& s, const std::function<void(Engine&)>& job) {
  if (engine == "cc") {
    auto e = make_cc_engine(s);
    job(*e);
  } else if (engine == kActivityEngine) {
    auto e = make_activity_engine(s);
    job(*e);
  } else if (engine == "systemc") {
    run_systemc(s, job);
  } else {
    throw std::invalid_argument("engine " + engine + " (allowed: systemc, cc, " + kActivityEngine + ")");
  }
}

}  // namespace eligo::cosim
