#include "sources/config_target.h"

#include "core/input_file.h"
#include "sources/exchange_facts.h"
#include "sources/exchange_json.h"
#include "sources/iis_effective.h"
#include "sources/iis_facts.h"
#include "sources/iis_reader.h"
#include "sources/ipsec_facts.h"
#include "sources/ipsec_json.h"
#include "sources/ipsec_netsh.h"
#include "sources/schannel_facts.h"
#include "sources/schannel_reader.h"

namespace pp::sources {

namespace {

Subject vdir_subject(const Target& t, const std::string& file, const std::string& site, const std::string& path,
                     const std::vector<Binding>& bindings) {
  Subject s;
  s.kind = SubjectKind::Vdir;
  s.target = t.name;
  s.host = site;
  s.path = path;
  s.source = file;
  s.tags = t.tags;
  for (const auto& b : bindings) {
    if (b.protocol == "https" && !s.port) s.port = static_cast<uint16_t>(b.port);
    if (b.protocol == "http" && !s.plain_port) s.plain_port = static_cast<uint16_t>(b.port);
  }
  return s;
}

std::string load(const std::string& path, std::string& text) {
  if (std::string why = read_input_file(path, kMaxConfigBytes, text); !why.empty())
    return path + ":0:0: cannot read: " + why;
  return {};
}

/// The web.configs layered under an applicationHost.config, each at its IIS path.
std::string add_web_configs(const ConfigFile& cfg, IisConfig& config) {
  for (const auto& [at, path] : cfg.web_configs) {
    std::string text;
    if (std::string err = load(path, text); !err.empty()) return err;
    if (std::string err = read_web_config(text, path, at, config); !err.empty()) return err;
  }
  return {};
}

void observe_sites(const Target& t, const ConfigFile& cfg, const IisConfig& config, ConfigObservation& out) {
  for (const auto& site : config.sites)
    for (const auto& vd : site.vdirs)
      out.subjects.push_back({vdir_subject(t, cfg.path, site.name, vd.path, site.bindings),
                              iis_facts(resolve(config, vd.config_path), site.bindings)});
}

/// A web.config judged on its own: one subject at its IIS path ("Site/vdir"), no bindings.
void observe_web_config(const Target& t, const ConfigFile& cfg, const IisConfig& config, ConfigObservation& out) {
  const size_t slash = cfg.at.find('/');
  const std::string site = cfg.at.substr(0, slash);
  const std::string path = slash == std::string::npos ? "/" : cfg.at.substr(slash);
  out.subjects.push_back({vdir_subject(t, cfg.path, site, path, {}), iis_facts(resolve(config, cfg.at), {})});
}

/// A SCHANNEL registry export: one endpoint subject, the Windows host it was taken from, named
/// `FILE:SCHANNEL`; its https scheme lets the TLS rules written for endpoints judge it.
std::string observe_schannel(const Target& t, const ConfigFile& cfg, std::string_view text, ConfigObservation& out) {
  WindowsServer windows = WindowsServer::Unknown;
  if (!cfg.windows.empty() && !parse_windows_server(cfg.windows, windows))
    return cfg.path + ":0:0: unknown Windows Server release '" + cfg.windows + "' (expected " + kWindowsServerChoices + ")";
  RegExport reg;
  if (std::string err = read_reg_export(text, cfg.path, reg); !err.empty()) return err;
  Subject s;
  s.kind = SubjectKind::Endpoint;
  s.target = t.name;
  s.host = "SCHANNEL";
  s.scheme = "https";
  s.source = cfg.path;
  s.tags = t.tags;
  out.subjects.push_back({std::move(s), schannel_facts(RegView(reg), windows)});
  out.families.emplace_back("schannel");
  return {};
}

/// An Exchange export: one subject per virtual directory, at its server (and its site when
/// that is not the Default Web Site, so front- and back-end vdirs stay apart).
std::string observe_exchange(const Target& t, const ConfigFile& cfg, std::string_view text, ConfigObservation& out) {
  std::vector<ExchangeVdir> vdirs;
  if (std::string err = read_exchange_json(text, cfg.path, vdirs); !err.empty()) return err;
  for (const auto& v : vdirs) {
    std::string host = v.server.empty() ? std::string("(server not named)") : v.server;
    if (!v.site.empty() && v.site != "Default Web Site") host += " (" + v.site + ")";
    out.subjects.push_back({vdir_subject(t, cfg.path, host, std::string(v.type->path), {}), exchange_facts(v)});
    out.families.emplace_back("exchange");
  }
  return {};
}

/// A Windows IPsec rule export (JSON, or netsh's text when `netsh` is set): one endpoint
/// subject, the host it was taken from, named `FILE:IPSEC`, judged against the peers the entry
/// names.
std::string observe_ipsec(const Target& t, const ConfigFile& cfg, std::string_view text, bool netsh, ConfigObservation& out) {
  for (const auto& peer : cfg.peers)
    if (!valid_ipsec_peer(peer))
      return cfg.path + ":0:0: peer '" + peer + "' is not an IP address, subnet (10.0.0.0/24) or range (10.0.0.1-10.0.0.9)";
  std::vector<IpsecRule> rules;
  const std::string err = netsh ? read_ipsec_netsh(text, cfg.path, rules) : read_ipsec_json(text, cfg.path, rules);
  if (!err.empty()) return err;
  Subject s;
  s.kind = SubjectKind::Endpoint;
  s.target = t.name;
  s.host = "IPSEC";
  s.source = cfg.path;
  s.tags = t.tags;
  out.subjects.push_back({std::move(s), ipsec_facts(rules, cfg.peers)});
  out.families.emplace_back("ipsec");
  return {};
}

std::string guess_kind(std::string_view text) {
  if (looks_like_schannel_export(text)) return "schannel";
  std::string kind = guess_iis_kind(text);
  if (kind.empty() && looks_like_exchange_json(text)) kind = "exchange";
  if (kind.empty() && looks_like_ipsec_json(text)) kind = "ipsec";
  if (kind.empty() && looks_like_ipsec_netsh(text)) kind = "ipsec-netsh";
  return kind;
}

std::string observe(const Target& t, const ConfigFile& cfg, ConfigObservation& out) {
  std::string text;
  if (std::string err = load(cfg.path, text); !err.empty()) return err;
  const std::string kind = cfg.kind.empty() ? guess_kind(text) : cfg.kind;
  if (kind.empty())
    return cfg.path + ":1:1: cannot tell what kind of configuration this is; name its kind (iis, iis-web, schannel, exchange, ipsec or ipsec-netsh)";
  if (kind == "schannel") return observe_schannel(t, cfg, text, out);
  if (kind == "exchange") return observe_exchange(t, cfg, text, out);
  if (kind == "ipsec" || kind == "ipsec-netsh") return observe_ipsec(t, cfg, text, kind == "ipsec-netsh", out);
  IisConfig config;
  if (kind == "iis") {
    if (std::string err = read_application_host(text, cfg.path, config); !err.empty()) return err;
    if (std::string err = add_web_configs(cfg, config); !err.empty()) return err;
    observe_sites(t, cfg, config, out);
    return {};
  }
  if (kind == "iis-web") {
    if (std::string err = read_web_config(text, cfg.path, cfg.at, config); !err.empty()) return err;
    observe_web_config(t, cfg, config, out);
    return {};
  }
  return cfg.path + ":0:0: unknown configuration kind '" + kind + "' (expected iis, iis-web, schannel, exchange, ipsec or ipsec-netsh)";
}

}  // namespace

bool known_config_kind(const std::string& kind) {
  return kind == "iis" || kind == "iis-web" || kind == "schannel" || kind == "exchange" ||
         kind == "ipsec" || kind == "ipsec-netsh";
}

ConfigObservation read_config_target(const Target& target) {
  ConfigObservation out;
  for (const auto& cfg : target.configs) {
    ConfigObservation one;
    if (std::string err = observe(target, cfg, one); !err.empty()) {
      out.errors.push_back(err);
      continue;
    }
    one.families.resize(one.subjects.size(), "iis");  // the IIS readers leave it to this default
    for (auto& s : one.subjects) out.subjects.push_back(std::move(s));
    for (auto& f : one.families) out.families.push_back(std::move(f));
  }
  return out;
}

}  // namespace pp::sources
