#pragma once
#include "core/fact.h"
#include "core/windows_server.h"
#include "sources/schannel_reader.h"

namespace pp::sources {

/// The facts one SCHANNEL registry export fixes, for one endpoint subject (the host):
///   tls.protocols  the protocols SCHANNEL's server side uses by default, spelled as the
///                  network probe spells them, so the same TLS rules judge the export
///   schannel.*     what only the registry shows (client side, disabled algorithms, DH minimum,
///                  the cipher suite order policy, .NET strong crypto)
/// Each fact's evidence names the file:line of the value that decided it, or the Windows
/// default that applies ("no value set: Windows Server 2016 default (enabled)"). A fact that
/// needs a default when `windows` is Unknown is Unknown, its reason saying to name the version.
FactSet schannel_facts(const RegView& reg, WindowsServer windows);

}  // namespace pp::sources
