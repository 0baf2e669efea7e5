// valijson (JSON Schema draft 7) with its nlohmann adapter, for golden_model/io/config.cpp and the
// tests that check a schema (docs/*.schema.json). valijson uses std::regex, whose inlined
// std::function members trip GCC 12's -Wmaybe-uninitialized false positive under
// -fsanitize=address (a -Werror build would fail): the warning is off for these headers only.
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
