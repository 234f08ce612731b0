#include "reports/json.h"

#include <nlohmann/json.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

#include "core/input_file.h"
#include "reports/controls.h"
#include "reports/summary.h"
#include "reports/tls_block.h"

namespace pp::reports {

using Json = nlohmann::ordered_json;

namespace {

Json value_json(const Fact& f) {
  if (f.state != FactState::Known) return nullptr;
  switch (type_of(f.value)) {
    case ValueType::Bool: return std::get<bool>(f.value);
    case ValueType::Int: return std::get<int64_t>(f.value);
    case ValueType::String: return std::get<std::string>(f.value);
    case ValueType::List: return std::get<StringList>(f.value);
  }
  return nullptr;
}

Json result_json(const Result& r) {
  Json j;
  j["rule_id"] = r.rule_id;
  j["pack"] = r.pack();
  j["title"] = r.title();
  j["severity"] = to_string(r.severity);
  j["target"] = r.target;
  j["subject"] = r.subject;
  j["subject_kind"] = to_string(r.subject_kind);
  j["status"] = to_string(r.status);
  j["message"] = r.message;
  if (!r.assertion.empty()) j["assertion"] = r.assertion;
  j["evidence"] = r.evidence;
  j["remediation"] = r.remediation();
  j["references"] = r.references();
  j["description"] = r.description();
  j["waiver"] = r.waiver;
  j["baseline"] = r.baseline;
  if (!r.blocked_by.empty()) j["blocked_by"] = r.blocked_by;
  return j;
}

/// Per TLS endpoint its grade and each accepted suite's, per version: derived from the facts
/// (tls_block.h), so a reader recomputes rather than reads it.
Json tls_grades_json(const ScanReport& report) {
  Json out = Json::array();
  for (const TlsEndpoint& e : tls_endpoints(report)) {
    if (!e.unobserved.empty()) continue;
    Json versions = Json::object();
    for (const auto& offer : e.offers)
      for (const auto& v : offer.versions) {
        Json& suites = versions[v] = Json::object();
        for (const auto& s : offer.suites) suites[s.name] = to_string(s.grade.grade);
      }
    std::vector<std::string> subjects = {e.subject};
    for (const auto& also : e.also) subjects.push_back(also.first);
    for (const auto& subject : subjects)
      out.push_back({{"subject", subject}, {"grade", to_string(e.grade)}, {"versions", versions}});
  }
  return out;
}

Json waivers_json(const std::vector<WaiverRecord>& waivers) {
  Json out = Json::array();
  for (const auto& w : waivers)
    out.push_back({{"rule", w.rule},
                   {"subject", w.subject},
                   {"justification", w.justification},
                   {"owner", w.owner},
                   {"ticket", w.ticket},
                   {"granted", w.granted},
                   {"expires", w.expires},
                   {"source", w.source},
                   {"state", w.state}});
  return out;
}

Json subject_json(const Subject& s) {
  Json j;
  j["id"] = s.id();
  j["kind"] = to_string(s.kind);
  j["target"] = s.target;
  j["host"] = s.host;
  j["sni"] = s.sni;
  j["scheme"] = s.scheme;
  j["port"] = s.port;
  j["plain_port"] = s.plain_port;
  j["path"] = s.path;
  if (!s.variant.empty()) j["variant"] = s.variant;
  if (!s.source.empty()) j["source"] = s.source;
  j["expected_names"] = s.expected_names;
  j["tags"] = Json::object();
  for (const auto& [k, v] : s.tags) j["tags"][k] = v;
  return j;
}

}  // namespace

namespace {

/// `j` as nlohmann's dump(2) would print it two levels down (inside a top-level array).
std::string element(const Json& j) {
  std::string text = j.dump(2, ' ', false, Json::error_handler_t::replace);
  std::string out = "    ";
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    out += c;
    if (c == '\n') out += "    ";  // string values never hold a raw newline: JSON escapes it
  }
  return out;
}

Json fact_json(const SubjectFacts& sf, const std::string& id, const Fact& f) {
  Json fj;
  fj["target"] = sf.subject.target;
  fj["subject"] = id;
  fj["kind"] = to_string(sf.subject.kind);
  fj["name"] = f.name;
  fj["state"] = to_string(f.state);
  fj["value"] = value_json(f);
  fj["evidence"] = f.evidence;
  fj["reason"] = f.reason;
  return fj;
}

/// Writes `"key": [ ... ]` with one element per call of `each` (which returns false at the end).
template <typename Each>
bool array(const Sink& sink, std::string_view key, bool last, Each each) {
  if (!sink(std::string(",\n  \"") + std::string(key) + "\": [")) return false;
  bool first = true;
  Json j;
  while (each(j)) {
    if (!sink(first ? "\n" : ",\n") || !sink(element(j))) return false;
    first = false;
  }
  return sink(first ? "]" : "\n  ]") && (!last || sink("\n}\n"));
}

/// Schema 2: the frameworks the report groups by, each control's verdict (written for people
/// and jq; readers recompute it) and the mapping of the scan's rules to controls.
Json controls_json(const ScanReport& report) {
  auto findings = [](const std::vector<ControlFinding>& list) {
    Json a = Json::array();
    for (const auto& f : list)
      a.push_back({{"rule", f.rule_id}, {"subject", f.subject}, {"status", std::string(to_string(f.status))}});
    return a;
  };
  Json frameworks = Json::array();
  for (const auto& fv : judge_controls(report)) {
    Json controls = Json::array();
    for (const auto& v : fv.controls)
      controls.push_back({{"id", v.id}, {"title", v.title}, {"status", std::string(to_string(v.status))},
                          {"rules", v.rules}, {"passed", v.passed}, {"waived", v.waived},
                          {"failing", findings(v.failing)}, {"undecided", findings(v.undecided)}});
    Json summary = Json::object();
    for (ControlStatus st : kControlStatuses) summary[std::string(to_string(st))] = fv.count(st);
    frameworks.push_back({{"id", fv.id}, {"title", fv.title}, {"summary", summary}, {"controls", controls}});
  }
  Json rules = Json::object();
  for (const auto& [rule, controls] : report.controls.rules) rules[rule] = controls;
  return {{"frameworks", frameworks}, {"rules", rules}};
}

}  // namespace

