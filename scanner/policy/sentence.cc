#include "policy/sentence.h"

#include <algorithm>

#include "policy/fact_phrases.h"
#include "policy/operators.h"

namespace pp::policy {

namespace {

constexpr size_t kMaxWords = 8;

/// The phrase table's entry, or a plain fallback naming the fact (a fact the table lacks).
FactPhrase phrase_of(std::string_view fact) {
  if (auto p = fact_phrase(fact)) return *p;
  const std::string f(fact);
  return {f + " is {}", f + " does not hold {}", ""};
}

std::string fill(const std::string& pattern, const std::string& x) {
  std::string s = pattern;
  const size_t at = s.find("{}");
  if (at != std::string::npos) s.replace(at, 2, x);
  return s;
}

bool has(const StringList& l, const std::string& s) { return std::find(l.begin(), l.end(), s) != l.end(); }

/// Elements of `a` that are (`keep` true) or are not in `b`, in `a`'s order, once each.
StringList filter(const StringList& a, const StringList& b, bool keep) {
  StringList out;
  for (const auto& x : a)
    if (has(b, x) == keep && !has(out, x)) out.push_back(x);
  return out;
}

StringList as_list(const Operand& o) {
  if (std::holds_alternative<StringList>(o)) return std::get<StringList>(o);
  if (std::holds_alternative<std::string>(o)) return {std::get<std::string>(o)};
  return {};
}

std::string list_words(std::string_view fact, const StringList& l, std::string_view conj) {
  StringList shown;
  for (const auto& x : l) shown.push_back(display_element(fact, x));
  return words(shown, conj);
}

std::string whole_of(const FactPhrase& p) { return p.whole.empty() ? p.yes : p.whole; }

/// Integer facts: the value, and against what it was held.
std::string int_sentence(const Assertion& a, int64_t v, bool held) {
  const FactPhrase p = phrase_of(a.fact);
  const std::string base = v < 0 && !p.no.empty() ? fill(p.no, std::to_string(-v)) : fill(p.yes, std::to_string(v));
  const std::string lim = operand_words(a.fact, a.operand, "or");
  switch (a.op) {
    case Op::Min: return base + (held ? " (at least " : " (the minimum is ") + lim + ")";
    case Op::Max: return base + (held ? " (at most " : " (the maximum is ") + lim + ")";
    case Op::Equals: return held ? base : base + " (expected " + lim + ")";
    case Op::In: return held ? base : base + " (expected " + (std::holds_alternative<IntList>(a.operand) ? "one of " : "") + lim + ")";
    default: return base;
  }
}

/// String facts: the value, and what was wanted of it when the leaf failed.
std::string string_sentence(const Assertion& a, const std::string& v, bool held) {
  const std::string base = fill(phrase_of(a.fact).yes, display_element(a.fact, v));
  if (held) return base;
  switch (a.op) {
    case Op::Equals: return base + " (expected " + operand_words(a.fact, a.operand) + ")";
    case Op::In: return base + " (expected one of " + operand_words(a.fact, a.operand, "or") + ")";
    case Op::Contains: return base + " (expected it to contain \"" + operand_words(a.fact, a.operand) + "\")";
    case Op::Matches: return base + " (expected a match for /" + a.pattern + "/)";
    default: return base;
  }
}

/// What the server has besides, after "does not accept X": "(it accepts SSL 3.0)".
std::string besides(std::string_view fact, const FactPhrase& p, const StringList& v) {
  if (v.empty() || v.size() > kMaxWords || p.yes.rfind("the ", 0) == 0) return "";
  return " (it " + fill(p.yes, list_words(fact, v, "and")) + ")";
}

/// A list leaf that failed: name only the offending elements.
Finding failed_list(const Assertion& a, const StringList& v) {
  const FactPhrase p = phrase_of(a.fact);
  const StringList o = as_list(a.operand);
  Finding f;
  switch (a.op) {
    case Op::Contains:
      f.missing = filter(o, v, false);
      f.offending = f.missing;
      f.sentence = fill(p.no, list_words(a.fact, f.missing, "or")) + besides(a.fact, p, v);
      return f;
    case Op::NotContains:
      f.offending = filter(o, v, true);
      f.sentence = fill(p.yes, list_words(a.fact, f.offending, "and"));
      return f;
    case Op::SubsetOf:
      f.offending = filter(v, o, false);
      f.sentence = fill(p.yes, list_words(a.fact, f.offending, "and")) +
                   (o.empty() ? " (none is allowed)" : " (allowed: " + list_words(a.fact, o, "and") + ")");
      return f;
    case Op::Equals:
      if (o.empty()) {
        f.offending = v;
        f.sentence = fill(whole_of(p), list_words(a.fact, v, "and"));
      } else {
        f.offending = filter(v, o, false);
        f.sentence = (v.empty() ? fill(p.no, list_words(a.fact, o, "or")) : fill(p.yes, list_words(a.fact, v, "and"))) +
                     " (expected exactly " + list_words(a.fact, o, "and") + ")";
      }
      return f;
    case Op::Matches:
      f.sentence = fill(whole_of(p), list_words(a.fact, v, "and")) + " (none matches /" + a.pattern + "/)";
      return f;
    default:
      f.offending = v;
      f.sentence = fill(whole_of(p), list_words(a.fact, v, "and"));
      return f;
  }
}

/// A list leaf that held inside `none`: name what was found.
Finding held_list(const Assertion& a, const StringList& v) {
  const FactPhrase p = phrase_of(a.fact);
  const StringList o = as_list(a.operand);
  Finding f;
  if (a.op == Op::Contains) {
    f.offending = filter(o, v, true);
    f.sentence = fill(p.yes, list_words(a.fact, f.offending, "and"));
  } else if (a.op == Op::NotContains) {
    f.sentence = fill(p.no, list_words(a.fact, o, "or"));
  } else if (a.op == Op::Matches && a.regex) {
    for (const auto& x : v)
      if (std::regex_search(x, *a.regex)) f.offending.push_back(x);
    f.sentence = fill(whole_of(p), list_words(a.fact, f.offending, "and"));
  } else {
    f.offending = v;
    f.sentence = fill(whole_of(p), list_words(a.fact, v, "and"));
  }
  return f;
}

}  // namespace

std::string words(const StringList& items, std::string_view conj) {
  if (items.empty()) return "nothing";
  const size_t shown = items.size() > kMaxWords ? kMaxWords : items.size();
  const size_t more = items.size() - shown;
  std::string s;
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) s += (i + 1 == shown && more == 0) ? " " + std::string(conj) + " " : ", ";
    s += items[i];
  }
  if (more) s += " " + std::string(conj) + " " + std::to_string(more) + " more";
  return s;
}

