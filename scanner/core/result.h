#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/controls.h"
#include "core/fact.h"
#include "core/severity.h"
#include "core/subject.h"

namespace pp {

/// Pass / Fail: judged. Error: could not be judged (a fact could not be observed). Blocked:
/// could not be judged because a probe could not observe the endpoint at all; the one Error
/// naming that cause (`blocked_by`) stands for it. Skipped: not applicable (the facts say the
/// thing is absent). Waived: a failure an unexpired waiver accepts.
enum class Status { Pass, Fail, Error, Skipped, Waived, Blocked };
std::string_view to_string(Status s);

/// A rule's own words, shared by every result of that rule: a fleet scan has thousands of
/// results per rule, and these texts would otherwise be most of its memory.
struct RuleText {
  std::string pack;          ///< pack id: the JUnit classname
  std::string title;
  std::string description;
  std::string remediation;
  std::vector<std::string> references;
};

/// One rule applied to one subject. The ids that every result of a rule, a target or a subject
/// repeats are interned (a fleet has tens of thousands of results over a few hundred rules);
/// the sentences about the server are the result's own.
struct Result {
  Interned rule_id;
  Severity severity = Severity::Info;
  Interned target;           ///< the inventory target's name: the JUnit testsuite
  Interned subject;          ///< Subject::id()
  SubjectKind subject_kind = SubjectKind::Endpoint;
  Status status = Status::Error;
  std::string message;       ///< what failed (a sentence about the server) / why error / why skipped or waived
  /// A fail's assertions in the rule's own terms with the values seen ("expected tls.protocols
  /// not_contains [...], got [...]"), for those who want the raw check; else "".
  std::string assertion;
  std::vector<std::string> evidence;  ///< "fact = value  (evidence)" lines, server strings raw
  std::string waiver;        ///< the waiver's justification and expiry when waived
  /// With --baseline: "new", "unchanged", "fixed" (now passes), "not evaluated" (a baseline
  /// finding that this scan could not judge: blocked, or its subject is gone); else "".
  Interned baseline;
  Interned blocked_by;       ///< Blocked: the rule id and subject of the error that blocks it
  /// Not reported: the facts whose being unknown made this an Error (for collapsing causes).
  std::vector<Interned> unknown_facts;
  /// The rule's texts; null reads as empty texts.
  std::shared_ptr<const RuleText> rule;

  const std::string& pack() const { return text().pack; }
  const std::string& title() const { return text().title; }
  const std::string& description() const { return text().description; }
  const std::vector<std::string>& references() const { return text().references; }
  /// What to do: a finding's (fail or waived); "" for anything else, which has nothing to
  /// remedy yet.
  const std::string& remediation() const;
  /// The rule's remediation whatever this result's status: for describing the rule itself.
  const std::string& rule_remediation() const { return text().remediation; }
  /// Gives this result texts of its own (results not made from a loaded rule: scanner errors,
  /// tests). Results of one rule share theirs through `rule`.
  void set_text(RuleText t) { rule = std::make_shared<const RuleText>(std::move(t)); }
  /// A copy of the texts this result alone holds, to change one of them.
  RuleText& own_text();

 private:
  const RuleText& text() const;
};

/// The facts observed on one subject, as reports print them.
struct SubjectFacts {
  Subject subject;
  FactSet facts;
};

/// A waiver given to the scan (--waivers) as reports list it: the accountable record behind
/// the waived results. Dates are YYYY-MM-DD; owner, ticket and granted are empty for a waiver
/// of the older file format.
struct WaiverRecord {
  std::string rule;
  std::string subject;
  std::string justification;
  std::string owner;
  std::string ticket;
  std::string granted;
  std::string expires;
  std::string source;  ///< file:line:column
  std::string state;   ///< at scan time: "active", "expired" or "matching nothing"
  bool operator==(const WaiverRecord&) const = default;
};

/// Everything a scan produced: what reports consume, what JSON stores, what diff reads.
struct ScanReport {
  static constexpr int kSchemaVersion = 2;  ///< 2: `controls` (the mapping and the verdicts)
  std::string tool_version;
  std::string started_at;    ///< ISO 8601 UTC
  std::string finished_at;
  std::vector<std::string> profiles;
  std::vector<std::string> targets;      ///< target names scanned, sorted
  std::vector<Result> results;           ///< sorted by target, subject, rule id
  std::vector<SubjectFacts> facts;       ///< sorted by subject id
  std::map<std::string, std::string> metadata;  ///< shard, command line, host name, ...
  std::vector<std::string> warnings;     ///< about the inputs, e.g. a waiver that matched nothing
  ControlMapping controls;               ///< the frameworks to group by and what each rule evidences
  std::vector<WaiverRecord> waivers;     ///< --waivers, in file order
};

/// Sorts results and facts into the stable order every report uses.
void sort_report(ScanReport& report);
/// True when the report is already in sort_report's order (renderers then need no copy).
bool report_is_sorted(const ScanReport& report);
/// `report` itself when already sorted, else a sorted copy kept in `holder`: renderers read a
/// sorted report without copying a fleet's facts when the scan already sorted them.
const ScanReport& sorted_view(const ScanReport& report, std::optional<ScanReport>& holder);

}  // namespace pp
