// Every operator on every fact type it fits, and the misfits the loader must reject.
#include <catch2/catch.hpp>

#include "policy/operators.h"

using namespace pp;
using namespace pp::policy;

namespace {
Assertion leaf(Op op, Operand o) {
  Assertion a;
  a.leaf = true;
  a.op = op;
  a.operand = std::move(o);
  if (op == Op::Matches) REQUIRE_FALSE(compile_regex(std::get<std::string>(a.operand), a.regex));
  return a;
}
}  // namespace

TEST_CASE("equals / not_equals on each type; lists compare as sets") {
  CHECK(apply_op(leaf(Op::Equals, true), Value(true)));
  CHECK_FALSE(apply_op(leaf(Op::Equals, true), Value(false)));
  CHECK(apply_op(leaf(Op::Equals, int64_t{5}), Value(int64_t{5})));
  CHECK(apply_op(leaf(Op::NotEquals, int64_t{5}), Value(int64_t{6})));
  CHECK(apply_op(leaf(Op::Equals, std::string("ok")), Value(std::string("ok"))));
  CHECK_FALSE(apply_op(leaf(Op::Equals, std::string("ok")), Value(std::string("OK"))));
  CHECK(apply_op(leaf(Op::Equals, StringList{"b", "a"}), Value(StringList{"a", "b"})));
  CHECK(apply_op(leaf(Op::NotEquals, StringList{}), Value(StringList{"a"})));
  CHECK(apply_op(leaf(Op::Equals, StringList{}), Value(StringList{})));
}

TEST_CASE("in / not_in on strings and integers") {
  CHECK(apply_op(leaf(Op::In, StringList{"RSA", "EC"}), Value(std::string("EC"))));
  CHECK_FALSE(apply_op(leaf(Op::In, StringList{"RSA"}), Value(std::string("DSA"))));
  CHECK(apply_op(leaf(Op::NotIn, StringList{"RSA"}), Value(std::string("DSA"))));
  CHECK(apply_op(leaf(Op::In, IntList{25, 587}), Value(int64_t{587})));
  CHECK(apply_op(leaf(Op::NotIn, IntList{25}), Value(int64_t{587})));
}

TEST_CASE("contains / not_contains on lists (one or all) and strings (substring)") {
  const Value l = StringList{"TLSv1.2", "TLSv1.3"};
  CHECK(apply_op(leaf(Op::Contains, std::string("TLSv1.3")), l));
  CHECK_FALSE(apply_op(leaf(Op::Contains, std::string("TLSv1")), l));  // elements, not substrings
  CHECK(apply_op(leaf(Op::Contains, StringList{"TLSv1.2", "TLSv1.3"}), l));
  CHECK_FALSE(apply_op(leaf(Op::Contains, StringList{"TLSv1.2", "SSLv3"}), l));
  CHECK(apply_op(leaf(Op::NotContains, StringList{"SSLv2", "SSLv3"}), l));
  CHECK_FALSE(apply_op(leaf(Op::NotContains, StringList{"SSLv3", "TLSv1.3"}), l));
  CHECK(apply_op(leaf(Op::NotContains, std::string("SSLv3")), l));
  CHECK(apply_op(leaf(Op::Contains, std::string("ESMTP")), Value(std::string("220 mx ESMTP Postfix"))));
  CHECK(apply_op(leaf(Op::NotContains, std::string("Exchange")), Value(std::string("220 mx ESMTP Postfix"))));
}

TEST_CASE("subset_of, matches, min, max") {
  CHECK(apply_op(leaf(Op::SubsetOf, StringList{"a", "b"}), Value(StringList{"a"})));
  CHECK(apply_op(leaf(Op::SubsetOf, StringList{"a"}), Value(StringList{})));
  CHECK_FALSE(apply_op(leaf(Op::SubsetOf, StringList{"a"}), Value(StringList{"a", "c"})));
  CHECK(apply_op(leaf(Op::Matches, std::string("^sha256")), Value(std::string("sha256WithRSAEncryption"))));
  CHECK_FALSE(apply_op(leaf(Op::Matches, std::string("^sha256")), Value(std::string("sha1WithRSA"))));
  CHECK(apply_op(leaf(Op::Matches, std::string("[0-9]")), Value(StringList{"Server: nginx", "Server: IIS/6.0"})));
  CHECK_FALSE(apply_op(leaf(Op::Matches, std::string("[0-9]")), Value(StringList{"Server: nginx"})));
  CHECK(apply_op(leaf(Op::Min, int64_t{30}), Value(int64_t{30})));
  CHECK_FALSE(apply_op(leaf(Op::Min, int64_t{30}), Value(int64_t{29})));
  CHECK(apply_op(leaf(Op::Max, int64_t{398}), Value(int64_t{398})));
  CHECK_FALSE(apply_op(leaf(Op::Max, int64_t{398}), Value(int64_t{825})));
}

TEST_CASE("operand checks: fits and misfits") {
  CHECK_FALSE(check_operand(Op::Min, ValueType::Int, int64_t{1}));
  CHECK(check_operand(Op::Min, ValueType::List, int64_t{1}));
  CHECK(check_operand(Op::Max, ValueType::Int, std::string("1")));
  CHECK(check_operand(Op::Contains, ValueType::Bool, std::string("x")));
  CHECK_FALSE(check_operand(Op::Contains, ValueType::String, std::string("x")));
  CHECK(check_operand(Op::SubsetOf, ValueType::String, StringList{}));
  CHECK(check_operand(Op::Matches, ValueType::Int, std::string("x")));
  CHECK(check_operand(Op::In, ValueType::Int, StringList{"1"}));
  CHECK_FALSE(check_operand(Op::In, ValueType::Int, IntList{1}));
  CHECK(check_operand(Op::In, ValueType::Bool, StringList{}));
  CHECK(check_operand(Op::Equals, ValueType::Bool, int64_t{1}));
  CHECK_FALSE(check_operand(Op::Exists, ValueType::List, true));
  CHECK(check_operand(Op::Absent, ValueType::List, false));
  std::optional<std::regex> rx;
  CHECK(compile_regex("(", rx));
  CHECK_FALSE(rx);
}
