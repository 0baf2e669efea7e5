// The direct engine: a Verilator --cc model of eligo_core driven from C++ (no SystemC), for
// long regressions. V is the verilated class of one size configuration (rtl_models.cpp).
#pragma once

#include <verilated.h>
#include <verilated_fst_c.h>
#ifdef ELIGO_RTL_COVERAGE
#include <unistd.h>
#include <verilated_cov.h>

#include <atomic>
#include <cstdlib>
#endif

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "golden_model/chip/bytes.hpp"
#include "systemc/engine.hpp"
#include "systemc/verilated_state.hpp"
#include "systemc/wide_bits.hpp"

namespace eligo::cosim {

// Whether V was verilated with tracing (the toggle-counting models of activity.cmake are not).
template <class V, class = void>
struct HasTrace : std::false_type {};
template <class V>
struct HasTrace<V, std::void_t<decltype(std::declval<V&>().trace(static_cast<VerilatedFstC*>(nullptr), 0))>>
    : std::true_type {};

// Whether V was verilated with --savable (the --cc models of systemc/CMakeLists.txt are; the
// toggle-counting ones are not).
template <class V, class = void>
struct IsSavable : std::false_type {};
template <class V>
struct IsSavable<V, std::void_t<decltype(std::declval<VerilatedSerialize&>() << std::declval<V&>())>>
    : std::true_type {};

template <class V>
class CcEngine : public Engine {
 public:
  CcEngine(const char* name, const chip::Sizes& sizes) : name_(name), sizes_(sizes) {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->traceEverOn(true);
    top_ = std::make_unique<V>(ctx_.get(), "TOP");
    top_->clk_i = 0;
    top_->rst_ni = 1;
    top_->eval();
  }
  ~CcEngine() override {
    trace_close();
    top_->final();
#ifdef ELIGO_RTL_COVERAGE
    // make coverage: this engine's line, branch and toggle counts, one file per engine.
    if (const char* dir = std::getenv("ELIGO_COVERAGE_DIR"); dir && *dir) {
      static std::atomic<int> n{0};
      const std::string path = std::string(dir) + "/" + name_ + "_" + std::to_string(sizes_.n_in) + "x" +
                               std::to_string(sizes_.n_rec) + "x" + std::to_string(sizes_.n_out) + "_l" +
                               std::to_string(sizes_.lanes) + "_" + std::to_string(getpid()) + "_" +
                               std::to_string(n++) + ".dat";
      ctx_->coveragep()->write(path.c_str());
    }
#endif
    // Verilator 5.006 unregisters a model's scopes from the thread's current context
    // (VerilatedScope::~VerilatedScope), which may be another model's, already destroyed, when
    // two engines are alive at once (a deadlock on its freed mutex): make it this model's.
    Verilated::threadContextp(ctx_.get());
    top_.reset();
  }

  const char* name() const override { return name_; }
  const chip::Sizes& sizes() const override { return sizes_; }

  void set_reset(bool asserted) override { top_->rst_ni = asserted ? 0 : 1; }

  PinsOut eval(const PinsIn& in) override {
    top_->psel_i = in.psel;
    top_->penable_i = in.penable;
    top_->pwrite_i = in.pwrite;
    top_->paddr_i = in.paddr;
    top_->pwdata_i = in.pwdata;
    top_->aer_valid_i = in.aer_valid;
    top_->aer_addr_i = in.aer_addr;
    top_->aer_eot_i = in.aer_eot;
    top_->eval();
    PinsOut o;
    o.prdata = top_->prdata_o;
    o.pready = top_->pready_o;
    o.pslverr = top_->pslverr_o;
    o.aer_ready = top_->aer_ready_o;
    o.irq = top_->irq_o;
    o.busy = top_->busy_o;
    o.phase = top_->phase_o;
    o.phase_valid = top_->phase_valid_o;
    return o;
  }

  void writes(std::vector<chip::WriteEvent>& out) override {
    collect_writes(top_->mon_we_o, top_->mon_addr_o, top_->mon_data_o, sizes_.lanes, out);
  }

  // Rising edge; the falling edge is evaluated together with the next cycle's inputs in eval()
  // (the core uses rising edges only), so a cycle costs two evaluations.
  void clock() override {
    if (fst_) fst_->dump(ctx_->time());
    ctx_->timeInc(5);
    top_->clk_i = 1;
    top_->eval();
    if (fst_) fst_->dump(ctx_->time());
    ctx_->timeInc(5);
    top_->clk_i = 0;
    ++cycles_;
  }

  uint64_t cycles() const override { return cycles_; }

  // The model's context (its coverage database for the toggle-counting variants, activity.hpp).
  VerilatedContext& context() { return *ctx_; }

  MemoryBackdoor memory(chip::spec::Mem m) override { return find_memory(*ctx_, "TOP", m, sizes_); }

  void trace_open(const std::string& path) override {
    trace_close();
    if constexpr (HasTrace<V>::value) {
      fst_ = std::make_unique<VerilatedFstC>();
      top_->trace(fst_.get(), 99);
      fst_->open(path.c_str());
    } else {
      throw std::runtime_error(std::string(name_) + ": this model was verilated without tracing (" + path + ")");
    }
  }
  void trace_close() override {
    if (fst_) {
      fst_->close();
      fst_.reset();
    }
  }

  // The engine's name and sizes, the cycle count and the model's bytes (its context's time among
  // them).
  std::string save_state() const override {
    if constexpr (IsSavable<V>::value) {
      StringSave os;
      os << *top_;
      chip::ByteWriter w;
      w.put_bytes(identity());
      w.put(cycles_);
      w.put_bytes(os.finish());
      return w.bytes();
    } else {
      return Engine::save_state();
    }
  }
  // std::invalid_argument (nothing changed) for the state of another engine or size configuration.
  void restore_state(const std::string& bytes) override {
    if constexpr (IsSavable<V>::value) {
      chip::ByteReader r(bytes);
      const std::string id = r.get_bytes();
      if (id != identity()) throw std::invalid_argument("RTL state of the " + id + " model, not of the " + identity());
      const uint64_t cycles = r.get<uint64_t>();
      const std::string model = r.get_bytes();
      if (r.left() != 0) throw std::invalid_argument("RTL state: " + std::to_string(r.left()) + " bytes past its end");
      StringRestore is(model);
      is >> *top_;
      is.finish();
      cycles_ = cycles;
    } else {
      Engine::restore_state(bytes);
    }
  }

 private:
  // "cc 40-40-2-20-4-1": what a saved state must match (another design's bytes would abort in
  // Verilator's own check).
  std::string identity() const {
    const chip::Sizes& s = sizes_;
    return std::string(name_) + " " + std::to_string(s.n_in) + "-" + std::to_string(s.n_rec) + "-" +
           std::to_string(s.n_out) + "-" + std::to_string(s.n_alif) + "-" + std::to_string(s.lanes) + "-" +
           std::to_string(s.synapse_traces ? 1 : 0);
  }

  const char* name_;
  chip::Sizes sizes_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> top_;
  std::unique_ptr<VerilatedFstC> fst_;
  uint64_t cycles_ = 0;
};

}  // namespace eligo::cosim
