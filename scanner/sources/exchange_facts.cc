#include "sources/exchange_facts.h"

#include <algorithm>
#include <optional>

#include "core/text.h"

namespace pp::sources {

namespace {

using K = ExchangeVdirKind;
using Shape = ExchangeSetting::Shape;

/// Exchange's AuthenticationMethod enumeration in declaration order: ConvertTo-Json writes a
/// member as its number in Windows PowerShell and in local sessions, as its name through a
/// remote session.
constexpr std::string_view kAuthMethods[] = {"Basic",  "Digest",  "Ntlm",     "Fba",   "WindowsIntegrated", "LiveIdFba",
                                             "LiveIdBasic", "WSSecurity", "Certificate", "NegoEx", "OAuth", "Adfs",
                                             "Kerberos", "Negotiate", "LiveIdNegotiate"};
/// ExtendedProtectionTokenCheckingMode, likewise.
constexpr std::string_view kTokenChecking[] = {"None", "Allow", "Require"};

/// The authentication switches of a vdir, by the label exchange.auth_enabled lists; ActiveSync
/// names two of them differently.
struct Switch {
  std::string_view label;
  std::string_view name;
  std::string_view alias;
};
constexpr Switch kSwitches[] = {
    {"Basic", "BasicAuthentication", "BasicAuthEnabled"}, {"Digest", "DigestAuthentication", ""},
    {"Windows", "WindowsAuthentication", "WindowsAuthEnabled"}, {"Forms", "FormsAuthentication", ""},
    {"Adfs", "AdfsAuthentication", ""}, {"OAuth", "OAuthAuthentication", ""},
    {"WSSecurity", "WSSecurityAuthentication", ""},
};

std::string shown(const ExchangeSetting& s) {
  if (s.shape == Shape::Null) return "null";
  if (s.shape == Shape::List) return "[" + text::join(s.list, ", ") + "]";
  return s.value;
}

/// "BasicAuthentication=true at owa.json:14".
std::string evidence(const ExchangeSetting& s) { return s.name + "=" + shown(s) + " at " + s.at.where(); }

std::string missing(const ExchangeVdir& v, std::string_view property) {
  return "the export of " + v.name + " has no " + std::string(property) + " (" + v.at.where() + ")";
}

/// An enumeration member by number or by name (any case), spelled as Exchange spells it.
template <size_t N>
std::optional<std::string> enum_member(const std::string& text, const std::string_view (&names)[N]) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (text.size() > 3) return std::nullopt;
    const size_t n = static_cast<size_t>(std::stoi(text));
    return n < N ? std::optional<std::string>(names[n]) : std::nullopt;
  }
  for (auto name : names)
    if (text::iequals(name, text)) return std::string(name);
  return std::nullopt;
}

std::optional<bool> boolean(const ExchangeSetting& s) {
  if (s.shape != Shape::Scalar) return std::nullopt;
  if (text::iequals(s.value, "true")) return true;
  if (text::iequals(s.value, "false")) return false;
  return std::nullopt;
}

/// The first of `names` the export has (ActiveSync says BasicAuthEnabled where the others say
/// BasicAuthentication).
const ExchangeSetting* first(const ExchangeVdir& v, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (const ExchangeSetting* s = n.empty() ? nullptr : v.find(n)) return s;
  return nullptr;
}

/// A list of authentication methods; nullopt when an element is no member. Null is empty.
std::optional<std::vector<std::string>> auth_methods(const ExchangeSetting& s) {
  std::vector<std::string> out;
  if (s.shape == Shape::Null) return out;
  if (s.shape == Shape::Object) return std::nullopt;
  const std::vector<std::string> items = s.shape == Shape::List ? s.list : std::vector<std::string>{s.value};
  for (const auto& item : items) {
    auto m = enum_member(item, kAuthMethods);
    if (!m) return std::nullopt;
    out.push_back(*m);
  }
  return out;
}

bool has(const std::vector<std::string>& list, std::string_view want) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return text::iequals(s, want); });
}

/// A Bool fact from a switch; unknown when the export lacks it or holds no boolean there.
void put_bool(const ExchangeVdir& v, const char* fact, std::initializer_list<std::string_view> names, FactSet& out) {
  const ExchangeSetting* s = first(v, names);
  if (!s) {
    out.put(Fact::unknown(fact, missing(v, *names.begin())));
    return;
  }
  if (auto b = boolean(*s)) out.put(Fact::known(fact, *b, evidence(*s)));
  else out.put(Fact::unknown(fact, evidence(*s) + " is not true or false"));
}

void put_methods(const ExchangeVdir& v, const char* fact, std::string_view property, FactSet& out) {
  const ExchangeSetting* s = v.find(property);
  if (!s) {
    out.put(Fact::unknown(fact, missing(v, property)));
    return;
  }
  if (auto m = auth_methods(*s)) out.put(Fact::known(fact, *m, evidence(*s)));
  else out.put(Fact::unknown(fact, evidence(*s) + " names no Exchange authentication method"));
}

