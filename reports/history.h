#pragma once
#include <array>
#include <string>
#include <vector>

#include "core/result.h"

/// `policyprobe history`: what changed run by run over a series of JSON reports (scheduled
/// scans of the same fleet). Findings are compared the way `diff` compares two runs
/// (baseline.h's compare); what the facts say is compared only for the observations that
/// matter without a finding: the certificate (fingerprint, expiry), protocol versions, cipher
/// suites, authentication methods, and subjects appearing or disappearing.
namespace pp::reports {

/// One observed change between a run and the one before it.
struct FactChange {
  std::string target;
  std::string subject;  ///< Subject::id(), or the target name for a target change
  /// "certificate renewed", "certificate replaced", "protocol added", "protocol removed",
  /// "suite added", "suite removed", "auth method added", "auth method removed",
  /// "target appeared", "target disappeared", "endpoint appeared", "endpoint disappeared",
  /// "vdir appeared", "vdir disappeared".
  std::string change;
  std::string detail;  ///< the values: "TLSv1.1", "Basic (https)", "fingerprint ab12… -> cd34…, expires ..."
};

/// A finding as history lists it.
struct HistoryFinding {
  std::string rule_id;
  std::string title;
  Severity severity = Severity::Info;
  std::string target;
  std::string subject;
  Status status = Status::Fail;
};

/// One run of the series, against the one before it (the first run has nothing to compare).
struct HistoryRun {
  std::string source;      ///< the file it was read from
  std::string started_at;  ///< its scan time: the series is in this order
  std::array<size_t, 5> failed_by_severity{};  ///< fail results, indexed by Severity
  size_t findings = 0;                          ///< fail and error results
  std::vector<HistoryFinding> added;      ///< findings never seen before in the series
  /// Now pass, and failed when last judged (in the run before, or before a run that could not
  /// judge them).
  std::vector<HistoryFinding> fixed;
  std::vector<HistoryFinding> regressed;  ///< findings again, fixed in an earlier run
  /// Findings again after a run that did not judge them (blocked, not scanned), failing when
  /// last judged: neither new nor regressed.
  std::vector<HistoryFinding> returned;
  size_t unchanged = 0;
  std::vector<FactChange> changes;
};

struct History {
  std::vector<HistoryRun> runs;
};

/// What history keeps of a report: its results without the long texts (message, evidence,
/// remediation, ...) and only the facts it compares, so a long series of fleet reports fits
/// in memory one small digest per run. `compare` and `history_changes` give the same answer on
/// a digest as on the whole report.
ScanReport history_digest(ScanReport report);

/// The changes in observed facts between two runs (digests or whole reports).
std::vector<FactChange> history_changes(const ScanReport& before, const ScanReport& after);

/// Builds the history of `runs` (digests or whole reports), ordered here by `started_at`
/// (ties by their order in `runs`); `sources` names each run's file, in the order of `runs`.
History build_history(std::vector<ScanReport> runs, const std::vector<std::string>& sources);

/// Console text: one block per run, its counts, then what is new, fixed, regressed and changed.
std::string history_text(const History& h);

/// The JSON document of `--json` (`history_schema_version` 1).
std::string history_json(const History& h);

/// The single-file HTML page of `--html`: the trend of failures per severity over the runs as
/// an inline SVG chart the page draws itself (no script), then each run's changes. Every
/// string from a report is escaped.
std::string history_html(const History& h);

}  // namespace pp::reports
