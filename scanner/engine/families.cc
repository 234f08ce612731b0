#include "engine/families.h"

#include "core/ip_literal.h"
#include "engine/catalogue.h"
#include "engine/runner.h"
#include "probes/cert/cert_probe.h"
#include "probes/cert/fact_list.h"
#include "probes/http/fact_list.h"
#include "probes/mail/fact_list.h"
#include "probes/mail/mail_probe.h"
#include "probes/tls/fact_list.h"
#include "probes/tls/tls_probe.h"
#include "sources/fact_list.h"

namespace pp::engine {

namespace {

std::string tls_name(const Subject& s) {
  // SNI is a host name, never an IP literal (RFC 6066).
  const std::string& n = s.display_host();
  return is_ip_literal(n) ? std::string() : n;
}

bool is_starttls(const ServiceInfo& s) { return s.tls == TlsMode::StartTls; }
bool never(const ServiceInfo&) { return false; }

void run_mail(EndpointJob& job) {
  if (job.service.protocol == Protocol::Http) {
    mark_family_absent(job.facts, "mail", SubjectKind::Endpoint,
                       "not a mail or directory service (" + job.endpoint.scheme + ")");
    return;
  }
  mail::MailProbeOptions mopt;
  mopt.timeout = net::Millis(job.options.timeout_ms);
  int connections = 0;
  job.facts.merge(mail::probe_mail(job.tcp, job.service.protocol, job.service.tls, mopt, connections));
  const Fact* offered = job.facts.find("mail.starttls.offered");
  if (is_starttls(job.service) && offered && offered->state == FactState::Known &&
      std::holds_alternative<bool>(offered->value) && !std::get<bool>(offered->value))
    job.no_tls_reason = "STARTTLS is not offered on this port";
  mark_family_unknown(job.facts, "mail", SubjectKind::Endpoint, "the mail probe did not report it");
}

void run_tls(EndpointJob& job) {
  if (!job.no_tls_reason.empty()) {
    mark_family_absent(job.facts, "tls", SubjectKind::Endpoint, job.no_tls_reason);
    return;
  }
  tls::TlsProbeOptions topt;
  topt.timeout = net::Millis(job.options.timeout_ms);
  topt.enumerate_groups = job.options.enumerate_groups;
  topt.test_server_order = job.options.test_server_order;
  topt.test_alpn = job.options.test_alpn;
  topt.sni = tls_name(job.endpoint);
  job.facts.merge(tls::probe_tls(job.tls_ready, topt, job.tls_connections));
  mark_family_unknown(job.facts, "tls", SubjectKind::Endpoint, "the TLS probe did not report it");
}

void run_cert(EndpointJob& job) {
  if (job.service.tls == TlsMode::None) return;  // no certificate subject on a plaintext port
  Subject subject = job.endpoint;
  subject.kind = SubjectKind::Certificate;
  FactSet facts;
  if (!job.no_tls_reason.empty()) {
    mark_family_absent(facts, "cert", SubjectKind::Certificate, job.no_tls_reason);
    job.certificates.push_back({subject, std::move(facts)});
    return;
  }
  cert::CertProbeOptions copt;
  copt.timeout = net::Millis(job.options.timeout_ms);
  copt.sni = tls_name(job.endpoint);
  copt.ca_file = job.options.ca_file;
  copt.expected_names = job.endpoint.expected_names;
  if (copt.expected_names.empty()) copt.expected_names.push_back(job.endpoint.display_host());
  // One subject per certificate the endpoint serves: the first is what a default client gets,
  // a further one (another key type) is named by its key type.
  auto observations = cert::probe_certificates(job.tls_ready, copt, job.tls_connections);
  for (size_t i = 0; i < observations.size(); ++i) {
    Subject s = subject;
    if (i > 0) s.variant = observations[i].key_type.empty() ? "alt" + std::to_string(i) : observations[i].key_type;
    mark_family_unknown(observations[i].facts, "cert", SubjectKind::Certificate,
                        "the certificate probe did not report it");
    job.certificates.push_back({std::move(s), std::move(observations[i].facts)});
  }
  if (observations.empty()) {
    mark_family_unknown(facts, "cert", SubjectKind::Certificate, "the certificate probe did not report it");
    job.certificates.push_back({subject, std::move(facts)});
  }
}

void mark_family(FactSet& facts, std::string_view family, SubjectKind kind, const std::string& reason,
                 bool absent) {
  for (const auto& spec : fact_catalogue()) {
    if (spec.probe != family || spec.subject != kind) continue;
    std::string name(spec.name);
    if (!facts.find(name)) facts.put(absent ? Fact::absent(name, reason) : Fact::unknown(name, reason));
  }
}

}  // namespace

const std::vector<Family>& family_table() {
  static const std::vector<Family> table = {
      // The plaintext dialogue of mail and directory ports. On a STARTTLS port it also decides
      // whether TLS can be reached at all, which the TLS and certificate families need.
      {"mail", SubjectKind::Endpoint, {}, never, run_mail, mail::fact_list},
      // The enumeration's facts and every check's of probes/tls/checks/table.cc.
      {"tls", SubjectKind::Endpoint, {"mail"}, is_starttls, run_tls, tls::fact_list},
      {"cert", SubjectKind::Certificate, {"mail"}, is_starttls, run_cert, cert::fact_list},
      // Every vdir on one libcurl multi handle, after the per-endpoint families.
      {"http", SubjectKind::Vdir, {}, never, nullptr, http::fact_list},
      // Not a probe: IIS configuration files read for configuration targets (engine/config_run).
      {"iis", SubjectKind::Vdir, {}, never, nullptr, sources::fact_list},
      // Not a probe: SCHANNEL registry exports read for configuration targets (engine/config_run).
      {"schannel", SubjectKind::Endpoint, {}, never, nullptr, sources::schannel_fact_list},
      // Not a probe: an Exchange virtual-directory settings export (engine/config_run).
      {"exchange", SubjectKind::Vdir, {}, never, nullptr, sources::exchange_fact_list},
      // Not a probe: a Windows IPsec connection security rule export (engine/config_run).
      {"ipsec", SubjectKind::Endpoint, {}, never, nullptr, sources::ipsec_fact_list},
  };
  return table;
}

const Family* find_family(std::string_view name) {
  for (const auto& f : family_table())
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<const Family*> endpoint_families(const std::set<std::string>& wanted, const ServiceInfo& service) {
  std::set<std::string_view> run;
  // Walk the table backwards: a family's needs sit before it, so one pass closes the set.
  const auto& table = family_table();
  for (auto it = table.rbegin(); it != table.rend(); ++it) {
    if (!wanted.count(std::string(it->name)) && !run.count(it->name)) continue;
    run.insert(it->name);
    if (it->needs_applies(service))
      for (auto need : it->needs) run.insert(need);
  }
  std::vector<const Family*> out;
  for (const auto& f : table)
    if (f.run && run.count(f.name)) out.push_back(&f);
  return out;
}

std::set<std::string> families_for(const std::set<std::string>& facts) {
  std::set<std::string> out;
  for (const auto& f : facts)
    if (const FactSpec* spec = fact_catalogue().find(f)) out.insert(std::string(spec->probe));
  return out;
}

void mark_family_absent(FactSet& facts, std::string_view family, SubjectKind kind, const std::string& reason) {
  mark_family(facts, family, kind, reason, true);
}

void mark_family_unknown(FactSet& facts, std::string_view family, SubjectKind kind, const std::string& reason) {
  mark_family(facts, family, kind, reason, false);
}

}  // namespace pp::engine
