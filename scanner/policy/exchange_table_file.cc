#include "policy/exchange_table_file.h"

#include <cstdio>
#include <cstdlib>
#include <map>

#include "policy/toml_util.h"

namespace pp::policy {

namespace {

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

std::string date_text(const toml::date& d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", static_cast<unsigned>(d.year), static_cast<unsigned>(d.month),
                static_cast<unsigned>(d.day));
  return buf;
}

/// A TOML date member: "" when absent (and not required); a quoted or invalid date is an error.
std::string get_date(const toml::table& t, std::string_view key, bool required, std::string_view where,
                     const config::Reporter& rep) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) rep.at(t, std::string(where) + " is missing required key '" + std::string(key) + "' (a TOML date)");
    return {};
  }
  if (!n->is_date()) {
    rep.at(*n, "'" + std::string(key) + "' must be a TOML date such as 2025-10-14 (unquoted), not " +
                   config::type_name(*n));
    return {};
  }
  const std::string s = date_text(n->as_date()->get());
  if (!is_iso_date(s)) {
    rep.at(*n, "'" + std::string(key) + "' is not a calendar date: " + s);
    return {};
  }
  return s;
}

/// `source` must name where the row's numbers come from: a public page.
std::string get_source(const toml::table& t, std::string_view where, const config::Reporter& rep) {
  auto s = config::get_string(t, "source", true, where, rep);
  if (s && s->find_first_not_of(" \t") == std::string::npos) {
    rep.at(*t.get("source"), "'source' must name the public page the row comes from");
    return {};
  }
  return s.value_or("");
}

/// Every table of the array `key` ([[key]]), reporting what is not one.
std::vector<const toml::table*> tables_of(const toml::table& root, std::string_view key, const config::Reporter& rep) {
  std::vector<const toml::table*> out;
  const toml::node* n = root.get(key);
  if (!n) return out;
  if (!n->is_array()) {
    rep.at(*n, "'" + std::string(key) + "' must be an array of tables ([[" + std::string(key) + "]])");
    return out;
  }
  for (const auto& e : *n->as_array()) {
    if (e.is_table())
      out.push_back(e.as_table());
    else
      rep.at(e, "each [[" + std::string(key) + "]] must be a table");
  }
  return out;
}

/// Reports a second use of `id` (kind: "product", "CVE", "build") at `n`.
void check_unique(std::map<std::string, int>& seen, const std::string& id, const toml::node& n, const char* kind,
                  const config::Reporter& rep) {
  if (id.empty()) return;
  auto [it, fresh] = seen.emplace(id, line_of(n));
  if (!fresh) rep.at(n, std::string("duplicate ") + kind + " '" + id + "' (first at line " + std::to_string(it->second) + ")");
}

void read_header(const toml::table& root, ExchangeTable& out, const config::Reporter& rep) {
  config::check_keys(root, {"schema", "table", "product", "cve", "build"}, "an Exchange build table", rep);
  const toml::node* schema = root.get("schema");
  if (!schema)
    rep.at_start("missing 'schema = 1' (the file format version)");
  else if (!schema->is_integer() || schema->as_integer()->get() != 1)
    rep.at(*schema, "unsupported schema (this version of policyprobe reads schema = 1)");
  const toml::table* t = root.get_as<toml::table>("table");
  if (!t) {
    rep.at_start("missing [table] with kind = \"exchange-builds\"");
    return;
  }
  config::check_keys(*t, {"kind", "updated", "description"}, "[table]", rep);
  auto kind = config::get_string(*t, "kind", true, "[table]", rep);
  if (kind && *kind != "exchange-builds") rep.at(*t->get("kind"), "unknown table kind '" + *kind + "' (expected \"exchange-builds\")");
  out.updated = get_date(*t, "updated", true, "[table]", rep);
}

void read_products(const toml::table& root, ExchangeTable& out, const config::Reporter& rep) {
  std::map<std::string, int> seen;
  for (const toml::table* t : tables_of(root, "product", rep)) {
    config::check_keys(*t, {"id", "name", "version", "from_build", "end_of_support", "source"}, "product", rep);
    ExchangeProduct p;
    p.line = line_of(*t);
    p.id = config::get_string(*t, "id", true, "product", rep).value_or("");
    p.name = config::get_string(*t, "name", true, "product", rep).value_or("");
    p.version = config::get_string(*t, "version", true, "product", rep).value_or("");
    p.from_build = config::get_string(*t, "from_build", false, "product", rep).value_or("");
    p.end_of_support = get_date(*t, "end_of_support", false, "product", rep);
    p.source = get_source(*t, "product", rep);
    if (!p.from_build.empty() && !parse_exchange_build(p.from_build))
      rep.at(*t->get("from_build"), "'from_build' is not a build number (four numbers such as 15.2.2562.17)");
    if (const toml::node* id = t->get("id")) check_unique(seen, p.id, *id, "product", rep);
    out.products.push_back(std::move(p));
  }
}

