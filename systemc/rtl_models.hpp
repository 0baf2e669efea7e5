// The verilated size configurations (systemc/CMakeLists.txt, ELIGO_RTL_CONFIGS) and a factory
// that picks the one matching a chip's sizes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "systemc/engine.hpp"

namespace eligo::cosim {

// Sizes of every verilated configuration.
std::vector<chip::Sizes> rtl_configurations();

// A --cc engine for exactly these sizes; std::invalid_argument listing the available ones
// otherwise.
std::unique_ptr<Engine> make_cc_engine(const chip::Sizes& sizes);

std::string describe(const chip::Sizes& s);  // "40-40-2 (20 ALIF), 4 lanes"

// Runs job(engine) on an RTL engine for these sizes: "cc" (a direct --cc model, any verilated
// configuration), "cc-activity" (the --cc model with toggle counting, activity.hpp) or "systemc"
// (the --sc model inside a SystemC top with clock and reset; the reduced configuration only).
// The SystemC kernel elaborates once per process, so "systemc" can run once per process; job
// runs inside the top's SC_THREAD.
void with_engine(const std::string& engine, const chip::Sizes& sizes, const std::function<void(Engine&)>& job);

}  // namespace eligo::cosim
