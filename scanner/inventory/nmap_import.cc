#include "inventory/nmap_import.h"

#include <pugixml.hpp>
#include <string_view>

#include "core/atomic_file.h"
#include "core/ip_literal.h"
#include "core/service.h"

namespace pp::inventory {

namespace {

/// nmap service names and our scheme for each, without and with an ssl tunnel.
struct NmapService {
  std::string_view name, plain, tunnelled;
};
constexpr NmapService kNmapServices[] = {
    {"http", "http", "https"},          {"http-proxy", "http", "https"},  {"http-alt", "http", "https"},
    {"https", "https", "https"},        {"https-alt", "https", "https"},  {"submission", "submission", "smtps"},
    {"smtps", "smtps", "smtps"},        {"imap", "imap", "imaps"},        {"imaps", "imaps", "imaps"},
    {"pop3", "pop3", "pop3s"},          {"pop3s", "pop3s", "pop3s"},      {"ldap", "ldap", "ldaps"},
    {"ldaps", "ldaps", "ldaps"},        {"ldapssl", "ldaps", "ldaps"},    {"nntp", "nntp", "nntps"},
    {"nntps", "nntps", "nntps"},        {"snews", "nntps", "nntps"},
};

/// Maps nmap's service name (plus its ssl tunnel flag and the port) to our scheme, or "".
std::string scheme_for(std::string name, bool tunnel_ssl, int port) {
  if (name.rfind("ssl/", 0) == 0) {
    name = name.substr(4);
    tunnel_ssl = true;
  }
  if (name == "smtp") return tunnel_ssl || port == 465 ? "smtps" : (port == 587 ? "submission" : "smtp");
  for (const auto& s : kNmapServices)
    if (s.name == name) return std::string(tunnel_ssl ? s.tunnelled : s.plain);
  if (name.empty() || name == "unknown" || name == "tcpwrapped") {
    for (const auto& s : service_table())
      if (s.default_port == port) return std::string(s.scheme);
  }
  return {};
}

/// The host's first ipv4/ipv6 <address>, checked by inet_pton against its addrtype; false with
/// the reason when there is none or it is not what it claims to be.
bool host_address(const pugi::xml_node& host, std::string& addr, std::string& why) {
  for (pugi::xml_node a : host.children("address")) {
    const std::string type = a.attribute("addrtype").value();
    if (type != "ipv4" && type != "ipv6") continue;
    addr = a.attribute("addr").value();
    const IpLiteral want = type == "ipv4" ? IpLiteral::V4 : IpLiteral::V6;
    if (!addr.empty() && addr.front() != '[' && ip_literal(addr) == want) return true;
    why = "<address addr=\"" + addr + "\"> is not an " + type + " address";
    return false;
  }
  why = "<host> without an ipv4 or ipv6 <address>";
  return false;
}

}  // namespace

bool parse_nmap_xml(const std::string& text, const std::string& path, std::vector<Target>& out, Diagnostics& diags) {
  size_t before = diags.size();
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size());
  auto at = [&](ptrdiff_t offset, std::string message) {
    Diagnostic d{path, 0, 0, std::move(message)};
    offset_to_line_column(text, offset < 0 ? 0 : static_cast<size_t>(offset), d.line, d.column);
    diags.push_back(std::move(d));
  };
  if (!parsed) {
    at(parsed.offset, std::string("malformed XML: ") + parsed.description());
    return false;
  }
  pugi::xml_node run = doc.child("nmaprun");
  if (!run) {
    at(doc.first_child().offset_debug(), "not an nmap XML file: the root element must be <nmaprun>");
    return false;
  }
  for (pugi::xml_node host : run.children("host")) {
    pugi::xml_node status = host.child("status");
    if (status && std::string(status.attribute("state").value()) != "up") continue;
    std::string addr, why;
    if (!host_address(host, addr, why)) {
      at(host.offset_debug(), why);
      continue;
    }
    Target t;
    t.host = addr;
    t.name = addr;
    for (pugi::xml_node hn : host.child("hostnames").children("hostname")) {
      std::string name = hn.attribute("name").value();
      if (!name.empty() && !is_ip_literal(name)) {  // a name, never an IP literal, becomes the SNI
        t.name = name;
        t.sni = name;
        t.expected_names.push_back(name);
        break;
      }
    }
    for (pugi::xml_node port : host.child("ports").children("port")) {
      if (std::string(port.attribute("protocol").value()) != "tcp") continue;
      if (std::string(port.child("state").attribute("state").value()) != "open") continue;
      int number = port.attribute("portid").as_int(-1);
      if (number < 1 || number > 65535) {
        at(port.offset_debug(), "port number must be 1-65535, got '" + std::string(port.attribute("portid").value()) + "'");
        continue;
      }
      pugi::xml_node svc = port.child("service");
      std::string scheme = scheme_for(svc.attribute("name").value(),
                                      std::string(svc.attribute("tunnel").value()) == "ssl", number);
      if (!scheme.empty()) t.services.push_back({scheme, static_cast<uint16_t>(number)});
    }
    if (!t.services.empty()) {
      t.tags["source"] = "nmap";
      out.push_back(std::move(t));
    }
  }
  return diags.size() == before;
}

bool load_nmap_xml(const std::string& path, std::vector<Target>& out, Diagnostics& diags) {
  std::string text, err;
  if (!read_file(path, text, err)) {
    diags.push_back({path, 0, 0, err});
    return false;
  }
  return parse_nmap_xml(text, path, out, diags);
}

}  // namespace pp::inventory
