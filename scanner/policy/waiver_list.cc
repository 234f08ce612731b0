#include "policy/waiver_list.h"

namespace pp::policy {

namespace {

std::string days_text(int days) {
  if (days == 0) return "today";
  const int n = days < 0 ? -days : days;
  const std::string count = std::to_string(n) + (n == 1 ? " day" : " days");
  return days < 0 ? count + " ago" : "in " + count;
}

std::string entry(const Waiver& w, WaiverState state, bool unused, const Date& today) {
  std::string label(to_string(state));
  if (unused) label += ", matching nothing";
  std::string line = label + ": " + w.rule + " on '" + w.subject + "'";
  line += (state == WaiverState::Expired ? "; expired " : "; expires ") + w.expires.str() + " (" +
          days_text(days_between(today, w.expires)) + ")";
  line += "; owner " + (w.owner.empty() ? std::string("(none: schema 1)") : w.owner);
  line += "; ticket " + (w.ticket.empty() ? std::string("(none: schema 1)") : w.ticket);
  if (w.granted.year) line += "; granted " + w.granted.str();
  line += "  [" + w.file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column) + "]\n";
  return line + "    " + w.justification + "\n";
}

}  // namespace

WaiverListing list_waivers(const std::vector<Waiver>& waivers, const Date& today, int within_days,
                           const std::vector<bool>* unused) {
  WaiverListing out;
  for (size_t i = 0; i < waivers.size(); ++i) {
    const WaiverState state = waiver_state(waivers[i], today, within_days);
    const bool nothing = unused && i < unused->size() && (*unused)[i];
    out.text += entry(waivers[i], state, nothing, today);
    out.active += state == WaiverState::Active;
    out.expiring += state == WaiverState::Expiring;
    out.expired += state == WaiverState::Expired;
    out.unused += nothing;
  }
  out.text += std::to_string(waivers.size()) + (waivers.size() == 1 ? " waiver: " : " waivers: ") +
              std::to_string(out.active) + " active, " + std::to_string(out.expiring) + " expiring within " +
              std::to_string(within_days) + " days, " + std::to_string(out.expired) + " expired";
  if (unused) out.text += ", " + std::to_string(out.unused) + " matching nothing in the report";
  out.text += "\n";
  return out;
}

}  // namespace pp::policy
