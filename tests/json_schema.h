// The part of JSON Schema (2020-12) that schemas/results.schema.json uses:
// type (one or a list), required, properties, additionalProperties (a
// schema), items and $ref to "#/$defs/<name>". Enough to hold every result
// file to one definition without a validator library.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace genrelab::testing {

inline std::string json_type(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer()) return "integer";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

// Appends one line per violation, each naming the JSON path.
inline void validate_json(const nlohmann::json& value, const nlohmann::json& schema, const nlohmann::json& root,
                          const std::string& path, std::vector<std::string>& errors) {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    const std::string prefix = "#/$defs/";
    if (ref.rfind(prefix, 0) != 0 || !root["$defs"].contains(ref.substr(prefix.size()))) {
      errors.push_back(path + ": unknown $ref " + ref);
      return;
    }
    validate_json(value, root["$defs"][ref.substr(prefix.size())], root, path, errors);
    return;
  }
  if (schema.contains("type")) {
    const std::string t = json_type(value);
    bool ok = false;
    const auto types = schema["type"].is_array() ? schema["type"] : nlohmann::json::array({schema["type"]});
    for (const auto& want : types) ok = ok || want == t || (want == "number" && t == "integer");
    if (!ok) {
      errors.push_back(path + ": is " + t + ", the schema says " + schema["type"].dump());
      return;
    }
  }
  if (value.is_object()) {
    for (const auto& key : schema.value("required", nlohmann::json::array()))
      if (!value.contains(key.get<std::string>())) errors.push_back(path + ": lacks required key '" + key.get<std::string>() + "'");
    for (const auto& [key, v] : value.items()) {
      if (schema.contains("properties") && schema["properties"].contains(key))
        validate_json(v, schema["properties"][key], root, path + "." + key, errors);
      else if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object())
        validate_json(v, schema["additionalProperties"], root, path + "." + key, errors);
      else if (schema.contains("properties"))
        errors.push_back(path + ": key '" + key + "' is not in the schema");
    }
  }
  if (value.is_array() && schema.contains("items"))
    for (std::size_t i = 0; i < value.size(); ++i)
      validate_json(value[i], schema["items"], root, path + "[" + std::to_string(i) + "]", errors);
}

}  // namespace genrelab::testing
