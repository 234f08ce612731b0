#pragma once
#include "core/diagnostic.h"
#include "core/exchange_table.h"
#include "policy/source.h"

namespace pp::policy {

/// A knowledge file (not a rule pack): `[table] kind = "exchange-builds"`. `rules lint` and the
/// rule loader tell the two apart with this, so a table in a `--rules DIR` is linted, not
/// mistaken for a pack.
bool is_exchange_table_source(const SourceFile& src);

/// Reads and checks an Exchange build table (format: `rules/knowledge/exchange-builds.toml`):
/// unknown keys, missing or duplicate builds, products and CVEs, a build outside its product's
/// version, unknown products or CVE ids, rows without a source, dates that are not TOML dates
/// or not real dates. Every problem is a `file:line:column` diagnostic; the table is filled
/// with what could be read either way (use it only when there were none).
Diagnostics load_exchange_table(const SourceFile& src, ExchangeTable& out);

}  // namespace pp::policy