std::string value_words(std::string_view fact, const Value& v) {
  if (std::holds_alternative<StringList>(v)) return list_words(fact, std::get<StringList>(v), "and");
  if (std::holds_alternative<std::string>(v)) return display_element(fact, std::get<std::string>(v));
  return pp::render(v);
}

std::string operand_words(std::string_view fact, const Operand& o, std::string_view conj) {
  if (std::holds_alternative<StringList>(o)) return list_words(fact, std::get<StringList>(o), conj);
  if (std::holds_alternative<std::string>(o)) return display_element(fact, std::get<std::string>(o));
  if (std::holds_alternative<IntList>(o)) {
    StringList l;
    for (int64_t x : std::get<IntList>(o)) l.push_back(std::to_string(x));
    return words(l, conj);
  }
  return render(o);
}

std::string fact_sentence(const Fact& f) {
  if (f.state != FactState::Known) return f.name + " is " + std::string(to_string(f.state)) + (f.reason.empty() ? "" : ": " + f.reason);
  const FactPhrase p = phrase_of(f.name);
  if (std::holds_alternative<bool>(f.value)) return std::get<bool>(f.value) ? p.yes : p.no;
  if (std::holds_alternative<StringList>(f.value)) return fill(whole_of(p), value_words(f.name, f.value));
  return fill(p.yes, value_words(f.name, f.value));
}

