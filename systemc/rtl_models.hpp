// The verilated size configurations (systemc/CMakeLists.txt, ELIGO_RTL_CONFIGS) and a factory
// that picks the one matching a chip's sizes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "systemc/engine.hpp"

namespace eligo::cosim {

// Sizes of every verilated configuration of the project (ELIGO_RTL_CONFIGS, in that order).
std::vector<chip::Sizes> rtl_configurations();
// Those this build verilated (CMake ELIGO_RTL_MODELS: all of them, except in make demo's build).
std::vector<chip::Sizes> built_rtl_configurations();

// A build's models of one kind (--cc, SystemC, toggle-counting): for each, its index in
// rtl_configurations() and its factory (the entries under #ifdef of the configurations built).
template <class Factory>
using ModelTable = std::vector<std::pair<size_t, Factory>>;

// The sizes of a table's models.
template <class Factory>
std::vector<chip::Sizes> sizes_of(const ModelTable<Factory>& models) {
  const auto c = rtl_configurations();
  std::vector<chip::Sizes> sizes;
  for (const auto& m : models) sizes.push_back(c[m.first]);
  return sizes;
}

// The factory of the model for sizes s, or nullptr.
template <class Factory>
Factory find_model(const ModelTable<Factory>& models, const chip::Sizes& s) {
  const auto c = rtl_configurations();
  for (const auto& m : models) {
    if (c[m.first] == s) return m.second;
  }
  return nullptr;
}

// The message for sizes without a model of kind `what` ("verilated RTL") in this build: the
// sizes, the available ones (`built`), and how to build the others when the sizes are among `all`
// (the configurations that have such a model in a full build).
std::string not_built(const std::string& what, const chip::Sizes& s, const std::vector<chip::Sizes>& built,
                      const std::vector<chip::Sizes>& all);

// The SystemC engine (sc_engine.cpp; without SystemC models in this build, an error).
void run_systemc(const chip::Sizes& s, const std::function<void(Engine&)>& job);

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
