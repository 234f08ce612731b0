#include "reports/html.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/text.h"
#include "reports/controls.h"
#include "reports/json.h"
#include "reports/summary.h"
#include "reports/tls_block.h"
#include "reports/waiver_table.h"

namespace pp::reports {

namespace {

using Json = nlohmann::ordered_json;

std::string h(std::string_view s) { return text::html_escape(s); }
std::string h(Severity s) { return std::string(to_string(s)); }
std::string h(Status s) { return std::string(to_string(s)); }
std::string n(size_t v) { return std::to_string(v); }

std::string sev_badge(Severity s) { return "<span class=\"badge sev-" + h(s) + "\">" + h(s) + "</span>"; }
std::string st_badge(Status s) { return "<span class=\"badge st-" + h(s) + "\">" + h(s) + "</span>"; }
std::string bl_badge(const std::string& mark) {
  if (mark.empty()) return {};
  std::string cls = mark;
  std::replace(cls.begin(), cls.end(), ' ', '-');
  return " <span class=\"badge bl bl-" + h(cls) + "\">" + h(mark) + "</span>";
}

/// Percent-encoding for a value placed in a "#key=value" link (then HTML-escaped as usual).
std::string hash_value(std::string_view s) {
  return text::percent_encode(s, "-_.~");
}

std::string link_or_text(const std::string& ref) {
  if (ref.rfind("https://", 0) == 0 || ref.rfind("http://", 0) == 0)
    return "<a href=\"" + h(ref) + "\" rel=\"noopener noreferrer\">" + h(ref) + "</a>";
  return h(ref);
}

/// Results that stand for an endpoint the scanner could not observe at all ("could not observe").
bool is_probe_error(const Result& r) { return r.pack() == "probe" && r.status == Status::Error; }
/// Results rendered as HTML: what an administrator acts on or has accepted. The rest (passes,
/// skips, blocked) live only in the embedded data and are listed by the script on demand.
bool rendered(const Result& r) { return is_finding(r) || r.status == Status::Waived; }
/// A rule's list of affected subjects starts open up to this many.
constexpr size_t kOpenSubjects = 6;

/// Everything the page needs, computed in one pass over the results.
struct Index {
  std::vector<std::string> targets;              ///< report.targets, then any others results name
  std::map<std::string, size_t> target_pos;
  std::map<std::string, std::string> host;       ///< target -> display host
  std::vector<Counts> per_target;
  struct Rule {
    std::string id;
    const Result* first = nullptr;
    Severity severity = Severity::Info;          ///< the highest among its results
    std::array<size_t, kAllStatuses.size()> by_status{};
    std::vector<size_t> shown;                   ///< indexes of rendered results
  };
  std::vector<Rule> rules;                       ///< most severe first, then most affected
  std::vector<size_t> probe_errors;
  size_t bl_new = 0, bl_unchanged = 0, bl_fixed = 0, bl_unjudged = 0;
};

Index build_index(const ScanReport& report) {
  Index x;
  auto add_target = [&](const std::string& t) {
    if (x.target_pos.emplace(t, x.targets.size()).second) {
      x.targets.push_back(t);
      x.per_target.emplace_back();
    }
    return x.target_pos[t];
  };
  for (const auto& t : report.targets) add_target(t);
  for (const auto& sf : report.facts) x.host.emplace(sf.subject.target, sf.subject.display_host());
  std::map<std::string, size_t> rule_pos;
  for (size_t i = 0; i < report.results.size(); ++i) {
    const Result& r = report.results[i];
    Counts& tc = x.per_target[add_target(r.target)];
    ++tc.total;
    ++tc.by_status[static_cast<size_t>(r.status)];
    if (r.status == Status::Fail) ++tc.failed_by_severity[static_cast<size_t>(r.severity)];
    if (r.baseline == "new") ++x.bl_new;
    if (r.baseline == "unchanged") ++x.bl_unchanged;
    if (r.baseline == "fixed") ++x.bl_fixed;
    if (r.baseline == "not evaluated") ++x.bl_unjudged;
    if (is_probe_error(r)) {
      x.probe_errors.push_back(i);
      continue;
    }
    auto [it, added] = rule_pos.emplace(r.rule_id, x.rules.size());
    if (added) x.rules.push_back({r.rule_id, &r, r.severity, {}, {}});
    Index::Rule& rule = x.rules[it->second];
    rule.severity = std::max(rule.severity, r.severity);
    ++rule.by_status[static_cast<size_t>(r.status)];
    if (rendered(r)) rule.shown.push_back(i);
  }
  std::stable_sort(x.rules.begin(), x.rules.end(), [](const Index::Rule& a, const Index::Rule& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.shown.size() != b.shown.size()) return a.shown.size() > b.shown.size();
    return a.id < b.id;
  });
  return x;
}

void header(std::string& o, const ScanReport& report) {
  o += "<header class=\"top\"><h1>Security compliance report</h1>\n";
  o += "<p class=\"sub\">policyprobe " + h(report.tool_version) + " &middot; " + n(report.targets.size()) +
       (report.targets.size() == 1 ? " target" : " targets") + "</p>\n";
  o += "<dl class=\"meta\">\n";
  auto row = [&](std::string_view k, std::string_view v) { o += "<dt>" + h(k) + "</dt><dd>" + h(v) + "</dd>\n"; };
  row("Started", report.started_at);
  row("Finished", report.finished_at);
  std::string profiles;
  for (const auto& p : report.profiles) profiles += (profiles.empty() ? "" : ", ") + p;
  row("Profiles", profiles.empty() ? "(none)" : profiles);
  for (const auto& [k, v] : report.metadata) row(k, v);
  o += "</dl></header>\n";
}

void summary(std::string& o, const Index& x, const Counts& c) {
  o += "<section class=\"card\" id=\"summary\"><h2>Summary</h2><div class=\"summary\"><div>\n";
  o += "<div class=\"tiles\">";
  for (Status s : kAllStatuses) {
    o += "<a class=\"tile st-" + h(s) + (c.of(s) ? "" : " zero") + "\" href=\"#status=" + h(s) + "\" data-status=\"" +
         h(s) + "\" data-count=\"" + n(c.of(s)) + "\"><span class=\"n\">" + n(c.of(s)) + "</span><span class=\"l\">" +
         h(s) + "</span></a>";
  }
  o += "</div>\n<p class=\"muted\">" + n(c.total) +
       " results. <b>Fail</b>: the check ran and the requirement is not met. <b>Error</b>: the check could not "
       "observe what it needs, so nothing is known to be compliant. <b>Blocked</b>: not judged because the "
       "scanner could not observe the endpoint at all; the one error naming that cause stands for them. "
       "<b>Waived</b>: accepted by a recorded exception. <b>Skipped</b>: not applicable.</p>\n";
  if (x.bl_new + x.bl_unchanged + x.bl_fixed + x.bl_unjudged) {
    auto mark = [&](const char* key, const char* cls, size_t v) {
      return "<a class=\"badge bl" + std::string(cls) + "\" href=\"#status=all&amp;baseline=" + hash_value(key) +
             "\">" + n(v) + " " + key + "</a>";
    };
    o += "<p id=\"baseline\">Compared with the baseline: " + mark("new", " bl-new", x.bl_new) + " " +
         mark("unchanged", "", x.bl_unchanged) + " " + mark("fixed", " bl-fixed", x.bl_fixed) +
         " <span class=\"muted\">(now pass)</span> &middot; " + mark("not evaluated", " bl-not-evaluated", x.bl_unjudged) +
         " <span class=\"muted\">(blocked or gone: not known either way)</span></p>\n";
  }
  o += "</div><div><h3>Failed checks by severity</h3>\n";
  size_t max = 1;
  for (Severity s : kSeveritiesDesc) max = std::max(max, c.failed(s));
  for (Severity s : kSeveritiesDesc) {
    const size_t pct = c.failed(s) * 100 / max;
    o += "<div class=\"sevbar\">" + sev_badge(s) + "<div class=\"track\"><div class=\"fill sev-" + h(s) +
         "\" style=\"width:" + n(pct) + "%\"></div></div><span class=\"num\" data-severity=\"" + h(s) + "\">" +
         n(c.failed(s)) + "</span></div>\n";
  }
  o += "</div></div></section>\n";
}

void controls(std::string& o, const Index& x, size_t total) {
  // Hidden until the script runs: without JavaScript there is nothing to filter with.
  o += "<section class=\"card\" id=\"controls\" hidden><div class=\"filters\">\n";
  o += "<label>Status<select id=\"f-status\"><option value=\"\">Fail + error</option><option value=\"all\">All</option>";
  for (Status s : kAllStatuses) o += "<option value=\"" + h(s) + "\">" + h(s) + "</option>";
  o += "</select></label>\n<label>Baseline<select id=\"f-baseline\"><option value=\"\">All</option>";
  for (const char* b : {"new", "unchanged", "fixed", "not evaluated"}) o += std::string("<option>") + b + "</option>";
  o += "</select></label>\n<label>Severity<select id=\"f-severity\"><option value=\"\">All</option>";
  for (Severity s : kSeveritiesDesc) o += "<option value=\"" + h(s) + "\">" + h(s) + "</option>";
  o += "</select></label>\n<label>Target<select id=\"f-target\"><option value=\"\">All</option>";
  for (const auto& t : x.targets) o += "<option>" + h(t) + "</option>";
  o += "</select></label>\n<label>Rule<select id=\"f-rule\"><option value=\"\">All</option>";
  std::vector<std::string> ids;
  for (const auto& r : x.rules) ids.push_back(r.id);
  if (!x.probe_errors.empty()) ids.push_back("PROBE");
  std::sort(ids.begin(), ids.end());
  for (const auto& id : ids) o += "<option>" + h(id) + "</option>";
  o += "</select></label>\n<label class=\"grow\">Search<input type=\"search\" id=\"f-q\" "
       "placeholder=\"message, evidence, subject\"></label>\n";
  o += "<button type=\"button\" id=\"f-reset\">Reset</button>";
  o += "<p id=\"visible-count\" data-visible=\"" + n(total) + "\">Showing " + n(total) + " of " + n(total) +
       " results</p></div></section>\n";
  o += "<p id=\"filter-note\" class=\"print-only\"></p>\n";
}

/// One subject under a rule: the summary line names it; the fold holds message and evidence.
void finding(std::string& o, const Result& r, size_t i, bool with_rule) {
  // Filtering reads the embedded data by data-i; the status is kept for a reader of the markup.
  o += "<article class=\"finding status-" + h(r.status) + "\" id=\"f-" + n(i) + "\" data-i=\"" + n(i) +
       "\" data-status=\"" + h(r.status) + "\"><details><summary>" + st_badge(r.status) + bl_badge(r.baseline);
  if (with_rule) o += " <span class=\"rule-id\">" + h(r.rule_id) + "</span>";
  o += " <span class=\"subject\">" + h(r.subject) + "</span> <span class=\"tgt\">" + h(r.target) + "</span>";
  if (!r.message.empty()) o += "<span class=\"message\">" + h(r.message) + "</span>";
  o += "</summary>\n<div class=\"body\">";
  if (!r.evidence.empty()) {
    o += "<pre class=\"evidence\">";
    for (size_t k = 0; k < r.evidence.size(); ++k) o += (k ? "\n" : "") + h(r.evidence[k]);
    o += "</pre>";
  }
  if (!r.assertion.empty()) o += "<p class=\"assertion\"><b>Checked:</b> <code>" + h(r.assertion) + "</code></p>";
  if (r.status == Status::Waived && !r.waiver.empty()) o += "<p><b>Waiver:</b> " + h(r.waiver) + "</p>";
  if (r.evidence.empty() && r.waiver.empty() && r.assertion.empty()) o += "<p class=\"muted\">No evidence recorded.</p>";
  o += "</div></details></article>\n";
}

void probe_section(std::string& o, const ScanReport& report, const Index& x) {
  if (x.probe_errors.empty()) return;
  o += "<section class=\"card probe\" id=\"probe\"><h2>Could not observe (" + n(x.probe_errors.size()) +
       ")</h2>\n<p class=\"muted\">The scanner could not observe these endpoints at all; the rules that needed "
       "them are <b>blocked</b>, not judged. Fix reachability or the protocol first.</p>\n";
  for (size_t i : x.probe_errors) finding(o, report.results[i], i, false);
  o += "</section>\n";
}

void rule_group(std::string& o, const ScanReport& report, const Index::Rule& rule) {
  const Result& first = *rule.first;
  auto count_of = [&](Status s) { return rule.by_status[static_cast<size_t>(s)]; };
  o += "<section class=\"card rule\" data-rule=\"" + h(rule.id) + "\"><div class=\"rule-head\">" +
       sev_badge(rule.severity) + " <span class=\"rule-id\">" + h(rule.id) + "</span> <h3>" + h(first.title()) +
       "</h3><span class=\"mini\">";
  for (Status s : {Status::Fail, Status::Error, Status::Waived})
    if (count_of(s)) o += "<span class=\"badge st-" + h(s) + "\">" + n(count_of(s)) + " " + h(s) + "</span>";
  o += "<span class=\"muted\" data-role=\"shown\"></span></span></div>\n";
  // Remediation once per rule: every subject under it is fixed the same way.
  const Result* fix = nullptr;
  for (size_t i : rule.shown)
    if (!report.results[i].remediation().empty()) {
      fix = &report.results[i];
      break;
    }
  if (fix) o += "<div class=\"fix\"><h4>How to fix</h4><p class=\"remediation\">" + h(fix->remediation()) + "</p></div>\n";
  if (!first.description().empty() || !first.references().empty()) {
    o += "<details class=\"about\"><summary>About this check</summary>";
    if (!first.description().empty()) o += "<p>" + h(first.description()) + "</p>";
    if (!first.references().empty()) {
      o += "<ul class=\"refs\">";
      for (const auto& ref : first.references()) o += "<li>" + link_or_text(ref) + "</li>";
      o += "</ul>";
    }
    o += "</details>\n";
  }
  // The affected subjects fold under the rule: open when few, so a short list reads at a glance.
  o += std::string("<details class=\"subjects\"") + (rule.shown.size() <= kOpenSubjects ? " open" : "") +
       "><summary>Affected subjects (" + n(rule.shown.size()) + ") &middot; pack " + h(first.pack()) + "</summary>\n";
  for (size_t i : rule.shown) finding(o, report.results[i], i, false);
  o += "</details></section>\n";
}

void findings(std::string& o, const ScanReport& report, const Index& x) {
  size_t groups = 0;
  for (const auto& rule : x.rules) groups += rule.shown.empty() ? 0 : 1;
  o += "<div id=\"findings\"><h2 class=\"view-title\">Findings by rule <span class=\"muted\">(" + n(groups) +
       (groups == 1 ? " rule" : " rules") + ", most severe first)</span></h2>\n";
  if (groups == 0) o += "<p class=\"card ok\">No failure, error or waiver: every rule that applied passed.</p>\n";
  for (const auto& rule : x.rules)
    if (!rule.shown.empty()) rule_group(o, report, rule);
  o += "<p id=\"no-match\" class=\"card\" hidden>No result matches the filters.</p></div>\n";
  // Passes, skips and blocked results: listed by the script from the embedded data on demand.
  o += "<section class=\"card\" id=\"others\" hidden><h2>Passes, skips and blocked results</h2>"
       "<ul id=\"others-list\" class=\"others\"></ul><button type=\"button\" id=\"others-more\" hidden></button>"
       "</section>\n";
}

void target_table(std::string& o, const Index& x) {
  o += "<section class=\"card\" id=\"targets\"><h2>By target</h2><p class=\"muted\">Failures per severity, then "
       "results per status. Most failures of the highest severity first.</p><div class=\"scroll\"><table "
       "class=\"targets\"><thead><tr><th>Target</th>";
  for (Severity s : kSeveritiesDesc) o += "<th class=\"num\" title=\"failed, " + h(s) + "\">" + sev_badge(s) + "</th>";
  for (Status s : kAllStatuses) o += "<th class=\"num\">" + h(s) + "</th>";
  o += "</tr></thead><tbody>\n";
  std::vector<size_t> order(x.targets.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    for (Severity s : kSeveritiesDesc)
      if (x.per_target[a].failed(s) != x.per_target[b].failed(s)) return x.per_target[a].failed(s) > x.per_target[b].failed(s);
    return x.per_target[a].of(Status::Error) > x.per_target[b].of(Status::Error);
  });
  for (size_t i : order) {
    const std::string& t = x.targets[i];
    const Counts& tc = x.per_target[i];
    const auto host = x.host.find(t);
    o += "<tr data-target=\"" + h(t) + "\"><td><a href=\"#target=" + h(hash_value(t)) + "\"><b>" + h(t) + "</b></a>";
    if (host != x.host.end() && host->second != t) o += " <span class=\"mono muted\">" + h(host->second) + "</span>";
    o += "</td>";
    // Zero is an empty cell: a fleet's table is mostly zeros, and blanks let the counts stand out.
    for (Severity s : kSeveritiesDesc) o += "<td>" + (tc.failed(s) ? n(tc.failed(s)) : std::string()) + "</td>";
    for (Status s : kAllStatuses) o += "<td>" + (tc.of(s) ? n(tc.of(s)) : std::string()) + "</td>";
    o += "</tr>\n";
  }
  o += "</tbody></table></div></section>\n";
}

