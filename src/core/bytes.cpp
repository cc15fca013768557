#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <limits>

#include "genrelab/error.h"
#include "genrelab/bytes.h"

namespace genrelab {

static_assert(std::endian::native == std::endian::little,
              "model files are little-endian and the reader copies bytes directly");

void ByteWriter::u32(std::uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  out_.append(b, 4);
}

void ByteWriter::u64(std::uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out_.append(b, 8);
}

void ByteWriter::f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }

void ByteWriter::string(std::string_view s) {
  u64(s.size());
  out_.append(s.data(), s.size());
}

void ByteWriter::f64s(const std::vector<double>& v) {
  u64(v.size());
  for (double x : v) f64(x);
}

void ByteWriter::i32s(const std::vector<int>& v) {
  u64(v.size());
  for (int x : v) i32(x);
}

void ByteWriter::u32s(const std::vector<std::uint32_t>& v) {
  u64(v.size());
  for (std::uint32_t x : v) u32(x);
}

void ByteWriter::vector(const Vector& v) {
  u64(static_cast<std::uint64_t>(v.size()));
  for (Eigen::Index i = 0; i < v.size(); ++i) f64(v(i));
}

void ByteWriter::matrix(const Matrix& m) {
  u64(static_cast<std::uint64_t>(m.rows()));
  u64(static_cast<std::uint64_t>(m.cols()));
  for (Eigen::Index i = 0; i < m.size(); ++i) f64(m.data()[i]);
}

void ByteReader::fail(std::string_view message) const {
  throw InputError(fmt::format("{}: the model payload is damaged ({} at byte {} of {}). Retrain and save the model again",
                               what_, message, pos_, data_.size()));
}

void ByteReader::require(bool ok, std::string_view message) const {
  if (!ok) fail(message);
}

const char* ByteReader::take(std::size_t n) {
  if (n > remaining()) fail(fmt::format("{} more bytes needed, {} left", n, remaining()));
  const char* p = data_.data() + pos_;
  pos_ += n;
  return p;
}

std::uint8_t ByteReader::u8() { return static_cast<std::uint8_t>(*take(1)); }

std::uint32_t ByteReader::u32() {
  std::uint32_t v;
  std::memcpy(&v, take(4), 4);
  return v;
}

std::uint64_t ByteReader::u64() {
  std::uint64_t v;
  std::memcpy(&v, take(8), 8);
  return v;
}

double ByteReader::f64() { return std::bit_cast<double>(u64()); }

bool ByteReader::boolean() {
  const std::uint8_t v = u8();
  require(v <= 1, "a flag is neither 0 nor 1");
  return v == 1;
}

std::size_t ByteReader::count(std::size_t elem_size) {
  const std::uint64_t n = u64();
  // Checked before any allocation: a flipped length must not ask for exabytes.
  if (n > remaining() / elem_size)
    fail(fmt::format("a length of {} elements does not fit in the {} bytes left", n, remaining()));
  return static_cast<std::size_t>(n);
}

std::string ByteReader::string() {
  const std::size_t n = count(1);
  return std::string(take(n), n);
}

std::vector<double> ByteReader::f64s() {
  std::vector<double> v(count(8));
  for (double& x : v) x = f64();
  return v;
}

std::vector<int> ByteReader::i32s() {
  std::vector<int> v(count(4));
  for (int& x : v) x = i32();
  return v;
}

std::vector<std::uint32_t> ByteReader::u32s() {
  std::vector<std::uint32_t> v(count(4));
  for (auto& x : v) x = u32();
  return v;
}

Vector ByteReader::vector() {
  Vector v(static_cast<Eigen::Index>(count(8)));
  for (Eigen::Index i = 0; i < v.size(); ++i) v(i) = f64();
  return v;
}

Matrix ByteReader::matrix() {
  const std::uint64_t rows = u64();
  const std::uint64_t cols = u64();
  // rows * cols must not overflow before it is compared with what is left.
  if (cols != 0 && rows > remaining() / 8 / cols)
    fail(fmt::format("a {} x {} matrix does not fit in the {} bytes left", rows, cols, remaining()));
  Matrix m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = f64();
  return m;
}

int ByteReader::int_in(const char* field, long lo, long hi) {
  const std::int32_t v = i32();
  if (v < lo || v > hi) fail(fmt::format("{} = {} is outside [{}, {}]", field, v, lo, hi));
  return v;
}

void ByteReader::expect_end() const {
  if (remaining() != 0) fail(fmt::format("{} unexpected bytes after the end", remaining()));
}

}  // namespace genrelab
