// NumPy .npy / .npz reader and writer.
//
// Format: a .npy file is the magic "\x93NUMPY", a version byte pair (1.0, 2.0 or 3.0), a
// little-endian header length (uint16 for 1.0, uint32 for 2.0/3.0), an ASCII/UTF-8 Python dict
// literal {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), } padded with spaces and
// ending in '\n', then the raw element bytes. A .npz file is a zip archive of .npy members, one
// per array, named "<key>.npy" (numpy.savez stores them, numpy.savez_compressed deflates them).
//
// Conventions:
//  - Arrays are always returned as double, in C (row-major) order, whatever the file holds:
//    fortran-order files are transposed on load; NdArray::dtype and NdArray::fortran_order
//    record what the file said. Supported dtypes: bool, int8..int64, uint8..uint64, float32,
//    float64, either byte order. 64-bit integers beyond 2^53 are rounded to the nearest double.
//  - Everything else (complex, strings, objects, structured dtypes), malformed files, data
//    shorter or longer than the header promises, and shapes whose size overflows are rejected
//    with IoError, whose what() is one line "<file>: <what is wrong>".
//  - Limits (hostile files, issue 16): a header length is checked against the file's size before
//    anything is allocated from it; an array may hold at most kMaxNpyArrayBytes as doubles
//    (64 Mi elements); a .npz member is inflated only up to the size its zip entry declares, and
//    at most kMaxNpyArrayBytes plus 1 MiB.
//  - Writers always write '<f8', C order, .npy format 1.0 (2.0 only if the header needs it),
//    ignoring NdArray::dtype and NdArray::fortran_order. They write "<path>.tmp" in the same
//    directory and rename it over <path> at the end, so a partial file never looks complete.
#pragma once

#include <Eigen/Dense>

#include "golden_model/io/files.hpp"
#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace eligo::io {


// An n-dimensional array read from .npy, always converted to double, in C (row-major) order.
struct NdArray {
  std::vector<size_t> shape;   // empty for a 0-d array (which holds one element)
  std::vector<double> data;    // product(shape) elements, C order
  std::string dtype;           // as in the file, e.g. "<f8"; "<f8" for arrays built in memory
  bool fortran_order = false;  // of the file; data is in C order regardless
};

// The largest array read, in bytes as doubles (512 MiB).
constexpr size_t kMaxNpyArrayBytes = size_t(512) << 20;

// Reads a .npy file. Throws IoError.
NdArray read_npy(const std::string& path);
// The shape in a .npy file's header, reading the header only. Throws IoError.
std::vector<size_t> read_npy_shape(const std::string& path);
// Parses the bytes of a .npy file; `what` names the source in error messages.
NdArray parse_npy(const std::string& bytes, const std::string& what);
// Reads every member of a .npz file; keys are the member names without ".npy".
std::map<std::string, NdArray> read_npz(const std::string& path);

// Writes `a` as '<f8', C order (via "<path>.tmp" and a rename).
void write_npy(const std::string& path, const NdArray& a);
// Writes an uncompressed (stored) .npz like numpy.savez: member "<key>.npy" per array.
void write_npz(const std::string& path, const std::map<std::string, NdArray>& arrays);

// 2-D arrays <-> Eigen::MatrixXd (rows = shape[0], cols = shape[1]). to_matrix requires exactly
// two dimensions (a 1-D array is not taken as a column) and throws IoError naming `what`.
Eigen::MatrixXd to_matrix(const NdArray& a, const std::string& what);
NdArray from_matrix(const Eigen::MatrixXd& m);

// Throws IoError "<what>: expected shape (3, 4), got (4, 3)" unless a.shape == shape.
void expect_shape(const NdArray& a, const std::vector<size_t>& shape, const std::string& what);
// Value checks of arrays read from files (issue 16: NaN weights and non-0/1 spikes were taken
// silently). Throw IoError "<what>: element (0, 3, 2) is nan (allowed: ...)" for the first bad one.
void expect_finite(const NdArray& a, const std::string& what);  // no NaN or infinity
void expect_spikes(const NdArray& a, const std::string& what);  // every element 0 or 1
// Python-style shape text: "()", "(3,)", "(3, 4)".
std::string shape_string(const std::vector<size_t>& shape);

}  // namespace eligo::io
