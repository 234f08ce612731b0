#include "reports/html.h"

#include <optional>
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "reports/json.h"
#include "reports/summary.h"
#include "reports/text.h"

namespace pp::reports {

namespace {

using Json = nlohmann::ordered_json;

std::string h(std::string_view s) { return html_escape(s); }
std::string h(Severity s) { return std::string(to_string(s)); }
std::string h(Status s) { return std::string(to_string(s)); }

std::string sev_badge(Severity s) { return "<span class=\"badge sev-" + h(s) + "\">" + h(s) + "</span>"; }
std::string st_badge(Status s) { return "<span class=\"badge st-" + h(s) + "\">" + h(s) + "</span>"; }

std::string link_or_text(const std::string& ref) {
  if (ref.rfind("https://", 0) == 0 || ref.rfind("http://", 0) == 0)
    return "<a href=\"" + h(ref) + "\" rel=\"noopener noreferrer\">" + h(ref) + "</a>";
  return h(ref);
}

std::string host_of(const ScanReport& report, const std::string& target) {
  for (const auto& sf : report.facts)
    if (sf.subject.target == target) return sf.subject.display_host();
  return {};
}

std::vector<std::string> all_targets(const ScanReport& report) {
  std::vector<std::string> targets = report.targets;
  for (const auto& r : report.results)
    if (std::find(targets.begin(), targets.end(), r.target) == targets.end()) targets.push_back(r.target);
  return targets;
}

void header(std::string& o, const ScanReport& report) {
  o += "<header class=\"top\"><h1>Security compliance report</h1>\n";
  o += "<p class=\"sub\">policyprobe " + h(report.tool_version) + " &middot; " +
       std::to_string(report.targets.size()) + (report.targets.size() == 1 ? " target" : " targets") + "</p>\n";
  o += "<dl class=\"meta\">\n";
  auto row = [&](std::string_view k, std::string_view v) {
    o += "<dt>" + h(k) + "</dt><dd>" + h(v) + "</dd>\n";
  };
  row("Started", report.started_at);
  row("Finished", report.finished_at);
  std::string profiles;
  for (const auto& p : report.profiles) profiles += (profiles.empty() ? "" : ", ") + p;
  row("Profiles", profiles.empty() ? "(none)" : profiles);
  std::string targets;
  for (const auto& t : report.targets) targets += (targets.empty() ? "" : ", ") + t;
  row("Targets", targets);
  for (const auto& [k, v] : report.metadata) row(k, v);
  o += "</dl></header>\n";
}

void summary(std::string& o, const ScanReport& report, const Counts& c) {
  o += "<section class=\"card\" id=\"summary\"><h2>Summary</h2><div class=\"summary\"><div>\n";
  o += "<div class=\"tiles\">";
  for (Status s : kAllStatuses) {
    o += "<div class=\"tile st-" + h(s) + (c.of(s) ? "" : " zero") + "\" data-status=\"" + h(s) + "\" data-count=\"" +
         std::to_string(c.of(s)) + "\"><span class=\"n\">" + std::to_string(c.of(s)) + "</span><span class=\"l\">" +
         h(s) + "</span></div>";
  }
  o += "</div>\n<p class=\"muted\">" + std::to_string(c.total) +
       " results. <b>Fail</b>: the check ran and the requirement is not met. <b>Error</b>: the check could not "
       "observe what it needs, so nothing is known to be compliant. <b>Blocked</b>: not judged because the "
       "scanner could not observe the endpoint at all; the one error naming that cause stands for them. <b>Waived</b>: accepted by a recorded "
       "exception. <b>Skipped</b>: not applicable.</p>\n";
  size_t bl_new = 0, bl_unchanged = 0, bl_fixed = 0, bl_unjudged = 0;
  for (const auto& r : report.results) {
    if (r.baseline == "new") ++bl_new;
    if (r.baseline == "unchanged") ++bl_unchanged;
    if (r.baseline == "fixed") ++bl_fixed;
    if (r.baseline == "not evaluated") ++bl_unjudged;
  }
  if (bl_new + bl_unchanged + bl_fixed + bl_unjudged)
    o += "<p id=\"baseline\">Compared with the baseline: <span class=\"badge bl bl-new\">" + std::to_string(bl_new) +
         " new</span> <span class=\"badge bl\">" + std::to_string(bl_unchanged) +
         " unchanged</span> <span class=\"badge bl bl-fixed\">" + std::to_string(bl_fixed) + " fixed</span> <span class=\"badge bl\">" +
         std::to_string(bl_unjudged) + " not evaluated</span></p>\n";
  o += "</div><div><h3>Failed checks by severity</h3>\n";
  size_t max = 1;
  for (Severity s : kSeveritiesDesc) max = std::max(max, c.failed(s));
  for (Severity s : kSeveritiesDesc) {
    const size_t pct = c.failed(s) * 100 / max;
    o += "<div class=\"sevbar\">" + sev_badge(s) + "<div class=\"track\"><div class=\"fill sev-" + h(s) +
         "\" style=\"width:" + std::to_string(pct) + "%\"></div></div><span class=\"num\" data-severity=\"" + h(s) +
         "\">" + std::to_string(c.failed(s)) + "</span></div>\n";
  }
  o += "</div></div>\n";
  // Per-target overview.
  o += "<h3 style=\"margin-top:14px\">By target</h3><table class=\"targets\"><thead><tr><th>Target</th><th>Host</th>";
  for (Status s : kAllStatuses) o += "<th class=\"num\">" + h(s) + "</th>";
  o += "</tr></thead><tbody>\n";
  for (const auto& t : all_targets(report)) {
    const Counts tc = count_target(report.results, t);
    o += "<tr><td><b>" + h(t) + "</b></td><td class=\"mono\">" + h(host_of(report, t)) + "</td>";
    for (Status s : kAllStatuses) o += "<td class=\"num\">" + std::to_string(tc.of(s)) + "</td>";
    o += "</tr>\n";
  }
  o += "</tbody></table></section>\n";
}

void controls(std::string& o, size_t total) {
  // Hidden until the script runs: without JavaScript there is nothing to filter with.
  o += "<section class=\"card\" id=\"controls\" hidden><div class=\"filters\">\n";
  o += "<label>Status<select id=\"f-status\"><option value=\"\">All</option><option value=\"findings\">Fail + error</option>";
  for (Status s : kAllStatuses) o += "<option value=\"" + h(s) + "\">" + h(s) + "</option>";
  o += "</select></label>\n<label>Severity<select id=\"f-severity\"><option value=\"\">All</option>";
  for (Severity s : kSeveritiesDesc) o += "<option value=\"" + h(s) + "\">" + h(s) + "</option>";
  o += "</select></label>\n<label>Target<select id=\"f-target\"><option value=\"\">All</option></select></label>\n";
  o += "<label>Rule<select id=\"f-rule\"><option value=\"\">All</option></select></label>\n";
  o += "<label>Search<input type=\"search\" id=\"f-q\" placeholder=\"message, evidence, subject\"></label>\n";
  o += "<button type=\"button\" id=\"f-reset\">Reset</button></div>\n";
  o += "<div class=\"tabs\" role=\"tablist\"><button type=\"button\" role=\"tab\" data-view=\"host\" "
       "aria-selected=\"true\">By host</button><button type=\"button\" role=\"tab\" data-view=\"rule\" "
       "aria-selected=\"false\">By rule</button>";
  o += "<p id=\"visible-count\" data-visible=\"" + std::to_string(total) + "\">Showing " + std::to_string(total) +
       " of " + std::to_string(total) + " results</p></div></section>\n";
}

void finding(std::string& o, const Result& r, size_t i) {
  const bool open = r.status == Status::Fail || r.status == Status::Error;
  o += "<article class=\"finding status-" + h(r.status) + "\" id=\"f-" + std::to_string(i) + "\" data-i=\"" +
       std::to_string(i) + "\" data-status=\"" + h(r.status) + "\" data-severity=\"" + h(r.severity) +
       "\" data-target=\"" + h(r.target) + "\" data-rule=\"" + h(r.rule_id) + "\">";
  o += open ? "<details open>" : "<details>";
  o += "<summary>" + sev_badge(r.severity) + " " + st_badge(r.status) + " <span class=\"rule-id\">" + h(r.rule_id) +
       "</span> <span class=\"title\">" + h(r.title) + "</span> <span class=\"subject\">" + h(r.subject) + "</span>";
  if (!r.baseline.empty()) o += " <span class=\"badge bl bl-" + h(r.baseline) + "\">" + h(r.baseline) + "</span>";
  o += "</summary>\n<div class=\"body\">";
  if (!r.message.empty()) o += "<p class=\"message\">" + h(r.message) + "</p>";
  if (!r.evidence.empty()) {
    o += "<h4>Evidence</h4><pre class=\"evidence\">";
    for (size_t k = 0; k < r.evidence.size(); ++k) o += (k ? "\n" : "") + h(r.evidence[k]);
    o += "</pre>";
  }
  if (r.status == Status::Waived && !r.waiver.empty()) o += "<h4>Waiver</h4><p>" + h(r.waiver) + "</p>";
  if (!r.remediation.empty() && r.status != Status::Pass)
    o += "<h4>Remediation</h4><p class=\"remediation\">" + h(r.remediation) + "</p>";
  if (!r.description.empty()) o += "<h4>About this check</h4><p>" + h(r.description) + "</p>";
  if (!r.references.empty()) {
    o += "<h4>References</h4><ul class=\"refs\">";
    for (const auto& ref : r.references) o += "<li>" + link_or_text(ref) + "</li>";
    o += "</ul>";
  }
  o += "<p class=\"muted\">Pack " + h(r.pack) + " &middot; target " + h(r.target) + " &middot; " +
       h(to_string(r.subject_kind)) + "</p>";
  o += "</div></details></article>\n";
}

/// What the probes saw on a target, collapsed: the raw material behind every verdict.
void observed_facts(std::string& o, const ScanReport& report, const std::string& target) {
  size_t subjects = 0, facts = 0;
  for (const auto& sf : report.facts)
    if (sf.subject.target == target) ++subjects, facts += sf.facts.all().size();
  if (facts == 0) return;
  o += "<details class=\"facts\"><summary>Observed facts: " + std::to_string(facts) + " on " +
       std::to_string(subjects) + (subjects == 1 ? " subject" : " subjects") +
       "</summary><table><thead><tr><th>Subject</th><th>Fact</th><th>Value</th><th>Evidence or reason</th></tr>"
       "</thead><tbody>\n";
  for (const auto& sf : report.facts) {
    if (sf.subject.target != target) continue;
    bool first = true;
    for (const auto& [name, f] : sf.facts.all()) {
      o += "<tr><td class=\"subject\">" + (first ? h(sf.subject.id()) : std::string()) + "</td><td class=\"mono\">" +
           h(name) + "</td>";
      if (f.state == FactState::Known) o += "<td class=\"mono\">" + h(render(f.value)) + "</td><td class=\"mono\">" + h(f.evidence);
      else o += "<td><span class=\"badge fact-" + h(to_string(f.state)) + "\">" + h(to_string(f.state)) + "</span></td><td>" + h(f.reason);
      o += "</td></tr>\n";
      first = false;
    }
  }
  o += "</tbody></table></details>\n";
}

void host_view(std::string& o, const ScanReport& report) {
  o += "<div id=\"view-host\"><h2 class=\"view-title\">Findings by host</h2>\n";
  for (const auto& t : all_targets(report)) {
    const Counts tc = count_target(report.results, t);
    o += "<section class=\"card target\" data-target=\"" + h(t) + "\"><div class=\"target-head\"><h2>" + h(t) +
         "</h2><span class=\"host mono\">" + h(host_of(report, t)) + "</span><span class=\"mini\">";
    for (Status s : kAllStatuses)
      if (tc.of(s)) o += "<span class=\"badge st-" + h(s) + "\">" + std::to_string(tc.of(s)) + " " + h(s) + "</span>";
    o += "</span></div>\n";
    if (tc.total == 0) o += "<p class=\"muted\">No rule applied to this target.</p>\n";
    std::vector<size_t> idx;
    for (size_t i = 0; i < report.results.size(); ++i)
      if (report.results[i].target == t) idx.push_back(i);
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
      const Result& ra = report.results[a];
      const Result& rb = report.results[b];
      if (status_rank(ra.status) != status_rank(rb.status)) return status_rank(ra.status) < status_rank(rb.status);
      return ra.severity > rb.severity;
    });
    for (size_t i : idx) finding(o, report.results[i], i);
    observed_facts(o, report, t);
    o += "</section>\n";
  }
  o += "<p id=\"no-match\" class=\"card\" hidden>No result matches the filters.</p></div>\n";
}

