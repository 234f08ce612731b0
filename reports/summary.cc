#include "reports/summary.h"

namespace pp::reports {

Counts count(const std::vector<Result>& results) {
  Counts c;
  for (const auto& r : results) {
    ++c.total;
    ++c.by_status[static_cast<size_t>(r.status)];
    if (r.status == Status::Fail) ++c.failed_by_severity[static_cast<size_t>(r.severity)];
  }
  return c;
}

Counts count_target(const std::vector<Result>& results, const std::string& target) {
  Counts c;
  for (const auto& r : results) {
    if (r.target != target) continue;
    ++c.total;
    ++c.by_status[static_cast<size_t>(r.status)];
    if (r.status == Status::Fail) ++c.failed_by_severity[static_cast<size_t>(r.severity)];
  }
  return c;
}

int status_rank(Status s) {
  for (size_t i = 0; i < kAllStatuses.size(); ++i)
    if (kAllStatuses[i] == s) return static_cast<int>(i);
  return 99;
}

}  // namespace pp::reports