void rule_table(std::string& o, const Index& x) {
  o += "<section class=\"card\" id=\"rules\"><h2>All rules</h2><p class=\"muted\">Every rule that applied, with "
       "its results per status (passes included).</p><div class=\"scroll\"><table class=\"rules\"><thead><tr>"
       "<th>Rule</th><th>Title</th>";
  for (Status s : kAllStatuses) o += "<th class=\"num\">" + h(s) + "</th>";
  o += "</tr></thead><tbody>\n";
  for (const auto& rule : x.rules) {
    o += "<tr class=\"rule-row\" data-rule=\"" + h(rule.id) + "\"><td class=\"nowrap\">" + sev_badge(rule.severity) +
         " <a class=\"rule-id\" href=\"#status=all&amp;rule=" + h(hash_value(rule.id)) + "\">" + h(rule.id) +
         "</a></td><td>" + h(rule.first->title()) + "</td>";
    for (Status s : kAllStatuses) {
      const size_t v = rule.by_status[static_cast<size_t>(s)];
      o += "<td>" + (v ? n(v) : std::string()) + "</td>";
    }
    o += "</tr>\n";
  }
  o += "</tbody></table></div></section>\n";
}

std::string fact_text(const FactSet& facts, const char* name) {
  const Fact* f = facts.find(name);
  if (!f) return "";
  if (f->state == FactState::Known) return render(f->value);
  return std::string(to_string(f->state)) + (f->reason.empty() ? "" : ": " + f->reason);
}

