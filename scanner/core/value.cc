#include "core/value.h"

namespace pp {

ValueType type_of(const Value& v) { return static_cast<ValueType>(v.index()); }

std::string_view to_string(ValueType t) {
  switch (t) {
    case ValueType::Bool: return "bool";
    case ValueType::Int: return "integer";
    case ValueType::String: return "string";
    case ValueType::List: return "list";
  }
  return "?";
}

std::string render(const Value& v) {
  switch (type_of(v)) {
    case ValueType::Bool: return std::get<bool>(v) ? "true" : "false";
    case ValueType::Int: return std::to_string(std::get<int64_t>(v));
    case ValueType::String: return std::get<std::string>(v);
    case ValueType::List: {
      std::string out = "[";
      const auto& list = std::get<StringList>(v);
      for (size_t i = 0; i < list.size(); ++i) {
        if (i) out += ", ";
        out += list[i];
      }
      return out + "]";
    }
  }
  return {};
}

}  // namespace pp
