#pragma once
#include <string>
#include <vector>

#include "core/exchange_table.h"
#include "core/fact.h"
#include "probes/http/exchange_evidence.h"

namespace pp::http {

/// The exchange.* facts of one web endpoint: what its answers disclosed (`seen`), joined with
/// the Exchange build table (product, update, end of support and the fixes the build predates)
/// on the day `today` (YYYY-MM-DD). Pure: no I/O, so it is tested on hand-written sightings
/// and tables. Without a table the judged facts are Unknown, saying so.
FactSet exchange_facts(const ExchangeSightings& seen, const ExchangeTable* table, const std::string& today);

/// Every exchange.* fact Absent with `reason` (the endpoint's other vdirs).
FactSet exchange_facts_elsewhere(const std::string& reason);

/// The fact names, in catalogue order.
std::vector<std::string> exchange_fact_names();

}  // namespace pp::http
