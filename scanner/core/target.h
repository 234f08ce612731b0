#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pp {

/// One service of a target: a scheme from service_table() and a port.
struct ServiceEndpoint {
  std::string scheme;  ///< "https", "smtp", ...
  uint16_t port = 0;
  /// Added beside what was named (plain http on 80 beside an https URL on 443): a closed port
  /// is then an observation (no plaintext HTTP), not an error.
  bool implied = false;
};

/// A configuration file judged instead of a running server (`[[config]]` in the inventory,
/// `--config` on the command line): read, never executed.
struct ConfigFile {
  std::string kind;  ///< "iis", "iis-web", "schannel", "exchange", "ipsec"; empty = guessed from the content
  std::string path;
  std::string at;    ///< iis-web only: the IIS path it applies at ("Default Web Site/owa")
  std::map<std::string, std::string> web_configs;  ///< iis only: IIS path -> web.config layered there
  std::string windows;  ///< schannel only: the Windows Server release ("2016"), whose defaults apply
  std::vector<std::string> peers;  ///< ipsec only: the addresses at the other end of the hop to protect
};

/// What the inventory (or a command-line URL) names: a host and what runs on it.
struct Target {
  std::string name;                       ///< unique in the inventory
  std::string host;                       ///< name or IP literal to connect to
  std::string sni;                        ///< name sent as SNI and HTTP Host; empty = host
  std::vector<ServiceEndpoint> services;
  std::vector<std::string> vdirs;         ///< empty = the default Exchange list for web services
  std::vector<std::string> expected_names;///< every name clients use (the SAN check needs them)
  std::map<std::string, std::string> tags;
  std::vector<std::string> profiles;
  bool discover = false;                  ///< bare host: try the usual ports, keep those that answer
  std::vector<ConfigFile> configs;        ///< a configuration target: these files, no services

  /// The name clients use: sni if set, else host.
  const std::string& display_host() const { return sni.empty() ? host : sni; }
};

/// The virtual directories probed when the inventory names none for a web service.
const std::vector<std::string>& default_exchange_vdirs();

}  // namespace pp
