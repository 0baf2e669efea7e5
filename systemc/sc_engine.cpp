// The SystemC engine: the core verilated with --sc inside a SystemC top (sc_top) with a clock
// (sc_clock, 10 ns) and an active-low reset. The host (APB master and AER driver), the write
// monitor and the scoreboard run in the top's SC_THREAD through the Engine interface: inputs
// are driven at the falling edge, the combinational outputs are read after the delta cycles
// settle, and the rising edge commits the cycle.
#include <systemc.h>
#include <verilated.h>
#include <verilated_fst_sc.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#ifdef ELIGO_RTL_r40x100x2_l3
#include "Vsc_r40x100x2_l3.h"
#endif
#ifdef ELIGO_RTL_r40x40x2_l4
#include "Vsc_r40x40x2_l4.h"
#endif
#include "systemc/rtl_models.hpp"
#include "systemc/wide_bits.hpp"

namespace eligo::cosim {

namespace {

// The top for one verilated --sc configuration V with `Lanes` lanes.
template <class V, int Lanes>
struct ScTop : public sc_core::sc_module {
  sc_clock clk{"clk", 10, SC_NS};
  sc_signal<bool> rst_n{"rst_n"};
  sc_signal<bool> psel{"psel"}, penable{"penable"}, pwrite{"pwrite"};
  sc_signal<uint32_t> paddr{"paddr"}, pwdata{"pwdata"}, prdata{"prdata"};
  sc_signal<bool> pready{"pready"}, pslverr{"pslverr"};
  sc_signal<bool> aer_valid{"aer_valid"}, aer_ready{"aer_ready"}, aer_eot{"aer_eot"};
  sc_signal<uint32_t> aer_addr{"aer_addr"};
  sc_signal<bool> irq{"irq"}, busy{"busy"}, phase_valid{"phase_valid"};
  sc_signal<uint32_t> phase{"phase"};
  sc_signal<uint64_t> mon_we{"mon_we"};
  sc_signal<sc_bv<eligo::chip::spec::NUM_MEMS * 20>> mon_addr{"mon_addr"};
  sc_signal<sc_bv<eligo::chip::spec::NUM_MEMS * Lanes * 64>> mon_data{"mon_data"};
  V core{"core"};
  std::function<void(Engine&)> job;
  chip::Sizes sizes;
  std::exception_ptr error;

  SC_HAS_PROCESS(ScTop);
  explicit ScTop(sc_core::sc_module_name name) : sc_core::sc_module(name) {
    core.clk_i(clk);
    core.rst_ni(rst_n);
    core.psel_i(psel);
    core.penable_i(penable);
    core.pwrite_i(pwrite);
    core.paddr_i(paddr);
    core.pwdata_i(pwdata);
    core.prdata_o(prdata);
    core.pready_o(pready);
    core.pslverr_o(pslverr);
    core.aer_valid_i(aer_valid);
    core.aer_ready_o(aer_ready);
    core.aer_addr_i(aer_addr);
    core.aer_eot_i(aer_eot);
    core.irq_o(irq);
    core.busy_o(busy);
    core.phase_o(phase);
    core.phase_valid_o(phase_valid);
    core.mon_we_o(mon_we);
    core.mon_addr_o(mon_addr);
    core.mon_data_o(mon_data);
    SC_THREAD(host);
  }

  void host();
};

template <class Top>
class ScEngine : public Engine {
 public:
  ScEngine(Top& top, const chip::Sizes& s) : top_(top), sizes_(s) {}
  ~ScEngine() override { trace_close(); }
  const char* name() const override { return "systemc"; }
  const chip::Sizes& sizes() const override { return sizes_; }