/// The SAN cell: each name, "none" for a certificate without the extension, or why unknown.
std::string san_items(const FactSet& f) {
  const Fact* san = f.find("cert.san");
  if (!san || san->state != FactState::Known || !std::holds_alternative<StringList>(san->value))
    return "<li class=\"muted\">" + h(fact_text(f, "cert.san")) + "</li>";
  const auto& names = std::get<StringList>(san->value);
  if (names.empty()) return "<li class=\"muted\">none: no SAN extension</li>";
  std::string out;
  for (const auto& name : names) out += "<li>" + h(name) + "</li>";
  return out;
}

/// The days-left cell: a bar over the next year, or why the expiry is not known.
std::string days_cell(const FactSet& f, bool known, int64_t d) {
  if (!known) {
    const std::string t = fact_text(f, "cert.days_left");
    return "<span class=\"muted\">" + h(t.empty() ? "not observed" : t) + "</span>";
  }
  const char* cls = d < 0 ? "expired" : d < 14 ? "urgent" : d < 45 ? "soon" : "ok";
  const int64_t pct = d <= 0 ? 100 : std::min<int64_t>(d, 365) * 100 / 365;
  const std::string label = d < 0 ? "expired " + std::to_string(-d) + " days ago" : std::to_string(d) + " days";
  return "<div class=\"days\" data-days=\"" + std::to_string(d) + "\"><div class=\"track\"><div class=\"fill " + cls +
         "\" style=\"width:" + std::to_string(pct) + "%\"></div></div><span>" + label + "</span></div>";
}