bool render_json_to(const ScanReport& input, const Sink& sink) {
  std::optional<ScanReport> holder;
  const ScanReport& report = sorted_view(input, holder);
  Json j;
  j["schema_version"] = ScanReport::kSchemaVersion;
  j["tool"] = {{"name", "policyprobe"}, {"version", report.tool_version}};
  j["started_at"] = report.started_at;
  j["finished_at"] = report.finished_at;
  j["profiles"] = report.profiles;
  j["metadata"] = Json::object();
  for (const auto& [k, v] : report.metadata) j["metadata"][k] = v;
  j["targets"] = report.targets;
  // Added within schema_version 1: present only when there is a warning, and readers that
  // predate it ignore it.
  if (!report.warnings.empty()) j["warnings"] = report.warnings;
  // Added within schema_version 1 likewise: present only when the scan was given waivers.
  if (!report.waivers.empty()) j["waivers"] = waivers_json(report.waivers);
  // Added within schema_version 1 likewise: present only when an endpoint's TLS was observed.
  if (Json tls = tls_grades_json(report); !tls.empty()) j["tls_grades"] = std::move(tls);
  // Schema 2: present when the scan's rules were grouped by control.
  if (!report.controls.empty()) j["controls"] = controls_json(report);

  // Convenience totals for people and jq; ignored by the reader (recomputed from results).
  const Counts c = count(report.results);
  Json summary;
  summary["results"] = c.total;
  for (Status s : kAllStatuses) summary["status"][std::string(to_string(s))] = c.of(s);
  for (Severity s : kSeveritiesDesc) summary["failed_by_severity"][std::string(to_string(s))] = c.failed(s);
  j["summary"] = summary;
  // replace: invalid UTF-8 bytes become U+FFFD instead of throwing.
  std::string head = j.dump(2, ' ', false, Json::error_handler_t::replace);
  head.resize(head.size() - 2);  // without the closing "\n}": the arrays follow
  if (!sink(head)) return false;

  size_t r = 0;
  if (!array(sink, "results", false, [&](Json& out) {
        if (r == report.results.size()) return false;
        out = result_json(report.results[r++]);
        return true;
      }))
    return false;
  size_t s = 0;
  if (!array(sink, "subjects", false, [&](Json& out) {
        if (s == report.facts.size()) return false;
        out = subject_json(report.facts[s++].subject);
        return true;
      }))
    return false;
  // Facts: subject by subject, each subject's facts in their stored order.
  size_t si = 0;
  std::string id;
  const std::vector<Fact>* facts = nullptr;
  std::vector<Fact>::const_iterator it;
  return array(sink, "facts", true, [&](Json& out) {
    while (!facts || it == facts->end()) {
      if (si == report.facts.size()) return false;
      id = report.facts[si].subject.id();
      facts = &report.facts[si].facts.all();
      it = facts->begin();
      ++si;
    }
    out = fact_json(report.facts[si - 1], id, *it);
    ++it;
    return true;
  });
}

