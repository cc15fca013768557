// Declared hyper-parameters, in the manner of Essentia's algorithm parameters:
// every model declares each parameter once (name as in scikit-learn, type,
// default, allowed values, one-line meaning). Setting, validating, listing and
// printing parameters is then the same code for every model.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace genrelab {

// A parameter value as people type it ("10", "None", "sqrt", "0.5", "balanced").
using ParamMap = std::map<std::string, std::string>;

class ParameterSet {
 public:
  struct Spec {
    std::string name;
    std::string kind;        // "int", "float", "choice", "bool", "int|choice", "float|choice"
    std::string default_value;
    std::string help;
    std::vector<std::string> choices;  // allowed words, including "None" where meaningful
    double min = -1e308, max = 1e308;  // inclusive range for numbers
    bool min_exclusive = false;
  };

  // Declaration, done once in a model's constructor.
  void declare_int(const std::string& name, const std::string& def, const std::string& help,
                   double min, double max = 1e308, std::vector<std::string> words = {});
  void declare_float(const std::string& name, const std::string& def, const std::string& help,
                     double min, double max, bool min_exclusive = false,
                     std::vector<std::string> words = {});
  void declare_choice(const std::string& name, const std::string& def, const std::string& help,
                      std::vector<std::string> choices);
  void declare_bool(const std::string& name, const std::string& def, const std::string& help);

  // Validates and stores. UsageError naming the model, the parameter and what is allowed.
  void set(const std::string& name, const std::string& value);
  void set_all(const ParamMap& values);

  const std::string& get(const std::string& name) const;
  bool is_word(const std::string& name, const std::string& word) const;  // e.g. is_word("max_depth","None")
  long get_int(const std::string& name) const;
  double get_float(const std::string& name) const;
  bool get_bool(const std::string& name) const;

  ParamMap values() const { return values_; }
  const std::vector<Spec>& specs() const { return specs_; }
  void set_owner(const std::string& model_name) { owner_ = model_name; }

 private:
  const Spec& spec(const std::string& name) const;
  std::string owner_;
  std::vector<Spec> specs_;
  ParamMap values_;
};

}  // namespace genrelab
