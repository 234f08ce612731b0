#include "sources/schannel_facts.h"

#include <array>
#include <cstdio>

#include "core/text.h"

namespace pp::sources {

namespace {

constexpr const char* kSchannel = "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL";
constexpr const char* kSuiteOrderParent = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL";
constexpr const char* kSuiteOrder = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\00010002";
constexpr std::array<const char*, 2> kDotNet = {"HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319",
                                                "HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319"};

/// What a Windows release does with a protocol when the registry sets nothing.
enum class Default { NotSupported, Off, On };

/// Index into the per-release columns below: 2012 R2, 2016, 2019, 2022, 2025.
constexpr size_t kReleases = 5;

/// A protocol's registry key, the network probe's spelling, and its defaults per release.
/// Source of the defaults: Microsoft's "Protocols in TLS/SSL (Schannel SSP)" table (per release
/// and side: Enabled, Disabled, Not supported) and "TLS registry settings" page:
///  - SSL 2.0: removed from Windows 10 1607 / Server 2016 on (not supported); on 2012 R2 the
///    server side is disabled by default and the client side not supported.
///  - SSL 3.0: disabled by default since Windows 10 1607 / Server 2016, both sides.
///  - TLS 1.0 and 1.1: enabled through Server 2022; disabled by default in Server 2025 (the
///    TLS 1.0 / 1.1 deprecation Microsoft announced for new Windows releases).
///  - TLS 1.2: enabled by default on every release here (since Windows 8.1 / 2012 R2).
///  - TLS 1.3: supported and enabled by default from Server 2022 on, not supported before.
struct Protocol {
  const char* key;
  const char* name;
  std::array<Default, kReleases> server;
  std::array<Default, kReleases> client;
};

constexpr Default N = Default::NotSupported, O = Default::Off, Y = Default::On;
constexpr std::array<Protocol, 6> kProtocols = {{
    {"SSL 2.0", "SSLv2", {O, N, N, N, N}, {N, N, N, N, N}},
    {"SSL 3.0", "SSLv3", {Y, O, O, O, O}, {Y, O, O, O, O}},
    {"TLS 1.0", "TLSv1.0", {Y, Y, Y, Y, O}, {Y, Y, Y, Y, O}},
    {"TLS 1.1", "TLSv1.1", {Y, Y, Y, Y, O}, {Y, Y, Y, Y, O}},
    {"TLS 1.2", "TLSv1.2", {Y, Y, Y, Y, Y}, {Y, Y, Y, Y, Y}},
    {"TLS 1.3", "TLSv1.3", {N, N, N, Y, Y}, {N, N, N, Y, Y}},
}};

/// The registry names of Microsoft's TLS registry settings page, in their usual spelling; a
/// key of the export matches one case-insensitively ("Triple DES 168/168" is the older name
/// of "Triple DES 168"). A key not listed is reported as written.
constexpr std::array<const char*, 12> kCiphers = {"AES 128/128", "AES 256/256", "DES 56/56",   "NULL",
                                                  "RC2 40/128",  "RC2 56/128",  "RC2 128/128", "RC4 40/128",
                                                  "RC4 56/128",  "RC4 64/128",  "RC4 128/128", "Triple DES 168"};
constexpr std::array<const char*, 5> kHashes = {"MD5", "SHA", "SHA256", "SHA384", "SHA512"};
constexpr std::array<const char*, 3> kKeyExchanges = {"Diffie-Hellman", "ECDH", "PKCS"};

size_t column(WindowsServer w) { return static_cast<size_t>(w) - 1; }

std::string schannel_key(const std::string& rest) { return std::string(kSchannel) + "\\" + rest; }

std::string shown(const RegValue& v) {
  char buf[32];
  switch (v.type) {
    case RegValue::Type::Dword: std::snprintf(buf, sizeof buf, "dword:%08llx", static_cast<unsigned long long>(v.number)); return buf;
    case RegValue::Type::Qword: std::snprintf(buf, sizeof buf, "qword:%llx", static_cast<unsigned long long>(v.number)); return buf;
    case RegValue::Type::String: case RegValue::Type::ExpandString: return text::join({"", v.text, ""}, "\"");
    case RegValue::Type::MultiString: return text::join({"[", text::join(v.strings, ", "), "]"}, "");
    default: return text::join({"(", std::to_string(v.bytes.size()), " bytes)"}, "");
  }
}

/// "file:12: \"Enabled\"=dword:00000000": where a value was set, and what.
std::string where(const RegValue& v) { return v.at.where() + ": \"" + v.name + "\"=" + shown(v); }

/// A number the registry holds: a dword or qword (a REG_SZ of digits is not read as one).
bool number(const RegValue* v, uint64_t& n) {
  if (!v || (v->type != RegValue::Type::Dword && v->type != RegValue::Type::Qword)) return false;
  n = v->number;
  return true;
}

std::string default_word(Default d) {
  return d == Default::On ? "enabled" : d == Default::Off ? "disabled" : "not supported";
}

/// How to name the release, for the reasons of facts that need it.
std::string name_the_release() {
  return std::string("name the Windows Server release: windows = \"2019\" in the [[config]] entry or --config "
                     "schannel@2019:FILE (one of ") + kWindowsServerChoices + ")";
}

std::string name_the_version(const std::string& what) {
  return what + ": no value set, and the Windows default depends on the release: " + name_the_release();
}

/// One protocol on one side: on, off, or undecided (Unknown when the release is needed).
struct Decision {
  FactState state = FactState::Known;
  bool on = false;
  std::string evidence;  ///< or the reason when Unknown
};

Decision decide(const RegView& reg, const Protocol& p, bool server, WindowsServer windows) {
  const std::string side = server ? "Server" : "Client";
  const std::string key = schannel_key(std::string("Protocols\\") + p.key + "\\" + side);
  const std::string what = std::string(p.key) + " " + side;
  const RegValue* enabled = reg.value(key, "Enabled");
  const RegValue* dbd = reg.value(key, "DisabledByDefault");
  uint64_t n = 0;
  // Enabled=0 turns the protocol off on every release; DisabledByDefault=1 keeps it from
  // everything that uses the system defaults (IIS, Exchange, .NET with SystemDefaultTlsVersions).
  if (number(enabled, n) && n == 0) return {FactState::Known, false, what + ": " + where(*enabled)};
  if (number(dbd, n) && n != 0) return {FactState::Known, false, what + ": " + where(*dbd)};
  const auto& defaults = server ? p.server : p.client;
  if (number(enabled, n)) {
    std::string ev = what + ": " + where(*enabled);
    if (dbd) ev += ", " + where(*dbd);
    if (windows != WindowsServer::Unknown) {
      if (defaults[column(windows)] == Default::NotSupported)
        return {FactState::Known, false, ev + ", but " + to_string(windows) + " does not support " + p.key};
      return {FactState::Known, true, ev};
    }
    for (Default d : defaults)
      if (d == Default::NotSupported)
        return {FactState::Unknown, false,
                what + ": " + where(*enabled) + " takes effect only on the Windows releases that support " + p.key +
                    ": " + name_the_release()};
    return {FactState::Known, true, ev};
  }
  if (windows == WindowsServer::Unknown) return {FactState::Unknown, false, name_the_version(what)};
  const Default d = defaults[column(windows)];
  return {FactState::Known, d == Default::On, what + ": no value set: " + to_string(windows) + " default (" + default_word(d) + ")"};
}

/// The protocols one side uses by default, with the evidence of the enabled ones first (a
/// finding about a protocol accepted points at the line that enables it).
void put_protocols(const RegView& reg, bool server, WindowsServer windows, const std::string& fact, FactSet& out) {
  StringList on;
  std::vector<std::string> on_ev, off_ev, unknown;
  for (const auto& p : kProtocols) {
    Decision d = decide(reg, p, server, windows);
    if (d.state == FactState::Unknown) {
      unknown.push_back(d.evidence);
    } else if (d.on) {
      on.push_back(p.name);
      on_ev.push_back(d.evidence);
    } else {
      off_ev.push_back(d.evidence);
    }
  }
  if (!unknown.empty()) {
    out.put(Fact::unknown(fact, text::join(unknown, "; ")));
    return;
  }
  on_ev.insert(on_ev.end(), off_ev.begin(), off_ev.end());
  out.put(Fact::known(fact, on, text::join(on_ev, "; ")));
}

std::string canonical(const std::string& written, const char* const* names, size_t count) {
  const std::string alias = text::iequals(written, "Triple DES 168/168") ? "Triple DES 168" : written;
  for (size_t i = 0; i < count; ++i)
    if (text::iequals(alias, names[i])) return names[i];
  return written;
}

/// The subkeys of SCHANNEL\<group> turned off with Enabled=0.
template <size_t N>
void put_disabled(const RegView& reg, const char* group, const std::array<const char*, N>& names,
                  const std::string& fact, FactSet& out) {
  const std::string parent = schannel_key(group);
  StringList off;
  // The keys left on first: a finding about one points at the line that leaves it on.
  std::vector<std::string> ev, off_ev;
  for (const auto& sub : reg.subkeys(parent)) {
    const RegValue* enabled = reg.value(parent + "\\" + sub, "Enabled");
    uint64_t n = 0;
    if (!number(enabled, n)) continue;
    (n == 0 ? off_ev : ev).push_back(std::string(group) + "\\" + sub + ": " + where(*enabled));
    if (n == 0) off.push_back(canonical(sub, names.data(), names.size()));
  }
  ev.insert(ev.end(), off_ev.begin(), off_ev.end());
  out.put(Fact::known(fact, off,
                      ev.empty() ? std::string("no ") + group + " value set: Windows turns none of them off by registry"
                                 : text::join(ev, "; ")));
}

/// Source of the defaults: Microsoft's TLS registry settings page (ServerMinKeyBitLength: 2048
/// bits when not configured, Windows 10 / Server 2016 on) and Security Advisory 3174644 (the
/// value added to Server 2012 R2, whose default stays 1024 bits).
void put_dh_min(const RegView& reg, WindowsServer windows, FactSet& out) {
  const std::string key = schannel_key("KeyExchangeAlgorithms\\Diffie-Hellman");
  const RegValue* v = reg.value(key, "ServerMinKeyBitLength");
  uint64_t n = 0;
  if (number(v, n)) {
    out.put(Fact::known("schannel.dh_min_bits", static_cast<int64_t>(n), "KeyExchangeAlgorithms\\Diffie-Hellman: " + where(*v)));
    return;
  }
  if (windows == WindowsServer::Unknown) {
    out.put(Fact::unknown("schannel.dh_min_bits", name_the_version("Diffie-Hellman ServerMinKeyBitLength")));
    return;
  }
  const int64_t bits = windows == WindowsServer::S2012R2 ? 1024 : 2048;
  out.put(Fact::known("schannel.dh_min_bits", bits,
                      "ServerMinKeyBitLength: no value set: " + to_string(windows) + " default (" + std::to_string(bits) + " bits)"));
}

StringList split_commas(const std::string& s) {
  StringList out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    std::string item = s.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

/// The SSL Cipher Suite Order policy: "Functions", a comma list (REG_SZ) or one suite per
/// string (REG_MULTI_SZ).
void put_suite_order(const RegView& reg, WindowsServer windows, FactSet& out) {
  const RegValue* v = reg.value(kSuiteOrder, "Functions");
  if (!v && !reg.covers(kSuiteOrderParent)) {
    out.put(Fact::unknown("schannel.cipher_suite_order",
                          std::string("the export does not include ") + kSuiteOrderParent +
                              ": export it too (when that key does not exist, no order policy is set)"));
    return;
  }
  if (!v) {
    const std::string release = windows == WindowsServer::Unknown ? std::string("the release's") : to_string(windows) + "'s";
    out.put(Fact::known("schannel.cipher_suite_order", StringList{},
                        "no SSL Cipher Suite Order policy value set: " + release + " default order applies"));
    return;
  }
  StringList suites;
  if (v->type == RegValue::Type::MultiString) {
    for (const auto& s : v->strings)
      for (auto& one : split_commas(s)) suites.push_back(one);
  } else {
    suites = split_commas(v->text);
  }
  out.put(Fact::known("schannel.cipher_suite_order", suites, "SSL\\00010002: " + v->at.where() + ": \"Functions\""));
}

/// A .NET Framework 4 switch: true only when both the 64-bit and the 32-bit (Wow6432Node) key
/// set it to 1, as Microsoft's guidance for Exchange and TLS 1.2 requires.
void put_dotnet(const RegView& reg, const std::string& name, const std::string& fact, FactSet& out) {
  for (const char* key : kDotNet)
    if (!reg.covers(key)) {
      out.put(Fact::unknown(fact, std::string("the export does not include ") + key + ": export it too (reg export)"));
      return;
    }
  bool all = true;
  std::vector<std::string> ev;
  for (const char* key : kDotNet) {
    const std::string label = std::string(key).find("Wow6432Node") != std::string::npos ? "32-bit .NET" : "64-bit .NET";
    const RegValue* v = reg.value(key, name);
    uint64_t n = 0;
    if (number(v, n)) {
      ev.push_back(label + ": " + where(*v));
      all = all && n == 1;
    } else {
      ev.push_back(label + ": no " + name + " value set (off for applications built for .NET before 4.6)");
      all = false;
    }
  }
  out.put(Fact::known(fact, all, text::join(ev, "; ")));
}

}  // namespace

FactSet schannel_facts(const RegView& reg, WindowsServer windows) {
  FactSet out;
  put_suite_order(reg, windows, out);
  put_dotnet(reg, "SchUseStrongCrypto", "schannel.dotnet_strong_crypto", out);
  put_dotnet(reg, "SystemDefaultTlsVersions", "schannel.dotnet_system_default_tls", out);
  if (!reg.covers(kSchannel)) {
    // Without the key, nothing says whether a value is unset or merely not exported.
    const std::string why = std::string("the export does not include ") + kSchannel + ": export it (reg export)";
    for (const char* f : {"tls.protocols", "schannel.client_protocols", "schannel.ciphers_disabled", "schannel.hashes_disabled",
                          "schannel.key_exchanges_disabled", "schannel.dh_min_bits"})
      out.put(Fact::unknown(f, why));
    return out;
  }
  put_protocols(reg, true, windows, "tls.protocols", out);
  put_protocols(reg, false, windows, "schannel.client_protocols", out);
  put_disabled(reg, "Ciphers", kCiphers, "schannel.ciphers_disabled", out);
  put_disabled(reg, "Hashes", kHashes, "schannel.hashes_disabled", out);
  put_disabled(reg, "KeyExchangeAlgorithms", kKeyExchanges, "schannel.key_exchanges_disabled", out);
  put_dh_min(reg, windows, out);
  return out;
}

}  // namespace pp::sources
