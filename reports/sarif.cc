#include "reports/sarif.h"

#include <algorithm>
#include <optional>
#include <map>
#include <nlohmann/json.hpp>

#include "core/ip_literal.h"
#include "core/subject_element.h"
#include "core/text.h"

namespace pp::reports {

using Json = nlohmann::ordered_json;

namespace {

/// The uriBaseId every artifact location is relative to (declared in run.originalUriBaseIds).
constexpr const char* kSubjectsBase = "SCANNED_SUBJECTS";
/// The base of configuration files named by a relative path: the directory the scan ran in,
/// the checkout in a CI job, so code scanning annotates the file's line.
constexpr const char* kSourceBase = "%SRCROOT%";
/// The base of configuration files named by an absolute path.
constexpr const char* kRootBase = "FILESYSTEM_ROOT";

std::string_view level_of(Severity s) {
  switch (s) {
    case Severity::Critical:
    case Severity::High: return "error";
    case Severity::Medium: return "warning";
    case Severity::Low:
    case Severity::Info: return "note";
  }
  return "note";
}

/// GitHub maps > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
std::string_view security_severity(Severity s) {
  switch (s) {
    case Severity::Critical: return "9.5";
    case Severity::High: return "8.0";
    case Severity::Medium: return "5.5";
    case Severity::Low: return "3.0";
    case Severity::Info: return "";
  }
  return "";
}

/// Printable ASCII stays except what RFC 3986 never allows in a URI: " < > \ ^ ` { | }.
std::string percent_encode(std::string_view s) { return text::percent_encode(s, "!#$%&'()*+,-./:;=?@[]_~"); }

/// The subject as a URL: endpoint and certificate ids already are; a vdir id ("host:443/owa")
/// lacks the scheme, which the subject's ports decide. Empty when the subject is unknown.
/// An element of a vdir (`<vdir>#<element>`, a rule judged per element) is its vdir's URL with
/// the element as the fragment.
std::string url_of(const Result& r, const std::map<std::pair<std::string, std::string>, const Subject*>& subjects) {
  if (r.subject_kind != SubjectKind::Vdir) return r.subject;
  auto it = subjects.find({r.target, r.subject});
  std::string fragment;
  if (it == subjects.end()) {
    const auto element = split_element_subject(r.subject);
    if (!element) return {};
    it = subjects.find({r.target, element->base});
    if (it == subjects.end()) return {};
    fragment = r.subject.substr(element->base.size());
  }
  const Subject& s = *it->second;
  const std::string host = url_host(s.display_host());
  return (s.port ? "https://" + host + ":" + std::to_string(s.port) : "http://" + host + ":" + std::to_string(s.plain_port)) +
         s.path + fragment;
}

/// A relative URI reference for a network subject, resolved against kSubjectsBase rather
/// than the checkout: "<kind>/<scheme>/<host>/<port>[/<path>][/<fragment>]", e.g.
/// "vdir/https/mail.example.com/443/owa", "certificate/https/mail.example.com/443/cert".
/// Code-scanning services refuse absolute https: artifact URIs that are not files of the
/// repository, yet want a non-empty artifactLocation.uri; this keeps the subject readable.
std::string relative_uri(SubjectKind kind, std::string_view url) {
  std::string out(to_string(kind));
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return out + "/" + percent_encode(url);
  out += "/" + std::string(url.substr(0, sep));
  std::string_view rest = url.substr(sep + 3);
  std::string_view fragment;
  if (auto hash = rest.find('#'); hash != std::string_view::npos) {
    fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
  }
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view path = rest.substr(authority.size());
  std::string_view host = authority, port;
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  std::string tail = "/" + std::string(host) + (port.empty() ? "" : "/" + std::string(port)) + std::string(path);
  if (!fragment.empty()) tail += "/" + std::string(fragment);
  // Keep path characters of RFC 3986; encode the rest ('[' ']' of IPv6, '#', '?', '%').
  return out + text::percent_encode(tail, "-._~!$&'()*+,;=:@/");
}

}  // namespace

namespace {

using SubjectIndex = std::map<std::pair<std::string, std::string>, const Subject*>;

/// One entry of tool.driver.rules, from the first result of that rule.
Json sarif_rule(const std::string& id, const Result* r) {
  Json rule;
  rule["id"] = id;
  rule["name"] = r->title().empty() ? id : r->title();
  rule["shortDescription"] = {{"text", r->title().empty() ? id : r->title()}};
  rule["fullDescription"] = {{"text", r->description().empty() ? (r->title().empty() ? id : r->title()) : r->description()}};
  std::string help = r->rule_remediation().empty() ? "No remediation text in the rule." : r->rule_remediation();
  if (!r->references().empty()) {
    help += "\n\nReferences:";
    for (const auto& ref : r->references()) help += "\n- " + ref;
  }
  rule["help"] = {{"text", help}};
  for (const auto& ref : r->references())
    if (ref.rfind("https://", 0) == 0 || ref.rfind("http://", 0) == 0) {
      rule["helpUri"] = ref;
      break;
    }
  rule["defaultConfiguration"] = {{"level", level_of(r->severity)}};
  Json props;
  props["tags"] = Json::array({"security", r->pack().empty() ? std::string("policyprobe") : r->pack(),
                               std::string(to_string(r->severity))});
  props["severity"] = to_string(r->severity);
  if (!security_severity(r->severity).empty()) props["security-severity"] = security_severity(r->severity);
  rule["properties"] = props;
  return rule;
}

/// The first line of `file` the result's evidence names ("FILE:LINE: ..." or "... FILE:LINE"), 0 if none.
int evidence_line(const std::string& file, const Result& r) {
  for (const auto& e : r.evidence) {
    for (size_t at = e.find(file + ":"); at != std::string::npos; at = e.find(file + ":", at + 1)) {
      size_t i = at + file.size() + 1;
      int line = 0;
      for (; i < e.size() && e[i] >= '0' && e[i] <= '9' && line < 10000000; ++i) line = line * 10 + (e[i] - '0');
      if (line > 0) return line;
    }
  }
  return 0;
}

/// A subject read from a configuration file: the file itself (as it was named, so a path
/// relative to the checkout is what code scanning annotates) and the line that decided the
/// finding, when the evidence names one.
Json config_location(const std::string& file, const Result& r) {
  std::string relative = file;
  while (relative.rfind("./", 0) == 0) relative.erase(0, 2);
  const bool absolute = !relative.empty() && relative.front() == '/';
  while (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
  Json artifact = {{"uri", text::percent_encode(relative, "-._~!$&'()*+,;=@/")},
                   {"uriBaseId", absolute ? kRootBase : kSourceBase}};
  Json physical = {{"artifactLocation", artifact}};
  if (int line = evidence_line(file, r); line > 0) physical["region"] = {{"startLine", line}};
  return physical;
}

/// One entry of results: a failure, an error or a waived finding.
Json sarif_result(const Result& r, size_t rule_index, const SubjectIndex& subjects) {
  Json res;
  res["ruleId"] = r.rule_id;
  res["ruleIndex"] = rule_index;
  if (r.status == Status::Error) {
    res["kind"] = "open";
    res["level"] = "none";
  } else {
    res["kind"] = "fail";
    res["level"] = level_of(r.severity);
  }
  std::string text = (r.status == Status::Error ? "Could not evaluate: " : "") + r.message;
  if (!r.evidence.empty()) {
    text += "\nEvidence:";
    for (const auto& e : r.evidence) text += "\n  " + e;
  }
  res["message"] = {{"text", text}};
  Json loc;
  const std::string url = url_of(r, subjects);
  auto found = subjects.find({r.target, r.subject});
  if (found != subjects.end() && !found->second->source.empty())
    loc["physicalLocation"] = config_location(found->second->source, r);
  else
    loc["physicalLocation"] = {
        {"artifactLocation", {{"uri", relative_uri(r.subject_kind, url.empty() ? r.subject.str() : url)}, {"uriBaseId", kSubjectsBase}}}};
  loc["logicalLocations"] = Json::array(
      {{{"name", r.subject}, {"fullyQualifiedName", r.target + "/" + r.subject}, {"kind", to_string(r.subject_kind)}}});
  res["locations"] = Json::array({loc});
  res["partialFingerprints"] = {{"policyprobeFinding/v1", text::fnv1a_hex(r.rule_id + "\n" + r.subject)}};
  if (r.baseline == "new" || r.baseline == "unchanged") res["baselineState"] = r.baseline;
  if (r.status == Status::Waived)
    res["suppressions"] = Json::array({{{"kind", "external"}, {"status", "accepted"}, {"justification", r.waiver}}});
  Json props;
  props["status"] = to_string(r.status);
  props["severity"] = to_string(r.severity);
  props["target"] = r.target;
  props["subject"] = r.subject;
  if (!url.empty()) props["url"] = text::valid_utf8(url);
  props["evidence"] = r.evidence;
  res["properties"] = props;
  return res;
}

/// The run: its tool with the rules, the invocation, the results and our properties.
Json sarif_run(const ScanReport& report, const Json& rules, const Json& results) {
  Json driver;
  driver["name"] = "policyprobe";
  driver["version"] = report.tool_version;
  driver["semanticVersion"] = report.tool_version;
  driver["rules"] = rules;

  Json invocation;
  invocation["executionSuccessful"] = true;
  if (!report.started_at.empty()) invocation["startTimeUtc"] = report.started_at;
  if (!report.finished_at.empty()) invocation["endTimeUtc"] = report.finished_at;

  Json run;
  run["tool"] = {{"driver", driver}};
  run["automationDetails"] = {{"id", "policyprobe/"}};
  run["invocations"] = Json::array({invocation});
  run["originalUriBaseIds"] = {
      {kSubjectsBase,
       {{"description",
         {{"text", "The network subjects policyprobe scanned (endpoints, certificates, virtual directories), "
                   "not files of the repository: <kind>/<scheme>/<host>/<port>[/<path>]."}}}}}};
  // Declared only when a configuration file was judged, so network-only reports stay as they were.
  if (std::any_of(report.facts.begin(), report.facts.end(),
                  [](const SubjectFacts& sf) { return !sf.subject.source.empty(); })) {
    run["originalUriBaseIds"][kSourceBase] = {
        {"description", {{"text", "The directory policyprobe ran in: configuration files given by a relative path "
                                  "(--config, [[config]]) are named against it."}}}};
    run["originalUriBaseIds"][kRootBase] = {
        {"uri", "file:///"}, {"description", {{"text", "Configuration files given by an absolute path."}}}};
  }
  run["results"] = results;
  Json props;
  props["schema_version"] = ScanReport::kSchemaVersion;
  props["profiles"] = report.profiles;
  props["targets"] = report.targets;
  props["metadata"] = Json::object();
  for (const auto& [k, v] : report.metadata) props["metadata"][k] = v;
  run["properties"] = props;

  return run;
}

}  // namespace

std::string render_sarif(const ScanReport& input) {
  std::optional<ScanReport> holder;
  const ScanReport& report = sorted_view(input, holder);
  SubjectIndex subjects;
  for (const auto& sf : report.facts) subjects.emplace(std::make_pair(sf.subject.target, sf.subject.id()), &sf.subject);

  // Rules: every rule evaluated, ordered by id; ruleIndex points into this array.
  std::map<std::string, const Result*> rule_first;
  for (const auto& r : report.results) rule_first.emplace(r.rule_id, &r);
  std::map<std::string, size_t> rule_index;
  Json rules = Json::array();
  for (const auto& [id, r] : rule_first) {
    rule_index[id] = rules.size();
    rules.push_back(sarif_rule(id, r));
  }
  Json results = Json::array();
  for (const auto& r : report.results) {
    // A blocked result is stood for by the one error of its cause.
    if (r.status == Status::Pass || r.status == Status::Skipped || r.status == Status::Blocked) continue;
    results.push_back(sarif_result(r, rule_index[r.rule_id], subjects));
  }
  Json doc;
  doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  doc["version"] = "2.1.0";
  doc["runs"] = Json::array({sarif_run(report, rules, results)});
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace pp::reports