std::string render_json(const ScanReport& report) {
  std::string out;
  render_json_to(report, [&](std::string_view piece) {
    out.append(piece);
    return true;
  });
  return out;
}

std::string json_for_html(std::string_view json) {
  // '<' '>' '&' and U+2028/9 can only occur inside JSON strings, where a \u escape means the
  // same character, so this rewrite keeps the document valid and equal.
  std::string out;
  out.reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
             (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else out += c;
  }
  return out;
}

namespace {

/// Reading with explicit checks: every problem becomes a message with a JSON pointer, not an
/// exception escaping this file.
struct Reader {
  std::string error;

  bool fail(const std::string& where, const std::string& what) {
    if (error.empty()) error = where + ": " + what;
    return false;
  }
  bool str(const Json& obj, const char* key, const std::string& where, std::string& out, bool required = true) {
    auto it = obj.find(key);
    if (it == obj.end()) return required ? fail(where + "/" + key, "missing") : true;
    if (!it->is_string()) return fail(where + "/" + key, "expected a string");
    out = it->get<std::string>();
    return true;
  }
  bool str(const Json& obj, const char* key, const std::string& where, Interned& out, bool required = true) {
    std::string text;
    if (!str(obj, key, where, text, required)) return false;
    out = text;
    return true;
  }
  bool strs(const Json& obj, const char* key, const std::string& where, std::vector<std::string>& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return true;
    if (!it->is_array()) return fail(where + "/" + key, "expected an array of strings");
    out.clear();
    for (const auto& e : *it) {
      if (!e.is_string()) return fail(where + "/" + key, "expected an array of strings");
      out.push_back(e.get<std::string>());
    }
    return true;
  }
  bool port(const Json& obj, const char* key, const std::string& where, uint16_t& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return true;
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 65535)
      return fail(where + "/" + key, "expected a port number 0-65535");
    out = static_cast<uint16_t>(it->get<int64_t>());
    return true;
  }
};

std::optional<Status> parse_status(std::string_view s) {
  for (Status st : kAllStatuses)
    if (to_string(st) == s) return st;
  return std::nullopt;
}
std::optional<SubjectKind> parse_kind(std::string_view s) {
  for (SubjectKind k : {SubjectKind::Endpoint, SubjectKind::Certificate, SubjectKind::Vdir})
    if (to_string(k) == s) return k;
  return std::nullopt;
}
std::optional<FactState> parse_state(std::string_view s) {
  for (FactState st : {FactState::Known, FactState::Absent, FactState::Unknown})
    if (to_string(st) == s) return st;
  return std::nullopt;
}

/// Results of one rule share one RuleText, as they did in the scan that wrote the report. A
/// result that is not a finding carries no remediation, so it matches any text of its rule.
class RuleTextPool {
 public:
  std::shared_ptr<const RuleText> intern(const std::string& rule_id, RuleText t, bool finding) {
    auto& seen = by_rule_[rule_id];
    for (const auto& p : seen)
      if (p->pack == t.pack && p->title == t.title && p->description == t.description &&
          p->references == t.references && (!finding || p->remediation == t.remediation))
        return p;
    seen.push_back(std::make_shared<const RuleText>(std::move(t)));
    return seen.back();
  }

 private:
  std::map<std::string, std::vector<std::shared_ptr<const RuleText>>> by_rule_;
};

