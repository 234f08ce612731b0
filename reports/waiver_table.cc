#include "reports/waiver_table.h"

#include "core/text.h"

namespace pp::reports {

namespace {
std::string cell(std::string_view s) { return "<td>" + text::html_escape(s) + "</td>"; }
/// Ids and dates stay on one line.
std::string tight(std::string_view s) { return "<td style=\"white-space:nowrap\">" + text::html_escape(s) + "</td>"; }
std::string or_none(const std::string& s) { return s.empty() ? "(not recorded)" : s; }
}  // namespace

std::string render_waivers_html(const std::vector<WaiverRecord>& waivers) {
  if (waivers.empty()) return {};
  std::string o =
      "<section class=\"card\" id=\"waivers\"><h2>Waivers (" + std::to_string(waivers.size()) +
      ")</h2>\n<p class=\"muted\">Accepted risks given to this scan: who approved each, the ticket that records it, "
      "and its state when the scan ran.</p>\n<div class=\"scroll\"><table><thead><tr><th>State</th><th>Rule</th>"
      "<th>Subject</th><th>Owner</th><th>Ticket</th><th>Granted</th><th>Expires</th><th>Justification</th>"
      "<th>Written in</th></tr></thead><tbody>\n";
  for (const auto& w : waivers)
    o += "<tr>" + cell(w.state) + tight(w.rule) + cell(w.subject) + cell(or_none(w.owner)) + tight(or_none(w.ticket)) +
         tight(w.granted) + tight(w.expires) + cell(w.justification) + cell(w.source) + "</tr>\n";
  return o + "</tbody></table></div></section>\n";
}

}  // namespace pp::reports
