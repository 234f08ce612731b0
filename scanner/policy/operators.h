#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.h"
#include "policy/rule.h"

namespace pp::policy {

/// The operator table: name and which fact types each operator accepts. Explicit, so lint
/// messages and the README stay in step with what evaluation does.
struct OpInfo {
  Op op;
  std::string_view name;
  std::string_view fits;  ///< for messages: "integer", "list or string", ...
};
const std::vector<OpInfo>& operator_table();
std::optional<Op> parse_op(std::string_view name);

/// Why `operand` cannot be used with `op` on a fact of type `fact_type`; nullopt when it fits.
std::optional<std::string> check_operand(Op op, ValueType fact_type, const Operand& operand);

/// Compiles a `matches` pattern; returns the error text when the pattern is invalid.
std::optional<std::string> compile_regex(const std::string& pattern, std::optional<std::regex>& out);

/// Applies a leaf operator (not exists/absent) to a known value. The operand was checked at
/// load time, so a misfit here is a programming error and answers false.
bool apply_op(const Assertion& leaf, const Value& fact_value);

}  // namespace pp::policy
