#include "reports/history.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "reports/baseline.h"
#include "reports/summary.h"

namespace pp::reports {

namespace {

/// The list facts whose elements history follows, and how a change of one is named.
struct ListWatch {
  const char* fact;
  const char* noun;   ///< "protocol" -> "protocol added"
  const char* where;  ///< appended to each value in the detail, "" for none
};
constexpr ListWatch kListWatches[] = {
    {"tls.protocols", "protocol", ""},
    {"tls.ciphers", "suite", ""},
    {"http.plain.auth_schemes", "auth method", " (plain HTTP)"},
    {"http.tls.auth_schemes", "auth method", " (HTTPS)"},
    {"mail.auth_mechs.plain", "auth method", " (before TLS)"},
    {"mail.auth_mechs.tls", "auth method", " (inside TLS)"},
};
constexpr const char* kCertFacts[] = {"cert.fingerprint_sha256", "cert.not_after", "cert.subject", "cert.san"};
constexpr const char* kExistsFacts[] = {"http.plain.exists", "http.tls.exists"};

bool kept_fact(const std::string& name) {
  for (const auto& w : kListWatches)
    if (name == w.fact) return true;
  for (const char* f : kCertFacts)
    if (name == f) return true;
  for (const char* f : kExistsFacts)
    if (name == f) return true;
  return false;
}

const Fact* known(const FactSet& facts, const char* name) {
  const Fact* f = facts.find(name);
  return f && f->state == FactState::Known ? f : nullptr;
}

std::string str_of(const FactSet& facts, const char* name) {
  const Fact* f = known(facts, name);
  return f && type_of(f->value) == ValueType::String ? std::get<std::string>(f->value) : std::string();
}

const StringList* list_of(const FactSet& facts, const char* name) {
  const Fact* f = known(facts, name);
  return f && type_of(f->value) == ValueType::List ? &std::get<StringList>(f->value) : nullptr;
}

/// A vdir exists when either scheme saw it (not 404); unknown when neither was observed.
std::optional<bool> vdir_exists(const FactSet& facts) {
  std::optional<bool> out;
  for (const char* name : kExistsFacts)
    if (const Fact* f = known(facts, name); f && type_of(f->value) == ValueType::Bool)
      out = out.value_or(false) || std::get<bool>(f->value);
  return out;
}

using Changes = std::vector<FactChange>;

void add(Changes& out, const Subject& s, std::string change, std::string detail) {
  out.push_back({s.target, s.id(), std::move(change), std::move(detail)});
}

std::string short_fp(const std::string& fp) { return fp.size() > 16 ? fp.substr(0, 16) + "..." : fp; }

void certificate_change(const FactSet& before, const FactSet& after, const Subject& s, Changes& out) {
  const std::string fp0 = str_of(before, "cert.fingerprint_sha256"), fp1 = str_of(after, "cert.fingerprint_sha256");
  if (fp0.empty() || fp1.empty() || fp0 == fp1) return;
  const std::string exp0 = str_of(before, "cert.not_after"), exp1 = str_of(after, "cert.not_after");
  const StringList* san0 = list_of(before, "cert.san");
  const StringList* san1 = list_of(after, "cert.san");
  // Renewed: the same names on a later expiry. Anything else is a different certificate.
  const bool same_names = str_of(before, "cert.subject") == str_of(after, "cert.subject") && san0 && san1 &&
                          std::set<std::string>(san0->begin(), san0->end()) == std::set<std::string>(san1->begin(), san1->end());
  const bool renewed = same_names && !exp0.empty() && exp1 > exp0;
  add(out, s, renewed ? "certificate renewed" : "certificate replaced",
      "fingerprint " + short_fp(fp0) + " -> " + short_fp(fp1) + ", expires " + (exp0.empty() ? "?" : exp0) + " -> " +
          (exp1.empty() ? "?" : exp1));
}

void list_changes(const FactSet& before, const FactSet& after, const Subject& s, Changes& out) {
  for (const auto& w : kListWatches) {
    const StringList* l0 = list_of(before, w.fact);
    const StringList* l1 = list_of(after, w.fact);
    if (!l0 || !l1) continue;  // not observed on one side: no claim either way
    const std::set<std::string> s0(l0->begin(), l0->end()), s1(l1->begin(), l1->end());
    for (const auto& v : *l1)
      if (!s0.count(v)) add(out, s, std::string(w.noun) + " added", v + w.where);
    for (const auto& v : *l0)
      if (!s1.count(v)) add(out, s, std::string(w.noun) + " removed", v + w.where);
  }
}

void subject_changes(const SubjectFacts& before, const SubjectFacts& after, Changes& out) {
  if (after.subject.kind == SubjectKind::Certificate) certificate_change(before.facts, after.facts, after.subject, out);
  if (after.subject.kind == SubjectKind::Vdir) {
    const auto e0 = vdir_exists(before.facts), e1 = vdir_exists(after.facts);
    if (e0 && e1 && *e0 != *e1) add(out, after.subject, *e1 ? "vdir appeared" : "vdir disappeared", after.subject.path);
  }
  list_changes(before.facts, after.facts, after.subject, out);
}

/// A subject only one side has: endpoints always count; a vdir only where it exists; a
/// certificate follows its endpoint and is not named twice.
void presence_change(const SubjectFacts& sf, bool appeared, Changes& out) {
  if (sf.subject.kind == SubjectKind::Endpoint)
    add(out, sf.subject, appeared ? "endpoint appeared" : "endpoint disappeared", sf.subject.id());
  else if (sf.subject.kind == SubjectKind::Vdir && vdir_exists(sf.facts).value_or(false))
    add(out, sf.subject, appeared ? "vdir appeared" : "vdir disappeared", sf.subject.path);
}

using SubjectIndex = std::map<std::pair<std::string, std::string>, const SubjectFacts*>;
SubjectIndex index_subjects(const ScanReport& r) {
  SubjectIndex out;
  for (const auto& sf : r.facts) out.emplace(std::make_pair(sf.subject.target, sf.subject.id()), &sf);
  return out;
}

HistoryFinding finding_of(const Result& r) {
  return {r.rule_id, r.title(), r.severity, r.target, r.subject, r.status};
}

using Key = std::pair<std::string, std::string>;  // rule id, subject id: as compare() keys them

}  // namespace

ScanReport history_digest(ScanReport report) {
  for (auto& r : report.results) {
    r.message.clear();
    r.assertion.clear();
    r.waiver.clear();
    std::vector<std::string>().swap(r.evidence);
    std::vector<Interned>().swap(r.unknown_facts);
  }
  for (auto& sf : report.facts) {
    FactSet kept;
    for (const Fact& f : sf.facts.all())
      if (kept_fact(f.name)) kept.put(Fact{f.name, {}, f.state, f.value, {}});
    sf.facts = std::move(kept);
  }
  return report;
}

std::vector<FactChange> history_changes(const ScanReport& before, const ScanReport& after) {
  Changes out;
  const std::set<std::string> t0(before.targets.begin(), before.targets.end());
  const std::set<std::string> t1(after.targets.begin(), after.targets.end());
  for (const auto& t : after.targets)
    if (!t0.count(t)) out.push_back({t, t, "target appeared", t});
  for (const auto& t : before.targets)
    if (!t1.count(t)) out.push_back({t, t, "target disappeared", t});
  const SubjectIndex i0 = index_subjects(before), i1 = index_subjects(after);
  for (const auto& [key, sf] : i1) {
    if (!t0.count(key.first)) continue;  // a new target is named once, not subject by subject
    auto it = i0.find(key);
    if (it == i0.end()) presence_change(*sf, true, out);
    else subject_changes(*it->second, *sf, out);
  }
  for (const auto& [key, sf] : i0)
    if (t1.count(key.first) && !i1.count(key)) presence_change(*sf, false, out);
  return out;
}

namespace {

void fill_counts(const ScanReport& r, HistoryRun& run) {
  const Counts c = count(r.results);
  run.failed_by_severity = c.failed_by_severity;
  run.findings = c.of(Status::Fail) + c.of(Status::Error);
}

/// What the series last said of a (rule, subject): failing, or passing after a failure.
enum class Last { Finding, Fixed };
using LastSeen = std::map<Key, Last>;

void remember(const ScanReport& r, LastSeen& last) {
  for (const auto& res : r.results) {
    const Key k{res.rule_id, res.subject};
    if (is_finding(res)) last[k] = Last::Finding;
    else if (res.status == Status::Pass && last.count(k)) last[k] = Last::Fixed;
  }
}

/// New, fixed, regressed and returned findings of `run` against `before` (compare(), as diff),
/// refined by what the series said last: a finding new against `before` was fixed in an earlier
/// run (regressed) or was a finding when last judged (returned, after a run that could not
/// judge it); a pass whose last judgement was a failure is fixed even when `before` could not
/// judge it.
void finding_changes(const ScanReport& before, const ScanReport& after, const LastSeen& last, HistoryRun& run) {
  const BaselineDiff d = compare(before, after);
  for (const auto& r : d.added) {
    auto it = last.find({r.rule_id, r.subject});
    if (it == last.end()) run.added.push_back(finding_of(r));
    else (it->second == Last::Fixed ? run.regressed : run.returned).push_back(finding_of(r));
  }
  std::set<Key> fixed;
  for (const auto& r : d.fixed) {
    run.fixed.push_back(finding_of(r));
    fixed.insert({r.rule_id, r.subject});
  }
  for (const auto& r : after.results) {
    const Key k{r.rule_id, r.subject};
    auto it = last.find(k);
    if (r.status == Status::Pass && it != last.end() && it->second == Last::Finding && !fixed.count(k))
      run.fixed.push_back(finding_of(r));
  }
  run.unchanged = d.unchanged.size();
}

}  // namespace

History build_history(std::vector<ScanReport> runs, const std::vector<std::string>& sources) {
  std::vector<size_t> order(runs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return runs[a].started_at < runs[b].started_at; });
  History h;
  LastSeen last;
  for (size_t i = 0; i < order.size(); ++i) {
    const ScanReport& now = runs[order[i]];
    HistoryRun run;
    run.source = order[i] < sources.size() ? sources[order[i]] : std::string();
    run.started_at = now.started_at;
    fill_counts(now, run);
    if (i > 0) {
      const ScanReport& before = runs[order[i - 1]];
      finding_changes(before, now, last, run);
      run.changes = history_changes(before, now);
    }
    remember(now, last);
    h.runs.push_back(std::move(run));
  }
  return h;
}

}  // namespace pp::reports
