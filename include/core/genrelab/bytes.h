// Little-endian fixed-width encoding of numbers, strings, vectors and
// matrices: what models save their fitted state in (model.h) and what the
// model-file format (model_file.h) wraps with a header and a checksum. Kept
// apart from that format so the models layer needs nothing above it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "genrelab/matrix.h"

namespace genrelab {

// Appends little-endian fixed-width values; what models use to save their state.
class ByteWriter {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void f64(double v);
  void boolean(bool v) { u8(v ? 1 : 0); }
  void string(std::string_view s);  // u64 length + bytes
  void f64s(const std::vector<double>& v);
  void i32s(const std::vector<int>& v);
  void u32s(const std::vector<std::uint32_t>& v);
  void vector(const Vector& v);
  void matrix(const Matrix& m);  // rows, cols, then column-major values
  const std::string& bytes() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what ByteWriter wrote. Every read is bounds-checked and every length
// is checked against the bytes that remain before anything is allocated, so a
// damaged payload ends in an InputError, never in a crash or a huge allocation.
class ByteReader {
 public:
  ByteReader(std::string_view data, std::string what) : data_(data), what_(std::move(what)) {}

  std::uint8_t u8();
  std::uint32_t u32();
  std::uint64_t u64();
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  double f64();
  bool boolean();
  std::string string();
  std::vector<double> f64s();
  std::vector<int> i32s();
  std::vector<std::uint32_t> u32s();
  Vector vector();
  Matrix matrix();

  // An int in [lo, hi], or an InputError naming `field`.
  int int_in(const char* field, long lo, long hi);
  // Throws unless `ok`, with "payload: <message>".
  void require(bool ok, std::string_view message) const;
  [[noreturn]] void fail(std::string_view message) const;
  std::size_t remaining() const { return data_.size() - pos_; }
  void expect_end() const;

 private:
  // Number of elements of `elem_size` bytes announced by a u64 count, after
  // checking that they fit in what remains.
  std::size_t count(std::size_t elem_size);
  const char* take(std::size_t n);
  std::string_view data_;
  std::size_t pos_ = 0;
  std::string what_;
};

}  // namespace genrelab
