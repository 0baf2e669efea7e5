// The one hardened JSON parse that every JSON reader goes through (run configs, chip, MLP and
// CLAPP configs, energy tables, report.json / activity.json / area.json): nesting depth bounded
// (kMaxJsonDepth), duplicate keys rejected (nlohmann would silently keep the last one), numbers
// finite (nlohmann refuses 1e999; its message is wrapped). Errors are io::ConfigError, one line naming the source
// and the key path: "<source>: <key.path>: <problem> (allowed: <range>)", or for malformed text
// "<source>: line L, column C: malformed JSON: <detail>".
//
// Header-only so that the analog model (which io itself depends on) can use it too.
#pragma once

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "golden_model/io/config.hpp"

namespace eligo::io {

// Deepest nesting of objects and arrays accepted (the deepest file eligo writes or reads has 5).
constexpr size_t kMaxJsonDepth = 64;

namespace json_detail {

[[noreturn]] inline void fail(const std::string& source, const std::string& key, const std::string& problem,
                              const std::string& allowed = "") {
  throw ConfigError(shown_path(source) + ": " + (key.empty() ? "(top level)" : key) + ": " + problem +
                    (allowed.empty() ? "" : " (" + allowed + ")"));
}

// Parser callback: tracks the key path, rejects duplicate keys, deep nesting and non-finite numbers.
class Checks {
 public:
  explicit Checks(std::string source) : source_(std::move(source)) {}
  bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start:
        if (frames_.size() >= kMaxJsonDepth) {
          fail(source_, child_path(), "nested more than " + std::to_string(kMaxJsonDepth) + " levels deep",
               "allowed: at most " + std::to_string(kMaxJsonDepth) + " nested objects and arrays");
        }
        frames_.push_back({child_path(), {}, "", event == E::array_start});
        break;
      case E::object_end:
      case E::array_end: frames_.pop_back(); break;
      case E::key: {
        Frame& f = frames_.back();
        f.last_key = parsed.get<std::string>();
        if (!f.keys.insert(f.last_key).second) fail(source_, child_path(), "duplicate key");
        break;
      }
      case E::value: break;
    }
    return true;
  }

 private:
  struct Frame {
    std::string path;
    std::set<std::string> keys;
    std::string last_key;
    bool array;
  };
  std::string child_path() const {
    if (frames_.empty()) return "";
    const Frame& f = frames_.back();
    if (f.array) return f.path + "[]";
    return f.path.empty() ? f.last_key : f.path + "." + f.last_key;
  }
  std::string source_;
  std::vector<Frame> frames_;
};

}  // namespace json_detail

// Parses text read from `source` (a file name, for messages). Throws ConfigError.
inline nlohmann::json parse_json(const std::string& text, const std::string& source) {
  try {
    return nlohmann::json::parse(text, json_detail::Checks(source));
  } catch (const nlohmann::json::parse_error& e) {
    // e.what(): "[json.exception.parse_error.101] parse error at line 3, column 5: <detail>"
    const std::string what = e.what();
    const auto at = what.find(" at line ");
    const auto colon = what.find(": ", at == std::string::npos ? what.size() : at);
    if (colon != std::string::npos) {
      throw ConfigError(shown_path(source) + ": " + what.substr(at + 4, colon - at - 4) +
                        ": malformed JSON: " + what.substr(colon + 2));
    }
    throw ConfigError(shown_path(source) + ": byte " + std::to_string(e.byte) + ": malformed JSON: " + what);
  } catch (const nlohmann::json::out_of_range& e) {
    // "[json.exception.out_of_range.406] number overflow parsing '1e999'"
    const std::string what = e.what();
    const auto end = what.find("] ");
    throw ConfigError(shown_path(source) + ": malformed JSON: " + (end == std::string::npos ? what : what.substr(end + 2)) +
                      " (allowed: finite numbers)");
  }
}

// A JSON integer read as T, checked: nlohmann's get<T>() casts a float or an out-of-range number
// (undefined behaviour for 3e32 into uint64_t: fuzz_activity found it in a counter). Throws
// ConfigError "<source>: <key>: <value> is not an integer (allowed: integers MIN .. MAX)".
template <class T>
T json_integer(const nlohmann::json& v, const std::string& source, const std::string& key) {
  static_assert(std::is_integral_v<T>);
  constexpr T lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  bool ok = false;
  if (v.is_number_unsigned()) {
    ok = v.get<uint64_t>() <= static_cast<uint64_t>(hi);
  } else if (v.is_number_integer()) {
    const int64_t x = v.get<int64_t>();
    ok = x >= 0 ? static_cast<uint64_t>(x) <= static_cast<uint64_t>(hi) : std::is_signed_v<T> && x >= static_cast<int64_t>(lo);
  }
  if (!ok) {
    json_detail::fail(source, key, v.dump() + " is not an integer",
                      "allowed: integers " + std::to_string(lo) + " .. " + std::to_string(hi));
  }
  return v.is_number_unsigned() ? static_cast<T>(v.get<uint64_t>()) : static_cast<T>(v.get<int64_t>());
}

}  // namespace eligo::io