bool read_result(Reader& rd, RuleTextPool& pool, const Json& j, const std::string& where, Result& r) {
  if (!j.is_object()) return rd.fail(where, "expected an object");
  std::string sev, kind, status;
  RuleText t;
  if (!rd.str(j, "rule_id", where, r.rule_id) || !rd.str(j, "pack", where, t.pack, false) ||
      !rd.str(j, "title", where, t.title, false) || !rd.str(j, "severity", where, sev) ||
      !rd.str(j, "target", where, r.target) || !rd.str(j, "subject", where, r.subject) ||
      !rd.str(j, "subject_kind", where, kind) || !rd.str(j, "status", where, status) ||
      !rd.str(j, "message", where, r.message, false) || !rd.str(j, "assertion", where, r.assertion, false) ||
      !rd.strs(j, "evidence", where, r.evidence) ||
      !rd.str(j, "remediation", where, t.remediation, false) ||
      !rd.strs(j, "references", where, t.references) ||
      !rd.str(j, "description", where, t.description, false) ||
      !rd.str(j, "waiver", where, r.waiver, false) || !rd.str(j, "baseline", where, r.baseline, false) ||
      !rd.str(j, "blocked_by", where, r.blocked_by, false))
    return false;
  r.rule = pool.intern(r.rule_id, std::move(t), status == "fail" || status == "waived");
  auto s = parse_severity(sev);
  if (!s) return rd.fail(where + "/severity", "unknown severity '" + sev + "'");
  r.severity = *s;
  auto k = parse_kind(kind);
  if (!k) return rd.fail(where + "/subject_kind", "unknown subject kind '" + kind + "'");
  r.subject_kind = *k;
  auto st = parse_status(status);
  if (!st) return rd.fail(where + "/status", "unknown status '" + status + "'");
  r.status = *st;
  return true;
}

bool read_subject(Reader& rd, const Json& j, const std::string& where, Subject& s, std::string& id) {
  if (!j.is_object()) return rd.fail(where, "expected an object");
  std::string kind;
  if (!rd.str(j, "id", where, id) || !rd.str(j, "kind", where, kind) ||
      !rd.str(j, "target", where, s.target) || !rd.str(j, "host", where, s.host) ||
      !rd.str(j, "sni", where, s.sni, false) || !rd.str(j, "scheme", where, s.scheme, false) ||
      !rd.port(j, "port", where, s.port) || !rd.port(j, "plain_port", where, s.plain_port) ||
      !rd.str(j, "path", where, s.path, false) ||
      !rd.str(j, "variant", where, s.variant, false) || !rd.str(j, "source", where, s.source, false) ||
      !rd.strs(j, "expected_names", where, s.expected_names))
    return false;
  auto k = parse_kind(kind);
  if (!k) return rd.fail(where + "/kind", "unknown subject kind '" + kind + "'");
  s.kind = *k;
  if (auto it = j.find("tags"); it != j.end()) {
    if (!it->is_object()) return rd.fail(where + "/tags", "expected an object of strings");
    for (const auto& [key, v] : it->items()) {
      if (!v.is_string()) return rd.fail(where + "/tags/" + key, "expected a string");
      s.tags[key] = v.get<std::string>();
    }
  }
  if (s.id() != id) return rd.fail(where + "/id", "'" + id + "' does not match the subject's fields ('" + s.id() + "')");
  return true;
}

bool read_fact(Reader& rd, const Json& j, const std::string& where, Fact& f) {
  if (!j.is_object()) return rd.fail(where, "expected an object");
  std::string state;
  if (!rd.str(j, "name", where, f.name) || !rd.str(j, "state", where, state) ||
      !rd.str(j, "evidence", where, f.evidence, false) || !rd.str(j, "reason", where, f.reason, false))
    return false;
  auto st = parse_state(state);
  if (!st) return rd.fail(where + "/state", "unknown fact state '" + state + "'");
  f.state = *st;
  if (f.state != FactState::Known) return true;
  auto it = j.find("value");
  if (it == j.end()) return rd.fail(where + "/value", "missing for a known fact");
  if (it->is_boolean()) f.value = it->get<bool>();
  else if (it->is_number_integer()) {
    if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
      return rd.fail(where + "/value", "integer out of range");
    f.value = it->get<int64_t>();
  } else if (it->is_string()) f.value = it->get<std::string>();
  else if (it->is_array()) {
    StringList list;
    for (const auto& e : *it) {
      if (!e.is_string()) return rd.fail(where + "/value", "a list value holds only strings");
      list.push_back(e.get<std::string>());
    }
    f.value = std::move(list);
  } else return rd.fail(where + "/value", "expected bool, integer, string or array of strings");
  return true;
}

/// Walks the text without building anything: a malformed file (say a truncated 50 MB report)
/// is refused at the cost of one pass, not after a document tree of ten times its size.
struct SyntaxCheck : nlohmann::json_sax<Json> {
  std::string error;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error = e.what();
    return false;
  }
};

}  // namespace

