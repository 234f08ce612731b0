#include "engine/planner.h"

#include <algorithm>

#include "core/service.h"
#include "core/text.h"

namespace pp::engine {

namespace {

Subject base_subject(const Target& t) {
  Subject s;
  s.target = t.name;
  s.host = t.host;
  s.sni = t.sni;
  s.expected_names = t.expected_names;
  s.tags = t.tags;
  return s;
}

/// FNV-1a, stable across runs and machines. The basis is not FNV's own (a digit short), and it
/// stays: changing it would move targets between shards from one version to the next.
uint64_t stable_hash(const std::string& s) { return text::fnv1a(s, 1469598103934665603ull); }

}  // namespace

Plan make_plan(const std::vector<Target>& targets, const std::set<std::string>& families) {
  Plan plan;
  plan.families = families;
  for (const Target& t : targets) {
    std::vector<const ServiceEndpoint*> https, http;
    for (const ServiceEndpoint& svc : t.services) {
      const ServiceInfo* info = find_service(svc.scheme);
      if (!info) continue;
      Subject e = base_subject(t);
      e.kind = SubjectKind::Endpoint;
      e.scheme = svc.scheme;
      e.port = svc.port;
      plan.endpoints.push_back(e);
      if (svc.implied) plan.implied.insert(e.id());
      if (info->protocol == Protocol::Http) (info->tls == TlsMode::Implicit ? https : http).push_back(&svc);
    }
    // Each https port is paired with the first plain http port (and vice versa): a vdir
    // subject holds what a client meets on both schemes.
    std::vector<std::pair<uint16_t, uint16_t>> pairs;  // (tls port, plain port)
    for (size_t i = 0; i < https.size(); ++i) pairs.push_back({https[i]->port, i < http.size() ? http[i]->port : 0});
    for (size_t i = https.size(); i < http.size(); ++i) pairs.push_back({0, http[i]->port});
    const std::vector<std::string>& paths = t.vdirs.empty() ? default_exchange_vdirs() : t.vdirs;
    for (const auto& [tls_port, plain_port] : pairs) {
      for (const std::string& path : paths) {
        Subject v = base_subject(t);
        v.kind = SubjectKind::Vdir;
        v.port = tls_port;
        v.plain_port = plain_port;
        v.path = path;
        plan.vdirs.push_back(v);
      }
    }
  }
  return plan;
}

std::vector<Target> select_shard(const std::vector<Target>& targets, int k, int n) {
  if (n <= 1) return targets;
  std::vector<Target> out;
  for (const Target& t : targets)
    if (static_cast<int>(stable_hash(t.name) % static_cast<uint64_t>(n)) + 1 == k) out.push_back(t);
  return out;
}

}  // namespace pp::engine