void rule_view(std::string& o, const ScanReport& report) {
  std::map<std::string, std::vector<size_t>> by_rule;
  for (size_t i = 0; i < report.results.size(); ++i) by_rule[report.results[i].rule_id].push_back(i);
  std::vector<std::string> rules;
  for (const auto& [id, v] : by_rule) rules.push_back(id);
  std::stable_sort(rules.begin(), rules.end(), [&](const std::string& a, const std::string& b) {
    return report.results[by_rule[a][0]].severity > report.results[by_rule[b][0]].severity;
  });
  o += "<div id=\"view-rule\"><section class=\"card\"><h2>Results by rule</h2><table class=\"rules\"><thead><tr>"
       "<th>Rule</th><th>Severity</th><th>Title</th>";
  for (Status s : kAllStatuses) o += "<th class=\"num\">" + h(s) + "</th>";
  o += "<th>Not passing on</th></tr></thead><tbody>\n";
  for (const auto& id : rules) {
    const auto& v = by_rule[id];
    const Result& first = report.results[v[0]];
    std::array<size_t, kAllStatuses.size()> n{};
    for (size_t i : v) ++n[static_cast<size_t>(report.results[i].status)];
    o += "<tr class=\"rule-row\" data-rule=\"" + h(id) + "\"><td class=\"rule-id\">" + h(id) + "</td><td>" +
         sev_badge(first.severity) + "</td><td>" + h(first.title) + "<br><span class=\"muted\">" + h(first.pack) +
         "</span></td>";
    for (Status s : kAllStatuses) o += "<td class=\"num\">" + std::to_string(n[static_cast<size_t>(s)]) + "</td>";
    o += "<td><ul class=\"san\">";
    for (size_t i : v) {
      const Result& r = report.results[i];
      if (r.status == Status::Pass) continue;
      o += "<li>" + st_badge(r.status) + " <a class=\"subject\" href=\"#f-" + std::to_string(i) + "\">" + h(r.subject) +
           "</a></li>";
    }
    o += "</ul></td></tr>\n";
  }
  o += "</tbody></table></section></div>\n";
}