void put_string(const ExchangeVdir& v, const char* fact, std::string_view property, FactSet& out) {
  const ExchangeSetting* s = v.find(property);
  if (!s) out.put(Fact::unknown(fact, missing(v, property)));
  else if (s->shape == Shape::List || s->shape == Shape::Object) out.put(Fact::unknown(fact, evidence(*s) + " is not a single value"));
  else out.put(Fact::known(fact, s->value, evidence(*s)));
}

/// IISAuthenticationMethods (Outlook Anywhere, MAPI over HTTP): the methods IIS accepts there.
std::optional<std::vector<std::string>> iis_methods(const ExchangeVdir& v, std::string& ev) {
  const ExchangeSetting* s = v.find("IISAuthenticationMethods");
  if (!s) return std::nullopt;
  ev = evidence(*s);
  auto m = auth_methods(*s);
  if (!m) ev += " names no Exchange authentication method";
  return m;
}

/// Whether a switch is on: Outlook Anywhere by its IISAuthenticationMethods; another vdir by
/// its switch, or by IISAuthenticationMethods where the switch is null (MAPI over HTTP).
std::optional<bool> switch_on(const ExchangeVdir& v, std::initializer_list<std::string_view> names, std::string_view method,
                              std::string& ev) {
  const bool rpc = v.type->kind == K::OutlookAnywhere;
  const ExchangeSetting* s = rpc ? nullptr : first(v, names);
  if (s) {
    ev = evidence(*s);
    if (auto b = boolean(*s)) return b;
  }
  std::string list_ev;
  if (auto m = iis_methods(v, list_ev)) {
    ev = s ? ev + "; " + list_ev : list_ev;
    return has(*m, method);
  }
  if (!list_ev.empty()) ev = s ? ev + "; " + list_ev : list_ev;
  else if (!s) ev = missing(v, rpc ? std::string_view("IISAuthenticationMethods") : *names.begin());
  else ev += " is not true or false";
  return std::nullopt;
}

void put_authentication(const ExchangeVdir& v, FactSet& out) {
  std::string ev;
  if (auto basic = switch_on(v, {"BasicAuthentication", "BasicAuthEnabled"}, "Basic", ev))
    out.put(Fact::known("exchange.basic_auth", *basic, ev));
  else out.put(Fact::unknown("exchange.basic_auth", ev));
  if (v.type->kind == K::Owa || v.type->kind == K::Ecp) put_bool(v, "exchange.forms_auth", {"FormsAuthentication"}, out);
  else out.put(Fact::absent("exchange.forms_auth", "only Outlook on the web and the admin center have forms authentication"));

  // Outlook Anywhere, and MAPI over HTTP where its switches are null: the IIS method list.
  const ExchangeSetting* basic_switch = first(v, {"BasicAuthentication", "BasicAuthEnabled"});
  if (v.type->kind == K::OutlookAnywhere || !basic_switch || !boolean(*basic_switch)) {
    std::string list_ev;
    if (auto m = iis_methods(v, list_ev)) {
      out.put(Fact::known("exchange.auth_enabled", *m, list_ev));
      return;
    }
  }
  std::vector<std::string> enabled, seen;
  for (const auto& sw : kSwitches) {
    const ExchangeSetting* s = first(v, {sw.name, sw.alias});
    if (!s) continue;
    seen.push_back(evidence(*s));
    if (boolean(*s).value_or(false)) enabled.emplace_back(sw.label);
  }
  if (seen.empty()) out.put(Fact::unknown("exchange.auth_enabled", missing(v, "BasicAuthentication, WindowsAuthentication, ...")));
  else out.put(Fact::known("exchange.auth_enabled", enabled, text::join(seen, "; ")));
}

void put_urls(const ExchangeVdir& v, FactSet& out) {
  if (v.type->kind == K::OutlookAnywhere) {
    for (const char* f : {"exchange.internal_url", "exchange.external_url", "exchange.internal_auth_methods", "exchange.external_auth_methods"})
      out.put(Fact::absent(f, "Outlook Anywhere names host names and client authentication instead"));
    return;
  }
  put_string(v, "exchange.internal_url", "InternalUrl", out);
  put_string(v, "exchange.external_url", "ExternalUrl", out);
  put_methods(v, "exchange.internal_auth_methods", "InternalAuthenticationMethods", out);
  put_methods(v, "exchange.external_auth_methods", "ExternalAuthenticationMethods", out);
}

void put_client_method(const ExchangeVdir& v, const char* fact, std::string_view property, FactSet& out) {
  const ExchangeSetting* s = v.find(property);
  if (!s) {
    out.put(Fact::unknown(fact, missing(v, property)));
    return;
  }
  auto m = s->shape == Shape::Scalar ? enum_member(s->value, kAuthMethods) : std::nullopt;
  if (m) out.put(Fact::known(fact, *m, evidence(*s)));
  else out.put(Fact::unknown(fact, evidence(*s) + " names no Exchange authentication method"));
}

