#pragma once
#include <string>
#include <vector>

#include "core/result.h"
#include "core/target.h"

namespace pp::engine {

/// Reads every configuration target (`Target::configs`; network targets are skipped): one vdir
/// subject per virtual directory configured, with the iis.* facts (an Exchange export: the
/// exchange.* facts and the iis.* facts it fixes) and the http.* vdir facts a configuration
/// fixes; every other http.* vdir fact is absent (only a network scan observes it), so a rule
/// reading it skips a configured vdir instead of erroring. A SCHANNEL export is one endpoint
/// subject with tls.protocols and the schannel.* facts, every other endpoint fact absent.
/// `errors` gets one
/// "file:line:column: reason" per file that could not be read or parsed, with its target.
struct ConfigError {
  std::string target;
  std::string message;
};
std::vector<SubjectFacts> observe_configs(const std::vector<Target>& targets, std::vector<ConfigError>& errors);

/// Network vdir subjects get every iis.* and exchange.* fact absent (only a configuration file
/// or an Exchange export shows them), network endpoints every schannel.* and ipsec.* fact (only
/// a registry or rule export shows them), so a rule reading one skips them. The absent facts
/// are one shared fallback set per subject kind (`FactSet::set_fallback`): rules find them,
/// reports do not list them on every network subject.
void mark_config_only_absent(std::vector<SubjectFacts>& observed);

}  // namespace pp::engine
