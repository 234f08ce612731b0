#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pp {

/// The four value types a fact can have. "Absent" and "unknown" are fact states, not values.
enum class ValueType { Bool, Int, String, List };

using StringList = std::vector<std::string>;
using Value = std::variant<bool, int64_t, std::string, StringList>;

ValueType type_of(const Value& v);
std::string_view to_string(ValueType t);
/// Human-readable rendering: true/false, 42, text, [a, b].
std::string render(const Value& v);

}  // namespace pp
