// Shared by the libFuzzer targets of fuzz/ (one per reader): a scratch directory for files a
// reader opens by path, and the oracle. A reader passes a fuzz input when it returns, or throws a
// clean error: a std::runtime_error (IoError, ConfigError, ReckonDataError, ...) whose message is
// one line naming the source it was given. Anything else aborts, so that libFuzzer records the
// input as a crash: a sanitizer report, std::bad_alloc, an exception of another type (a raw
// nlohmann::json or std::logic_error), a message without the file or over several lines.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <new>
#include <stdexcept>
#include <string>

namespace eligo::fuzz {

// A directory of this process, removed when it exits normally.
inline const std::string& scratch_dir() {
  struct Dir {
    std::string path;
    Dir() {
      const char* tmp = std::getenv("TMPDIR");
      std::string tpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/eligo-fuzz-XXXXXX";
      if (!mkdtemp(tpl.data())) std::abort();
      path = tpl;
    }
    ~Dir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  };
  static const Dir dir;
  return dir.path;
}

// Writes the input to scratch_dir()/name and returns its path.
inline std::string write_input(const uint8_t* data, size_t size, const std::string& name) {
  const std::string path = scratch_dir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) std::abort();
  return path;
}

[[noreturn]] inline void crash(const std::string& why) {
  std::fprintf(stderr, "fuzz: not a clean error: %s\n", why.c_str());
  std::abort();
}

// Runs read(); see the oracle above. `source` is what every error message must name.
template <class Read>
void expect_clean(Read&& read, const std::string& source) {
  try {
    read();
  } catch (const std::bad_alloc&) {
    crash("std::bad_alloc");
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    if (what.find('\n') != std::string::npos) crash("a message of several lines: " + what);
    if (what.find(source) == std::string::npos) crash("the message does not name " + source + ": " + what);
  } catch (const std::exception& e) {
    crash(std::string("an exception that is not a runtime_error: ") + e.what());
  } catch (...) {
    crash("an exception of unknown type");
  }
}

}  // namespace eligo::fuzz
