// The toggle-counting engines: the direct engine (cc_engine.hpp) on the --coverage-toggle models
// of systemc/activity.cmake, with the model's 32-bit counters moved into 64-bit totals through
// Verilator's coverage database every window of cycles.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <utility>
#include <vector>

#include "systemc/activity.hpp"
#include "systemc/rtl_models.hpp"

#ifdef ELIGO_HAVE_ACTIVITY
#include <verilated_cov.h>

#ifdef ELIGO_ACTIVITY_r20x10x2_l2
#include "Vcov_r20x10x2_l2.h"
#endif
#ifdef ELIGO_ACTIVITY_r40x40x2_l4
#include "Vcov_r40x40x2_l4.h"
#endif
#include "systemc/cc_engine.hpp"
#endif

namespace eligo::cosim {

namespace {

#ifdef ELIGO_HAVE_ACTIVITY
template <class V>
class ActivityCc : public ActivityEngine {
 public:
  ActivityCc(const chip::Sizes& s, uint64_t window) : cc_("cc-activity", s), window_(window) {
    cc_.context().coveragep()->forcePerInstance(true);
    cc_.context().coveragep()->zero();
  }
  const char* name() const override { return cc_.name(); }
  const chip::Sizes& sizes() const override { return cc_.sizes(); }
  void set_reset(bool asserted) override { cc_.set_reset(asserted); }
  PinsOut eval(const PinsIn& in) override { return cc_.eval(in); }
  void writes(std::vector<chip::WriteEvent>& out) override { cc_.writes(out); }
  void clock() override {
    cc_.clock();
    if (cc_.cycles() - window_start_ >= window_) move_counts();
  }
  uint64_t cycles() const override { return cc_.cycles(); }
  MemoryBackdoor memory(chip::spec::Mem m) override { return cc_.memory(m); }
  void trace_open(const std::string& path) override { cc_.trace_open(path); }
  void trace_close() override { cc_.trace_close(); }

  Toggles toggles() override {
    move_counts();
    Toggles t;
    t.sizes = cc_.sizes();
    t.cycles = cc_.cycles();
    t.points = totals_;
    return t;
  }
  void write_coverage(const std::string& path) override { cc_.context().coveragep()->write(path.c_str()); }

 private:
  void move_counts() {
    static std::atomic<int> serial{0};
    const auto path = std::filesystem::temp_directory_path() /
                      ("eligo-toggles-" + std::to_string(::getpid()) + "-" + std::to_string(serial++) + ".dat");
    cc_.context().coveragep()->write(path.string().c_str());
    std::vector<TogglePoint> w;
    try {
      w = read_coverage(path.string());
    } catch (...) {
      std::filesystem::remove(path);
      throw;
    }
    std::filesystem::remove(path);
    cc_.context().coveragep()->zero();
    accumulate(totals_, w);
    window_start_ = cc_.cycles();
  }

  CcEngine<V> cc_;
  uint64_t window_;
  uint64_t window_start_ = 0;
  std::vector<TogglePoint> totals_;
};
#endif

}  // namespace

namespace {

using ActivityFactory = std::unique_ptr<ActivityEngine> (*)(const chip::Sizes&, uint64_t window_cycles);

#ifdef ELIGO_HAVE_ACTIVITY
template <class V>
std::unique_ptr<ActivityEngine> make_activity(const chip::Sizes& s, uint64_t window_cycles) {
  return std::make_unique<ActivityCc<V>>(s, window_cycles);
}
#endif

// The toggle-counting models of this build (systemc/activity.cmake: ELIGO_ACTIVITY_CONFIGS, those
// verilated): their index in rtl_configurations() and their factory.
const ModelTable<ActivityFactory>& activity_models() {
  static const ModelTable<ActivityFactory> models = {
#ifdef ELIGO_ACTIVITY_r40x40x2_l4
      {0, make_activity<Vcov_r40x40x2_l4>},
#endif
#ifdef ELIGO_ACTIVITY_r20x10x2_l2
      {2, make_activity<Vcov_r20x10x2_l2>},
#endif
  };
  return models;
}

}  // namespace

std::vector<chip::Sizes> activity_configurations() { return sizes_of(activity_models()); }

std::unique_ptr<ActivityEngine> make_activity_engine(const chip::Sizes& s, uint64_t window_cycles) {
  if (window_cycles == 0) throw std::invalid_argument("make_activity_engine: window_cycles must be > 0");
  if (const ActivityFactory make = find_model(activity_models(), s)) return make(s, window_cycles);
  std::string list;
  for (const auto& x : activity_configurations()) list += (list.empty() ? "" : "; ") + describe(x);
  throw std::invalid_argument("activity: no toggle-counting RTL for " + describe(s) + " (available: " +
                              (list.empty() ? "none in this build: -DELIGO_ACTIVITY=OFF, or ELIGO_RTL_MODELS without "
                                              "40-40-2 and 20-10-2"
                                            : list) +
                              ")");
}

}  // namespace eligo::cosim
