#pragma once
#include <map>
#include <string>
#include <vector>

namespace pp::sources {

/// Where a setting was written: the file as it was named to us, 1-based line and column.
struct Position {
  std::string file;
  int line = 0;
  int column = 0;
  /// "file:line" (the column only where a parse error is reported).
  std::string where() const;
};

/// One attribute of one configuration element: `security/access` `sslFlags` = "Ssl".
/// Element paths are relative to <system.webServer>, elements joined with '/'.
struct Setting {
  std::string element;
  std::string attribute;
  std::string value;
  Position at;
};

/// An <add>, <remove> or <clear/> inside a collection element (`httpProtocol/customHeaders`).
struct CollectionOp {
  enum class Kind { Add, Remove, Clear };
  std::string collection;
  Kind kind = Kind::Add;
  std::string key;  ///< the item's key attribute (name, verb or value); empty for <clear/>
  std::map<std::string, std::string> attributes;
  Position at;
};

/// One <system.webServer> block and the IIS configuration path it applies at: "" for the
/// server, "Default Web Site", "Default Web Site/owa". A <location path=...> block of
/// applicationHost.config, the top of a web.config, or a <location> inside one.
struct Layer {
  std::string path;
  int file_rank = 0;         ///< 0 applicationHost.config; a web.config: 1 + its path depth
  bool delegated = false;    ///< from a web.config: locked sections do not apply there
  /// <location overrideMode="Allow|Deny">: delegation of every section below this path.
  std::string override_mode;
  std::vector<Setting> settings;
  std::vector<CollectionOp> ops;
  Position at;
};

/// A binding of a site: <binding protocol="https" bindingInformation="*:443:" .../>.
struct Binding {
  std::string protocol;
  int port = 0;
  std::string host;
  std::string certificate_hash;
  std::string certificate_store;
  Position at;
};

/// A virtual directory as clients reach it: site-relative path ("/owa", "/" for the root),
/// its IIS configuration path ("Default Web Site/owa"), and where it is declared.
struct VirtualDir {
  std::string path;
  std::string config_path;
  Position at;
};

struct Site {
  std::string name;
  std::vector<Binding> bindings;
  std::vector<VirtualDir> vdirs;
  Position at;
};

/// What one IIS configuration set says: the sites (from applicationHost.config), every
/// <system.webServer> layer of every file, and the delegation defaults of <configSections>
/// (section path -> "Allow" / "Deny").
struct IisConfig {
  std::vector<Site> sites;
  std::vector<Layer> layers;
  std::map<std::string, std::string> override_defaults;
};

}  // namespace pp::sources
