#pragma once
#include <array>
#include <string>
#include <vector>

#include "core/result.h"

/// Counting results, the same way in every writer (console, HTML, JUnit totals).
namespace pp::reports {

constexpr std::array<Status, 6> kAllStatuses = {Status::Fail,    Status::Error,   Status::Blocked,
                                               Status::Waived,  Status::Skipped, Status::Pass};
/// Most severe first: the order findings are listed in.
constexpr std::array<Severity, 5> kSeveritiesDesc = {Severity::Critical, Severity::High,
                                                     Severity::Medium, Severity::Low,
                                                     Severity::Info};

struct Counts {
  size_t total = 0;
  std::array<size_t, 6> by_status{};            ///< indexed by static_cast<size_t>(Status)
  std::array<size_t, 5> failed_by_severity{};   ///< failures only, indexed by Severity
  size_t of(Status s) const { return by_status[static_cast<size_t>(s)]; }
  size_t failed(Severity s) const { return failed_by_severity[static_cast<size_t>(s)]; }
};

Counts count(const std::vector<Result>& results);
Counts count_target(const std::vector<Result>& results, const std::string& target);

/// Findings are fail and error results: what a baseline tracks and a gate can trip on.
inline bool is_finding(const Result& r) { return r.status == Status::Fail || r.status == Status::Error; }

/// Rank for listing: fail, error, blocked, waived, skipped, pass.
int status_rank(Status s);

}  // namespace pp::reports