std::string fact_text(const FactSet& facts, const char* name) {
  const Fact* f = facts.find(name);
  if (!f) return "";
  if (f->state == FactState::Known) return render(f->value);
  return std::string(to_string(f->state)) + (f->reason.empty() ? "" : ": " + f->reason);
}

/// The names a certificate covers, one per list item (or why there are none).
void san_cell(std::string& o, const FactSet& f) {
  const Fact* san = f.find("cert.san");
  if (san && san->state == FactState::Known && std::holds_alternative<StringList>(san->value)) {
    for (const auto& name : std::get<StringList>(san->value)) o += "<li>" + h(name) + "</li>";
    if (std::get<StringList>(san->value).empty()) o += "<li class=\"muted\">none: no SAN extension</li>";
  } else {
    o += "<li class=\"muted\">" + h(fact_text(f, "cert.san")) + "</li>";
  }
}

/// Days left as a bar over the next year, coloured by urgency.
void days_cell(std::string& o, const FactSet& f, bool known, int64_t d) {
  if (!known) {
    o += "<span class=\"muted\">" + h(fact_text(f, "cert.days_left").empty() ? "not observed" : fact_text(f, "cert.days_left")) +
         "</span>";
    return;
  }
  const char* cls = d < 0 ? "expired" : d < 14 ? "urgent" : d < 45 ? "soon" : "ok";
  const int64_t pct = d <= 0 ? 100 : std::min<int64_t>(d, 365) * 100 / 365;
  const std::string label = d < 0 ? "expired " + std::to_string(-d) + " days ago" : std::to_string(d) + " days";
  o += "<div class=\"days\" data-days=\"" + std::to_string(d) + "\"><div class=\"track\"><div class=\"fill " + cls +
       "\" style=\"width:" + std::to_string(pct) + "%\"></div></div><span>" + label + "</span></div>";
}

