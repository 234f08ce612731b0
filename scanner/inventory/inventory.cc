#include "inventory/inventory.h"

#include <algorithm>
#include <set>

#include "config/toml_diagnostics.h"
#include "core/input_file.h"
#include "core/ip_literal.h"
#include "core/service.h"
#include "core/windows_server.h"

namespace pp::inventory {

namespace {

class Reader {
 public:
  Reader(std::string path, Diagnostics& diags) : rep_{std::move(path), &diags}, diags_(diags) {}

  void error(const toml::source_region& where, std::string message) { rep_.at(where, std::move(message)); }

  void check_keys(const toml::table& table, std::initializer_list<std::string_view> allowed, std::string_view where) {
    config::check_keys(table, allowed, where, rep_);
  }

  bool get_string(const toml::node& node, const std::string& key, std::string& out) {
    auto v = config::string_value(node, key, rep_);
    if (v) out = std::move(*v);
    return v.has_value();
  }

  bool get_string_list(const toml::node& node, const std::string& key, std::vector<std::string>& out) {
    auto v = config::get_string_list(node, key, false, rep_);
    if (v) out = std::move(*v);
    return v.has_value();
  }

  bool get_tags(const toml::node& node, std::map<std::string, std::string>& out) {
    const toml::table* t = node.as_table();
    if (!t) {
      error(node.source(), "'tags' must be a table of key = \"value\" pairs");
      return false;
    }
    for (const auto& [key, value] : *t) {
      auto v = value.value<std::string>();
      if (!v) {
        error(value.source(), "tag '" + std::string(key.str()) + "' must be a string");
        return false;
      }
      out[std::string(key.str())] = *v;
    }
    return true;
  }

  bool get_services(const toml::node& node, std::vector<ServiceEndpoint>& out) {
    const toml::array* arr = node.as_array();
    if (!arr) {
      error(node.source(), "'services' must be an array of \"scheme:port\" strings");
      return false;
    }
    out.clear();
    bool ok = true;
    for (const auto& item : *arr) {
      auto v = item.value<std::string>();
      if (!v) {
        error(item.source(), "a service must be a string such as \"https:443\" or \"imaps\"");
        ok = false;
        continue;
      }
      std::string scheme = *v, port_text;
      if (auto colon = v->find(':'); colon != std::string::npos) {
        scheme = v->substr(0, colon);
        port_text = v->substr(colon + 1);
      }
      const ServiceInfo* svc = find_service(scheme);
      if (!svc) {
        error(item.source(), "unknown service scheme '" + scheme +
                                 "' (expected https, http, smtp, submission, smtps, imap, imaps, pop3, pop3s, "
                                 "ldap, ldaps, nntp or nntps)");
        ok = false;
        continue;
      }
      uint16_t port = svc->default_port;
      if (!port_text.empty() || v->find(':') != std::string::npos) {
        bool digits = !port_text.empty() && port_text.size() <= 5 &&
                      std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; });
        long p = digits ? std::stol(port_text) : 0;
        if (!digits || p < 1 || p > 65535) {
          error(item.source(), "port must be 1-65535 in service '" + *v + "'");
          ok = false;
          continue;
        }
        port = static_cast<uint16_t>(p);
      }
      out.push_back({scheme, port});
    }
    return ok;
  }

  bool validate_vdirs(const toml::node& node, const std::vector<std::string>& vdirs) {
    for (const auto& v : vdirs) {
      if (v.empty() || v.front() != '/') {
        error(node.source(), "vdir '" + v + "' must start with '/'");
        return false;
      }
    }
    return true;
  }

