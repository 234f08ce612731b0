#include "policy/operators.h"

#include <algorithm>
#include <optional>

namespace pp::policy {

std::string render(const Operand& v) {
  switch (v.index()) {
    case 0: return std::get<bool>(v) ? "true" : "false";
    case 1: return std::to_string(std::get<int64_t>(v));
    case 2: return std::get<std::string>(v);
    case 3: return pp::render(Value(std::get<StringList>(v)));
    case 4: {
      std::string out = "[";
      const auto& l = std::get<IntList>(v);
      for (size_t i = 0; i < l.size(); ++i) out += (i ? ", " : "") + std::to_string(l[i]);
      return out + "]";
    }
  }
  return {};
}

const std::vector<OpInfo>& operator_table() {
  static const std::vector<OpInfo> table = {
      {Op::Equals, "equals", "any type (same type as the fact)"},
      {Op::NotEquals, "not_equals", "any type (same type as the fact)"},
      {Op::In, "in", "string or integer facts, with a list of the same type"},
      {Op::NotIn, "not_in", "string or integer facts, with a list of the same type"},
      {Op::Contains, "contains", "list facts (a string or list of strings) and string facts (a substring)"},
      {Op::NotContains, "not_contains", "list facts (a string or list of strings) and string facts (a substring)"},
      {Op::SubsetOf, "subset_of", "list facts, with a list of strings"},
      {Op::Matches, "matches", "string facts, or list facts (some element matches), with a regex string"},
      {Op::Min, "min", "integer facts, with an integer (inclusive)"},
      {Op::Max, "max", "integer facts, with an integer (inclusive)"},
      {Op::Exists, "exists", "any fact, with true"},
      {Op::Absent, "absent", "any fact, with true"},
  };
  return table;
}

std::optional<Op> parse_op(std::string_view name) {
  for (const auto& o : operator_table())
    if (o.name == name) return o.op;
  return std::nullopt;
}

std::string_view to_string(Op op) {
  for (const auto& o : operator_table())
    if (o.op == op) return o.name;
  return "?";
}

std::string_view to_string(Combinator c) {
  switch (c) {
    case Combinator::All: return "all";
    case Combinator::Any: return "any";
    case Combinator::None: return "none";
  }
  return "?";
}

namespace {

std::string_view operand_type(const Operand& o) {
  switch (o.index()) {
    case 0: return "a boolean";
    case 1: return "an integer";
    case 2: return "a string";
    case 3: return "a list of strings";
    case 4: return "a list of integers";
  }
  return "?";
}

std::string misfit(Op op, ValueType t, const Operand& o) {
  for (const auto& info : operator_table())
    if (info.op == op)
      return "operator '" + std::string(info.name) + "' does not fit " + (t == ValueType::Int ? "an " : "a ") + std::string(to_string(t)) +
             " fact with " + std::string(operand_type(o)) + " (it takes " + std::string(info.fits) + ")";
  return "bad operator";
}

bool same_type(ValueType t, const Operand& o) {
  switch (t) {
    case ValueType::Bool: return std::holds_alternative<bool>(o);
    case ValueType::Int: return std::holds_alternative<int64_t>(o);
    case ValueType::String: return std::holds_alternative<std::string>(o);
    case ValueType::List: return std::holds_alternative<StringList>(o);
  }
  return false;
}

bool has(const StringList& l, const std::string& s) { return std::find(l.begin(), l.end(), s) != l.end(); }

}  // namespace

std::optional<std::string> check_operand(Op op, ValueType t, const Operand& o) {
  bool ok = false;
  switch (op) {
    case Op::Equals:
    case Op::NotEquals: ok = same_type(t, o); break;
    case Op::In:
    case Op::NotIn:
      ok = (t == ValueType::String && std::holds_alternative<StringList>(o)) ||
           (t == ValueType::Int && std::holds_alternative<IntList>(o));
      break;
    case Op::Contains:
    case Op::NotContains:
      ok = (t == ValueType::List && (std::holds_alternative<std::string>(o) || std::holds_alternative<StringList>(o))) ||
           (t == ValueType::String && std::holds_alternative<std::string>(o));
      break;
    case Op::SubsetOf: ok = t == ValueType::List && std::holds_alternative<StringList>(o); break;
    case Op::Matches:
      ok = (t == ValueType::String || t == ValueType::List) && std::holds_alternative<std::string>(o);
      break;
    case Op::Min:
    case Op::Max: ok = t == ValueType::Int && std::holds_alternative<int64_t>(o); break;
    case Op::Exists:
    case Op::Absent:
      if (!std::holds_alternative<bool>(o) || !std::get<bool>(o))
        return "operator '" + std::string(to_string(op)) + "' takes the value true";
      ok = true;
      break;
  }
  if (ok) return std::nullopt;
  return misfit(op, t, o);
}

std::optional<std::string> compile_regex(const std::string& pattern, std::optional<std::regex>& out) {
  // std::regex reports bad patterns by throwing; keep that inside this module.
  try {
    out.emplace(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    out.reset();
    return std::string("invalid regular expression '") + pattern + "': " + e.what();
  }
  return std::nullopt;
}

namespace {

/// equals / not_equals on values of the same type; nullopt when the types differ.
std::optional<bool> values_equal(const Value& v, const Operand& o) {
  if (std::holds_alternative<StringList>(v) && std::holds_alternative<StringList>(o)) {
    // Lists compare as sets: probe order (cipher preference, header order) is not policy.
    StringList x = std::get<StringList>(v), y = std::get<StringList>(o);
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    x.erase(std::unique(x.begin(), x.end()), x.end());
    y.erase(std::unique(y.begin(), y.end()), y.end());
    return x == y;
  }
  if (std::holds_alternative<bool>(v) && std::holds_alternative<bool>(o)) return std::get<bool>(v) == std::get<bool>(o);
  if (std::holds_alternative<int64_t>(v) && std::holds_alternative<int64_t>(o))
    return std::get<int64_t>(v) == std::get<int64_t>(o);
  if (std::holds_alternative<std::string>(v) && std::holds_alternative<std::string>(o))
    return std::get<std::string>(v) == std::get<std::string>(o);
  return std::nullopt;
}

/// in / not_in: the value is one of the operand's list; nullopt when the types do not fit.
std::optional<bool> value_in(const Value& v, const Operand& o) {
  if (std::holds_alternative<std::string>(v) && std::holds_alternative<StringList>(o))
    return has(std::get<StringList>(o), std::get<std::string>(v));
  if (std::holds_alternative<int64_t>(v) && std::holds_alternative<IntList>(o)) {
    const auto& l = std::get<IntList>(o);
    return std::find(l.begin(), l.end(), std::get<int64_t>(v)) != l.end();
  }
  return std::nullopt;
}

/// contains / not_contains. contains = [a, b]: every one is present; not_contains = [a, b]:
/// none is present.
bool apply_contains(const Assertion& a, const Value& v) {
  const Operand& o = a.operand;
  bool c = false;
  if (std::holds_alternative<StringList>(v)) {
    const auto& l = std::get<StringList>(v);
    if (std::holds_alternative<std::string>(o)) {
      c = has(l, std::get<std::string>(o));
    } else if (std::holds_alternative<StringList>(o)) {
      const auto& want = std::get<StringList>(o);
      if (a.op == Op::Contains)
        return std::all_of(want.begin(), want.end(), [&](const std::string& s) { return has(l, s); });
      return std::none_of(want.begin(), want.end(), [&](const std::string& s) { return has(l, s); });
    } else {
      return false;
    }
  } else if (std::holds_alternative<std::string>(v) && std::holds_alternative<std::string>(o)) {
    c = std::get<std::string>(v).find(std::get<std::string>(o)) != std::string::npos;
  } else {
    return false;
  }
  return a.op == Op::Contains ? c : !c;
}

bool apply_matches(const Assertion& a, const Value& v) {
  if (!a.regex) return false;
  if (std::holds_alternative<std::string>(v)) return std::regex_search(std::get<std::string>(v), *a.regex);
  if (std::holds_alternative<StringList>(v)) {
    const auto& l = std::get<StringList>(v);
    return std::any_of(l.begin(), l.end(), [&](const std::string& s) { return std::regex_search(s, *a.regex); });
  }
  return false;
}

}  // namespace

bool apply_op(const Assertion& a, const Value& v) {
  const Operand& o = a.operand;
  switch (a.op) {
    case Op::Equals:
    case Op::NotEquals: {
      const std::optional<bool> eq = values_equal(v, o);
      return eq && (a.op == Op::Equals ? *eq : !*eq);
    }
    case Op::In:
    case Op::NotIn: {
      const std::optional<bool> in = value_in(v, o);
      return in && (a.op == Op::In ? *in : !*in);
    }
    case Op::Contains:
    case Op::NotContains: return apply_contains(a, v);
    case Op::SubsetOf: {
      if (!std::holds_alternative<StringList>(v) || !std::holds_alternative<StringList>(o)) return false;
      const auto& allowed = std::get<StringList>(o);
      const auto& l = std::get<StringList>(v);
      return std::all_of(l.begin(), l.end(), [&](const std::string& s) { return has(allowed, s); });
    }
    case Op::Matches: return apply_matches(a, v);
    case Op::Min:
    case Op::Max: {
      if (!std::holds_alternative<int64_t>(v) || !std::holds_alternative<int64_t>(o)) return false;
      const int64_t x = std::get<int64_t>(v), lim = std::get<int64_t>(o);
      return a.op == Op::Min ? x >= lim : x <= lim;
    }
    case Op::Exists:
    case Op::Absent: return false;  // decided on the fact's state by the evaluator
  }
  return false;
}

void collect_facts(const Assertion& a, std::vector<std::string>& out) {
  if (a.leaf) {
    if (std::find(out.begin(), out.end(), a.fact) == out.end()) out.push_back(a.fact);
    return;
  }
  for (const auto& c : a.children) collect_facts(c, out);
}

}  // namespace pp::policy
