#include "sources/iis_facts.h"

#include <algorithm>

#include "core/text.h"

namespace pp::sources {

namespace {

constexpr const char* kAccess = "security/access";
constexpr const char* kAuth = "security/authentication/";
constexpr const char* kWindows = "security/authentication/windowsAuthentication";
constexpr const char* kVerbs = "security/requestFiltering/verbs";
constexpr const char* kHeaders = "httpProtocol/customHeaders";

/// Evidence of one decided attribute: where it was set, or that IIS's default applies.
std::string evidence(const Decided& d, const std::string& attribute, const std::string& fallback) {
  if (!d.set) return attribute + " is not set in any file: IIS default " + fallback;
  if (d.inherited) return attribute + "=\"" + d.value + "\" inherited from " + d.at.where();
  return d.at.where() + ": " + attribute + "=\"" + d.value + "\"";
}

bool truthy(const Decided& d, bool fallback) { return d.set ? text::iequals(d.value, "true") : fallback; }

/// Evidence of a collection: each item's line, or where it was last cleared, or (nothing in
/// any file) `fallback`, what IIS does by default.
std::string collection_evidence(const Effective& e, const std::string& collection,
                                const std::string& fallback = "none configured") {
  std::vector<std::string> parts;
  for (const auto& i : e.items(collection)) parts.push_back(i.key + " at " + i.at.where());
  if (parts.empty()) {
    auto it = e.last_change.find(collection);
    return it == e.last_change.end() ? fallback : "emptied at " + it->second.where();
  }
  return text::join(parts, "; ");
}

std::vector<std::string> split_flags(const std::string& flags) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= flags.size()) {
    size_t end = flags.find(',', start);
    if (end == std::string::npos) end = flags.size();
    std::string f = flags.substr(start, end - start);
    f.erase(0, f.find_first_not_of(" \t"));
    f.erase(f.find_last_not_of(" \t") + 1);
    if (!f.empty() && !text::iequals(f, "None")) out.push_back(f);
    start = end + 1;
  }
  return out;
}

bool has_flag(const std::vector<std::string>& flags, std::string_view want) {
  return std::any_of(flags.begin(), flags.end(), [&](const std::string& f) { return text::iequals(f, want); });
}

void put_access(const Effective& e, FactSet& out) {
  const Decided d = e.get(kAccess, "sslFlags");
  const std::vector<std::string> flags = split_flags(d.set ? d.value : "None");
  const std::string ev = evidence(d, "sslFlags", "None");
  out.put(Fact::known("iis.ssl_flags", flags, ev));
  out.put(Fact::known("iis.ssl_required", has_flag(flags, "Ssl"), ev));
  const char* certs = has_flag(flags, "SslRequireCert") ? "require" : has_flag(flags, "SslNegotiateCert") ? "accept" : "ignore";
  out.put(Fact::known("iis.client_certificates", std::string(certs), ev));
}

std::vector<std::string> windows_providers(const Effective& e, std::string& ev) {
  const std::string collection = std::string(kWindows) + "/providers";
  std::vector<std::string> out;
  for (const auto& i : e.items(collection)) out.push_back(i.key);
  ev = collection_evidence(e, collection);
  if (out.empty() && !e.last_change.count(collection)) {
    out = {"Negotiate", "NTLM"};
    ev = "providers not set in any file: IIS default Negotiate, NTLM";
  }
  return out;
}

void put_authentication(const Effective& e, FactSet& out) {
  std::vector<std::string> methods, evidences;
  for (const auto& [module, name] : {std::pair{"anonymousAuthentication", "Anonymous"}, {"basicAuthentication", "Basic"},
                                     {"digestAuthentication", "Digest"}, {"windowsAuthentication", "Windows"}}) {
    const Decided d = e.get(std::string(kAuth) + module, "enabled");
    if (truthy(d, false)) methods.push_back(name);
    evidences.push_back(module + std::string(": ") + evidence(d, "enabled", "false"));
    if (std::string_view(name) == "Anonymous")
      out.put(Fact::known("iis.anonymous_enabled", truthy(d, false), evidences.back()));
  }
  out.put(Fact::known("iis.auth_methods", methods, text::join(evidences, "; ")));
  std::string provider_ev = "windowsAuthentication is disabled";
  std::vector<std::string> providers;
  if (has_flag(methods, "Windows")) providers = windows_providers(e, provider_ev);
  out.put(Fact::known("iis.windows_providers", providers, provider_ev));
  const Decided ep = e.get(std::string(kWindows) + "/extendedProtection", "tokenChecking");
  out.put(Fact::known("iis.extended_protection", ep.set ? ep.value : std::string("None"),
                      evidence(ep, "tokenChecking", "None")));
}