Finding leaf_finding(const Assertion& a, const Fact& fact, bool held) {
  Finding f;
  f.leaf = &a;
  if (fact.state != FactState::Known || a.op == Op::Exists || a.op == Op::Absent) {
    f.sentence = fact_sentence(fact);
  } else if (std::holds_alternative<StringList>(fact.value)) {
    const StringList& v = std::get<StringList>(fact.value);
    f = held ? held_list(a, v) : failed_list(a, v);
    f.leaf = &a;
    for (auto& o : f.offending) o = display_element(a.fact, o);
  } else if (std::holds_alternative<int64_t>(fact.value)) {
    f.sentence = int_sentence(a, std::get<int64_t>(fact.value), held);
    f.offending = {std::to_string(std::get<int64_t>(fact.value))};
  } else if (std::holds_alternative<std::string>(fact.value)) {
    f.sentence = string_sentence(a, std::get<std::string>(fact.value), held);
    f.offending = {std::get<std::string>(fact.value)};
  } else {
    f.sentence = fact_sentence(fact);
  }
  return f;
}

Finding any_finding(const std::vector<Finding>& failed) {
  Finding out;
  StringList sentences;
  std::vector<bool> merged(failed.size(), false);
  for (size_t i = 0; i < failed.size(); ++i) {
    if (merged[i]) continue;
    const Finding& f = failed[i];
    std::string sentence = f.sentence;
    if (f.leaf && f.leaf->op == Op::Contains && !f.missing.empty()) {
      // Every other alternative wanting elements of the same fact joins this one.
      StringList missing = f.missing;
      for (size_t j = i + 1; j < failed.size(); ++j) {
        const Finding& g = failed[j];
        if (!g.leaf || g.leaf->op != Op::Contains || g.leaf->fact != f.leaf->fact || g.missing.empty()) continue;
        merged[j] = true;
        for (const auto& m : g.missing)
          if (!has(missing, m)) missing.push_back(m);
      }
      if (missing.size() > f.missing.size()) {
        const FactPhrase p = phrase_of(f.leaf->fact);
        sentence = fill(p.no, list_words(f.leaf->fact, missing, "or"));
        const std::string& rest = f.sentence;
        const size_t paren = rest.rfind(" (it ");
        if (paren != std::string::npos) sentence += rest.substr(paren);
      }
    }
    if (!has(sentences, sentence)) sentences.push_back(sentence);
    for (const auto& o : f.offending)
      if (!has(out.offending, o)) out.offending.push_back(o);
  }
  out.sentence = words(sentences, "and");
  return out;
}

std::vector<Finding> merge_held(const std::vector<Finding>& held) {
  std::vector<Finding> out;
  for (const auto& f : held) {
    const bool list_contains = f.leaf && f.leaf->op == Op::Contains && !f.offending.empty();
    auto same = std::find_if(out.begin(), out.end(), [&](const Finding& g) {
      return list_contains && g.leaf && g.leaf->op == Op::Contains && g.leaf->fact == f.leaf->fact && !g.offending.empty();
    });
    if (same == out.end() || !list_contains) {
      out.push_back(f);
      continue;
    }
    for (const auto& o : f.offending)
      if (!has(same->offending, o)) same->offending.push_back(o);
    same->sentence = fill(phrase_of(f.leaf->fact).yes, words(same->offending, "and"));
  }
  return out;
}

StringList merge_schemes(const StringList& sentences) {
  static const std::string kPlain = "plain HTTP", kTls = "HTTPS";
  StringList out;
  std::vector<bool> used(sentences.size(), false);
  for (size_t i = 0; i < sentences.size(); ++i) {
    if (used[i]) continue;
    std::string s = sentences[i];
    const size_t at = s.find(kPlain);
    if (at != std::string::npos) {
      std::string tls = s;
      tls.replace(at, kPlain.size(), kTls);
      for (size_t j = i + 1; j < sentences.size(); ++j) {
        if (used[j] || sentences[j] != tls) continue;
        used[j] = true;
        s.replace(at, kPlain.size(), kPlain + " and " + kTls);
        break;
      }
    }
    if (!has(out, s)) out.push_back(s);
  }
  return out;
}

}  // namespace pp::policy
