#include "engine/runner.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "core/service.h"
#include "engine/families.h"
#include "probes/connect/starttls_connector.h"
#include "probes/http/http_probe.h"
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
  for (const Fact& f : facts.all())
    if (f.state == FactState::Unknown && f.reason != reason) changed.push_back(Fact::unknown(f.name, reason));
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
  for (const Fact& f : facts.all())
    if (f.state != FactState::Known && f.name.rfind(prefix, 0) == 0 && f.reason != reason)
      changed.push_back(Fact::unknown(f.name, reason));
  for (auto& f : changed) facts.put(std::move(f));
}

/// Names the URL each http fact of a vdir came from in its evidence, unless it already does: a
/// vdir subject is named after its TLS port, and its plain-HTTP facts come from another one.
void cite_origin(FactSet& facts, const std::string& prefix, const std::string& url) {
  std::vector<Fact> changed;
  for (const Fact& f : facts.all()) {
    if (f.state != FactState::Known || f.name.rfind(prefix, 0) != 0 || f.evidence.find(url) != std::string::npos)
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
    hopt.on_request = opt.on_vdir_request;
    hopt.exchange_table = opt.exchange_table;
    return http::probe_http(vdirs, hopt);
  };
}

namespace {

/// One run of a plan: the per-endpoint phase on worker threads, then the vdir batch, then the
/// subjects in report order. Each phase is a method; the state they share lives here.
class PlanRun {
 public:
  PlanRun(const Plan& plan, const RunOptions& opt, const ProgressFn& progress, const Network& network)
      : plan_(plan), opt_(opt), progress_(progress), network_(network), limiter_(opt.per_host, opt.concurrency),
        want_http_(plan.families.count("http") > 0), want_cert_(plan.families.count("cert") > 0),
        endpoint_facts_(plan.endpoints.size()), cert_facts_(plan.endpoints.size()),
        unreachable_(plan.endpoints.size()), walk_counted_(want_http_ ? plan.vdirs.size() * 2 : 0, 0) {
    // Endpoints the vdir batch connects to: it tells whether they answer.
    if (want_http_)
      for (const Subject& v : plan.vdirs) {
        if (v.port) batch_visits_.insert(endpoint_label("https", v, v.port));
        if (v.plain_port) batch_visits_.insert(endpoint_label("http", v, v.plain_port));
        requests_total_ += ((v.port ? 1 : 0) + (v.plain_port ? 1 : 0)) * ProgressEvent::kRequestsPerWalk;
      }
  }

  std::vector<SubjectFacts> run() {
    const auto order = round_robin_by_host(plan_.endpoints);
    run_parallel(order.size(), opt_.concurrency, [&](size_t j) { endpoint(order[j]); });
    std::vector<FactSet> vdir_facts;
    if (want_http_ && !plan_.vdirs.empty()) vdir_facts = vdirs();
    vdir_facts.resize(plan_.vdirs.size());
    return collect(vdir_facts);
  }

 private:
  /// Every family the endpoint needs, under one per-host slot and the endpoint's budget.
  void endpoint(size_t i) {
    const Subject& s = plan_.endpoints[i];
    const ServiceInfo* info = find_service(s.scheme);
    FactSet& facts = endpoint_facts_[i];
    auto families = endpoint_families(plan_.families, *info);
    // Every named port must answer. When no family needs a connection and the vdir batch will
    // not visit it either, one TCP connection checks that it does.
    const bool check_reach = !plan_.implied.count(s.id()) && !batch_visits_.count(s.id());
    if (!families.empty() || check_reach) {
      // One slot per endpoint job: its probes open connections one after another.
      net::HostLimiter::Slot slot(limiter_, s.host);
      EndpointGuard guard(network_.connect(s.host, s.port, net::Millis(opt_.timeout_ms)), opt_.budget);
      EndpointJob job{s, *info, opt_, guard.connector(), {}, facts, cert_facts_[i], {}, 0};
      job.tls_ready = tls_ready(job.tcp, *info);
      if (info->tls == TlsMode::None) job.no_tls_reason = "plaintext service: no TLS on " + s.scheme;
      for (const Family* f : families) f->run(job);
      if (guard.connections() == 0 && check_reach) {
        net::NetError err;
        if (auto t = job.tcp(err)) t->close();
      }
      finish_endpoint(i, job, guard, families);
    }
    if (!want_cert_) cert_facts_[i].clear();
    report(s, facts, cert_facts_[i]);
  }

  net::Connector tls_ready(const net::Connector& tcp, const ServiceInfo& info) const {
    if (info.tls != TlsMode::StartTls) return tcp;
    connect::StarttlsOptions sopt;
    sopt.timeout = net::Millis(opt_.timeout_ms);
    return latch_first_failure(connect::starttls_connector(tcp, info.protocol, sopt));
  }