void read_cves(const toml::table& root, ExchangeTable& out, const config::Reporter& rep) {
  std::map<std::string, int> seen;
  for (const toml::table* t : tables_of(root, "cve", rep)) {
    config::check_keys(*t, {"id", "name", "cvss", "source"}, "cve", rep);
    ExchangeCve c;
    c.line = line_of(*t);
    c.id = config::get_string(*t, "id", true, "cve", rep).value_or("");
    c.name = config::get_string(*t, "name", false, "cve", rep).value_or("");
    c.cvss = config::get_string(*t, "cvss", false, "cve", rep).value_or("");
    c.source = get_source(*t, "cve", rep);
    if (!c.id.empty() && c.id.rfind("CVE-", 0) != 0) rep.at(*t->get("id"), "'id' must be a CVE id such as CVE-2021-34473");
    if (!c.cvss.empty()) {
      char* end = nullptr;
      const double v = std::strtod(c.cvss.c_str(), &end);
      if (*end != '\0' || v < 0.0 || v > 10.0) rep.at(*t->get("cvss"), "'cvss' must be a base score from 0.0 to 10.0");
    }
    if (const toml::node* id = t->get("id")) check_unique(seen, c.id, *id, "CVE", rep);
    out.cves.push_back(std::move(c));
  }
}

/// The row's build against its product: a known product whose version the build starts with.
void check_build_product(const ExchangeTable& out, const ExchangeBuildRow& r, const toml::table& t,
                         const config::Reporter& rep) {
  auto b = parse_exchange_build(r.build);
  if (!r.build.empty() && (!b || !b->has_revision())) {
    rep.at(*t.get("build"), "'build' must be four numbers such as 15.1.2176.9");
    return;
  }
  if (r.product.empty()) return;
  const ExchangeProduct* p = out.product(r.product);
  if (!p) {
    rep.at(*t.get("product"), "unknown product '" + r.product + "' (declare it in a [[product]])");
    return;
  }
  const std::string major = std::to_string(b->part[0]);
  if (p->version != major && p->version != major + "." + std::to_string(b->part[1]))
    rep.at(*t.get("build"), "build " + r.build + " is not a version " + p->version + " build (product " + p->id + ")");
}

void check_fixes(const ExchangeTable& out, const toml::table& t, const ExchangeBuildRow& r, const config::Reporter& rep) {
  const toml::node* n = t.get("fixes");
  if (!n || !n->is_array()) return;
  size_t i = 0;
  for (const auto& e : *n->as_array()) {
    if (i < r.fixes.size() && e.is_string() && !out.cve(r.fixes[i]))
      rep.at(e, "unknown CVE '" + r.fixes[i] + "' (declare it in a [[cve]])");
    if (e.is_string()) ++i;
  }
}

void read_builds(const toml::table& root, ExchangeTable& out, const config::Reporter& rep) {
  std::map<std::string, int> seen;
  for (const toml::table* t : tables_of(root, "build", rep)) {
    config::check_keys(*t, {"build", "product", "cu", "su", "kb", "released", "fixes", "source"}, "build", rep);
    ExchangeBuildRow r;
    r.line = line_of(*t);
    r.build = config::get_string(*t, "build", true, "build", rep).value_or("");
    r.product = config::get_string(*t, "product", true, "build", rep).value_or("");
    r.cu = config::get_string(*t, "cu", true, "build", rep).value_or("");
    r.su = config::get_string(*t, "su", false, "build", rep).value_or("");
    r.kb = config::get_string(*t, "kb", false, "build", rep).value_or("");
    r.released = get_date(*t, "released", false, "build", rep);
    if (const toml::node* f = t->get("fixes")) r.fixes = config::get_string_list(*f, "fixes", false, rep).value_or(StringList{});
    r.source = get_source(*t, "build", rep);
    check_build_product(out, r, *t, rep);
    check_fixes(out, *t, r, rep);
    if (const toml::node* b = t->get("build")) check_unique(seen, r.build, *b, "build", rep);
    out.builds.push_back(std::move(r));
  }
}

}  // namespace

bool is_exchange_table_source(const SourceFile& src) {
  // A cheap test before any parse: the kind line of the [table] header.
  return src.text.find("kind = \"exchange-builds\"") != std::string::npos;
}

Diagnostics load_exchange_table(const SourceFile& src, ExchangeTable& out) {
  Diagnostics diags;
  config::Reporter rep{src.path, &diags};
  out = ExchangeTable{};
  out.path = src.path;
  auto root = config::parse_toml(src.text, src.path, rep);
  if (!root) return diags;
  read_header(*root, out, rep);
  read_products(*root, out, rep);
  read_cves(*root, out, rep);
  read_builds(*root, out, rep);
  return diags;
}

}  // namespace pp::policy
