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

namespace eligo::io {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw IoError(path + ": " + problem);
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

void check_manifest(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / kManifestFile).string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    fail(dir, std::string("incomplete run: no ") + kManifestFile + " (the run was killed, failed or is still running)");
  }
  nlohmann::json m;
  try {
    m = nlohmann::json::parse(read_file(path));
    for (auto it = m.at("files").begin(); it != m.at("files").end(); ++it) {
      const std::string file = (std::filesystem::path(dir) / it.key()).string();
      if (!std::filesystem::exists(file, ec)) fail(file, std::string("missing (listed in ") + kManifestFile + ")");
      if (file_entry(file) != it.value()) {
        fail(file, std::string("not the file ") + kManifestFile + " lists (size or CRC-32 differs: changed after the run)");
      }
    }
  } catch (const nlohmann::json::exception& e) {
    fail(path, std::string("malformed manifest: ") + e.what());
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