void certificates(std::string& o, const ScanReport& report) {
  struct Row {
    const SubjectFacts* sf;
    bool known;
    int64_t days;
  };
  std::vector<Row> rows;
  for (const auto& sf : report.facts) {
    if (sf.subject.kind != SubjectKind::Certificate) continue;
    const Fact* d = sf.facts.find("cert.days_left");
    const bool known = d && d->state == FactState::Known && std::holds_alternative<int64_t>(d->value);
    rows.push_back({&sf, known, known ? std::get<int64_t>(d->value) : 0});
  }
  if (rows.empty()) return;
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.known != b.known) return a.known;
    return a.days < b.days;
  });
  o += "<section class=\"card\" id=\"certificates\"><h2>Certificates and expiry</h2>\n"
       "<p class=\"muted\">Soonest expiry first. The bar shows the days left over the next year.</p>\n"
       "<table><thead><tr><th>Endpoint</th><th>Subject / issuer</th><th>Names (SAN)</th><th>Not after</th>"
       "<th>Days left</th></tr></thead><tbody>\n";
  for (const auto& row : rows) {
    const FactSet& f = row.sf->facts;
    o += "<tr class=\"cert\" data-target=\"" + h(row.sf->subject.target) + "\"><td class=\"subject\">" +
         h(row.sf->subject.id()) + "</td><td>" + h(fact_text(f, "cert.subject")) + "<br><span class=\"muted\">" +
         h(fact_text(f, "cert.issuer")) + "</span></td><td><ul class=\"san mono\">";
    san_cell(o, f);
    o += "</ul></td><td class=\"mono nowrap\">" + h(fact_text(f, "cert.not_after")) + "</td><td>";
    days_cell(o, f, row.known, row.days);
    o += "</td></tr>\n";
  }
  o += "</tbody></table></section>\n";
}

