// Parts of the report.json of eligo chip shared by its task runners (chip_commands.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "golden_model/chip/core.hpp"
#include "golden_model/quantize/quantize.hpp"

namespace eligo::harness {

// {quantity: {format, n, saturated, max_abs, rms, rel_rms}}
nlohmann::json quant_errors_json(const std::vector<chip::QuantError>& errs);
// Every performance counter by name, and reads/writes per memory.
nlohmann::json counters_json(const chip::Core& core);
// Cycles per phase (RST .. RWR) and their "total".
nlohmann::json cycles_json(const chip::Core& core);

}  // namespace eligo::harness