void certificate_row(std::string& o, const SubjectFacts& sf, bool known, int64_t days) {
  const FactSet& f = sf.facts;
  o += "<tr class=\"cert\" data-target=\"" + h(sf.subject.target) + "\"><td class=\"subject\">" + h(sf.subject.id()) +
       "</td><td class=\"wrap\">" + h(fact_text(f, "cert.subject")) + "<br><span class=\"muted\">" +
       h(fact_text(f, "cert.issuer")) + "</span></td><td><ul class=\"san mono\">" + san_items(f) +
       "</ul></td><td class=\"mono\">" + h(fact_text(f, "cert.not_after")) + "</td><td>" + days_cell(f, known, days) +
       "</td></tr>\n";
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
       "<div class=\"scroll\"><table class=\"certs\"><colgroup><col class=\"c-ep\"><col class=\"c-subj\"><col "
       "class=\"c-san\"><col class=\"c-na\"><col class=\"c-days\"></colgroup><thead><tr><th>Endpoint</th><th>Subject "
       "/ issuer</th><th>Names (SAN)</th><th>Not after</th><th>Days left</th></tr></thead><tbody>\n";
  for (const auto& row : rows) certificate_row(o, *row.sf, row.known, row.days);
  o += "</tbody></table></div></section>\n";
}

