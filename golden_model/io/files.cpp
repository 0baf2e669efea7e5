#include "golden_model/io/files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

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
