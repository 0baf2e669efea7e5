// The one hardened JSON parse (golden_model/io/json_read.hpp) and every JSON reader that goes
// through it: deep nesting (100k levels overflowed the stack of the chip, MLP and energy-table
// readers, issue 16), duplicate keys, out-of-range numbers; one-line errors naming file and key.
#include "golden_model/io/json_read.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "golden_model/analog/energy.hpp"
#include "golden_model/energy/energy.hpp"
#include "golden_model/experiment/chip_config.hpp"
#include "golden_model/io/clapp_config.hpp"
#include "golden_model/io/config.hpp"
#include "harness/commands/image_commands.hpp"
#include "tests/support/files.hpp"

namespace {

using eligo::io::ConfigError;
using eligo::testing::expect_one_line_error;

class JsonRead : public eligo::testing::ScratchDirTest {};

std::string deep(size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

TEST_F(JsonRead, NestingIsBoundedAtEveryLevel) {
  EXPECT_NO_THROW(eligo::io::parse_json(deep(eligo::io::kMaxJsonDepth), "ok.json"));
  expect_one_line_error<ConfigError>([&] { eligo::io::parse_json(deep(eligo::io::kMaxJsonDepth + 1), "d.json"); },
                                     {"d.json: ", "nested more than 64 levels deep", "allowed: at most 64"});
  expect_one_line_error<ConfigError>(
      [&] { eligo::io::parse_json("{\"a\": {\"b\": " + deep(100000) + "}}", "d.json"); },
      {"d.json: a.b", "nested more than 64 levels deep"});
}

TEST_F(JsonRead, DuplicateKeysAndInfiniteNumbersAreRejected) {
  expect_one_line_error<ConfigError>([&] { eligo::io::parse_json(R"({"a": {"b": 1, "b": 2}})", "k.json"); },
                                     {"k.json: a.b: duplicate key"});
  expect_one_line_error<ConfigError>([&] { eligo::io::parse_json(R"({"a": [1e999]})", "n.json"); },
                                     {"n.json: malformed JSON: number overflow parsing '1e999' (allowed: finite numbers)"});
  // The same key in different objects is fine.
  EXPECT_EQ(eligo::io::parse_json(R"({"a": {"b": 1}, "c": {"b": 2}})", "ok.json")["c"]["b"], 2);
}

TEST_F(JsonRead, MalformedTextNamesLineAndColumn) {
  expect_one_line_error<ConfigError>([&] { eligo::io::parse_json("{\n  x\n}", "m.json"); },
                                     {"m.json: line 2, column 3: malformed JSON: "});
}

// Every reader of a JSON file rejects deep nesting and duplicate keys with the file's name.
TEST_F(JsonRead, EveryReaderUsesTheHardenedParse) {
  const std::vector<std::pair<std::string, std::function<void(const std::string&)>>> readers = {
      {"run config", [](const std::string& p) { eligo::io::load_config(p); }},
      {"chip config", [](const std::string& p) { eligo::experiment::load_chip_config(p); }},
      {"mlp config", [](const std::string& p) { eligo::harness::parse_mlp_config(p); }},
      {"clapp config", [](const std::string& p) { eligo::io::load_clapp_config(p); }},
      {"energy table", [](const std::string& p) { eligo::energy::load_table(p); }},
      {"analog energy table", [](const std::string& p) { eligo::analog::EnergyTable::load(p); }},
  };
  const std::string nested = write("nested.json", "{\"x\": " + deep(100000) + "}");
  const std::string dup = write("dup.json", R"({"seed": 1, "seed": 2})");
  for (const auto& [name, read] : readers) {
    SCOPED_TRACE(name);
    expect_one_line_error<std::runtime_error>([&] { read(nested); }, {nested + ": x", "nested more than 64 levels deep"});
    expect_one_line_error<std::runtime_error>([&] { read(dup); }, {dup + ": seed: duplicate key"});
  }
}

}  // namespace
