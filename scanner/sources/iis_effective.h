#pragma once
#include <map>
#include <string>
#include <vector>

#include "sources/iis_layers.h"

namespace pp::sources {

/// The value of one attribute as IIS would apply it at a path, with the element that decided
/// it. `set` is false when no file sets it (the schema default applies).
struct Decided {
  std::string value;
  Position at;
  bool set = false;
  bool inherited = false;  ///< decided by a layer above the path asked for
};

/// An item of a collection as IIS would hold it at a path.
struct Item {
  std::string key;
  std::map<std::string, std::string> attributes;
  Position at;
};

/// Every setting as IIS merges them at one configuration path: applicationHost.config first
/// (the server, then its <location> blocks from the shallowest path down), then each
/// web.config from the site root down (each with its own <location> blocks). A later layer
/// replaces an attribute; a collection is built by its <add>, <remove> and <clear/> in the
/// same order. A section locked above a web.config (overrideModeDefault or <location
/// overrideMode="Deny">) is not applied from that web.config, and is listed in `locked`.
struct Effective {
  std::map<std::string, Decided> settings;            ///< "element@attribute"
  std::map<std::string, std::vector<Item>> collections;
  std::map<std::string, Position> last_change;        ///< a collection's last <remove>/<clear/>
  std::vector<std::string> locked;                    ///< "file:line: section X is locked ..."

  Decided get(const std::string& element, const std::string& attribute) const;
  const std::vector<Item>& items(const std::string& collection) const;
};

/// The effective settings at `config_path` ("Default Web Site/owa"; "" for the server).
Effective resolve(const IisConfig& config, const std::string& config_path);

/// True when `prefix` is `path` or one of its ancestors, by '/' segments, case-insensitive
/// like IIS ("" is everyone's ancestor).
bool path_covers(const std::string& prefix, const std::string& path);

}  // namespace pp::sources