  /// The host: "[v6]" loses its brackets; IP literals are what inet_pton accepts, and a number
  /// that is not one ("1.2.3", "01.2.3.4") is refused rather than left to the resolver. SNI
  /// names a host, never an IP literal (RFC 6066).
  void check_host(const toml::table& t, Target& target) {
    const toml::node* host = t.get("host");
    if (host && target.host.empty()) error(host->source(), "'host' must not be empty");
    if (host && !target.host.empty()) {
      const bool bracketed = target.host.front() == '[';
      const IpLiteral ip = ip_literal(target.host);
      if (ip == IpLiteral::V6 && bracketed) target.host = target.host.substr(1, target.host.size() - 2);
      if ((bracketed || target.host.find(':') != std::string::npos) && ip != IpLiteral::V6)
        error(host->source(), "'host' " + target.host + " is not a valid IPv6 address");
      else if (numeric_non_ip(target.host))
        error(host->source(), "'host' " + target.host +
                                  " is neither an IPv4 address (four numbers 0-255, no leading zeros) nor a host name");
    }
    if (is_ip_literal(target.sni)) {
      const toml::node* sni = t.get("sni");
      error(sni ? sni->source() : t.source(), "'sni' must be a host name, not an IP literal (RFC 6066)");
    }
  }

  /// Reads the keys a target and [defaults] share into `t`.
  void read_common(const toml::table& table, Target& t) {
    if (auto n = table.get("sni")) get_string(*n, "sni", t.sni);
    if (auto n = table.get("services")) get_services(*n, t.services);
    if (auto n = table.get("vdirs")) {
      if (get_string_list(*n, "vdirs", t.vdirs)) validate_vdirs(*n, t.vdirs);
    }
    if (auto n = table.get("expected_names")) get_string_list(*n, "expected_names", t.expected_names);
    if (auto n = table.get("tags")) get_tags(*n, t.tags);
    if (auto n = table.get("profiles")) get_string_list(*n, "profiles", t.profiles);
  }

  void read(const toml::table& root, std::vector<Target>& out) {
    check_keys(root, {"schema", "defaults", "target", "config"}, "the inventory's top level");
    if (auto n = root.get("schema")) {
      auto v = n->value<int64_t>();
      if (!v || *v != 1) error(n->source(), "unsupported inventory schema (this policyprobe reads schema = 1)");
    } else {
      rep_.at_start("missing 'schema = 1' at the top of the inventory");
    }
    Target defaults;
    if (auto n = root.get("defaults")) {
      if (const toml::table* d = n->as_table()) {
        check_keys(*d, {"sni", "services", "vdirs", "expected_names", "tags", "profiles"}, "[defaults]");
        read_common(*d, defaults);
      } else {
        error(n->source(), "'defaults' must be a table");
      }
    }
    std::map<std::string, toml::source_region> names;
    if (const toml::node* configs = root.get("config")) read_configs(*configs, defaults, names, out);
    const toml::node* targets_node = root.get("target");
    if (!targets_node) {
      if (!root.get("config")) rep_.at_start("no [[target]] or [[config]] entries");
      return;
    }
    const toml::array* targets = targets_node->as_array();
    if (!targets) {
      error(targets_node->source(), "'target' must be an array of tables: write [[target]]");
      return;
    }
    for (const auto& node : *targets) {
      const toml::table* t = node.as_table();
      if (!t) {
        error(node.source(), "each target must be a table");
        continue;
      }
      check_keys(*t, {"name", "host", "sni", "services", "vdirs", "expected_names", "tags", "profiles"},
                 "[[target]]");
      Target target = defaults;
      target.tags = defaults.tags;
      size_t before = diags_.size();
      if (auto n = t->get("name")) get_string(*n, "name", target.name);
      else error(t->source(), "target without 'name'");
      if (auto n = t->get("host")) get_string(*n, "host", target.host);
      else error(t->source(), "target '" + target.name + "' without 'host'");
      std::map<std::string, std::string> own_tags;
      read_common(*t, target);
      for (const auto& [k, v] : defaults.tags) target.tags.emplace(k, v);  // target's own keys win
      if (target.services.empty() && diags_.size() == before)
        error(t->source(), "target '" + target.name + "' has no services (e.g. services = [\"https:443\"])");
      check_host(*t, target);
      if (!claim_name(*t, target.name, names)) continue;
      if (diags_.size() == before) out.push_back(std::move(target));
    }
  }

 private:
  /// A name must be unique among targets and configuration targets alike.
  bool claim_name(const toml::table& t, const std::string& name, std::map<std::string, toml::source_region>& names) {
    if (name.empty()) return true;
    auto [it, fresh] = names.emplace(name, t.source());
    if (!fresh)
      error(t.get("name")->source(), "duplicate target name '" + name + "' (first defined at line " +
                                         std::to_string(it->second.begin.line) + ")");
    return fresh;
  }