  /// tls.connections.by_step lists the TLS probe's steps; the certificate probe's connections
  /// (the endpoint's total less the TLS probe's own count) make it add up to the total.
  static void add_certificate_step(FactSet& facts, int total) {
    const Fact* own = facts.find("tls.connections");
    const Fact* steps = facts.find("tls.connections.by_step");
    if (!own || !steps || own->state != FactState::Known || steps->state != FactState::Known) return;
    StringList list = std::get<StringList>(steps->value);
    list.push_back("certificate " + std::to_string(total - static_cast<int>(std::get<int64_t>(own->value))));
    facts.put(Fact::known("tls.connections.by_step", std::move(list)));
  }

  /// The connection count, and one reason for everything unobserved when the port never answered.
  void finish_endpoint(size_t i, const EndpointJob& job, const EndpointGuard& guard,
                       const std::vector<const Family*>& families) {
    const Subject& s = plan_.endpoints[i];
    FactSet& facts = endpoint_facts_[i];
    const bool ran_tls =
        std::any_of(families.begin(), families.end(), [](const Family* f) { return f->name == "tls"; });
    if (ran_tls && job.no_tls_reason.empty() && !guard.unreachable()) {
      add_certificate_step(facts, job.tls_connections);
      facts.put(Fact::known("tls.connections", static_cast<int64_t>(job.tls_connections),
                            std::to_string(job.tls_connections) + " TCP connections (TLS and certificate probes)"));
    }
    if (net::NetError err = guard.unreachable(); err && !plan_.implied.count(s.id()))
      unreachable_[i] = s.id() + ": " + err.message;
    if (unreachable_[i].empty()) return;
    explain_unknown(facts, unreachable_[i]);
    for (auto& c : cert_facts_[i]) explain_unknown(c.facts, unreachable_[i]);
  }

  void report(const Subject& s, const FactSet& facts, const std::vector<SubjectFacts>& certs) {
    if (!progress_) return;
    std::vector<SubjectFacts> finished = {{s, facts}};
    for (const auto& c : certs) finished.push_back(c);
    std::lock_guard lock(progress_mu_);
    ProgressEvent e = event(ProgressEvent::Kind::Endpoint, s.target, s.id());
    e.endpoints_done = ++endpoints_done_;
    e.finished = &finished;
    progress_(e);
  }

  ProgressEvent event(ProgressEvent::Kind kind, const std::string& target, const std::string& subject) const {
    ProgressEvent e;
    e.kind = kind;
    e.endpoints_done = endpoints_done_;
    e.endpoints_total = plan_.endpoints.size();
    e.requests_done = requests_done_;
    e.requests_total = requests_total_;
    e.target = target;
    e.subject = subject;
    return e;
  }

  /// One vdir request finished: one more of its walk's kRequestsPerWalk (the last one short of
  /// the walk's end is held back), or all the walk has left when the walk is complete.
  void vdir_request(size_t vdir, bool tls, bool walk_done) {
    if (vdir >= plan_.vdirs.size()) return;
    std::lock_guard lock(progress_mu_);
    size_t& counted = walk_counted_[vdir * 2 + (tls ? 1 : 0)];
    const size_t now = walk_done ? ProgressEvent::kRequestsPerWalk : std::min(counted + 1, ProgressEvent::kRequestsPerWalk - 1);
    if (now <= counted) return;
    requests_done_ += now - counted;
    counted = now;
    const Subject& v = plan_.vdirs[vdir];
    progress_(event(ProgressEvent::Kind::VdirRequest, v.target,
                    vdir_url(tls ? "https" : "http", v, tls ? v.port : v.plain_port)));
  }

