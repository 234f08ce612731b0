#include "reports/baseline.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/subject_element.h"
#include "core/text.h"
#include "reports/summary.h"

namespace pp::reports {

namespace {

using Key = std::pair<std::string, std::string>;  // rule id, subject id
Key key_of(const Result& r) { return {r.rule_id, r.subject}; }

/// Fixed rows appended by an earlier apply_baseline are not results of this scan.
bool is_appended_gone(const Result& r) {
  return (r.baseline == "not evaluated" || r.baseline == "fixed") && r.status == Status::Skipped;
}

/// An old finding on an element subject (`<base>#<element>`, a rule judged per element of a
/// list) that this scan does not give is fixed when this scan judged that rule's list on the
/// base: the base passes (the list is empty now) or other elements of it are reported. Then the
/// element was observed to be gone: a pass, not "not evaluated". A base this scan could not
/// judge (error, blocked, or the list absent: skipped without elements) decides nothing.
std::optional<Result> element_fixed(const Result& old, const std::map<Key, const Result*>& now) {
  const auto split = split_element_subject(old.subject);
  if (!split) return std::nullopt;
  const auto base = now.find({old.rule_id, split->base});
  if (base == now.end()) return std::nullopt;
  bool judged = base->second->status == Status::Pass;
  const std::string prefix = split->base + "#";
  for (auto it = now.lower_bound({old.rule_id, prefix}); !judged && it != now.end(); ++it) {
    if (it->first.first != old.rule_id || !it->first.second.starts_with(prefix)) break;
    judged = it->first.second.find('#', prefix.size()) == std::string::npos;  // a sibling, not a deeper subject
  }
  if (!judged) return std::nullopt;
  Result r = old;
  r.status = Status::Pass;
  r.message = "fixed: " + split->element + " is no longer among what " + old.rule_id + " finds on " + split->base;
  r.assertion.clear();
  r.evidence.clear();
  r.waiver.clear();
  r.unknown_facts.clear();
  r.baseline = "fixed";
  return r;
}

}  // namespace

BaselineDiff compare(const ScanReport& old_report, const ScanReport& current) {
  BaselineDiff d;
  std::map<Key, const Result*> old_findings;
  for (const auto& r : old_report.results)
    if (is_finding(r)) old_findings.emplace(key_of(r), &r);
  std::map<Key, const Result*> now;
  for (const auto& r : current.results)
    if (!is_appended_gone(r)) now.emplace(key_of(r), &r);

  for (const auto& r : current.results) {
    if (is_appended_gone(r) || !is_finding(r)) continue;
    (old_findings.count(key_of(r)) ? d.unchanged : d.added).push_back(r);
  }
  for (const auto& [key, old] : old_findings) {
    auto it = now.find(key);
    if (it == now.end()) {
      if (auto r = element_fixed(*old, now)) d.fixed.push_back(std::move(*r));
      else d.gone.push_back(*old);
    } else if (it->second->status == Status::Pass) d.fixed.push_back(*it->second);
    else if (!is_finding(*it->second)) d.suppressed.push_back(*it->second);
  }
  return d;
}

void apply_baseline(const ScanReport& old_report, ScanReport& current) {
  std::erase_if(current.results, is_appended_gone);
  const BaselineDiff d = compare(old_report, current);
  std::set<Key> added, unchanged, fixed, was_finding;
  for (const auto& r : old_report.results)
    if (is_finding(r)) was_finding.insert(key_of(r));
  for (const auto& r : d.added) added.insert(key_of(r));
  for (const auto& r : d.unchanged) unchanged.insert(key_of(r));
  for (const auto& r : d.fixed) fixed.insert(key_of(r));
  for (auto& r : current.results) {
    const Key k = key_of(r);
    if (is_finding(r)) r.baseline = added.count(k) ? "new" : "unchanged";
    else if (fixed.count(k)) r.baseline = "fixed";
    else if (r.status == Status::Blocked && was_finding.count(k)) r.baseline = "not evaluated";
    else r.baseline = Interned();
  }
  std::set<Key> present;
  for (const auto& r : current.results) present.insert(key_of(r));
  for (const auto& r : d.fixed)
    if (!present.count(key_of(r))) current.results.push_back(r);  // an element no longer listed
  for (Result r : d.gone) {
    r.message = "no longer reported: not evaluated in this scan (baseline " + std::string(to_string(r.status)) +
                ": " + r.message + ")";
    r.status = Status::Skipped;
    r.baseline = "not evaluated";
    r.waiver.clear();
    current.results.push_back(std::move(r));
  }
  sort_report(current);
}

namespace {
std::string line(char mark, const Result& r) {
  const std::string sev = text::to_upper(to_string(r.severity));
  return std::string("  ") + mark + " " + sev + " " + text::terminal_safe(r.rule_id) + " " + text::terminal_safe(r.subject) +
         " [" + std::string(to_string(r.status)) + "]: " + text::terminal_safe(r.message) + "\n";
}
void block(std::string& out, const char* title, char mark, std::vector<Result> rs) {
  std::stable_sort(rs.begin(), rs.end(), [](const Result& a, const Result& b) { return a.severity > b.severity; });
  out += std::string(title) + ": " + std::to_string(rs.size()) + "\n";
  for (const auto& r : rs) out += line(mark, r);
}
}  // namespace

std::string diff_text(const ScanReport& old_report, const ScanReport& current) {
  ScanReport a = old_report, b = current;
  sort_report(a);
  sort_report(b);
  const BaselineDiff d = compare(a, b);
  std::string out = "policyprobe diff: " + text::terminal_safe(a.started_at.empty() ? "(old)" : a.started_at) + " -> " +
                    text::terminal_safe(b.started_at.empty() ? "(new)" : b.started_at) + "\n";
  block(out, "new findings", '+', d.added);
  block(out, "fixed (now pass)", '-', d.fixed);
  block(out, "no longer reported (not evaluated)", '-', d.gone);
  block(out, "now skipped or waived", '~', d.suppressed);
  out += "unchanged findings: " + std::to_string(d.unchanged.size()) + "\n";
  return out;
}

namespace {

/// The waivers of one more report, each once (shards of one run list the same file); a waiver
/// that matched nothing in one shard but something in another is in use in the merged run.
void append_new_waivers(const std::vector<WaiverRecord>& from, std::vector<WaiverRecord>& to) {
  for (const auto& w : from) {
    auto same = [&](const WaiverRecord& o) { return o.source == w.source && o.rule == w.rule && o.subject == w.subject; };
    auto it = std::find_if(to.begin(), to.end(), same);
    if (it == to.end()) to.push_back(w);
    else if (it->state == "matching nothing") it->state = w.state;
  }
}

}  // namespace

ScanReport merge(const std::vector<ScanReport>& reports) {
  ScanReport out;
  std::map<std::tuple<std::string, std::string, std::string>, Result> results;
  std::map<std::pair<std::string, std::string>, SubjectFacts> facts;
  std::set<std::string> targets;
  std::map<std::string, std::vector<std::string>> metadata;
  for (const auto& r : reports) {
    if (out.tool_version.empty()) out.tool_version = r.tool_version;
    if (!r.started_at.empty() && (out.started_at.empty() || r.started_at < out.started_at)) out.started_at = r.started_at;
    if (r.finished_at > out.finished_at) out.finished_at = r.finished_at;
    for (const auto& p : r.profiles)
      if (std::find(out.profiles.begin(), out.profiles.end(), p) == out.profiles.end()) out.profiles.push_back(p);
    targets.insert(r.targets.begin(), r.targets.end());
    for (const auto& res : r.results) results.insert_or_assign({res.target, res.subject, res.rule_id}, res);
    for (const auto& sf : r.facts) {
      auto [it, inserted] = facts.try_emplace({sf.subject.target, sf.subject.id()}, sf);
      if (!inserted) {
        it->second.subject = sf.subject;
        it->second.facts.merge(sf.facts);
      }
    }
    for (const auto& w : r.warnings)
      if (std::find(out.warnings.begin(), out.warnings.end(), w) == out.warnings.end()) out.warnings.push_back(w);
    merge_mappings(out.controls, r.controls);
    append_new_waivers(r.waivers, out.waivers);
    for (const auto& [k, v] : r.metadata) {
      auto& vals = metadata[k];
      if (std::find(vals.begin(), vals.end(), v) == vals.end()) vals.push_back(v);
    }
  }
  out.targets.assign(targets.begin(), targets.end());
  for (auto& [k, r] : results) out.results.push_back(std::move(r));
  for (auto& [k, sf] : facts) out.facts.push_back(std::move(sf));
  for (const auto& [k, vals] : metadata) {
    std::string joined;
    for (const auto& v : vals) joined += (joined.empty() ? "" : ", ") + v;
    out.metadata[k] = joined;
  }
  if (reports.size() > 1) out.metadata["merged_reports"] = std::to_string(reports.size());
  sort_report(out);
  return out;
}

}  // namespace pp::reports
