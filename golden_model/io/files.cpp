#include "golden_model/io/files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <zlib.h>
#include <nlohmann/json.hpp>

#include "golden_model/io/json_read.hpp"

namespace eligo::io {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw IoError(shown_path(path) + ": " + problem);
}

}  // namespace

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path, "cannot read: is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string("cannot open: ") + std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail(path, "read error");
  return bytes;
}

void replace_file(const std::string& tmp, const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    fail(path, "cannot rename " + tmp + " over it: " + ec.message());
  }
}

void prepare_output_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail(dir, "output directory: cannot create: " + ec.message());
  if (!std::filesystem::is_directory(dir, ec)) fail(dir, "output directory: exists and is not a directory");
  const std::string probe = (std::filesystem::path(dir) / ".eligo-write-check.tmp").string();
  std::ofstream out(probe, std::ios::binary | std::ios::trunc);
  if (!out) fail(dir, std::string("output directory: cannot write in it: ") + std::strerror(errno));
  out.close();
  std::filesystem::remove(probe, ec);
  // From here on the directory is visibly incomplete until the command writes its manifest.
  const std::filesystem::path manifest = std::filesystem::path(dir) / kManifestFile;
  if (!std::filesystem::remove(manifest, ec) && ec) {
    fail(dir, "output directory: cannot remove the previous " + std::string(kManifestFile) + ": " + ec.message());
  }
  // Temporaries a killed run left (a kill between writing FILE.tmp and its rename).
  for (const char* f : kRunFiles) std::filesystem::remove(std::filesystem::path(dir) / (std::string(f) + ".tmp"), ec);
}

namespace {

// "bytes" and "crc32" (zlib's CRC-32, 8 hex digits) of a file's content.
nlohmann::json file_entry(const std::string& path) {
  const std::string bytes = read_file(path);
  char crc[9];
  std::snprintf(crc, sizeof crc, "%08x", static_cast<unsigned>(crc32_of(bytes)));
  return {{"bytes", bytes.size()}, {"crc32", crc}};
}

}  // namespace

uint32_t crc32_of(const std::string& bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (size_t at = 0; at < bytes.size();) {  // zlib takes at most 4 GiB a call
    const size_t n = std::min<size_t>(bytes.size() - at, size_t(1) << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + at), static_cast<uInt>(n));
    at += n;
  }
  return static_cast<uint32_t>(crc);
}

void write_manifest(const std::string& dir, const std::string& command, const std::vector<std::string>& files) {
  nlohmann::json m = {{"command", command}, {"complete", true}, {"files", nlohmann::json::object()}};
  for (const std::string& f : files) m["files"][f] = file_entry((std::filesystem::path(dir) / f).string());
  write_file_atomically((std::filesystem::path(dir) / kManifestFile).string(), m.dump(2) + "\n");
}

std::vector<std::string> check_manifest(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir, ec)) fail(dir, "no such run directory");
  if (!fs::is_directory(dir, ec)) fail(dir, "not a run directory (not a directory)");
  const std::string path = (fs::path(dir) / kManifestFile).string();
  auto incomplete = [&](const std::string& what) { fail(dir, "incomplete run: " + what); };
  if (!fs::exists(path, ec)) {
    incomplete(std::string("no ") + kManifestFile + " (the run was killed, failed or is still running)");
  }
  nlohmann::json m;
  try {
    m = parse_json(read_file(path), path);
  } catch (const ConfigError& e) {
    throw IoError(e.what());
  }
  auto malformed = [&](const std::string& key, const std::string& problem) {
    fail(path, key + ": " + problem + " (not a manifest of eligo)");
  };
  if (!m.is_object() || !m.contains("files") || !m["files"].is_object()) malformed("files", "missing or not an object");
  if (!m.contains("complete") || m["complete"] != true) malformed("complete", "missing or not true");
  std::vector<std::string> names;
  for (auto it = m["files"].begin(); it != m["files"].end(); ++it) {
    const std::string& name = it.key();
    names.push_back(name);
    // Names of files in dir only: a manifest never points elsewhere (/dev/zero, ../x).
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
        name.find('\0') != std::string::npos) {
      malformed("files." + name, "not a file name in the run directory");
    }
    const nlohmann::json& e = it.value();
    if (!e.is_object() || !e.contains("bytes") || !e["bytes"].is_number_unsigned() || !e.contains("crc32") ||
        !e["crc32"].is_string()) {
      malformed("files." + name, "expected {\"bytes\": N, \"crc32\": \"8 hex digits\"}");
    }
    const fs::path file = fs::path(dir) / name;
    if (!fs::is_regular_file(file, ec)) incomplete(name + " missing (listed in " + kManifestFile + ")");
    const uint64_t listed = e["bytes"].get<uint64_t>(), size = fs::file_size(file, ec);
    if (ec || size != listed) {
      incomplete(name + " has " + (ec ? std::string("an unknown size") : std::to_string(size) + " bytes") + ", " +
                 kManifestFile + " lists " + std::to_string(listed) + " (changed or rewritten after the run)");
    }
    if (file_entry(file.string())["crc32"] != e["crc32"]) {
      incomplete(name + ": its CRC-32 is not the one " + kManifestFile + " lists (changed after the run)");
    }
  }
  return names;
}

void check_run_input(const std::string& file, const std::string& what) {
  namespace fs = std::filesystem;
  const fs::path p(file);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::error_code ec;
  bool run_dir = fs::exists(dir / kManifestFile, ec);
  for (const char* f : kRunFiles) run_dir = run_dir || (p.filename() != f && fs::exists(dir / f, ec));
  if (!run_dir) return;
  std::vector<std::string> listed;
  try {
    listed = check_manifest(dir.string());
  } catch (const IoError& e) {
    throw IoError(what + " " + file + ": " + e.what());
  }
  if (std::find(listed.begin(), listed.end(), p.filename().string()) == listed.end()) {
    throw IoError(what + " " + file + ": " + dir.string() + ": a complete run, but its " + kManifestFile +
                  " does not list " + p.filename().string());
  }
}

void check_resumable(const std::string& dir, const std::string& checkpoint) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) fail(dir, "cannot resume: not a directory");
  if (fs::exists(fs::path(dir) / kManifestFile, ec)) {
    fail(dir, std::string("cannot resume: the run is complete (") + kManifestFile + "); nothing to resume");
  }
  if (!fs::exists(fs::path(dir) / checkpoint, ec)) {
    fail(dir, "cannot resume: no " + checkpoint +
                  " (the run was not started with --checkpoint-every, or was killed before its first checkpoint)");
  }
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) fail(path, "cannot create " + tmp + ": " + std::strerror(errno));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::remove(tmp.c_str());
    fail(path, "write error on " + tmp);
  }
  replace_file(tmp, path);
}

}  // namespace eligo::io