  /// Every vdir in one batch; then named ports the batch found closed join the unreachable
  /// ones, and each vdir fact names the URL it came from.
  std::vector<FactSet> vdirs() {
    RunOptions opt = opt_;
    if (progress_) opt.on_vdir_request = [this](size_t vdir, bool tls, bool done) { vdir_request(vdir, tls, done); };
    std::vector<FactSet> vdir_facts = network_.http(plan_.vdirs, opt);
    vdir_facts.resize(plan_.vdirs.size());
    const std::map<std::string, std::string> dead = dead_endpoints(vdir_facts);
    for (size_t i = 0; i < plan_.vdirs.size(); ++i) {
      const Subject& v = plan_.vdirs[i];
      std::string all_dead;  // the first reason, while every port of the vdir is dead
      bool some_alive = false;
      for (const auto& [scheme, prefix, port] : {std::tuple<const char*, const char*, uint16_t>{"https", "http.tls.", v.port},
                                                  {"http", "http.plain.", v.plain_port}}) {
        if (!port) continue;
        cite_origin(vdir_facts[i], prefix, vdir_url(scheme, v, port));
        auto it = dead.find(endpoint_label(scheme, v, port));
        if (it == dead.end()) {
          some_alive = true;
          continue;
        }
        explain_vdir(vdir_facts[i], prefix, it->second);
        // exchange.* describe the web endpoint: the side it is named after explains them too.
        if (port == (v.port ? v.port : v.plain_port)) explain_vdir(vdir_facts[i], "exchange.", it->second);
        if (all_dead.empty()) all_dead = it->second;
      }
      // ntlm.* is read from whichever scheme offers NTLM: a dead endpoint explains it only when
      // the vdir has no live port at all.
      if (!some_alive && !all_dead.empty()) explain_vdir(vdir_facts[i], "ntlm.", all_dead);
    }
    if (progress_) {
      std::vector<SubjectFacts> finished;
      for (size_t i = 0; i < plan_.vdirs.size(); ++i) finished.push_back({plan_.vdirs[i], vdir_facts[i]});
      std::lock_guard lock(progress_mu_);
      requests_done_ = requests_total_;  // whatever the batch did not report (a scripted batch)
      ProgressEvent e = event(ProgressEvent::Kind::VdirBatch, "", "virtual directories");
      e.finished = &finished;
      progress_(e);
    }
    return vdir_facts;
  }

  /// Endpoint id -> reason for every named endpoint that could not be reached: by a probe, or
  /// (a port only the batch visits) by every vdir request to it.
  std::map<std::string, std::string> dead_endpoints(const std::vector<FactSet>& vdir_facts) {
    std::map<std::string, std::string> refused;  // endpoint id -> the HTTP probe's reason
    std::set<std::string> answered;
    for (size_t i = 0; i < plan_.vdirs.size(); ++i) {
      const Subject& v = plan_.vdirs[i];
      for (const auto& [scheme, fact, port] : {std::tuple<const char*, const char*, uint16_t>{"https", "http.tls.reachable", v.port},
                                                {"http", "http.plain.reachable", v.plain_port}}) {
        const Fact* f = port ? vdir_facts[i].find(fact) : nullptr;
        if (!f || f->state != FactState::Known || !std::holds_alternative<bool>(f->value)) continue;
        const std::string id = endpoint_label(scheme, v, port);
        if (std::get<bool>(f->value)) answered.insert(id);
        else refused.emplace(id, f->evidence.empty() ? "connection refused" : f->evidence);
      }
    }
    std::map<std::string, std::string> dead;
    for (size_t i = 0; i < plan_.endpoints.size(); ++i) {
      const std::string id = plan_.endpoints[i].id();
      if (unreachable_[i].empty() && !plan_.implied.count(id) && !answered.count(id))
        if (auto it = refused.find(id); it != refused.end()) unreachable_[i] = id + ": " + it->second;
      if (!unreachable_[i].empty()) dead[id] = unreachable_[i];
    }
    return dead;
  }

  std::vector<SubjectFacts> collect(std::vector<FactSet>& vdir_facts) {
    std::vector<SubjectFacts> out;
    for (size_t i = 0; i < plan_.endpoints.size(); ++i) out.push_back({plan_.endpoints[i], std::move(endpoint_facts_[i])});
    for (auto& certs : cert_facts_)
      for (auto& c : certs) out.push_back(std::move(c));
    if (!want_http_) return out;
    for (size_t i = 0; i < plan_.vdirs.size(); ++i) {
      mark_family_unknown(vdir_facts[i], "http", SubjectKind::Vdir, "the HTTP probe did not report it");
      out.push_back({plan_.vdirs[i], std::move(vdir_facts[i])});
    }
    return out;
  }

  const Plan& plan_;
  const RunOptions& opt_;
  const ProgressFn& progress_;
  const Network& network_;
  net::HostLimiter limiter_;
  const bool want_http_, want_cert_;
  std::vector<FactSet> endpoint_facts_;
  std::vector<std::vector<SubjectFacts>> cert_facts_;
  std::vector<std::string> unreachable_;  ///< per endpoint: why it could not be reached, or ""
  std::set<std::string> batch_visits_;
  std::mutex progress_mu_;  ///< guards the counters below and serialises progress_ calls
  size_t endpoints_done_ = 0;
  size_t requests_done_ = 0, requests_total_ = 0;
  std::vector<size_t> walk_counted_;  ///< per (vdir, scheme): requests counted so far
};

}  // namespace

std::vector<SubjectFacts> run_plan(const Plan& plan, const RunOptions& opt, const ProgressFn& progress,
                                   const Network& network) {
  return PlanRun(plan, opt, progress, network).run();
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
