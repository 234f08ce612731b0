#include "probes/http/exchange_facts.h"

#include <algorithm>

#include "core/text.h"
#include "probes/http/fact_list.h"

namespace pp::http {

namespace {

void put_rest(FactSet& fs, const std::string& reason, bool absent) {
  for (const auto& n : exchange_fact_names())
    if (!fs.find(n)) fs.put(absent ? Fact::absent(n, reason) : Fact::unknown(n, reason));
}

/// The most precise build seen (four numbers before three), the first of those.
const ExchangeSightings::Build* best_build(const ExchangeSightings& seen) {
  const ExchangeSightings::Build* best = nullptr;
  for (const auto& b : seen.builds)
    if (!best || b.build.count > best->build.count) best = &b;
  return best;
}

std::string where_lines(const ExchangeSightings& seen) {
  std::vector<ExchangeSightings::Seen> where;
  for (const auto& b : seen.builds) where.push_back(b.where);
  return text::join(evidence_lines(where), "\n");
}

std::string row_at(const ExchangeTable& t, int line) { return t.path + ":" + std::to_string(line); }

std::string update_name(const ExchangeBuildRow& r) {
  std::string s = r.cu + (r.su.empty() ? "" : " " + r.su);
  if (!r.kb.empty()) s += " (" + r.kb + ")";
  return s;
}

/// "CVE-2021-34473 (ProxyShell, CVSS 9.1): install Exchange Server 2016 CU19 Apr21SU (KB5001779),
/// build 15.1.2176.12, or later"
std::string fix_detail(const MissingFix& m, const ExchangeProduct& p) {
  std::string about = m.cve->name;
  if (!m.cve->cvss.empty()) about += (about.empty() ? "" : ", ") + std::string("CVSS ") + m.cve->cvss;
  return m.cve->id + (about.empty() ? "" : " (" + about + ")") + ": install " + p.name + " " +
         update_name(*m.update) + ", build " + m.update->build + ", or later";
}

/// The table named with its date, then every public source the judgement used, each once.
std::string sources(const ExchangeTable& t, const ExchangeVerdict& v) {
  std::vector<std::string> urls;
  auto add = [&](const std::string& u) {
    if (!u.empty() && std::find(urls.begin(), urls.end(), u) == urls.end()) urls.push_back(u);
  };
  add(v.product->source);
  if (v.row) add(v.row->source);
  for (const auto& m : v.missing) {
    add(m.update->source);
    add(m.cve->source);
  }
  return "Exchange build table " + t.path + " (updated " + t.updated + "): " + text::join(urls, ", ");
}

/// One missing fix's own sources: the table with its date, then the product's lifecycle page,
/// the update's row and the CVE's entry, each once.
std::string fix_source(const ExchangeTable& t, const ExchangeProduct& p, const MissingFix& m) {
  std::vector<std::string> urls;
  for (const std::string* u : {&p.source, &m.update->source, &m.cve->source})
    if (!u->empty() && std::find(urls.begin(), urls.end(), *u) == urls.end()) urls.push_back(*u);
  return "Exchange build table " + t.path + " (updated " + t.updated + "): " + text::join(urls, ", ");
}

void lifecycle_facts(FactSet& fs, const ExchangeProduct& p, const std::string& today, const std::string& ev) {
  if (p.end_of_support.empty()) {
    const std::string why = p.name + " has no end date (Modern Lifecycle Policy: supported while kept on a current update)";
    fs.put(Fact::absent("exchange.end_of_support", why));
    fs.put(Fact::absent("exchange.end_of_support_days", why));
    fs.put(Fact::known("exchange.supported", true, why + "; " + ev));
    return;
  }
  const auto days = days_between(today, p.end_of_support);
  const std::string lev = p.name + " end of support " + p.end_of_support + "; " + ev;
  fs.put(Fact::known("exchange.end_of_support", p.end_of_support, lev));
  if (!days) {
    fs.put(Fact::unknown("exchange.end_of_support_days", "the scan date '" + today + "' is not a date"));
    fs.put(Fact::unknown("exchange.supported", "the scan date '" + today + "' is not a date"));
    return;
  }
  fs.put(Fact::known("exchange.end_of_support_days", static_cast<int64_t>(*days), lev));
  fs.put(Fact::known("exchange.supported", *days >= 0, lev));
}

void fix_facts(FactSet& fs, const ExchangeVerdict& v, const std::string& ev) {
  StringList ids, details;
  for (const auto& m : v.missing) {
    ids.push_back(m.cve->id);
    details.push_back(fix_detail(m, *v.product));
  }
  // The details are their own fact in step with this list: repeating them all in this fact's
  // evidence would repeat every fix in each per-fix finding.
  fs.put(Fact::known("exchange.missing_fixes", ids, ev));
  fs.put(Fact::known("exchange.missing_fix_details", details, ev));
  fs.put(Fact::known("exchange.fixes_unverified", StringList(v.unverified.begin(), v.unverified.end()),
                     v.unverified.empty() ? ev : "the build's revision is not disclosed; " + ev));
}

void judged_facts(FactSet& fs, const ExchangeBuild& build, const ExchangeTable& t, const std::string& today) {
  const ExchangeVerdict v = judge_build(t, build);
  if (!v.product) {
    put_rest(fs, "build " + build.str() + " matches no product of the Exchange build table " + t.path + " (updated " +
                     t.updated + "): refresh the table (--exchange-builds)", false);
    return;
  }
  const std::string ev = "build " + build.str() + ": " + v.product->name + " at " + row_at(t, v.product->line) +
                         (v.row ? ", " + update_name(*v.row) + " at " + row_at(t, v.row->line) : "");
  fs.put(Fact::known("exchange.product", v.product->name, ev));
  if (v.row)
    fs.put(Fact::known("exchange.update", update_name(*v.row) + (v.row->released.empty() ? "" : ", released " + v.row->released), ev));
  else
    fs.put(Fact::absent("exchange.update", "build " + build.str() + " is not in the Exchange build table (updated " + t.updated + ")"));
  lifecycle_facts(fs, *v.product, today, ev);
  fix_facts(fs, v, ev);
  StringList fix_sources;
  for (const auto& m : v.missing) fix_sources.push_back(fix_source(t, *v.product, m));
  fs.put(Fact::known("exchange.missing_fix_sources", fix_sources, ev));
  fs.put(Fact::known("exchange.knowledge_source", sources(t, v), ev));
}

}  // namespace

std::vector<std::string> exchange_fact_names() {
  std::vector<std::string> out;
  for (const auto& f : fact_list())
    if (f.name.rfind("exchange.", 0) == 0) out.emplace_back(f.name);
  return out;
}

FactSet exchange_facts_elsewhere(const std::string& reason) {
  FactSet fs;
  put_rest(fs, reason, true);
  return fs;
}

FactSet exchange_facts(const ExchangeSightings& seen, const ExchangeTable* table, const std::string& today) {
  FactSet fs;
  if (!seen.answered) {
    put_rest(fs, "no vdir of this web endpoint was answered", false);
    return fs;
  }
  fs.put(Fact::known("exchange.internal_names_leaked", StringList(seen.names.begin(), seen.names.end()),
                     seen.name_lines.empty() ? "no X-FEServer, X-BEServer, X-CalculatedBETarget or X-DiagInfo header"
                                             : text::join(evidence_lines(seen.name_lines), "\n")));
  const ExchangeSightings::Build* best = best_build(seen);
  fs.put(Fact::known("exchange.build_disclosed", best != nullptr,
                     best ? where_lines(seen) : "no X-OWA-Version header, OWA/ECP resource path or ServerVersionInfo"));
  if (!best) {
    put_rest(fs, "no Exchange build is disclosed to an anonymous client", true);
    return fs;
  }
  fs.put(Fact::known("exchange.build", best->build.str(), where_lines(seen)));
  if (!table) {
    put_rest(fs, "no Exchange build table was given to the probe", false);
    return fs;
  }
  judged_facts(fs, best->build, *table, today);
  return fs;
}

}  // namespace pp::http
