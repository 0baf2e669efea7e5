// Whole-file reads and crash-safe writes shared by every reader/writer of golden_model/io and
// the harness. Errors throw eligo::io::IoError with a one-line "path: problem" message.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace eligo::io {

struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The file's bytes.
std::string read_file(const std::string& path);

// Writes bytes to path + ".tmp", then renames it over path: a partial file never has the
// final name.
void write_file_atomically(const std::string& path, const std::string& bytes);

// Runs are transactions by a manifest (issue 16, docs/runs.md): every command with --out calls
// prepare_output_dir before any work, which removes DIR/manifest.json, and write_manifest after
// its last output file, which lists every file of the run with its size and CRC-32. A directory
// without manifest.json holds no complete run (killed, failed or still running), whatever other
// files it has; one with it holds exactly the listed files of one run.
constexpr const char* kManifestFile = "manifest.json";
// The files commands write into an output directory (their FILE.tmp leftovers are removed by
// prepare_output_dir).
constexpr const char* kRunFiles[] = {"metrics.json",   "weights.npz",    "recording.npz",  "grads.npz",
                                     "report.json",    "energy.json",    "quantization.json",
                                     "memories.npz",   "compare.json",   "compare.md",     "activity.json",
                                     "activity.saif",  "checkpoint.npz", "checkpoint.bin", kManifestFile};

// An output directory (a command's --out), checked before any work (issue 16: eligo chip found a
// bad --out only after training): created if missing, then a probe file is created in it and
// removed, and a previous run's manifest.json and the FILE.tmp of kRunFiles a killed run left are
// removed. Throws IoError "<dir>: output directory: <problem>".
void prepare_output_dir(const std::string& dir);

// Writes DIR/manifest.json (atomically, last): {"command", "complete": true, "files": {name:
// {"bytes", "crc32"}}} for `files` (names relative to dir). Throws IoError.
void write_manifest(const std::string& dir, const std::string& command, const std::vector<std::string>& files);

// Checks that dir holds a complete run: manifest.json present and every listed file (a plain name
// in dir) with its size and CRC-32. Every command that reads a previous run's directory calls it
// first (eligo report; check_run_input). Throws IoError, one line: "<dir>: incomplete run: <what
// is missing or differs>", or "<dir>/manifest.json: <key>: <problem>" for a malformed manifest.
// Returns the names of the run's files.
std::vector<std::string> check_manifest(const std::string& dir);

// A file a command reads that may be a previous run's output (--weights, init.weights): when its
// directory holds manifest.json or another file commands write into a run (kRunFiles), the
// directory must be a complete run (check_manifest) whose manifest lists the file; a file among
// other files is read as it is. Throws IoError "<what> <file>: <dir>: incomplete run: ..." (`what`
// names where the file comes from: "--weights", "net.json: init.weights").
void check_run_input(const std::string& file, const std::string& what);

// --resume DIR: DIR must be an incomplete run (no manifest.json: a complete run has nothing to
// resume) holding `checkpoint`, whose own checks (CRC-32, the run's identity) come when it is read.
// Throws IoError "<dir>: cannot resume: ...".
void check_resumable(const std::string& dir, const std::string& checkpoint);

// zlib's CRC-32 of bytes.
uint32_t crc32_of(const std::string& bytes);

// Renames tmp over path (removing tmp on failure).
void replace_file(const std::string& tmp, const std::string& path);

}  // namespace eligo::io