/// The data the script filters on, compact because a fleet has tens of thousands of results:
///   targets: [name], rules: [[id, title, severity]], strings: ["", subject or message, ...],
///   results: [[status, rule, target, baseline, subject, message, blocked_by, severity, evidence]]
/// in report order (position = data-i); rule and target are indexes, subject, message and
/// blocked_by indexes into strings (0 = none; a fleet repeats them), baseline 0 when none,
/// severity only when it differs from the rule's, trailing empty fields left off. Rendered
/// results carry only what filtering needs (their text is in the page). The evidence of the
/// others goes, HTML-escaped and deduplicated, into `o_evidence` (a <template>, inert until the
/// script clones an entry into the list); the row holds its 1-based position there.
std::string data_blob(const ScanReport& report, const Index& x, std::string& o_evidence) {
  Json rules = Json::array();
  std::map<std::string, std::pair<size_t, Severity>> rule_pos;
  auto add_rule = [&](const std::string& id, const std::string& title, Severity sev) {
    if (rule_pos.emplace(id, std::make_pair(rule_pos.size(), sev)).second) rules.push_back({id, title, to_string(sev)});
  };
  for (const auto& rule : x.rules) add_rule(rule.id, rule.first->title(), rule.severity);
  for (size_t i : x.probe_errors) add_rule(report.results[i].rule_id, report.results[i].title(), report.results[i].severity);
  Json strings = Json::array({""});
  std::map<std::string_view, size_t> string_pos{{"", 0}};
  auto str = [&](const std::string& v) {
    auto [it, added] = string_pos.emplace(v, strings.size());
    if (added) strings.push_back(v);
    return it->second;
  };
  Json results = Json::array();
  std::map<std::string, size_t> evidence_pos;
  for (const Result& r : report.results) {
    const auto& [rule, sev] = rule_pos.at(r.rule_id);
    Json e = {to_string(r.status), rule, x.target_pos.at(r.target)};
    std::vector<Json> tail = {r.baseline.empty() ? Json(0) : Json(r.baseline)};
    if (!rendered(r)) tail.insert(tail.end(), {str(r.subject), str(r.message), str(r.blocked_by)});
    else tail.insert(tail.end(), {0, 0, 0});
    tail.push_back(sev == r.severity ? Json(0) : Json(to_string(r.severity)));
    tail.push_back(0);
    if (!rendered(r) && !r.evidence.empty()) {
      std::string ev;
      for (size_t k = 0; k < r.evidence.size(); ++k) ev += (k ? "\n" : "") + r.evidence[k];
      auto [it, added] = evidence_pos.emplace(std::move(ev), evidence_pos.size() + 1);
      if (added) {
        o_evidence += "<pre>" + h(it->first) + "</pre>";
      }
      tail.back() = it->second;
    }
    while (!tail.empty() && tail.back() == 0) tail.pop_back();
    for (auto& t : tail) e.push_back(std::move(t));
    results.push_back(std::move(e));
  }
  Json j = {{"schema_version", ScanReport::kSchemaVersion}, {"targets", x.targets}, {"rules", rules},
            {"strings", strings}, {"results", results}};
  return json_for_html(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace

std::string render_html(const ScanReport& input) {
  std::optional<ScanReport> holder;
  const ScanReport& report = sorted_view(input, holder);
  const Counts c = count(report.results);
  const Index x = build_index(report);
  std::string o;
  o.reserve(32768 + report.results.size() * 256);
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
  summary(o, x, c);
  o += render_controls_html(judge_controls(report));
  probe_section(o, report, x);
  controls(o, x, c.total);
  findings(o, report, x);
  target_table(o, x);
  rule_table(o, x);
  certificates(o, report);
  o += render_waivers_html(report.waivers);
  o += render_tls_html(tls_endpoints(report));
  o += "</main>\n<footer>Generated by policyprobe " + h(report.tool_version) +
       ". This file is self-contained and loads nothing from the network. The facts observed on every subject "
       "are in the JSON report.</footer>\n";
  std::string evidence;
  const std::string blob = data_blob(report, x, evidence);
  o += "<template id=\"pp-evidence\">" + evidence + "</template>\n";
  o += "<script type=\"application/json\" id=\"pp-data\">" + blob + "</script>\n";
  o += "<script>\n";
  o += kHtmlJs;
  o += "</script>\n</body>\n</html>\n";
  return o;
}

}  // namespace pp::reports