  /// A relative file path is relative to the inventory's folder.
  std::string beside_inventory(const std::string& file) const {
    if (file.empty() || file.front() == '/') return file;
    const size_t slash = rep_.file.rfind('/');
    return slash == std::string::npos ? file : rep_.file.substr(0, slash + 1) + file;
  }

  /// `windows` of a [[config]]: the Windows Server release whose SCHANNEL defaults apply.
  void read_windows(const toml::node& n, std::string& out) {
    WindowsServer release = WindowsServer::Unknown;
    if (get_string(n, "windows", out) && !parse_windows_server(out, release))
      error(n.source(), "unknown Windows Server release '" + out + "' (expected " + kWindowsServerChoices + ")");
  }

  /// One [[config]]: a configuration file judged instead of a server.
  void read_config(const toml::table& t, const Target& defaults, std::map<std::string, toml::source_region>& names,
                   std::vector<Target>& out) {
    check_keys(t, {"name", "kind", "path", "at", "web_configs", "windows", "peers", "tags", "profiles"},
               "[[config]]");
    const size_t before = diags_.size();
    Target target;
    target.tags = defaults.tags;
    target.profiles = defaults.profiles;
    ConfigFile file;
    if (auto n = t.get("name")) get_string(*n, "name", target.name);
    else error(t.source(), "[[config]] without 'name'");
    if (auto n = t.get("path")) get_string(*n, "path", file.path);
    else error(t.source(), "[[config]] '" + target.name + "' without 'path'");
    if (auto n = t.get("kind")) {
      get_string(*n, "kind", file.kind);
      if (file.kind != "iis" && file.kind != "iis-web" && file.kind != "schannel" && file.kind != "exchange" &&
          file.kind != "ipsec" && file.kind != "ipsec-netsh")
        error(n->source(), "unknown config kind '" + file.kind + "' (expected iis, iis-web, schannel, exchange, ipsec or ipsec-netsh)");
    }
    if (auto n = t.get("at")) get_string(*n, "at", file.at);
    if (auto n = t.get("windows")) read_windows(*n, file.windows);
    if (auto n = t.get("web_configs")) get_tags(*n, file.web_configs);
    if (auto n = t.get("peers")) get_string_list(*n, "peers", file.peers);  // ipsec: the hop's other end
    for (auto& [at, path] : file.web_configs) path = beside_inventory(path);
    if (auto n = t.get("tags")) get_tags(*n, target.tags);
    if (auto n = t.get("profiles")) get_string_list(*n, "profiles", target.profiles);
    file.path = beside_inventory(file.path);
    target.configs.push_back(std::move(file));
    if (claim_name(t, target.name, names) && diags_.size() == before) out.push_back(std::move(target));
  }

  void read_configs(const toml::node& node, const Target& defaults, std::map<std::string, toml::source_region>& names,
                    std::vector<Target>& out) {
    const toml::array* arr = node.as_array();
    if (!arr) {
      error(node.source(), "'config' must be an array of tables: write [[config]]");
      return;
    }
    for (const auto& item : *arr) {
      if (const toml::table* t = item.as_table()) read_config(*t, defaults, names, out);
      else error(item.source(), "each config must be a table");
    }
  }

  config::Reporter rep_;
  Diagnostics& diags_;
};

}  // namespace

bool parse_inventory(const std::string& text, const std::string& path, std::vector<Target>& out, Diagnostics& diags) {
  size_t before = diags.size();
  auto root = config::parse_toml(text, path, config::Reporter{path, &diags});
  if (!root) return false;
  Reader(path, diags).read(*root, out);
  return diags.size() == before;
}

bool load_inventory(const std::string& path, std::vector<Target>& out, Diagnostics& diags) {
  std::string text;
  if (std::string why = read_input_file(path, kMaxTomlInputBytes, text); !why.empty()) {
    diags.push_back({path, 0, 0, why});
    return false;
  }
  return parse_inventory(text, path, out, diags);
}

}  // namespace pp::inventory
