#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/target.h"

namespace pp::sources {

/// The largest configuration file read; a larger one is an error for that file.
inline constexpr std::uint64_t kMaxConfigBytes = 16u << 20;

/// What a configuration target gave: one vdir subject per virtual directory (facts of
/// `iis_facts.h` or `exchange_facts.h`), one endpoint subject per SCHANNEL export
/// (`schannel_facts.h`) and per IPsec rule export (`ipsec_facts.h`), and one positioned error per file that could not be read or parsed
/// ("file:line:column: reason"); the other files of the scan are still judged.
struct ConfigObservation {
  std::vector<SubjectFacts> subjects;
  /// Per subject: the fact family its file gives ("iis", "exchange"); the others are absent.
  std::vector<std::string> families;
  std::vector<std::string> errors;
};

/// Reads every configuration file of `target` (files are read, never executed). A file's
/// kind is its `kind` or, when empty, guessed from its content.
ConfigObservation read_config_target(const Target& target);

/// The kinds of configuration file understood: "iis" (applicationHost.config), "iis-web"
/// (a web.config), "schannel" (a SCHANNEL registry export, `reg export` / regedit) and
/// "exchange" (Exchange virtual directory settings exported as JSON), "ipsec" (Windows IPsec
/// connection security rules exported as JSON) and "ipsec-netsh" (the same rules as
/// `netsh advfirewall consec show rule name=all` prints them).
bool known_config_kind(const std::string& kind);

}  // namespace pp::sources
