#include "policy/evaluate.h"

#include <algorithm>

#include "core/service.h"
#include "policy/glob.h"
#include "policy/library.h"
#include "policy/operators.h"

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

Tri eval(const Assertion& a, EvalCtx& ctx, std::vector<std::string>& why) {
  if (a.leaf) {
    const Fact* f = ctx.facts.find(a.fact);
    if (!f || f->state == FactState::Unknown) {
      std::string r = f ? (f->reason.empty() ? "no reason given" : f->reason) : "no probe reported it";
      std::string line = a.fact + " could not be observed: " + r;
      if (std::find(ctx.unknown.begin(), ctx.unknown.end(), line) == ctx.unknown.end()) ctx.unknown.push_back(line);
      if (std::find(ctx.unknown_facts.begin(), ctx.unknown_facts.end(), a.fact) == ctx.unknown_facts.end())
        ctx.unknown_facts.push_back(a.fact);
      return Tri::NotApplicable;  // the caller turns any unknown into Error
    }
    Tri t;
    if (a.op == Op::Exists) {
      t = f->state == FactState::Known ? Tri::True : Tri::False;
    } else if (a.op == Op::Absent) {
      t = f->state == FactState::Absent ? Tri::True : Tri::False;
    } else if (f->state == FactState::Absent) {
      std::string line = a.fact + " is absent" + (f->reason.empty() ? "" : ": " + f->reason);
      if (std::find(ctx.absent.begin(), ctx.absent.end(), line) == ctx.absent.end()) ctx.absent.push_back(line);
      return Tri::NotApplicable;
    } else {
      t = apply_op(a, f->value) ? Tri::True : Tri::False;
    }
    if (t == Tri::False) why.push_back("expected " + render_assertion(a) + ", got " + actual_of(f));
    return t;
  }
  size_t n_true = 0, n_false = 0;
  std::vector<std::string> child_why;
  std::vector<std::string> held;  // for none: the items that held
  for (const auto& c : a.children) {
    std::vector<std::string> w;
    Tri t = eval(c, ctx, w);
    if (t == Tri::True) {
      ++n_true;
      if (c.leaf) held.push_back(render_assertion(c) + " (actual: " + actual_of(ctx.facts.find(c.fact)) + ")");
      else held.push_back(render_assertion(c));
    } else if (t == Tri::False) {
      ++n_false;
      child_why.insert(child_why.end(), w.begin(), w.end());
    }
  }
  if (n_true + n_false == 0) return Tri::NotApplicable;
  switch (a.combinator) {
    case Combinator::All:
      if (n_false == 0) return Tri::True;
      why.insert(why.end(), child_why.begin(), child_why.end());
      return Tri::False;
    case Combinator::Any: {
      if (n_true > 0) return Tri::True;
      std::string s = "none of the alternatives held: ";
      for (size_t i = 0; i < child_why.size(); ++i) s += (i ? "; " : "") + child_why[i];
      why.push_back(s);
      return Tri::False;
    }
    case Combinator::None:
      if (n_true == 0) return Tri::True;
      for (const auto& h : held) why.push_back("must not hold: " + h);
      return Tri::False;
  }
  return Tri::False;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
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

std::vector<Result> evaluate(const std::vector<Rule>& rules, const std::vector<SubjectFacts>& subjects,
                             const std::vector<Waiver>& waivers, const Date& today) {
  std::vector<Result> out;
  for (const auto& sf : subjects) {
    for (const auto& rule : rules) {
      if (rule.kind != sf.subject.kind || !selects(rule.where, sf.subject)) continue;
      Result r;
      r.rule_id = rule.id;
      r.pack = rule.pack;
      r.title = rule.title;
      r.severity = rule.severity;
      r.target = sf.subject.target;
      r.subject = sf.subject.id();
      r.subject_kind = sf.subject.kind;
      r.remediation = rule.remediation;
      r.references = rule.references;
      r.description = rule.description;
      std::vector<std::string> facts;
      collect_facts(rule.root, facts);
      for (const auto& name : facts) {
        const Fact* f = sf.facts.find(name);
        if (!f) {
          r.evidence.push_back(name + ": not observed (no probe reported it)");
        } else if (f->state == FactState::Known) {
          r.evidence.push_back(name + " = " + pp::render(f->value) + (f->evidence.empty() ? "" : "  (" + f->evidence + ")"));
        } else {
          r.evidence.push_back(name + ": " + std::string(to_string(f->state)) + (f->reason.empty() ? "" : " (" + f->reason + ")"));
        }
      }
      EvalCtx ctx{sf.facts, {}, {}, {}};
      std::vector<std::string> why;
      Tri t = eval(rule.root, ctx, why);
      if (!ctx.unknown.empty()) {
        r.status = Status::Error;
        r.message = "cannot judge: " + join(ctx.unknown, "; ");
        r.unknown_facts = std::move(ctx.unknown_facts);
      } else if (t == Tri::NotApplicable) {
        r.status = Status::Skipped;
        r.message = "not applicable: " + join(ctx.absent, "; ");
      } else if (t == Tri::True) {
        r.status = Status::Pass;
      } else {
        r.status = Status::Fail;
        r.message = join(why, "; ");
      }
      if (r.status == Status::Fail || r.status == Status::Error) {
        if (const Waiver* w = find_waiver(waivers, rule.id, r.subject, r.target, today)) {
          if (today <= w->expires) {
            if (r.status == Status::Fail) {
              r.waiver = w->justification + " (expires " + w->expires.str() + ", " + w->file + ":" + std::to_string(w->line) + ")";
              r.message = "waived until " + w->expires.str() + ": " + w->justification + " [finding: " + r.message + "]";
              r.status = Status::Waived;
            }
          } else {
            r.waiver = "EXPIRED " + w->expires.str() + ": " + w->justification;
            r.message = "WAIVER EXPIRED on " + w->expires.str() + " (" + w->file + ":" + std::to_string(w->line) +
                        "), no longer waived: " + r.message;
          }
        }
      }
      // What to do belongs to a finding; an error or a skip has nothing to remedy yet.
      if (r.status != Status::Fail && r.status != Status::Waived) r.remediation.clear();
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace pp::policy
