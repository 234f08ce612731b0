#include "cli/runner.h"

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "core/catalogue.h"
#include "core/service.h"
#include "probes/cert/cert_probe.h"
#include "probes/http/http_probe.h"
#include "probes/mail/mail_probe.h"
#include "probes/net/host_limiter.h"
#include "probes/tls/tls_probe.h"

namespace pp::cli {

namespace {

/// Marks every fact of `family` not yet set on `facts` as absent with `reason`.
void mark_family_absent(FactSet& facts, std::string_view family, SubjectKind kind, const std::string& reason) {
  for (const auto& spec : fact_catalogue()) {
    if (spec.probe != family || spec.subject != kind) continue;
    std::string name(spec.name);
    if (!facts.find(name)) facts.put(Fact::absent(name, reason));
  }
}

void mark_family_unknown(FactSet& facts, std::string_view family, SubjectKind kind, const std::string& reason) {
  for (const auto& spec : fact_catalogue()) {
    if (spec.probe != family || spec.subject != kind) continue;
    std::string name(spec.name);
    if (!facts.find(name)) facts.put(Fact::unknown(name, reason));
  }
}

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

std::string tls_name(const Subject& s) {
  // SNI is a host name, never an IP literal (RFC 6066).
  const std::string& n = s.display_host();
  bool ip = n.find(':') != std::string::npos ||
            n.find_first_not_of("0123456789.") == std::string::npos;
  return ip ? std::string() : n;
}

}  // namespace

std::vector<SubjectFacts> run_plan(const Plan& plan, const RunOptions& opt, const ProgressFn& progress) {
  const net::Millis timeout(opt.timeout_ms);
  net::HostLimiter limiter(opt.per_host, opt.concurrency);
  const bool want_tls = plan.families.count("tls") > 0;
  const bool want_cert = plan.families.count("cert") > 0;
  const bool want_mail = plan.families.count("mail") > 0;
  const bool want_http = plan.families.count("http") > 0;

  // Certificates are looked up by their endpoint's id.
  std::map<std::string, size_t> cert_index;
  for (size_t i = 0; i < plan.certificates.size(); ++i) {
    Subject e = plan.certificates[i];
    e.kind = SubjectKind::Endpoint;
    cert_index[e.id()] = i;
  }
  std::vector<FactSet> endpoint_facts(plan.endpoints.size());
  std::vector<FactSet> cert_facts(plan.certificates.size());
  std::atomic<size_t> done{0};
  const size_t total = plan.endpoints.size() + (want_http && !plan.vdirs.empty() ? 1 : 0);
  std::mutex progress_mu;
  const auto order = round_robin_by_host(plan.endpoints);

  if (want_tls || want_cert || want_mail) {
    run_parallel(order.size(), opt.concurrency, [&](size_t j) {
      const size_t i = order[j];
      const Subject& s = plan.endpoints[i];
      const ServiceInfo* info = find_service(s.scheme);
      FactSet& facts = endpoint_facts[i];
      auto cit = cert_index.find(s.id());
      FactSet* cert = cit == cert_index.end() ? nullptr : &cert_facts[cit->second];
      {
        // One slot per endpoint job: its probes open connections one after another.
        net::HostLimiter::Slot slot(limiter, s.host);
        net::Connector tcp = [host = s.host, port = s.port, timeout](net::NetError& err)
            -> std::unique_ptr<net::Transport> { return net::TcpTransport::connect(host, port, timeout, err); };
        mail::MailProbeOptions mopt;
        mopt.timeout = timeout;
        int mail_connections = 0, tls_connections = 0;
        std::string no_tls_reason;
        if (info->protocol != Protocol::Http && want_mail) {
          facts.merge(mail::probe_mail(tcp, info->protocol, info->tls, mopt, mail_connections));
          const Fact* offered = facts.find("mail.starttls.offered");
          if (info->tls == TlsMode::StartTls && offered && offered->state == FactState::Known &&
              std::holds_alternative<bool>(offered->value) && !std::get<bool>(offered->value))
            no_tls_reason = "STARTTLS is not offered on this port";
        }
        if (info->protocol == Protocol::Http || !want_mail)
          mark_family_absent(facts, "mail", SubjectKind::Endpoint,
                             "not a mail or directory service (" + s.scheme + ")");
        if (info->tls == TlsMode::None) no_tls_reason = "plaintext service: no TLS on " + s.scheme;

        net::Connector connector = tcp;
        if (info->tls == TlsMode::StartTls) connector = mail::starttls_connector(tcp, info->protocol, mopt);
        if (want_tls) {
          if (!no_tls_reason.empty()) {
            mark_family_absent(facts, "tls", SubjectKind::Endpoint, no_tls_reason);
          } else {
            tls::TlsProbeOptions topt;
            topt.timeout = timeout;
            topt.enumerate_groups = opt.enumerate_groups;
            topt.test_server_order = opt.test_server_order;
            topt.test_alpn = opt.test_alpn;
            topt.sni = tls_name(s);
            facts.merge(tls::probe_tls(connector, topt, tls_connections));
          }
        }
        if (cert && want_cert) {
          if (!no_tls_reason.empty()) {
            mark_family_absent(*cert, "cert", SubjectKind::Certificate, no_tls_reason);
          } else {
            cert::CertProbeOptions copt;
            copt.timeout = timeout;
            copt.sni = tls_name(s);
            copt.ca_file = opt.ca_file;
            copt.expected_names = s.expected_names;
            if (copt.expected_names.empty()) copt.expected_names.push_back(s.display_host());
            cert->merge(cert::probe_certificate(connector, copt, tls_connections));
          }
        }
        if (want_tls && no_tls_reason.empty())
          facts.put(Fact::known("tls.connections", static_cast<int64_t>(tls_connections),
                                std::to_string(tls_connections) + " TCP connections (TLS and certificate probes)"));
        // Anything a probe forgot stays unknown: a missing fact is never a pass.
        if (want_tls) mark_family_unknown(facts, "tls", SubjectKind::Endpoint, "the TLS probe did not report it");
        if (want_mail) mark_family_unknown(facts, "mail", SubjectKind::Endpoint, "the mail probe did not report it");
        if (cert && want_cert)
          mark_family_unknown(*cert, "cert", SubjectKind::Certificate, "the certificate probe did not report it");
      }
      size_t d = ++done;
      if (progress) {
        std::vector<SubjectFacts> finished = {{s, facts}};
        if (cert) finished.push_back({plan.certificates[cit->second], *cert});
        std::lock_guard lock(progress_mu);
        progress(d, total, s.id(), finished);
      }
    });
  }

  std::vector<FactSet> vdir_facts;
  if (want_http && !plan.vdirs.empty()) {
    http::HttpOptions hopt;
    hopt.connect_timeout_ms = opt.timeout_ms;
    hopt.total_timeout_ms = opt.timeout_ms * 3;
    hopt.concurrency = opt.concurrency;
    hopt.per_host = opt.per_host;
    vdir_facts = http::probe_http(plan.vdirs, hopt);
    if (progress) {
      std::vector<SubjectFacts> finished;
      for (size_t i = 0; i < plan.vdirs.size() && i < vdir_facts.size(); ++i)
        finished.push_back({plan.vdirs[i], vdir_facts[i]});
      progress(++done, total, "virtual directories", finished);
    }
  }
  vdir_facts.resize(plan.vdirs.size());

  std::vector<SubjectFacts> out;
  for (size_t i = 0; i < plan.endpoints.size(); ++i) out.push_back({plan.endpoints[i], std::move(endpoint_facts[i])});
  if (want_cert)
    for (size_t i = 0; i < plan.certificates.size(); ++i)
      out.push_back({plan.certificates[i], std::move(cert_facts[i])});
  if (want_http)
    for (size_t i = 0; i < plan.vdirs.size(); ++i) {
      FactSet& f = vdir_facts[i];
      mark_family_unknown(f, "http", SubjectKind::Vdir, "the HTTP probe did not report it");
      out.push_back({plan.vdirs[i], std::move(f)});
    }
  return out;
}

std::vector<Target> discover_services(const std::vector<Target>& targets, const RunOptions& opt) {
  std::vector<Target> out = targets;
  net::HostLimiter limiter(opt.per_host, opt.concurrency);
  for (Target& t : out) {
    if (!t.discover) continue;
    std::vector<char> open(t.services.size(), 0);
    run_parallel(t.services.size(), opt.per_host, [&](size_t i) {
      net::HostLimiter::Slot slot(limiter, t.host);
      net::NetError err;
      auto conn = net::TcpTransport::connect(t.host, t.services[i].port, net::Millis(opt.timeout_ms), err);
      open[i] = conn != nullptr;
    });
    std::vector<ServiceEndpoint> kept;
    for (size_t i = 0; i < t.services.size(); ++i)
      if (open[i]) kept.push_back(t.services[i]);
    t.services = kept;
  }
  return out;
}

}  // namespace pp::cli
