#pragma once
#include <vector>

#include "core/catalogue.h"

namespace pp::sources {

/// The facts read from IIS configuration (fact_list.inc): the "iis" family's part of the fact
/// catalogue. Configuration subjects also carry the http.* vdir facts whose meaning a
/// configuration fixes (`iis_facts.h`).
const std::vector<FactSpec>& fact_list();

/// The facts read from SCHANNEL registry exports (schannel_fact_list.inc): the "schannel"
/// family's part of the catalogue. Export subjects also carry tls.protocols (`schannel_facts.h`).
const std::vector<FactSpec>& schannel_fact_list();

/// The facts read from an Exchange settings export (exchange_fact_list.inc): the "exchange"
/// family. Its subjects also carry the iis.* facts Exchange's settings fix (`exchange_facts.h`).
const std::vector<FactSpec>& exchange_fact_list();

/// The facts read from a Windows IPsec connection security rule export (ipsec_fact_list.inc):
/// the "ipsec" family (`ipsec_facts.h`).
const std::vector<FactSpec>& ipsec_fact_list();

}  // namespace pp::sources
