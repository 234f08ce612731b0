#include "engine/collapse.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "engine/catalogue.h"

namespace pp::engine {

namespace {

/// The fact's family half on a subject: "tls.", "cert.", "mail.", or for vdirs "http.tls." /
/// "http.plain." (the two schemes reach different endpoints).
std::string group_of(const std::string& fact) {
  if (fact.rfind("http.tls.", 0) == 0) return "http.tls.";
  if (fact.rfind("http.plain.", 0) == 0) return "http.plain.";
  auto dot = fact.find('.');
  return dot == std::string::npos ? fact : fact.substr(0, dot + 1);
}

/// What deadness is judged over: the group, split by the family that provides each fact. One
/// prefix can have two sources (exchange.*: what the HTTP probe saw of the server, and what an
/// Exchange settings export says), and the export's facts, absent on a scanned vdir, must not
/// keep the probe's facts of that prefix from counting as unobserved.
std::string dead_key(const std::string& fact) {
  const FactSpec* spec = fact_catalogue().find(fact);
  return group_of(fact) + (spec ? std::string(spec->probe) : std::string());
}

/// The endpoint a group of facts on `s` was observed on.
std::string endpoint_of(const Subject& s, const std::string& group) {
  Subject e = s;
  e.kind = SubjectKind::Endpoint;
  if (s.kind == SubjectKind::Vdir) {
    e.scheme = group == "http.plain." ? "http" : "https";
    e.port = group == "http.plain." ? s.plain_port : s.port;
    e.path.clear();
    e.plain_port = 0;
  }
  return e.id();
}

std::string decode_hex_prefix(const std::string& reason) {
  // Probe reasons quote the first bytes of a non-TLS answer as "starts 2A 20 4F ...".
  auto at = reason.find("starts ");
  if (at == std::string::npos) return {};
  std::string out;
  for (size_t i = at + 7; i + 1 < reason.size(); i += 3) {
    auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    if (!hex(reason[i]) || !hex(reason[i + 1])) break;
    out += static_cast<char>(std::stoi(reason.substr(i, 2), nullptr, 16));
    if (i + 2 >= reason.size() || reason[i + 2] != ' ') break;
  }
  return out;
}

bool contains(const std::string& s, const char* what) { return s.find(what) != std::string::npos; }
bool ends_with(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// How a fact group reads in a sentence: "tls." -> "TLS", "http.tls." -> "HTTP over TLS".
std::string family_words(const std::string& family) {
  if (family == "http.tls") return "HTTP over TLS";
  if (family == "http.plain") return "plain HTTP";
  if (family == "cert") return "certificate";
  if (family == "mail") return "mail and directory";
  if (family == "tls") return "TLS";
  if (family == "ntlm") return "NTLM";
  return family;
}

struct Cause {
  std::string target, endpoint, reason;
  Severity severity = Severity::Info;
  std::set<std::string> families;
  size_t blocked = 0;
  std::vector<std::string> protocols;
};

}  // namespace

std::string advise(const std::string& reason, const std::string& endpoint, const std::vector<std::string>& protocols,
                   const std::string& checks) {
  const std::string greeting = decode_hex_prefix(reason);
  auto scan_as = [&](const char* what, const char* scheme) {
    return endpoint + " answered a TLS ClientHello with a plaintext " + what + ": scan it as " + scheme + "://";
  };
  if (greeting.rfind("* OK", 0) == 0 || greeting.rfind("* PREAUTH", 0) == 0) return scan_as("IMAP greeting", "imap");
  if (greeting.rfind("+OK", 0) == 0) return scan_as("POP3 greeting", "pop3");
  if (greeting.rfind("220", 0) == 0) return scan_as("SMTP greeting", "smtp");
  if (greeting.rfind("200", 0) == 0 || greeting.rfind("201", 0) == 0) return scan_as("NNTP greeting", "nntp");
  if (greeting.rfind("HTTP/", 0) == 0) return scan_as("HTTP response", "http");
  if (!protocols.empty() && std::none_of(protocols.begin(), protocols.end(), [](const std::string& p) {
        return p.rfind("TLSv1", 0) == 0;
      })) {
    std::string list;
    for (const auto& p : protocols) list += (list.empty() ? "" : " and ") + p;
    return endpoint + " speaks only " + list + ": the " + checks +
           " checks need TLS 1.0 or later (the TLS protocol rules judge the endpoint itself)";
  }
  if (contains(reason, "cannot resolve")) return endpoint + " does not resolve from the scanner: check the host name";
  if (contains(reason, "refused"))
    return endpoint + " refused the connection: check that the service runs on this port and that no firewall "
                      "rejects the scanner";
  if (contains(reason, "no port answered"))
    return reason + ": check that the host is up and reachable from the scanner, or name its services explicitly";
  if (contains(reason, "budget spent"))
    return endpoint + " answered too slowly to finish (" + reason +
           "): raise --endpoint-budget or --timeout to observe the rest";
  if (contains(reason, "timeout") || contains(reason, "timed out") || contains(reason, "no answer"))
    return endpoint + " did not answer in time: a firewall may drop the scanner's packets, or the port speaks "
                      "another protocol that waits for the client to speak first";
  return {};
}

namespace {

using Key = std::pair<std::string, std::string>;  // (endpoint id, reason) or (subject id, dead key)

/// (subject id, dead key) -> the one reason, for every group whose facts are all unknown for one
/// reason on that subject: the family could not observe anything there.
std::map<Key, std::string> dead_groups_of(const std::vector<SubjectFacts>& observed) {
  std::map<Key, std::string> dead;
  for (const auto& sf : observed) {
    std::map<std::string, std::pair<bool, std::set<std::string>>> groups;  // group -> (all unknown, reasons)
    for (const Fact& f : sf.facts.all()) {
      // Whether the port answered, and how many connections were tried, are known even when
      // nothing else could be observed: they describe the attempt, not the server.
      if (ends_with(f.name, ".connections") || ends_with(f.name, ".reachable")) continue;
      auto& g = groups.try_emplace(dead_key(f.name), true, std::set<std::string>{}).first->second;
      if (f.state != FactState::Unknown) g.first = false;
      else g.second.insert(f.reason);
    }
    for (const auto& [group, g] : groups)
      if (g.first && g.second.size() == 1) dead[{sf.subject.id(), group}] = *g.second.begin();
  }
  return dead;
}

/// The cause blocking `r`, when every fact that made it an error belongs to a dead group.
std::optional<Key> cause_of(const Result& r, const Subject& subject, const std::map<Key, std::string>& dead) {
  std::optional<Key> key;
  for (const auto& fact : r.unknown_facts) {
    auto d = dead.find({r.subject, dead_key(fact)});
    if (d == dead.end()) return std::nullopt;
    if (!key) key = Key{endpoint_of(subject, group_of(fact)), d->second};
  }
  return key;
}

Result probe_error(const Cause& c) {
  Result e;
  e.rule_id = kProbeErrorRule;
  e.set_text({"probe", "The scanner could not observe this endpoint", "", "", {}});
  e.severity = c.severity;
  e.target = c.target;
  e.subject = c.endpoint;
  e.subject_kind = SubjectKind::Endpoint;
  e.status = Status::Error;
  std::string families;
  for (const auto& f : c.families) families += (families.empty() ? "" : ", ") + family_words(f);
  std::string advice = advise(c.reason, c.endpoint, c.protocols, families);
  e.message = advice.empty() ? "the " + families + " checks could not observe " + c.endpoint + ": " + c.reason : advice;
  e.evidence.push_back("observed: " + c.reason);
  e.evidence.push_back("blocks " + std::to_string(c.blocked) + " rule result" + (c.blocked == 1 ? "" : "s") + " (" +
                       families + " checks)");
  return e;
}

}  // namespace

void collapse_errors(std::vector<Result>& results, const std::vector<SubjectFacts>& observed) {
  std::map<std::string, const SubjectFacts*> by_id;
  for (const auto& sf : observed) by_id[sf.subject.id()] = &sf;
  const std::map<Key, std::string> dead = dead_groups_of(observed);

  std::map<Key, Cause> causes;
  for (Result& r : results) {
    if (r.status != Status::Error || r.unknown_facts.empty()) continue;
    auto sit = by_id.find(r.subject);
    if (sit == by_id.end()) continue;
    const std::optional<Key> key = cause_of(r, sit->second->subject, dead);
    if (!key) continue;
    Cause& c = causes[*key];
    c.target = r.target;
    c.endpoint = key->first;
    c.reason = key->second;
    c.severity = std::max(c.severity, r.severity);
    for (const auto& fact : r.unknown_facts) {
      const std::string g = group_of(fact);
      c.families.insert(g.substr(0, g.size() - 1));
    }
    ++c.blocked;
    r.status = Status::Blocked;
    r.blocked_by = std::string(kProbeErrorRule) + " " + key->first;
    r.message = "blocked: " + key->second;
  }
  // One error per endpoint: a report keys results by (rule, subject), so two causes on one
  // endpoint (the HTTP checks' handshake failed, another family timed out) become one error
  // naming both, in the order of their keys.
  std::map<std::string, Result> per_endpoint;
  for (auto& [key, c] : causes) {
    if (auto it = by_id.find(c.endpoint); it != by_id.end())
      if (const Fact* p = it->second->facts.find("tls.protocols"); p && p->state == FactState::Known)
        if (const auto* list = std::get_if<StringList>(&p->value)) c.protocols = *list;
    Result e = probe_error(c);
    auto [at, fresh] = per_endpoint.try_emplace(c.endpoint, e);
    if (fresh) continue;
    Result& first = at->second;
    first.severity = std::max(first.severity, e.severity);
    first.message += "; and " + e.message;
    first.evidence.insert(first.evidence.end(), e.evidence.begin(), e.evidence.end());
  }
  for (auto& [endpoint, e] : per_endpoint) results.push_back(std::move(e));
}

}  // namespace pp::engine
