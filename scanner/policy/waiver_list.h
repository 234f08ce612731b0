#pragma once
#include <string>
#include <vector>

#include "policy/waiver.h"

/// `policyprobe waivers list`: every waiver with where it stands on a given day.
namespace pp::policy {

struct WaiverListing {
  std::string text;  ///< one entry per waiver, then a line of counts
  size_t active = 0, expiring = 0, expired = 0, unused = 0;
};

/// Lists `waivers` as of `today`: its state (expired, expiring within `within_days` days,
/// active), "matching nothing" when `unused` (one flag per waiver, from unused_waivers against
/// a report) says so, the rule and subject, owner, ticket, granted, expires with the days left,
/// where it is written, and its justification on the next line. Server text never reaches it:
/// everything comes from the waivers file.
WaiverListing list_waivers(const std::vector<Waiver>& waivers, const Date& today, int within_days,
                           const std::vector<bool>* unused);

}  // namespace pp::policy
