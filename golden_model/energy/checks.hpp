// Validation helpers of the energy readers (energy.cpp's profiles, calibration.cpp's chips): every
// error is one std::runtime_error line "SOURCE: FIELD: PROBLEM".
#pragma once

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace eligo::energy::checks {

[[noreturn]] inline void bad(const std::string& src, const std::string& field, const std::string& what) {
  throw std::runtime_error(src + ": " + field + ": " + what);
}

// obj[key], which must exist (operator[] of a const json is undefined for a missing key).
inline const nlohmann::json& member(const nlohmann::json& obj, const char* key, const std::string& src,
                                    const std::string& field) {
  if (!obj.is_object() || !obj.contains(key)) bad(src, field, "missing");
  return obj[key];
}

// A number in [lo, hi] (the allowed range named in the error).
inline double in_range(const nlohmann::json& j, const std::string& src, const std::string& field, double lo, double hi) {
  if (!j.is_number() || !std::isfinite(j.get<double>()) || j.get<double>() < lo || j.get<double>() > hi) {
    char range[64];
    std::snprintf(range, sizeof range, "[%g, %g]", lo, hi);
    bad(src, field, std::string("must be a number in ") + range);
  }
  return j.get<double>();
}

}  // namespace eligo::energy::checks
