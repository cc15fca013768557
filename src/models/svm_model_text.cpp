#include "models/svm_model_text.h"

#include <libsvm/svm.h>
#include <unistd.h>

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "genrelab/bytes.h"

namespace genrelab {
namespace {

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const std::size_t b = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > b) out.push_back(line.substr(b, i - b));
  }
  return out;
}

bool as_int(std::string_view s, long lo, long hi, long& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && out >= lo && out <= hi;
}

bool as_double(std::string_view s) {
  double v = 0.0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

class TempFile {
 public:
  TempFile() {
    path_ = (std::filesystem::temp_directory_path() / "genrelab-libsvm-XXXXXX").string();
    const int fd = ::mkstemp(path_.data());
    if (fd < 0) throw std::runtime_error("svm: cannot create a temporary file for LIBSVM");
    ::close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

void check_libsvm_model_text(std::string_view text, int n_classes, int n_features, ByteReader& in) {
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto nl = text.find('\n', pos);
    const auto end = nl == std::string_view::npos ? text.size() : nl;
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  in.require(text.find('\0') == std::string_view::npos, "the LIBSVM model holds a NUL byte");
  long k = -1, total = -1;
  std::size_t pairs = 0, i = 0;
  long nsv_sum = -1;
  bool have_rho = false, have_label = false, have_a = false, have_b = false;
  for (; i < lines.size(); ++i) {
    const auto w = words(lines[i]);
    in.require(!w.empty(), "the LIBSVM model has an empty header line");
    const std::string_view key = w[0];
    if (key == "SV") {
      in.require(w.size() == 1, "the LIBSVM SV line has extra words");
      ++i;
      break;
    }
    if (key == "svm_type") {
      in.require(w.size() == 2 && w[1] == "c_svc", "the LIBSVM model is not a C-SVC");
    } else if (key == "kernel_type") {
      in.require(w.size() == 2 && (w[1] == "linear" || w[1] == "polynomial" || w[1] == "rbf" || w[1] == "sigmoid"),
                 "the LIBSVM kernel is unknown");
    } else if (key == "degree") {
      long v = 0;
      in.require(w.size() == 2 && as_int(w[1], 0, 1000, v), "the LIBSVM degree is invalid");
    } else if (key == "gamma" || key == "coef0") {
      in.require(w.size() == 2 && as_double(w[1]), "a LIBSVM kernel number is invalid");
    } else if (key == "nr_class") {
      in.require(w.size() == 2 && as_int(w[1], 2, n_classes, k), "the LIBSVM class count is invalid");
      pairs = static_cast<std::size_t>(k * (k - 1) / 2);
    } else if (key == "total_sv") {
      in.require(w.size() == 2 && as_int(w[1], 1, static_cast<long>(text.size()), total), "the LIBSVM support-vector count is invalid");
    } else if (key == "rho" || key == "probA" || key == "probB") {
      in.require(k > 0 && w.size() == pairs + 1, "a LIBSVM pairwise list has the wrong length");
      for (std::size_t j = 1; j < w.size(); ++j) in.require(as_double(w[j]), "a LIBSVM pairwise number is invalid");
      if (key == "rho") have_rho = true;
      if (key == "probA") have_a = true;
      if (key == "probB") have_b = true;
    } else if (key == "label") {
      in.require(k > 0 && w.size() == static_cast<std::size_t>(k) + 1, "the LIBSVM label list has the wrong length");
      for (std::size_t j = 1; j < w.size(); ++j) {
        long v = 0;
        in.require(as_int(w[j], 0, n_classes - 1, v), "a LIBSVM label is outside the model's classes");
      }
      have_label = true;
    } else if (key == "nr_sv") {
      in.require(k > 0 && w.size() == static_cast<std::size_t>(k) + 1, "the LIBSVM nr_sv list has the wrong length");
      nsv_sum = 0;
      for (std::size_t j = 1; j < w.size(); ++j) {
        long v = 0;
        in.require(as_int(w[j], 0, 1L << 30, v), "a LIBSVM nr_sv entry is invalid");
        nsv_sum += v;
      }
    } else {
      in.fail(fmt::format("the LIBSVM model has an unknown header line '{}'", std::string(key.substr(0, 40))));
    }
  }
  in.require(k > 0 && total > 0 && have_rho && have_label && nsv_sum == total && have_a == have_b,
             "the LIBSVM header is incomplete or inconsistent");
  long rows = 0;
  for (; i < lines.size(); ++i) {
    const auto w = words(lines[i]);
    if (w.empty() && i + 1 == lines.size()) break;
    in.require(rows < total, "the LIBSVM model has more support vectors than it says");
    in.require(w.size() >= static_cast<std::size_t>(k - 1), "a LIBSVM support vector lacks coefficients");
    for (long j = 0; j < k - 1; ++j) in.require(as_double(w[static_cast<std::size_t>(j)]), "a LIBSVM coefficient is invalid");
    long last = 0;
    for (std::size_t j = static_cast<std::size_t>(k - 1); j < w.size(); ++j) {
      const auto colon = w[j].find(':');
      long index = 0;
      in.require(colon != std::string_view::npos && as_int(w[j].substr(0, colon), last + 1, n_features, index) &&
                     as_double(w[j].substr(colon + 1)),
                 "a LIBSVM support-vector entry is invalid");
      last = index;
    }
    ++rows;
  }
  in.require(rows == total, "the LIBSVM model has fewer support vectors than it says");
}

std::string libsvm_model_text(const void* model) {
  TempFile tmp;
  if (svm_save_model(tmp.path().c_str(), static_cast<const svm_model*>(model)) != 0)
    throw std::runtime_error("svm: LIBSVM could not write its model to a temporary file");
  std::ifstream f(tmp.path(), std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void* libsvm_model_from_text(const std::string& text) {
  TempFile tmp;
  {
    std::ofstream f(tmp.path(), std::ios::binary);
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!f) throw std::runtime_error("svm: cannot write a temporary file for LIBSVM");
  }
  return svm_load_model(tmp.path().c_str());
}

}  // namespace genrelab
