#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <variant>
#include <vector>

#include "core/severity.h"
#include "core/subject.h"
#include "core/value.h"

namespace pp::policy {

/// A right-hand side of an assertion or a parameter value. Integer lists exist only here (no
/// fact has that type) so that `in = [25, 587]` can be checked against an integer fact.
using IntList = std::vector<int64_t>;
using Operand = std::variant<bool, int64_t, std::string, StringList, IntList>;
std::string render(const Operand& v);

enum class Op { Equals, NotEquals, In, NotIn, Contains, NotContains, SubsetOf, Matches, Min, Max, Exists, Absent };
enum class Combinator { All, Any, None };

std::string_view to_string(Op op);
std::string_view to_string(Combinator c);

/// One node of a rule's assertion tree: either a leaf `{ fact = "x", <op> = value }` or a
/// combinator `{ all|any|none = [...] }`.
struct Assertion {
  bool leaf = false;
  // combinator
  Combinator combinator = Combinator::All;
  std::vector<Assertion> children;
  // leaf
  std::string fact;
  ValueType fact_type = ValueType::Bool;  ///< the catalogue's type of `fact`, set at load
  Op op = Op::Equals;
  Operand operand = false;      ///< the literal, or the current value of `param`
  std::string param;            ///< non-empty when written as "${name}"
  std::optional<std::regex> regex;  ///< compiled at load for `matches`
  std::string pattern;          ///< the regex source, for messages
  int line = 0;
  int column = 0;
};

/// `where`: which subjects of the rule's kind it applies to. Empty members select everything.
struct Where {
  std::vector<std::string> services;  ///< schemes or protocol names
  std::vector<int64_t> ports;
  std::vector<std::string> vdirs;     ///< exact paths or globs, case-insensitive; any may match
  std::map<std::string, std::string> tags;  ///< key -> value or glob
};

/// A control the rule evidences, `controls = ["framework:control"]`, with where it was written
/// (the linter checks it against the known frameworks once every file is loaded).
struct ControlCite {
  std::string framework;
  std::string control;
  int line = 0;
  int column = 0;
  std::string text() const { return framework + ":" + control; }
};

struct Rule {
  std::string id;
  std::string title;
  Severity severity = Severity::Info;
  std::string description;
  std::string remediation;
  std::vector<std::string> references;
  std::vector<ControlCite> controls;  ///< the controls it evidences, in the order written
  Where where;
  Assertion root;                     ///< an All node holding the top-level all/any/none groups
  std::map<std::string, Operand> params;
  std::string message;                ///< optional failure sentence template (message_template.h)
  /// `each`: list facts the rule is judged over element by element (policy/each.h); the first
  /// names the elements, the others are lists in step with it. Empty: one result per subject.
  std::vector<std::string> each;
  SubjectKind kind = SubjectKind::Endpoint;
  std::string pack;                   ///< pack id
  std::string file;                   ///< where it was defined
  int line = 0;
  int column = 0;
};

struct Pack {
  std::string id;
  std::string title;
  std::string version;
  std::string description;
  std::string file;
  std::vector<Rule> rules;
};

/// Every fact name the assertion tree reads, in first-seen order.
void collect_facts(const Assertion& a, std::vector<std::string>& out);

}  // namespace pp::policy
