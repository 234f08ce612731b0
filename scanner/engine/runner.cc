#include "engine/runner.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/service.h"
#include "engine/families.h"
#include "probes/http/http_probe.h"
#include "probes/mail/mail_probe.h"
#include "probes/net/host_limiter.h"

namespace pp::engine {

namespace {

/// Runs `jobs` on `workers` threads; jobs are ordered round-robin across hosts by the caller.
void run_parallel(size_t count, int workers, const std::function<void(size_t)>& job) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  int n = static_cast<int>(std::min<size_t>(count, static_cast<size_t>(std::max(1, workers))));
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&] {
      for (size_t j; (j = next.fetch_add(1)) < count;) job(j);
    });
  for (auto& t : threads) t.join();
}

/// Interleaves indices of `subjects` host by host, so workers spread over hosts instead of
/// queueing on one host's limiter.
std::vector<size_t> round_robin_by_host(const std::vector<Subject>& subjects) {
  std::map<std::string, std::vector<size_t>> by_host;
  std::vector<std::string> order;
  for (size_t i = 0; i < subjects.size(); ++i) {
    auto& list = by_host[subjects[i].host];
    if (list.empty()) order.push_back(subjects[i].host);
    list.push_back(i);
  }
  std::vector<size_t> out;
  for (size_t round = 0; out.size() < subjects.size(); ++round)
    for (const auto& h : order)
      if (round < by_host[h].size()) out.push_back(by_host[h][round]);
  return out;
}

/// After the first attempt fails, every later one fails at once with the same error: a
/// pre-TLS dialogue that could not complete once (no banner, STARTTLS refused) will not on
/// the next connection either, and each retry would wait out its timeout.
net::Connector latch_first_failure(net::Connector inner) {
  struct State {
    std::mutex mu;
    bool tried = false;
    net::NetError failed;
  };
  auto state = std::make_shared<State>();
  return [inner = std::move(inner), state](net::NetError& err) -> std::unique_ptr<net::Transport> {
    {
      std::lock_guard lock(state->mu);
      if (state->failed) {
        err = state->failed;
        return nullptr;
      }
    }
    auto t = inner(err);
    std::lock_guard lock(state->mu);
    if (!state->tried && !t) state->failed = err;
    state->tried = true;
    return t;
  };
}

/// Gives every unknown fact the one reason that explains all of them.
void explain_unknown(FactSet& facts, const std::string& reason) {
  std::vector<Fact> changed;
  for (const auto& [name, f] : facts.all())
    if (f.state == FactState::Unknown && f.reason != reason) changed.push_back(Fact::unknown(name, reason));
  for (auto& f : changed) facts.put(std::move(f));
}

std::string endpoint_label(const std::string& scheme, const Subject& s, uint16_t port) {
  Subject e = s;
  e.kind = SubjectKind::Endpoint;
  e.scheme = scheme;
  e.port = port;
  e.path.clear();
  e.plain_port = 0;
  return e.id();
}

/// The vdir's http facts on the side (tls or plain) whose named endpoint could not be reached
/// are unknown with that endpoint's reason (the HTTP probe reads a refused port as "nothing
/// listens", which is an observation only on a port nobody named), so one cause reads the same
/// everywhere.
void explain_vdir(FactSet& facts, const std::string& prefix, const std::string& reason) {
  std::vector<Fact> changed;
  for (const auto& [name, f] : facts.all())
    if (f.state != FactState::Known && name.rfind(prefix, 0) == 0 && f.reason != reason)
      changed.push_back(Fact::unknown(name, reason));
  for (auto& f : changed) facts.put(std::move(f));
}

/// Names the URL each http fact of a vdir came from in its evidence, unless it already does: a
/// vdir subject is named after its TLS port, and its plain-HTTP facts come from another one.
void cite_origin(FactSet& facts, const std::string& prefix, const std::string& url) {
  std::vector<Fact> changed;
  for (const auto& [name, f] : facts.all()) {
    if (f.state != FactState::Known || name.rfind(prefix, 0) != 0 || f.evidence.find(url) != std::string::npos)
      continue;
    Fact c = f;
    c.evidence = url + (f.evidence.empty() ? "" : ": " + f.evidence);
    changed.push_back(std::move(c));
  }
  for (auto& f : changed) facts.put(std::move(f));
}

std::string vdir_url(const char* scheme, const Subject& v, uint16_t port) {
  std::string host = v.display_host();
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(scheme) + "://" + host + ":" + std::to_string(port) + v.path;
}

}  // namespace

ConnectorFactory tcp_connector_factory() {
  return [](const std::string& host, uint16_t port, net::Millis timeout) -> net::Connector {
    return [host, port, timeout](net::NetError& err) -> std::unique_ptr<net::Transport> {
      return net::TcpTransport::connect(host, port, timeout, err);
    };
  };
}