std::string readable_schema_versions() {
  std::string out;
  for (int v = kOldestReadableSchema; v <= ScanReport::kSchemaVersion; ++v)
    out += (out.empty() ? "" : ", ") + std::to_string(v);
  return out;
}

namespace {

/// The document, checked for syntax (one pass, nothing built) and for our schema_version.
std::string parse_document(std::string_view text, Json& j) {
  SyntaxCheck check;
  if (!Json::sax_parse(text.begin(), text.end(), &check) || !check.error.empty())
    return "not valid JSON: " + (check.error.empty() ? std::string("syntax error") : check.error);
  try {
    // nlohmann reports syntax errors by exception; it stays inside this function.
    j = Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    return std::string("not valid JSON: ") + e.what();
  }
  if (!j.is_object()) return "not a policyprobe JSON report: the top level is not an object";
  auto sv = j.find("schema_version");
  if (sv == j.end() || !sv->is_number_integer())
    return "not a policyprobe JSON report: no integer schema_version";
  // 1 is 2 without `controls`: it reads as a report with no control mapping.
  if (sv->get<int64_t>() < kOldestReadableSchema || sv->get<int64_t>() > ScanReport::kSchemaVersion)
    return "unsupported schema_version " + std::to_string(sv->get<int64_t>()) + " (this build reads " +
           readable_schema_versions() + ")";
  return {};
}

/// tool, times, profiles, targets, warnings, metadata.
std::string read_header(const Json& j, Reader& rd, ScanReport& r) {
  if (auto t = j.find("tool"); t != j.end()) {
    if (!t->is_object()) return "/tool: expected an object";
    if (!rd.str(*t, "version", "/tool", r.tool_version, false)) return rd.error;
  }
  if (!rd.str(j, "started_at", "", r.started_at, false) || !rd.str(j, "finished_at", "", r.finished_at, false) ||
      !rd.strs(j, "profiles", "", r.profiles) || !rd.strs(j, "targets", "", r.targets) ||
      !rd.strs(j, "warnings", "", r.warnings))
    return rd.error;
  if (auto m = j.find("metadata"); m != j.end()) {
    if (!m->is_object()) return "/metadata: expected an object of strings";
    for (const auto& [k, v] : m->items()) {
      if (!v.is_string()) return "/metadata/" + k + ": expected a string";
      r.metadata[k] = v.get<std::string>();
    }
  }
  return {};
}

/// The optional `waivers` list (added within schema 1: written only when the scan had waivers).
std::string read_waivers(const Json& j, Reader& rd, ScanReport& r) {
  auto list = j.find("waivers");
  if (list == j.end()) return {};
  if (!list->is_array()) return "/waivers: expected an array";
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string where = "/waivers/" + std::to_string(i);
    const Json& w = (*list)[i];
    if (!w.is_object()) return where + ": expected an object";
    WaiverRecord rec;
    if (!rd.str(w, "rule", where, rec.rule) || !rd.str(w, "subject", where, rec.subject) ||
        !rd.str(w, "justification", where, rec.justification, false) || !rd.str(w, "owner", where, rec.owner, false) ||
        !rd.str(w, "ticket", where, rec.ticket, false) || !rd.str(w, "granted", where, rec.granted, false) ||
        !rd.str(w, "expires", where, rec.expires, false) || !rd.str(w, "source", where, rec.source, false) ||
        !rd.str(w, "state", where, rec.state, false))
      return rd.error;
    r.waivers.push_back(std::move(rec));
  }
  return {};
}

std::string read_results(const Json& j, Reader& rd, ScanReport& r) {
  auto results = j.find("results");
  if (results == j.end()) return {};
  if (!results->is_array()) return "/results: expected an array";
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  RuleTextPool pool;
  for (size_t i = 0; i < results->size(); ++i) {
    Result res;
    const std::string where = "/results/" + std::to_string(i);
    if (!read_result(rd, pool, (*results)[i], where, res)) return rd.error;
    // One result per (rule, subject) in a target: a duplicate means the file was edited or mangled.
    if (!seen.emplace(res.target, res.subject, res.rule_id).second)
      return where + ": a second result for rule '" + res.rule_id + "' on '" + res.subject + "'";
    r.results.push_back(std::move(res));
  }
  return {};
}