void put_filtering(const Effective& e, FactSet& out) {
  const Decided d = e.get(kVerbs, "allowUnlisted");
  out.put(Fact::known("iis.verbs_allow_unlisted", truthy(d, true), evidence(d, "allowUnlisted", "true")));
  std::vector<std::string> denied, allowed;
  for (const auto& i : e.items(kVerbs)) {
    auto it = i.attributes.find("allowed");
    // An <add verb> without allowed= is allowed (the schema's default is true).
    const bool refused = it != i.attributes.end() && text::iequals(it->second, "false");
    (refused ? denied : allowed).push_back(text::to_upper(i.key));
  }
  const std::string verbs_ev = collection_evidence(e, kVerbs, "no verb is listed in any file: IIS default, no verb filtered");
  out.put(Fact::known("iis.verbs_denied", denied, verbs_ev));
  out.put(Fact::known("iis.verbs_allowed", allowed, verbs_ev));
  const Decided browse = e.get("directoryBrowse", "enabled");
  out.put(Fact::known("iis.directory_browse", truthy(browse, false), evidence(browse, "enabled", "false")));
  const Decided redirect = e.get("httpRedirect", "enabled");
  const Decided dest = e.get("httpRedirect", "destination");
  out.put(Fact::known("iis.http_redirect", truthy(redirect, false) ? dest.value : std::string(),
                      evidence(redirect, "httpRedirect enabled", "false")));
  out.put(Fact::known("iis.locked_overrides", e.locked, e.locked.empty() ? "no locked section is set below its lock" : text::join(e.locked, "; ")));
}

const Item* find_header(const Effective& e, std::string_view name) {
  for (const auto& i : e.items(kHeaders))
    if (text::iequals(i.key, name)) return &i;
  return nullptr;
}

std::string attribute(const Item& i, const std::string& name) {
  auto it = i.attributes.find(name);
  return it == i.attributes.end() ? std::string() : it->second;
}

void put_headers(const Effective& e, FactSet& out) {
  std::vector<std::string> headers;
  for (const auto& i : e.items(kHeaders)) headers.push_back(i.key + ": " + attribute(i, "value"));
  out.put(Fact::known("iis.custom_headers", headers, collection_evidence(e, kHeaders)));
}

std::string binding_text(const Binding& b) {
  std::string s = b.protocol + "://" + (b.host.empty() ? "*" : b.host) + ":" + std::to_string(b.port);
  if (!b.certificate_hash.empty()) s += " certificate " + b.certificate_hash + " in " + (b.certificate_store.empty() ? "My" : b.certificate_store);
  return s;
}

void put_bindings(const std::vector<Binding>& bindings, FactSet& out) {
  std::vector<std::string> list, ev;
  for (const auto& b : bindings) {
    list.push_back(binding_text(b));
    ev.push_back(b.at.where());
  }
  out.put(Fact::known("iis.bindings", list, ev.empty() ? "the site has no binding" : text::join(ev, "; ")));
}

/// max-age of a Strict-Transport-Security value, -1 when there is none.
int64_t max_age(const std::string& value) {
  const std::string lower = text::to_lower(value);
  const size_t at = lower.find("max-age=");
  if (at == std::string::npos) return -1;
  size_t i = at + 8;
  if (i < lower.size() && lower[i] == '"') ++i;
  int64_t n = 0;
  size_t digits = 0;
  for (; i < lower.size() && lower[i] >= '0' && lower[i] <= '9' && digits < 12; ++i, ++digits) n = n * 10 + (lower[i] - '0');
  return digits ? n : -1;
}

void put_tls_side(const Effective& e, bool basic, FactSet& out) {
  const Decided basic_d = e.get(std::string(kAuth) + "basicAuthentication", "enabled");
  out.put(Fact::known("http.tls.basic_offered", basic, evidence(basic_d, "basicAuthentication enabled", "false")));
  const Item* hsts = find_header(e, "Strict-Transport-Security");
  const int64_t age = hsts ? max_age(attribute(*hsts, "value")) : -1;
  const std::string ev = hsts ? hsts->at.where() + ": Strict-Transport-Security: " + attribute(*hsts, "value")
                              : "no Strict-Transport-Security custom header (" + collection_evidence(e, kHeaders) + ")";
  out.put(Fact::known("http.tls.hsts", age > 0, ev));
  if (age >= 0) out.put(Fact::known("http.tls.hsts_max_age", age, ev));
  else out.put(Fact::absent("http.tls.hsts_max_age", "no Strict-Transport-Security header is configured"));
}

void put_plain_side(const Effective& e, bool basic, FactSet& out) {
  const Decided ssl = e.get(kAccess, "sslFlags");
  const bool required = has_flag(split_flags(ssl.set ? ssl.value : "None"), "Ssl");
  const std::string ev = evidence(ssl, "sslFlags", "None");
  out.put(Fact::known("http.plain.ssl_required", required, ev));
  out.put(Fact::known("http.plain.basic_offered", basic && !required,
                      ev + "; basicAuthentication " + (basic ? "enabled" : "disabled")));
  const Decided redirect = e.get("httpRedirect", "enabled");
  const std::string dest = e.get("httpRedirect", "destination").value;
  const bool to_https = truthy(redirect, false) && text::iequals(dest.substr(0, 8), "https://");
  out.put(Fact::known("http.plain.redirects_to_https", to_https && !required,
                      ev + "; " + evidence(redirect, "httpRedirect enabled", "false")));
}

bool has_protocol(const std::vector<Binding>& bindings, std::string_view protocol) {
  return std::any_of(bindings.begin(), bindings.end(), [&](const Binding& b) { return b.protocol == protocol; });
}

}  // namespace

FactSet iis_facts(const Effective& e, const std::vector<Binding>& bindings) {
  FactSet out;
  put_access(e, out);
  put_authentication(e, out);
  put_filtering(e, out);
  put_headers(e, out);
  put_bindings(bindings, out);
  const bool basic = truthy(e.get(std::string(kAuth) + "basicAuthentication", "enabled"), false);
  if (has_protocol(bindings, "https")) put_tls_side(e, basic, out);
  if (has_protocol(bindings, "http")) put_plain_side(e, basic, out);
  return out;
}

}  // namespace pp::sources