std::string data_blob(const ScanReport& report) {
  Json results = Json::array();
  for (size_t i = 0; i < report.results.size(); ++i) {
    const Result& r = report.results[i];
    std::string text = r.rule_id + "\n" + r.title + "\n" + r.subject + "\n" + r.message + "\n" + r.waiver;
    for (const auto& e : r.evidence) text += "\n" + e;
    results.push_back({{"i", i},
                       {"status", to_string(r.status)},
                       {"severity", to_string(r.severity)},
                       {"target", r.target},
                       {"rule", r.rule_id},
                       {"subject", r.subject},
                       {"text", text}});
  }
  Json j = {{"schema_version", ScanReport::kSchemaVersion}, {"results", results}};
  return json_for_html(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace

std::string render_html(const ScanReport& input) {
  std::optional<ScanReport> holder;
  const ScanReport& report = sorted_view(input, holder);
  const Counts c = count(report.results);
  std::string o;
  o.reserve(16384 + report.results.size() * 1024);
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
       "<meta name=\"generator\" content=\"policyprobe " + h(report.tool_version) + "\">\n";
  o += "<title>policyprobe report " + h(report.started_at) + "</title>\n<style>\n";
  o += kHtmlCss;
  o += "</style>\n</head>\n<body>\n";
  header(o, report);
  o += "<main>\n";
  summary(o, report, c);
  controls(o, c.total);
  host_view(o, report);
  rule_view(o, report);
  certificates(o, report);
  o += "</main>\n<footer>Generated by policyprobe " + h(report.tool_version) +
       ". This file is self-contained and loads nothing from the network.</footer>\n";
  o += "<script type=\"application/json\" id=\"pp-data\">" + data_blob(report) + "</script>\n";
  o += "<script>\n";
  o += kHtmlJs;
  o += "</script>\n</body>\n</html>\n";
  return o;
}

}  // namespace pp::reports