HttpBatch curl_http_batch() {
  return [](const std::vector<Subject>& vdirs, const RunOptions& opt) {
    http::HttpOptions hopt;
    hopt.connect_timeout_ms = opt.timeout_ms;
    hopt.total_timeout_ms = opt.timeout_ms * 3;
    hopt.concurrency = opt.concurrency;
    hopt.per_host = opt.per_host;
    return http::probe_http(vdirs, hopt);
  };
}

std::vector<SubjectFacts> run_plan(const Plan& plan, const RunOptions& opt, const ProgressFn& progress,
                                   const Network& network) {
  const net::Millis timeout(opt.timeout_ms);
  net::HostLimiter limiter(opt.per_host, opt.concurrency);
  const bool want_http = plan.families.count("http") > 0;
  const bool want_cert = plan.families.count("cert") > 0;

  std::vector<FactSet> endpoint_facts(plan.endpoints.size());
  std::vector<std::vector<SubjectFacts>> cert_facts(plan.endpoints.size());
  std::vector<std::string> unreachable(plan.endpoints.size());
  std::atomic<size_t> done{0};
  const size_t total = plan.endpoints.size() + (want_http && !plan.vdirs.empty() ? 1 : 0);
  std::mutex progress_mu;
  const auto order = round_robin_by_host(plan.endpoints);
  // Endpoints the vdir batch connects to: it tells whether they answer.
  std::set<std::string> batch_visits;
  if (want_http)
    for (const Subject& v : plan.vdirs) {
      if (v.port) batch_visits.insert(endpoint_label("https", v, v.port));
      if (v.plain_port) batch_visits.insert(endpoint_label("http", v, v.plain_port));
    }

  run_parallel(order.size(), opt.concurrency, [&](size_t j) {
    const size_t i = order[j];
    const Subject& s = plan.endpoints[i];
    const ServiceInfo* info = find_service(s.scheme);
    FactSet& facts = endpoint_facts[i];
    auto families = endpoint_families(plan.families, *info);
    // Every named port must answer. When no family needs a connection and the vdir batch will
    // not visit it either, one TCP connection checks that it does.
    const bool check_reach = !plan.implied.count(s.id()) && !batch_visits.count(s.id());
    if (!families.empty() || check_reach) {
      // One slot per endpoint job: its probes open connections one after another.
      net::HostLimiter::Slot slot(limiter, s.host);
      EndpointGuard guard(network.connect(s.host, s.port, timeout), opt.budget);
      EndpointJob job{s, *info, opt, guard.connector(), {}, facts, cert_facts[i], {}, 0};
      job.tls_ready = job.tcp;
      if (info->tls == TlsMode::StartTls) {
        mail::MailProbeOptions mopt;
        mopt.timeout = timeout;
        job.tls_ready = latch_first_failure(mail::starttls_connector(job.tcp, info->protocol, mopt));
      }
      if (info->tls == TlsMode::None) job.no_tls_reason = "plaintext service: no TLS on " + s.scheme;
      for (const Family* f : families) f->run(job);
      if (guard.connections() == 0 && check_reach) {
        net::NetError err;
        if (auto t = job.tcp(err)) t->close();
      }
      const bool ran_tls = std::any_of(families.begin(), families.end(), [](const Family* f) { return f->name == "tls"; });
      if (ran_tls && job.no_tls_reason.empty() && !guard.unreachable())
        facts.put(Fact::known("tls.connections", static_cast<int64_t>(job.tls_connections),
                              std::to_string(job.tls_connections) + " TCP connections (TLS and certificate probes)"));
      if (net::NetError err = guard.unreachable(); err && !plan.implied.count(s.id()))
        unreachable[i] = s.id() + ": " + err.message;
      if (!unreachable[i].empty()) {
        explain_unknown(facts, unreachable[i]);
        for (auto& c : cert_facts[i]) explain_unknown(c.facts, unreachable[i]);
      }
    }
    if (!want_cert) cert_facts[i].clear();
    size_t d = ++done;
    if (progress) {
      std::vector<SubjectFacts> finished = {{s, facts}};
      for (const auto& c : cert_facts[i]) finished.push_back(c);
      std::lock_guard lock(progress_mu);
      progress(d, total, s.id(), finished);
    }
  });

  std::vector<FactSet> vdir_facts;
  if (want_http && !plan.vdirs.empty()) {
    vdir_facts = network.http(plan.vdirs, opt);
    vdir_facts.resize(plan.vdirs.size());
    // A named port the batch found closed is as unreachable as one a probe found closed.
    std::map<std::string, std::string> refused;  // endpoint id -> the HTTP probe's reason
    std::set<std::string> answered;
    for (size_t i = 0; i < plan.vdirs.size(); ++i) {
      const Subject& v = plan.vdirs[i];
      for (const auto& [scheme, port] : {std::pair<const char*, uint16_t>{"https", v.port}, {"http", v.plain_port}}) {
        if (!port) continue;
        const Fact* f = vdir_facts[i].find(std::string("http.") + (scheme[4] == 's' ? "tls" : "plain") + ".reachable");
        if (!f || f->state != FactState::Known || !std::holds_alternative<bool>(f->value)) continue;
        const std::string id = endpoint_label(scheme, v, port);
        if (std::get<bool>(f->value)) answered.insert(id);
        else refused.emplace(id, f->evidence.empty() ? "connection refused" : f->evidence);
      }
    }
    std::map<std::string, std::string> dead;  // endpoint id -> reason
    for (size_t i = 0; i < plan.endpoints.size(); ++i) {
      const std::string id = plan.endpoints[i].id();
      if (unreachable[i].empty() && !plan.implied.count(id) && !answered.count(id))
        if (auto it = refused.find(id); it != refused.end()) unreachable[i] = id + ": " + it->second;
      if (!unreachable[i].empty()) dead[id] = unreachable[i];
    }
    for (size_t i = 0; i < plan.vdirs.size(); ++i) {
      const Subject& v = plan.vdirs[i];
      if (v.port) cite_origin(vdir_facts[i], "http.tls.", vdir_url("https", v, v.port));
      if (v.plain_port) cite_origin(vdir_facts[i], "http.plain.", vdir_url("http", v, v.plain_port));
      if (v.port) {
        auto it = dead.find(endpoint_label("https", v, v.port));
        if (it != dead.end()) explain_vdir(vdir_facts[i], "http.tls.", it->second);
      }
      if (v.plain_port) {
        auto it = dead.find(endpoint_label("http", v, v.plain_port));
        if (it != dead.end()) explain_vdir(vdir_facts[i], "http.plain.", it->second);
      }
    }
    if (progress) {
      std::vector<SubjectFacts> finished;
      for (size_t i = 0; i < plan.vdirs.size(); ++i) finished.push_back({plan.vdirs[i], vdir_facts[i]});
      progress(++done, total, "virtual directories", finished);
    }
  }
  vdir_facts.resize(plan.vdirs.size());

  std::vector<SubjectFacts> out;
  for (size_t i = 0; i < plan.endpoints.size(); ++i) out.push_back({plan.endpoints[i], std::move(endpoint_facts[i])});
  for (auto& certs : cert_facts)
    for (auto& c : certs) out.push_back(std::move(c));
  if (want_http)
    for (size_t i = 0; i < plan.vdirs.size(); ++i) {
      FactSet& f = vdir_facts[i];
      mark_family_unknown(f, "http", SubjectKind::Vdir, "the HTTP probe did not report it");
      out.push_back({plan.vdirs[i], std::move(f)});
    }
  return out;
}

