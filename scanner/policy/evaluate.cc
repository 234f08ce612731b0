#include "policy/evaluate.h"

#include <algorithm>

#include "core/service.h"
#include "core/text.h"
#include "policy/glob.h"
#include "policy/each.h"
#include "policy/library.h"
#include "policy/message_template.h"
#include "policy/operators.h"
#include "policy/sentence.h"

namespace pp::policy {

namespace {

/// Schemes a subject is reached by: a vdir is seen over https (TLS port) and http (plain port).
std::vector<std::string> schemes_of(const Subject& s) {
  std::vector<std::string> out;
  if (!s.scheme.empty()) out.push_back(s.scheme);
  if (s.kind == SubjectKind::Vdir) {
    if (s.port) out.push_back("https");
    if (s.plain_port) out.push_back("http");
  }
  return out;
}

bool service_matches(const std::string& want, const Subject& s) {
  for (const auto& scheme : schemes_of(s)) {
    if (scheme == want) return true;
    const ServiceInfo* info = find_service(scheme);
    if (info && to_string(info->protocol) == want) return true;
  }
  return false;
}

enum class Tri { True, False, NotApplicable };

struct EvalCtx {
  const FactSet& facts;
  std::vector<std::string> unknown;  ///< reasons a needed fact could not be observed
  std::vector<std::string> absent;   ///< reasons facts were absent
  std::vector<std::string> unknown_facts;  ///< names of the facts behind `unknown`
};

std::string actual_of(const Fact* f) {
  if (!f) return "not observed";
  if (f->state == FactState::Absent) return "absent" + (f->reason.empty() ? "" : " (" + f->reason + ")");
  if (f->state == FactState::Unknown) return "unknown";
  return pp::render(f->value);
}

void add_once(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

/// Why an assertion tree did not hold: sentences about the server (the message) and the raw
/// assertions with the values seen (the `assertion` field, for those who want the rule's terms).
struct Why {
  std::vector<Finding> findings;
  std::vector<std::string> raw;
};

/// One fact against one operator. Unknown and absent facts are recorded in `ctx` and make the
/// assertion not applicable (the caller turns any unknown into Error).
Tri eval_leaf(const Assertion& a, EvalCtx& ctx, Why& why) {
  const Fact* f = ctx.facts.find(a.fact);
  if (!f || f->state == FactState::Unknown) {
    std::string r = f ? (f->reason.empty() ? "no reason given" : f->reason) : "no probe reported it";
    add_once(ctx.unknown, a.fact + " could not be observed: " + r);
    add_once(ctx.unknown_facts, a.fact);
    return Tri::NotApplicable;
  }
  Tri t;
  if (a.op == Op::Exists) {
    t = f->state == FactState::Known ? Tri::True : Tri::False;
  } else if (a.op == Op::Absent) {
    t = f->state == FactState::Absent ? Tri::True : Tri::False;
  } else if (f->state == FactState::Absent) {
    add_once(ctx.absent, a.fact + " is absent" + (f->reason.empty() ? "" : ": " + f->reason));
    return Tri::NotApplicable;
  } else {
    t = apply_op(a, f->value) ? Tri::True : Tri::False;
  }
  if (t == Tri::False) {
    why.findings.push_back(leaf_finding(a, *f, false));
    why.raw.push_back("expected " + render_assertion(a) + ", got " + actual_of(f));
  }
  return t;
}

/// What the children of a combinator gave.
struct ChildOutcome {
  size_t n_true = 0, n_false = 0;
  Why why;   ///< the reasons of the children that were false
  Why held;  ///< for none: the children that held, said as findings
};

Tri eval(const Assertion& a, EvalCtx& ctx, Why& why);

/// A child that held, said as what was found (for `none`): a leaf in its own words, a group
/// as the facts it read.
void add_held(const Assertion& c, const FactSet& facts, Why& held) {
  if (c.leaf) {
    const Fact* f = facts.find(c.fact);
    if (f) held.findings.push_back(leaf_finding(c, *f, true));
    held.raw.push_back("must not hold: " + render_assertion(c) + " (actual: " + actual_of(f) + ")");
    return;
  }
  std::vector<std::string> names;
  collect_facts(c, names);
  Finding g;
  for (const auto& n : names)
    if (const Fact* f = facts.find(n)) g.sentence += (g.sentence.empty() ? "" : " and ") + fact_sentence(*f);
  held.findings.push_back(g);
  held.raw.push_back("must not hold: " + render_assertion(c));
}

ChildOutcome eval_children(const Assertion& a, EvalCtx& ctx) {
  ChildOutcome out;
  for (const auto& c : a.children) {
    Why w;
    Tri t = eval(c, ctx, w);
    if (t == Tri::True) {
      ++out.n_true;
      if (a.combinator == Combinator::None) add_held(c, ctx.facts, out.held);
    } else if (t == Tri::False) {
      ++out.n_false;
      out.why.findings.insert(out.why.findings.end(), w.findings.begin(), w.findings.end());
      out.why.raw.insert(out.why.raw.end(), w.raw.begin(), w.raw.end());
    }
  }
  return out;
}

void append(Why& to, const Why& from) {
  to.findings.insert(to.findings.end(), from.findings.begin(), from.findings.end());
  to.raw.insert(to.raw.end(), from.raw.begin(), from.raw.end());
}

Tri eval(const Assertion& a, EvalCtx& ctx, Why& why) {
  if (a.leaf) return eval_leaf(a, ctx, why);
  const ChildOutcome c = eval_children(a, ctx);
  if (c.n_true + c.n_false == 0) return Tri::NotApplicable;
  switch (a.combinator) {
    case Combinator::All:
      if (c.n_false == 0) return Tri::True;
      append(why, c.why);
      return Tri::False;
    case Combinator::Any: {
      if (c.n_true > 0) return Tri::True;
      why.findings.push_back(any_finding(c.why.findings));
      std::string s = "none of the alternatives held: ";
      for (size_t i = 0; i < c.why.raw.size(); ++i) s += (i ? "; " : "") + c.why.raw[i];
      why.raw.push_back(s);
      return Tri::False;
    }
    case Combinator::None:
      if (c.n_true == 0) return Tri::True;
      for (auto& f : merge_held(c.held.findings)) why.findings.push_back(std::move(f));
      why.raw.insert(why.raw.end(), c.held.raw.begin(), c.held.raw.end());
      return Tri::False;
  }
  return Tri::False;
}

}  // namespace

bool selects(const Where& w, const Subject& s) {
  if (!w.services.empty() &&
      std::none_of(w.services.begin(), w.services.end(), [&](const std::string& x) { return service_matches(x, s); }))
    return false;
  if (!w.ports.empty()) {
    bool hit = false;
    for (int64_t p : w.ports) hit = hit || (s.port && p == s.port) || (s.plain_port && p == s.plain_port);
    if (!hit) return false;
  }
  if (!w.vdirs.empty()) {
    if (s.kind != SubjectKind::Vdir) return false;
    if (std::none_of(w.vdirs.begin(), w.vdirs.end(), [&](const std::string& g) { return glob_match(g, s.path, true); }))
      return false;
  }
  for (const auto& [k, pattern] : w.tags) {
    auto it = s.tags.find(k);
    if (it == s.tags.end() || !glob_match(pattern, it->second, true)) return false;
  }
  return true;
}

namespace {

/// The facts a rule reads, each with its value and evidence (or why it has none).
void add_evidence(const Rule& rule, const FactSet& facts, Result& r) {
  std::vector<std::string> names;
  collect_facts(rule.root, names);
  for (const auto& name : template_facts(rule.message))
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  for (const auto& name : names) {
    const Fact* f = facts.find(name);
    if (!f) {
      r.evidence.push_back(name + ": not observed (no probe reported it)");
    } else if (f->state == FactState::Known) {
      r.evidence.push_back(name + " = " + pp::render(f->value) + (f->evidence.empty() ? "" : "  (" + f->evidence + ")"));
    } else {
      r.evidence.push_back(name + ": " + std::string(to_string(f->state)) + (f->reason.empty() ? "" : " (" + f->reason + ")"));
    }
  }
}

/// The failure message: the rule's template when it can be filled in, else the findings'
/// sentences (each said once).
std::string failure_message(const Rule& rule, const FactSet& facts, const Why& why) {
  StringList sentences, offending;
  for (const auto& f : why.findings) {
    if (std::find(sentences.begin(), sentences.end(), f.sentence) == sentences.end()) sentences.push_back(f.sentence);
    for (const auto& o : f.offending)
      if (std::find(offending.begin(), offending.end(), o) == offending.end()) offending.push_back(o);
  }
  if (!rule.message.empty())
    if (auto m = render_template(rule.message, rule, facts, offending)) return *m;
  return text::join(merge_schemes(sentences), "; ");
}

void judge(const Rule& rule, const FactSet& facts, Result& r) {
  EvalCtx ctx{facts, {}, {}, {}};
  Why why;
  Tri t = eval(rule.root, ctx, why);
  if (!ctx.unknown.empty()) {
    r.status = Status::Error;
    r.message = "cannot judge: " + text::join(ctx.unknown, "; ");
    r.unknown_facts.assign(ctx.unknown_facts.begin(), ctx.unknown_facts.end());
  } else if (t == Tri::NotApplicable) {
    r.status = Status::Skipped;
    r.message = "not applicable: " + text::join(ctx.absent, "; ");
  } else if (t == Tri::True) {
    r.status = Status::Pass;
  } else {
    r.status = Status::Fail;
    r.message = failure_message(rule, facts, why);
    r.assertion = text::join(why.raw, "; ");
  }
}

/// A failure covered by a waiver in force is waived; an expired waiver is named, loudly. An
/// element's result (`each`) is also covered by a waiver on its base subject.
void apply_waiver(const std::vector<Waiver>& waivers, const Date& today, Result& r, const std::string* base = nullptr) {
  if (r.status != Status::Fail && r.status != Status::Error) return;
  const Waiver* w = find_waiver(waivers, r.rule_id, r.subject, r.target, today);
  if (!w && base) w = find_waiver(waivers, r.rule_id, *base, r.target, today);
  if (!w) return;
  const std::string where = w->file + ":" + std::to_string(w->line);
  if (today > w->expires) {
    r.waiver = "EXPIRED " + w->expires.str() + ": " + w->justification + " (" + waiver_accountability(*w) + ")";
    const std::string who = w->owner.empty() ? "" : "owner " + w->owner + ", ticket " + w->ticket + ", ";
    r.message = "WAIVER EXPIRED on " + w->expires.str() + " (" + who + where + "), no longer waived: " + r.message;
  } else if (r.status == Status::Fail) {
    r.waiver = w->justification + " (" + waiver_accountability(*w) + ", " + where + ")";
    r.message = "waived until " + w->expires.str() + ": " + w->justification + " [finding: " + r.message + "]";
    r.status = Status::Waived;
  }
}

}  // namespace

const std::shared_ptr<const RuleText>& RuleTexts::of(const Rule& rule) {
  auto& slot = by_rule_[&rule];
  if (!slot) slot = std::make_shared<const RuleText>(
      RuleText{rule.pack, rule.title, rule.description, rule.remediation, rule.references});
  return slot;
}

namespace {

bool applies(const Rule& rule, const Subject& subject) {
  return rule.kind == subject.kind && selects(rule.where, subject);
}

/// One rule judged on one subject (or one element of it, `each`: then `waiver_base` is the
/// base subject, whose waivers cover the element too).
Result judged(const Rule& rule, const std::shared_ptr<const RuleText>& text, const Subject& subject,
              const std::string& subject_id, const FactSet& facts, const std::vector<Waiver>& waivers, const Date& today,
              const std::string* waiver_base) {
  Result r;
  r.rule_id = rule.id;
  r.rule = text;
  r.severity = rule.severity;
  r.target = subject.target;
  r.subject = subject_id;
  r.subject_kind = subject.kind;
  add_evidence(rule, facts, r);
  judge(rule, facts, r);
  apply_waiver(waivers, today, r, waiver_base);
  return r;
}

}  // namespace

size_t count_results(const std::vector<Rule>& rules, const std::vector<SubjectFacts>& subjects) {
  size_t n = 0;
  for (const auto& sf : subjects)
    for (const auto& r : rules)
      if (applies(r, sf.subject)) n += 1 + count_elements(r, sf.facts);
  return n;
}

std::vector<Result> evaluate(const std::vector<Rule>& rules, const std::vector<SubjectFacts>& subjects,
                             const std::vector<Waiver>& waivers, const Date& today, RuleTexts* texts) {
  RuleTexts own;
  RuleTexts& shared = texts ? *texts : own;
  std::vector<Result> out;
  for (const auto& sf : subjects) {
    for (const auto& rule : rules) {
      if (!applies(rule, sf.subject)) continue;
      const std::string id = sf.subject.id();
      out.push_back(judged(rule, shared.of(rule), sf.subject, id, sf.facts, waivers, today, nullptr));
      const EachExpansion each = expand_each(rule, sf.facts, id);
      if (each.elements.empty() && each.problem.empty()) continue;
      mark_base(rule, each, out.back());
      for (const auto& e : each.elements)
        out.push_back(judged(rule, shared.of(rule), sf.subject, e.subject, e.facts, waivers, today, &id));
    }
  }
  return out;
}

}  // namespace pp::policy