  void set_reset(bool asserted) override { top_.rst_n.write(!asserted); }
  PinsOut eval(const PinsIn& in) override {
    top_.psel.write(in.psel);
    top_.penable.write(in.penable);
    top_.pwrite.write(in.pwrite);
    top_.paddr.write(in.paddr);
    top_.pwdata.write(in.pwdata);
    top_.aer_valid.write(in.aer_valid);
    top_.aer_addr.write(in.aer_addr);
    top_.aer_eot.write(in.aer_eot);
    sc_core::wait(SC_ZERO_TIME);
    sc_core::wait(SC_ZERO_TIME);
    PinsOut o;
    o.prdata = top_.prdata.read();
    o.pready = top_.pready.read();
    o.pslverr = top_.pslverr.read();
    o.aer_ready = top_.aer_ready.read();
    o.irq = top_.irq.read();
    o.busy = top_.busy.read();
    o.phase = static_cast<int>(top_.phase.read());
    o.phase_valid = top_.phase_valid.read();
    return o;
  }
  void writes(std::vector<chip::WriteEvent>& out) override {
    if (top_.mon_we.read() == 0) {
      out.clear();
      return;
    }
    collect_writes(top_.mon_we.read(), top_.mon_addr.read(), top_.mon_data.read(), sizes_.lanes, out);
  }
  void clock() override {
    sc_core::wait(top_.clk.posedge_event());
    sc_core::wait(top_.clk.negedge_event());
    ++cycles_;
  }
  uint64_t cycles() const override { return cycles_; }
  MemoryBackdoor memory(chip::spec::Mem m) override {
    return find_memory(*Verilated::threadContextp(), top_.core.name(), m, sizes_);
  }
  void trace_open(const std::string& path) override {
    trace_close();
    Verilated::traceEverOn(true);
    fst_ = std::make_unique<VerilatedFstSc>();
    top_.core.trace(fst_.get(), 99);
    fst_->open(path.c_str());
  }
  void trace_close() override {
    if (fst_) {
      fst_->close();
      fst_.reset();
    }
  }

 private:
  Top& top_;
  chip::Sizes sizes_;
  std::unique_ptr<VerilatedFstSc> fst_;
  uint64_t cycles_ = 0;
};

template <class V, int Lanes>
void ScTop<V, Lanes>::host() {
  sc_core::wait(clk.negedge_event());
  try {
    ScEngine<ScTop> e(*this, sizes);
    job(e);
  } catch (...) {
    error = std::current_exception();
  }
  sc_core::sc_stop();
}

template <class Top>
void run_top(const chip::Sizes& s, const std::function<void(Engine&)>& job) {
  Top top("top");
  top.job = job;
  top.sizes = s;
  sc_core::sc_start();
  if (top.error) std::rethrow_exception(top.error);
}

using ScRunner = void (*)(const chip::Sizes&, const std::function<void(Engine&)>&);

// The --sc models of this build (the first two configurations of rtl_configurations(), those
// built): their index there and their top.
const ModelTable<ScRunner>& sc_models() {
  static const ModelTable<ScRunner> models = {
#ifdef ELIGO_RTL_r40x40x2_l4
      {0, run_top<ScTop<Vsc_r40x40x2_l4, 4>>},
#endif
#ifdef ELIGO_RTL_r40x100x2_l3
      {1, run_top<ScTop<Vsc_r40x100x2_l3, 3>>},
#endif
  };
  return models;
}

}  // namespace

void run_systemc(const chip::Sizes& s, const std::function<void(Engine&)>& job) {
  static bool used = false;
  const auto cfg = rtl_configurations();
  const ScRunner run = find_model(sc_models(), s);
  if (!run) {
    throw std::invalid_argument(not_built("SystemC model", s, sizes_of(sc_models()), {cfg[0], cfg[1]}) +
                                " (or use --engine cc)");
  }
  if (used) throw std::logic_error("cosim: the SystemC engine runs once per process (SystemC elaborates once)");
  used = true;
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  run(s, job);
}

}  // namespace eligo::cosim

// libsystemc's main() refers to sc_main; eligo has its own main, so this is never called.
int sc_main(int, char**) { return 1; }
