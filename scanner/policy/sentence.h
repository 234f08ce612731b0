#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/fact.h"
#include "policy/rule.h"

namespace pp::policy {

/// "A", "A and B", "A, B and C" (`conj` "or": "A, B or C"); past 8 items "A, ..., H and 3 more".
std::string words(const StringList& items, std::string_view conj = "and");

/// A fact's value as a sentence shows it: lists as words(), elements through display_element.
std::string value_words(std::string_view fact, const Value& v);
/// An operand (a literal or a parameter's value) as a sentence shows it.
std::string operand_words(std::string_view fact, const Operand& o, std::string_view conj = "and");

/// What one assertion found wrong with the server, as a sentence about it.
struct Finding {
  std::string sentence;    ///< "accepts TLS 1.0 and TLS 1.1"
  StringList offending;    ///< the elements or value at fault ("TLSv1.0", "TLSv1.1"), raw
  const Assertion* leaf = nullptr;  ///< the leaf it came from, when it came from one
  StringList missing;      ///< contains: the elements the server lacks (for merging alternatives)
};

/// The sentence for a leaf on a known or absent fact: `held` false when the leaf failed, true
/// when it held inside `none` (then it describes what was found that must not be).
Finding leaf_finding(const Assertion& a, const Fact& f, bool held);

/// What the fact says, whatever any assertion wanted: "accepts TLS 1.0 and TLS 1.2".
std::string fact_sentence(const Fact& f);

/// `any`: every alternative failed. Alternatives that want elements of the same list fact are
/// said once ("does not accept TLS 1.3 or TLS 1.2"); the rest are joined with "and".
Finding any_finding(const std::vector<Finding>& failed);

/// The sentences said once each, a pair that differs only in "plain HTTP" / "HTTPS" said as
/// one: "echoes TRACK requests over plain HTTP and HTTPS".
StringList merge_schemes(const StringList& sentences);

/// `none`: the items that held. Items finding elements of the same list fact are said once
/// ("advertises PLAIN and LOGIN before TLS").
std::vector<Finding> merge_held(const std::vector<Finding>& held);

}  // namespace pp::policy
