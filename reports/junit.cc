#include "reports/junit.h"

#include <optional>
#include <pugixml.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "core/text.h"
#include "reports/summary.h"

namespace pp::reports {

namespace {

void attr(pugi::xml_node n, const char* name, std::string_view value) {
  n.append_attribute(name).set_value(text::xml_safe(value).c_str());
}
void attr(pugi::xml_node n, const char* name, size_t value) {
  n.append_attribute(name).set_value(std::to_string(value).c_str());
}

/// junit-10.xsd wants "YYYY-MM-DDTHH:MM:SS" without zone or fraction; our times are UTC.
std::string junit_timestamp(const std::string& iso) {
  if (iso.size() >= 19 && iso[10] == 'T') return iso.substr(0, 19);
  return {};
}

/// Seconds between two "YYYY-MM-DDTHH:MM:SS" UTC times on the same or following days; -1
/// when either is unparseable. Enough for a scan's duration without a date library.
long long seconds_between(const std::string& a, const std::string& b) {
  auto parse = [](const std::string& s, long long& out) {
    int y, mo, d, h, mi, se;
    if (s.size() < 19 || std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6) return false;
    // days from civil (Howard Hinnant's algorithm)
    y -= mo <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const long long yoe = y - era * 400;
    const long long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    out = (era * 146097 + doe) * 86400 + h * 3600 + mi * 60 + se;
    return true;
  };
  long long ta, tb;
  if (!parse(a, ta) || !parse(b, tb) || tb < ta) return -1;
  return tb - ta;
}

std::string details(const Result& r) {
  std::ostringstream out;
  out << r.message << "\n\n";
  out << "Rule: " << r.rule_id << " (" << r.pack() << ") " << r.title() << "\n";
  out << "Severity: " << to_string(r.severity) << "\n";
  out << "Subject: " << r.subject << "\n";
  if (!r.assertion.empty()) out << "Checked: " << r.assertion << "\n";
  if (!r.baseline.empty()) out << "Baseline: " << r.baseline << "\n";
  if (!r.evidence.empty()) {
    out << "\nEvidence:\n";
    for (const auto& e : r.evidence) out << "  " << e << "\n";
  }
  if (!r.remediation().empty()) out << "\nRemediation:\n" << r.remediation() << "\n";
  if (!r.references().empty()) {
    out << "\nReferences:\n";
    for (const auto& ref : r.references()) out << "  " << ref << "\n";
  }
  return out.str();
}

std::string host_of(const ScanReport& report, const std::string& target) {
  for (const auto& sf : report.facts)
    if (sf.subject.target == target) return sf.subject.display_host();
  return target;
}

/// What a fail or error result becomes in the file: a failure/error element, or a pass.
enum class Shown { Pass, Failure, Error };

Shown shown_as(const Result& r, const WriteOptions& options) {
  if (r.status != Status::Fail && r.status != Status::Error) return Shown::Pass;
  if (options.gate && !options.junit_all_findings && gate_count(r, *options.gate) == GateCount::None) return Shown::Pass;
  return r.status == Status::Fail ? Shown::Failure : Shown::Error;
}

std::string gate_text(const Gate& gate) {
  return "--fail-on " + std::string(to_string(gate.fail_on)) + (gate.new_only ? " --fail-on-new" : "");
}

}  // namespace

namespace {

/// One result as a testcase: failure / error when the gate counts it, skipped when not judged
/// (not applicable, blocked, waived), else a pass with any finding below the gate in system-out.
void testcase(pugi::xml_node suite, const Result& r, const WriteOptions& options) {
  auto tc = suite.append_child("testcase");
  attr(tc, "name", r.rule_id + " " + r.title() + " [" + r.subject + "]");
  attr(tc, "classname", r.pack().empty() ? std::string("policyprobe") : r.pack());
  attr(tc, "time", "0");
  std::string out = r.baseline.empty() ? std::string() : "baseline: " + r.baseline;
  const Shown shown = shown_as(r, options);
  auto skipped = [&](const std::string& message) { attr(tc.append_child("skipped"), "message", message); };
  switch (r.status) {
    case Status::Pass: break;
    case Status::Fail:
    case Status::Error: {
      if (shown == Shown::Pass) {
        // Below the gate: a pass, with the finding kept where every consumer shows it.
        out = "not gated (" + gate_text(*options.gate) + "): " + std::string(to_string(r.status)) + ", " +
              std::string(to_string(r.severity)) + "\n" + (out.empty() ? "" : out + "\n") + "\n" + details(r);
        break;
      }
      auto el = tc.append_child(shown == Shown::Failure ? "failure" : "error");
      attr(el, "message", r.message);
      attr(el, "type", to_string(r.severity));
      el.text().set(text::xml_safe(details(r)).c_str());
      break;
    }
    case Status::Skipped: skipped(r.message.empty() ? std::string("not applicable") : r.message); break;
    // Not a pass and not a second error: the one PROBE error of the cause is the error.
    case Status::Blocked: skipped("blocked by " + r.blocked_by + ": " + r.message); break;
    case Status::Waived: skipped("waived: " + r.waiver + (r.message.empty() ? "" : " (" + r.message + ")")); break;
  }
  // system-out is free text in every consumer: baseline marks, and findings below the gate.
  if (!out.empty()) tc.append_child("system-out").text().set(text::xml_safe(out).c_str());
}

size_t shown_count(const ScanReport& report, const std::string* target, Shown kind, const WriteOptions& options) {
  size_t n = 0;
  for (const auto& r : report.results)
    if ((!target || r.target == *target) && shown_as(r, options) == kind) ++n;
  return n;
}

void suite_properties(pugi::xml_node suite, const ScanReport& report, const WriteOptions& options) {
  auto props = suite.append_child("properties");
  auto prop = [&](std::string_view name, std::string_view value) {
    auto p = props.append_child("property");
    attr(p, "name", name);
    attr(p, "value", value);
  };
  prop("policyprobe.version", report.tool_version);
  prop("started_at", report.started_at);
  prop("finished_at", report.finished_at);
  std::string profiles;
  for (const auto& p : report.profiles) profiles += (profiles.empty() ? "" : ",") + p;
  prop("profiles", profiles);
  if (options.gate) prop("gate", gate_text(*options.gate) + (options.junit_all_findings ? " (all findings shown)" : ""));
  for (const auto& [k, v] : report.metadata) prop(k, v);
}

void target_suite(pugi::xml_node suites, const ScanReport& report, const std::string& target, size_t id,
                  const WriteOptions& options) {
  const Counts c = count_target(report.results, target);
  auto suite = suites.append_child("testsuite");
  attr(suite, "name", target);
  attr(suite, "tests", c.total);
  attr(suite, "failures", shown_count(report, &target, Shown::Failure, options));
  attr(suite, "errors", shown_count(report, &target, Shown::Error, options));
  attr(suite, "skipped", c.of(Status::Skipped) + c.of(Status::Waived) + c.of(Status::Blocked));
  attr(suite, "time", "0");
  const std::string ts = junit_timestamp(report.started_at);
  if (!ts.empty()) attr(suite, "timestamp", ts);
  attr(suite, "hostname", host_of(report, target));
  attr(suite, "id", id);
  attr(suite, "package", "policyprobe");
  suite_properties(suite, report, options);
  for (const auto& r : report.results)
    if (r.target == target) testcase(suite, r, options);
}

}  // namespace

std::string render_junit(const ScanReport& input, const WriteOptions& options) {
  std::optional<ScanReport> holder;
  const ScanReport& report = sorted_view(input, holder);
  // Every target that has results gets a suite, also ones missing from report.targets.
  std::vector<std::string> targets = report.targets;
  for (const auto& r : report.results)
    if (std::find(targets.begin(), targets.end(), r.target) == targets.end()) targets.push_back(r.target);

  pugi::xml_document doc;
  const Counts all = count(report.results);
  auto suites = doc.append_child("testsuites");
  attr(suites, "name", "policyprobe");
  attr(suites, "tests", all.total);
  attr(suites, "failures", shown_count(report, nullptr, Shown::Failure, options));
  attr(suites, "errors", shown_count(report, nullptr, Shown::Error, options));
  // No "skipped" here: Jenkins' junit-10.xsd does not allow it on <testsuites>.
  const long long secs = seconds_between(report.started_at, report.finished_at);
  attr(suites, "time", secs >= 0 ? std::to_string(secs) : std::string("0"));
  for (size_t id = 0; id < targets.size(); ++id) target_suite(suites, report, targets[id], id, options);
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent | pugi::format_no_declaration, pugi::encoding_utf8);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + out.str();
}

}  // namespace pp::reports