/// Subjects first, then facts attach to them by (target, subject id).
std::string read_facts(const Json& j, Reader& rd, ScanReport& r) {
  std::map<std::pair<std::string, std::string>, size_t> index;
  if (auto subjects = j.find("subjects"); subjects != j.end()) {
    if (!subjects->is_array()) return "/subjects: expected an array";
    for (size_t i = 0; i < subjects->size(); ++i) {
      SubjectFacts sf;
      std::string id;
      const std::string where = "/subjects/" + std::to_string(i);
      if (!read_subject(rd, (*subjects)[i], where, sf.subject, id)) return rd.error;
      if (!index.emplace(std::make_pair(sf.subject.target, id), r.facts.size()).second)
        return where + ": duplicate subject '" + id + "' in target '" + sf.subject.target + "'";
      r.facts.push_back(std::move(sf));
    }
  }
  auto facts = j.find("facts");
  if (facts == j.end()) return {};
  if (!facts->is_array()) return "/facts: expected an array";
  for (size_t i = 0; i < facts->size(); ++i) {
    const std::string where = "/facts/" + std::to_string(i);
    const Json& fj = (*facts)[i];
    std::string target, subject;
    Fact f;
    if (!read_fact(rd, fj, where, f) || !rd.str(fj, "target", where, target) || !rd.str(fj, "subject", where, subject))
      return rd.error;
    auto it = index.find({target, subject});
    if (it == index.end()) return where + ": subject '" + subject + "' of target '" + target + "' is not in /subjects";
    r.facts[it->second].facts.put(std::move(f));
  }
  return {};
}

/// One framework of /controls/frameworks: its id, title and controls (ids and titles); the
/// verdicts written beside them are recomputed from the results, never read.
bool read_framework(Reader& rd, const Json& fj, const std::string& where, Framework& f) {
  if (!fj.is_object()) return rd.fail(where, "expected an object");
  if (!rd.str(fj, "id", where, f.id) || !rd.str(fj, "title", where, f.title, false)) return false;
  auto cs = fj.find("controls");
  if (cs == fj.end()) return true;
  if (!cs->is_array()) return rd.fail(where + "/controls", "expected an array");
  for (size_t i = 0; i < cs->size(); ++i) {
    const std::string at = where + "/controls/" + std::to_string(i);
    Control c;
    if (!(*cs)[i].is_object()) return rd.fail(at, "expected an object");
    if (!rd.str((*cs)[i], "id", at, c.id) || !rd.str((*cs)[i], "title", at, c.title, false)) return false;
    f.controls.push_back(std::move(c));
  }
  return true;
}

/// Schema 2's `controls`: the frameworks and the rule mapping.
std::string read_controls(const Json& j, Reader& rd, ScanReport& r) {
  auto c = j.find("controls");
  if (c == j.end()) return {};
  if (!c->is_object()) return "/controls: expected an object";
  if (auto fws = c->find("frameworks"); fws != c->end()) {
    if (!fws->is_array()) return "/controls/frameworks: expected an array";
    for (size_t i = 0; i < fws->size(); ++i) {
      Framework f;
      if (!read_framework(rd, (*fws)[i], "/controls/frameworks/" + std::to_string(i), f)) return rd.error;
      r.controls.frameworks.push_back(std::move(f));
    }
  }
  if (auto rules = c->find("rules"); rules != c->end()) {
    if (!rules->is_object()) return "/controls/rules: expected an object of string arrays";
    for (const auto& [rule, list] : rules->items())
      if (!rd.strs(*rules, rule.c_str(), "/controls/rules", r.controls.rules[rule])) return rd.error;
  }
  return {};
}

}  // namespace

std::string parse_json_report(std::string_view text, ScanReport& out) {
  Json j;
  if (std::string err = parse_document(text, j); !err.empty()) return err;
  Reader rd;
  ScanReport r;
  for (auto* step : {read_header, read_waivers, read_results, read_facts, read_controls})
    if (std::string err = step(j, rd, r); !err.empty()) return err;
  sort_report(r);
  out = std::move(r);
  return {};
}

std::string load_json_report(const std::string& path, ScanReport& out) {
  std::string text, err;
  if (!read_file(path, text, err)) return err;
  err = parse_json_report(text, out);
  return err.empty() ? err : path + ": " + err;
}

}  // namespace pp::reports
