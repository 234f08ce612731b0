#include <map>

#include "core/text.h"
#include "reports/controls.h"

namespace pp::reports {

namespace {

std::string h(std::string_view s) { return text::html_escape(s); }

/// Badge classes of the result statuses, so the report's colours mean the same here.
std::string badge(ControlStatus s) {
  static const std::map<ControlStatus, std::string> cls = {{ControlStatus::Pass, "st-pass"},
                                                           {ControlStatus::Fail, "st-fail"},
                                                           {ControlStatus::Undecided, "st-error"},
                                                           {ControlStatus::NotEvidenced, "st-skipped"}};
  return "<span class=\"badge " + cls.at(s) + "\">" + h(to_string(s)) + "</span>";
}

/// "<b>TLS-001</b> on a, b and 3 more" per rule, at most `max` subjects each.
std::string findings_html(const std::vector<ControlFinding>& list, size_t max) {
  std::map<std::string, std::vector<std::string>> by_rule;
  for (const auto& f : list) by_rule[f.rule_id].push_back(f.subject);
  std::string out;
  for (const auto& [rule, subjects] : by_rule) {
    out += "<div><b class=\"mono\">" + h(rule) + "</b> on ";
    for (size_t i = 0; i < subjects.size() && i < max; ++i) out += (i ? ", " : "") + ("<span class=\"mono\">" + h(subjects[i]) + "</span>");
    if (subjects.size() > max) out += " and " + std::to_string(subjects.size() - max) + " more";
    out += "</div>";
  }
  return out;
}

std::string what_cell(const ControlVerdict& v) {
  switch (v.status) {
    case ControlStatus::Fail: return findings_html(v.failing, 10);
    case ControlStatus::Undecided: return "not judged: " + findings_html(v.undecided, 10);
    case ControlStatus::Pass:
      return std::to_string(v.passed) + " passed" + (v.waived ? " (" + std::to_string(v.waived) + " waived)" : "");
    case ControlStatus::NotEvidenced:
      return v.rules.empty() ? "no rule of this scan evidences it" : "its rules applied to no subject";
  }
  return {};
}

void framework_table(std::string& o, const FrameworkVerdicts& fv) {
  o += "<details open class=\"framework\" data-framework=\"" + h(fv.id) + "\"><summary><b>" + h(fv.title) +
       "</b> <span class=\"mono muted\">" + h(fv.id) + "</span>";
  for (ControlStatus st : kControlStatuses) o += " " + badge(st) + " " + std::to_string(fv.count(st));
  o += "</summary><div class=\"scroll\"><table class=\"controls\"><thead><tr><th>Control</th><th>Status</th>"
       "<th>Rules</th><th>Result</th></tr></thead><tbody>\n";
  for (const auto& v : fv.controls) {
    std::string rules;
    for (const auto& r : v.rules) rules += (rules.empty() ? "" : ", ") + h(r);
    o += "<tr data-control-status=\"" + h(to_string(v.status)) + "\"><td><b class=\"mono\">" + h(v.id) + "</b> " +
         h(v.title) + "</td><td>" + badge(v.status) + "</td><td class=\"mono\">" + rules + "</td><td>" + what_cell(v) +
         "</td></tr>\n";
  }
  o += "</tbody></table></div></details>\n";
}

}  // namespace

std::string render_controls_html(const std::vector<FrameworkVerdicts>& frameworks) {
  if (frameworks.empty()) return {};
  std::string o =
      "<section class=\"card\" id=\"by-control\"><h2>Controls</h2><p class=\"muted\">Each control passes when every "
      "result of every rule that evidences it passed, fails when one failed (listed), is undecided when one could "
      "not be judged, and is not evidenced when no rule of this scan covers it or its rules applied to no "
      "subject.</p>\n";
  for (const auto& fv : frameworks) framework_table(o, fv);
  return o + "</section>\n";
}

}  // namespace pp::reports