std::vector<Target> discover_services(const std::vector<Target>& targets, const RunOptions& opt,
                                      std::vector<Discovery>& found, const Network& network) {
  std::vector<Target> out = targets;
  net::HostLimiter limiter(opt.per_host, opt.concurrency);
  for (Target& t : out) {
    if (!t.discover) continue;
    Discovery d;
    d.target = t.name;
    std::vector<char> open(t.services.size(), 0);
    std::vector<net::NetError> errors(t.services.size());
    run_parallel(t.services.size(), opt.per_host, [&](size_t i) {
      net::HostLimiter::Slot slot(limiter, t.host);
      auto conn = network.connect(t.host, t.services[i].port, net::Millis(opt.timeout_ms))(errors[i]);
      open[i] = conn != nullptr;
    });
    std::vector<ServiceEndpoint> kept;
    for (size_t i = 0; i < t.services.size(); ++i) {
      d.tried.push_back(t.services[i].port);
      if (open[i]) {
        kept.push_back(t.services[i]);
        d.open.push_back(t.services[i].port);
      }
    }
    if (kept.empty()) {
      auto resolve = std::find_if(errors.begin(), errors.end(),
                                  [](const net::NetError& e) { return e.kind == net::NetErrorKind::Resolve; });
      if (resolve != errors.end()) {
        d.failure = resolve->message;
      } else {
        std::string ports;
        for (uint16_t p : d.tried) ports += (ports.empty() ? "" : ", ") + std::to_string(p);
        d.failure = "no port answered on " + t.host + " (tried " + ports + ")";
      }
    }
    t.services = kept;
    found.push_back(std::move(d));
  }
  return out;
}

}  // namespace pp::engine
