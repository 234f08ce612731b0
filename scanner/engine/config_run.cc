#include "engine/config_run.h"

#include "engine/families.h"
#include "sources/config_target.h"

namespace pp::engine {

namespace {

/// An export's endpoint (SCHANNEL, IPsec): every endpoint fact the export does not fix (tls.*
/// beyond tls.protocols, mail.*, the other export's family) is absent, so a rule reading one
/// skips it instead of erroring.
void mark_export_absent(FactSet& facts, const std::string& family) {
  mark_family_unknown(facts, family, SubjectKind::Endpoint, "the " + family + " export reader did not report it");
  for (const auto& f : family_table())
    if (f.name != family)
      mark_family_absent(facts, f.name, SubjectKind::Endpoint,
                         f.run ? "read from a configuration file: only a network scan observes this"
                               : "only another kind of configuration export shows this");
}

}  // namespace

std::vector<SubjectFacts> observe_configs(const std::vector<Target>& targets, std::vector<ConfigError>& errors) {
  std::vector<SubjectFacts> out;
  for (const auto& t : targets) {
    if (t.configs.empty()) continue;
    sources::ConfigObservation seen = sources::read_config_target(t);
    for (auto& e : seen.errors) errors.push_back({t.name, std::move(e)});
    for (size_t i = 0; i < seen.subjects.size(); ++i) {
      auto& sf = seen.subjects[i];
      if (sf.subject.kind == SubjectKind::Endpoint) {
        mark_export_absent(sf.facts, seen.families[i]);
        out.push_back(std::move(sf));
        continue;
      }
      mark_family_absent(sf.facts, "http", SubjectKind::Vdir, "read from a configuration file: only a network scan observes this");
      if (seen.families[i] == "exchange") {
        mark_family_unknown(sf.facts, "exchange", SubjectKind::Vdir, "the Exchange export reader did not report it");
        mark_family_absent(sf.facts, "iis", SubjectKind::Vdir, "only an IIS configuration file shows this");
      } else {
        mark_family_unknown(sf.facts, "iis", SubjectKind::Vdir, "the configuration reader did not report it");
        mark_family_absent(sf.facts, "exchange", SubjectKind::Vdir, "only an Exchange settings export shows this");
      }
      out.push_back(std::move(sf));
    }
  }
  return out;
}

const FactSet& config_only_absent(SubjectKind kind) {
  static const FactSet vdir = [] {
    FactSet f;
    mark_family_absent(f, "iis", SubjectKind::Vdir, "only an IIS configuration file shows this");
    mark_family_absent(f, "exchange", SubjectKind::Vdir, "only an Exchange settings export shows this");
    return f;
  }();
  static const FactSet endpoint = [] {
    FactSet f;
    mark_family_absent(f, "schannel", SubjectKind::Endpoint, "only a SCHANNEL registry export shows this");
    mark_family_absent(f, "ipsec", SubjectKind::Endpoint, "only an IPsec rule export shows this");
    return f;
  }();
  static const FactSet none;
  switch (kind) {
    case SubjectKind::Vdir: return vdir;
    case SubjectKind::Endpoint: return endpoint;
    case SubjectKind::Certificate: break;
  }
  return none;
}

void mark_config_only_absent(std::vector<SubjectFacts>& observed) {
  for (auto& sf : observed) {
    if (!sf.subject.source.empty()) continue;
    const FactSet& absent = config_only_absent(sf.subject.kind);
    if (!absent.empty()) sf.facts.set_fallback(&absent);
  }
}

}  // namespace pp::engine