void put_outlook_anywhere(const ExchangeVdir& v, FactSet& out) {
  constexpr const char* kOnly = "only Outlook Anywhere (Get-OutlookAnywhere) has this";
  if (v.type->kind != K::OutlookAnywhere) {
    for (const char* f : {"exchange.ssl_offloading", "exchange.external_client_auth", "exchange.internal_client_auth",
                          "exchange.external_clients_require_ssl", "exchange.internal_clients_require_ssl"})
      out.put(Fact::absent(f, kOnly));
    return;
  }
  put_bool(v, "exchange.ssl_offloading", {"SSLOffloading"}, out);
  put_client_method(v, "exchange.external_client_auth", "ExternalClientAuthenticationMethod", out);
  put_client_method(v, "exchange.internal_client_auth", "InternalClientAuthenticationMethod", out);
  put_bool(v, "exchange.external_clients_require_ssl", {"ExternalClientsRequireSsl"}, out);
  put_bool(v, "exchange.internal_clients_require_ssl", {"InternalClientsRequireSsl"}, out);
}

void put_extended_protection(const ExchangeVdir& v, FactSet& out) {
  const ExchangeSetting* s = v.find("ExtendedProtectionTokenChecking");
  if (!s) {
    out.put(Fact::unknown("iis.extended_protection", missing(v, "ExtendedProtectionTokenChecking")));
    return;
  }
  auto m = s->shape == Shape::Scalar ? enum_member(s->value, kTokenChecking) : std::nullopt;
  if (m) out.put(Fact::known("iis.extended_protection", *m, evidence(*s)));
  else out.put(Fact::unknown("iis.extended_protection", evidence(*s) + " is not None, Allow or Require"));
}

/// Negotiate and NTLM as the method lists name them: WindowsIntegrated stands for both.
std::vector<std::string> providers(const std::vector<std::string>& methods) {
  std::vector<std::string> out;
  if (has(methods, "Negotiate") || has(methods, "Kerberos") || has(methods, "WindowsIntegrated")) out.push_back("Negotiate");
  if (has(methods, "Ntlm") || has(methods, "WindowsIntegrated")) out.push_back("NTLM");
  return out;
}

void put_windows(const ExchangeVdir& v, FactSet& out) {
  constexpr const char* kFact = "iis.windows_providers";
  const ExchangeSetting* w = first(v, {"WindowsAuthentication", "WindowsAuthEnabled"});
  const bool by_switch = v.type->kind != K::OutlookAnywhere && w && boolean(*w);
  if (!by_switch) {
    // Outlook Anywhere and MAPI over HTTP name the methods IIS accepts instead.
    std::string list_ev;
    auto m = iis_methods(v, list_ev);
    if (m) out.put(Fact::known(kFact, providers(*m), list_ev));
    else out.put(Fact::unknown(kFact, !list_ev.empty() ? list_ev : w ? evidence(*w) + " is not true or false" : missing(v, "WindowsAuthentication")));
    return;
  }
  if (!*boolean(*w)) {
    out.put(Fact::known(kFact, std::vector<std::string>{}, evidence(*w)));
    return;
  }
  std::vector<std::string> methods, evs{evidence(*w)};
  for (const char* property : {"InternalAuthenticationMethods", "ExternalAuthenticationMethods"}) {
    const ExchangeSetting* s = v.find(property);
    if (!s) continue;
    if (auto m = auth_methods(*s)) methods.insert(methods.end(), m->begin(), m->end());
    evs.push_back(evidence(*s));
  }
  std::vector<std::string> p = providers(methods);
  if (p.empty()) out.put(Fact::unknown(kFact, text::join(evs, "; ") + ": Windows authentication is on, no method list names Negotiate or NTLM"));
  else out.put(Fact::known(kFact, p, text::join(evs, "; ")));
}

void put_ssl_required(const ExchangeVdir& v, FactSet& out) {
  if (v.type->kind == K::OutlookAnywhere) {
    const ExchangeSetting* s = v.find("SSLOffloading");
    auto b = s ? boolean(*s) : std::nullopt;
    if (b) out.put(Fact::known("iis.ssl_required", !*b, evidence(*s) + " (Exchange sets Require SSL on /rpc unless SSL is offloaded)"));
    else out.put(Fact::unknown("iis.ssl_required", s ? evidence(*s) + " is not true or false" : missing(v, "SSLOffloading")));
    return;
  }
  const ExchangeSetting* s = v.find("RequireSSL");
  if (!s) {
    // OAB and PowerShell carry RequireSSL; the others leave it to IIS (the caller marks it absent).
    if (v.type->kind == K::Oab || v.type->kind == K::PowerShell) out.put(Fact::unknown("iis.ssl_required", missing(v, "RequireSSL")));
    return;
  }
  if (auto b = boolean(*s)) out.put(Fact::known("iis.ssl_required", *b, evidence(*s)));
  else out.put(Fact::unknown("iis.ssl_required", evidence(*s) + " is not true or false"));
}

}  // namespace

FactSet exchange_facts(const ExchangeVdir& vdir) {
  FactSet out;
  put_authentication(vdir, out);
  put_urls(vdir, out);
  put_outlook_anywhere(vdir, out);
  put_extended_protection(vdir, out);
  put_windows(vdir, out);
  put_ssl_required(vdir, out);
  return out;
}

}  // namespace pp::sources
