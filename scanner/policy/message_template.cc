#include "policy/message_template.h"

#include <algorithm>

#include "core/catalogue.h"
#include "policy/sentence.h"

namespace pp::policy {

namespace {

/// A piece of a template: literal text, or a `{name}` placeholder at `offset`.
struct Piece {
  bool placeholder = false;
  std::string text;
  size_t offset = 0;
};

/// Splits the template; reports an unbalanced brace in `problem` (and stops there).
std::vector<Piece> split(std::string_view t, std::optional<TemplateProblem>& problem) {
  std::vector<Piece> out;
  std::string lit;
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if ((c == '{' || c == '}') && i + 1 < t.size() && t[i + 1] == c) {
      lit += c;
      ++i;
    } else if (c == '}') {
      problem = TemplateProblem{i, "message template: '}' without its '{' (write '}}' for a literal brace)"};
      return out;
    } else if (c == '{') {
      const size_t end = t.find_first_of("{}", i + 1);
      if (end == std::string_view::npos || t[end] != '}') {
        problem = TemplateProblem{i, "message template: '{' without its '}' (write '{{' for a literal brace)"};
        return out;
      }
      if (!lit.empty()) out.push_back({false, std::move(lit), 0});
      lit.clear();
      out.push_back({true, std::string(t.substr(i + 1, end - i - 1)), i});
      i = end;
    } else {
      lit += c;
    }
  }
  if (!lit.empty()) out.push_back({false, std::move(lit), 0});
  return out;
}

bool is_fact_name(const std::string& n) { return n.find('.') != std::string::npos; }

std::string a_kind(SubjectKind k) {
  const std::string name(to_string(k));
  return (name[0] == 'e' ? "an " : "a ") + name;
}

std::optional<std::string> problem_with(const FactCatalogue& facts, const Piece& p, const Rule& rule) {
  if (p.text == "offending") return std::nullopt;
  if (is_fact_name(p.text)) {
    const FactSpec* spec = facts.find(p.text);
    if (!spec) return "message template names unknown fact '" + p.text + "' (see `policyprobe facts`)";
    if (spec->subject != rule.kind)
      return "message template names fact '" + p.text + "' about " + a_kind(spec->subject) + ", but this rule judges " +
             a_kind(rule.kind);
    return std::nullopt;
  }
  if (rule.params.count(p.text)) return std::nullopt;
  return "message template names unknown parameter '" + p.text +
         "' (a template reads {fact.name}, {offending} and the parameters under [rule.params])";
}

}  // namespace

std::vector<TemplateProblem> check_template(const FactCatalogue& facts, std::string_view text, const Rule& rule) {
  std::vector<TemplateProblem> out;
  std::optional<TemplateProblem> problem;
  const std::vector<Piece> pieces = split(text, problem);
  for (const auto& p : pieces)
    if (p.placeholder)
      if (auto why = problem_with(facts, p, rule)) out.push_back({p.offset, *why});
  if (problem) out.push_back(*problem);
  return out;
}

std::vector<std::string> template_facts(std::string_view text) {
  std::optional<TemplateProblem> problem;
  std::vector<std::string> out;
  for (const auto& p : split(text, problem))
    if (p.placeholder && is_fact_name(p.text) && std::find(out.begin(), out.end(), p.text) == out.end())
      out.push_back(p.text);
  return out;
}

std::optional<std::string> render_template(std::string_view text, const Rule& rule, const FactSet& facts,
                                           const StringList& offending) {
  std::optional<TemplateProblem> problem;
  const std::vector<Piece> pieces = split(text, problem);
  if (problem) return std::nullopt;
  std::string out;
  for (const auto& p : pieces) {
    if (!p.placeholder) {
      out += p.text;
    } else if (p.text == "offending") {
      if (offending.empty()) return std::nullopt;
      out += words(offending, "and");
    } else if (is_fact_name(p.text)) {
      const Fact* f = facts.find(p.text);
      if (!f || f->state != FactState::Known) return std::nullopt;
      out += value_words(p.text, f->value);
    } else {
      auto it = rule.params.find(p.text);
      if (it == rule.params.end()) return std::nullopt;
      out += operand_words(p.text, it->second);
    }
  }
  return out;
}

}  // namespace pp::policy
