#pragma once
#include <string>
#include <vector>

#include "core/result.h"

namespace pp::reports {

/// The HTML report's "Waivers" section: every waiver given to the scan with its state, owner,
/// ticket, dates, where it is written and its justification (all escaped); "" when none.
std::string render_waivers_html(const std::vector<WaiverRecord>& waivers);

}  // namespace pp::reports
