#pragma once
#include "core/fact.h"
#include "sources/exchange_json.h"

namespace pp::sources {

/// The facts of one exported Exchange virtual directory: the exchange.* facts of
/// exchange_fact_list.inc, and the iis.* facts whose meaning Exchange's settings fix, the same
/// names and spellings an IIS configuration gives so one rule judges both:
///   iis.extended_protection  ExtendedProtectionTokenChecking (None, Allow, Require; 0, 1, 2)
///   iis.windows_providers    [] when WindowsAuthentication is off, else Negotiate and/or
///                            NTLM as the authentication method lists name them
///   iis.ssl_required         RequireSSL where the vdir has it (OAB, PowerShell); for Outlook
///                            Anywhere SSLOffloading false, which is how Exchange sets Require
///                            SSL on /rpc
/// A setting the export lacks is unknown, or absent where that kind of vdir has no such
/// setting (forms authentication outside OWA and the admin center). Every other iis.* and
/// http.* vdir fact is for the caller to mark absent. Evidence names the file and line:
/// "BasicAuthentication=true at owa.json:14".
FactSet exchange_facts(const ExchangeVdir& vdir);

}  // namespace pp::sources
