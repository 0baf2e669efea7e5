// Whole-file reads and crash-safe writes shared by every reader/writer of golden_model/io and
// the harness. Errors throw eligo::io::IoError with a one-line "path: problem" message.
#pragma once

#include <stdexcept>
#include <string>

namespace eligo::io {

struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The file's bytes.
std::string read_file(const std::string& path);

// Writes bytes to path + ".tmp", then renames it over path: a partial file never has the
// final name.
void write_file_atomically(const std::string& path, const std::string& bytes);

// An output directory (a command's --out), checked before any work (issue 16: eligo chip found a
// bad --out only after training): created if missing, then a probe file is created in it and
// removed. Throws IoError "<dir>: output directory: <problem>".
void prepare_output_dir(const std::string& dir);

// Renames tmp over path (removing tmp on failure).
void replace_file(const std::string& tmp, const std::string& path);

}  // namespace eligo::io
