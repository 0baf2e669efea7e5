#include "systemc/rtl_models.hpp"

#include <stdexcept>

#include "systemc/activity.hpp"
#include "systemc/cc_engine.hpp"
#include "Vr20x10x2_l2.h"
#include "Vr40x100x2_a0_l16.h"
#include "Vr40x100x2_l3.h"
#include "Vr40x40x2_l4.h"

namespace eligo::cosim {

namespace {

}  // namespace

std::vector<chip::Sizes> rtl_configurations() {
  return {chip::Sizes(40, 40, 2, 20, 4), chip::Sizes(40, 100, 2, 50, 3), chip::Sizes(20, 10, 2, 5, 2),
          chip::Sizes(40, 100, 2, 0, 16)};
}

std::string describe(const chip::Sizes& s) {
  return std::to_string(s.n_in) + "-" + std::to_string(s.n_rec) + "-" + std::to_string(s.n_out) + " (" +
         std::to_string(s.n_alif) + " ALIF), " + std::to_string(s.lanes) + " lanes";
}

std::unique_ptr<Engine> make_cc_engine(const chip::Sizes& s) {
  const auto c = rtl_configurations();
  if (s == c[0]) return std::make_unique<CcEngine<Vr40x40x2_l4>>("cc", s);
  if (s == c[1]) return std::make_unique<CcEngine<Vr40x100x2_l3>>("cc", s);
  if (s == c[2]) return std::make_unique<CcEngine<Vr20x10x2_l2>>("cc", s);
  if (s == c[3]) return std::make_unique<CcEngine<Vr40x100x2_a0_l16>>("cc", s);
  std::string list;
  for (const auto& x : c) list += (list.empty() ? "" : "; ") + describe(x);
  throw std::invalid_argument("cosim: no verilated RTL for " + describe(s) + " (available: " + list + ")");
}

// sc_engine.cpp
void run_systemc(const chip::Sizes& s, const std::function<void(Engine&)>& job);

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
