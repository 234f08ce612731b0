#include <catch2/catch.hpp>
#include <cstdlib>

#include "inventory/nmap_import.h"

using namespace pp;
using namespace pp::inventory;

TEST_CASE("a real nmap -oX file becomes targets") {
  // tests/fixtures/nmap_lab.xml: `nmap -sV -Pn -p 21443,21080,21999 127.0.0.1 -oX` against an
  // openssl s_server (TLS), a plain HTTP server and a closed port on loopback.
  const char* src = std::getenv("PP_SOURCE_DIR");
  REQUIRE(src != nullptr);
  std::vector<Target> out;
  Diagnostics diags;
  REQUIRE(load_nmap_xml(std::string(src) + "/tests/fixtures/nmap_lab.xml", out, diags));
  REQUIRE(out.size() == 1);
  REQUIRE(out[0].host == "127.0.0.1");
  REQUIRE(out[0].services.size() == 2);  // the closed port is dropped
  bool https = false, http = false;
  for (const auto& s : out[0].services) {
    if (s.scheme == "https" && s.port == 21443) https = true;
    if (s.scheme == "http" && s.port == 21080) http = true;
  }
  REQUIRE(https);
  REQUIRE(http);
}

TEST_CASE("service names, tunnels and well-known ports map to schemes") {
  const std::string xml = R"(<?xml version="1.0"?>
<nmaprun>
<host><status state="up"/><address addr="192.0.2.5" addrtype="ipv4"/>
<hostnames><hostname name="mx.example.com" type="PTR"/></hostnames>
<ports>
<port protocol="tcp" portid="25"><state state="open"/><service name="smtp"/></port>
<port protocol="tcp" portid="465"><state state="open"/><service name="smtp" tunnel="ssl"/></port>
<port protocol="tcp" portid="993"><state state="open"/><service name="imaps"/></port>
<port protocol="tcp" portid="636"><state state="open"/><service name="tcpwrapped"/></port>
<port protocol="tcp" portid="22"><state state="open"/><service name="ssh"/></port>
<port protocol="udp" portid="389"><state state="open"/><service name="ldap"/></port>
</ports></host>
<host><status state="down"/><address addr="192.0.2.6" addrtype="ipv4"/></host>
</nmaprun>)";
  std::vector<Target> out;
  Diagnostics diags;
  REQUIRE(parse_nmap_xml(xml, "scan.xml", out, diags));
  REQUIRE(out.size() == 1);
  REQUIRE(out[0].name == "mx.example.com");
  REQUIRE(out[0].sni == "mx.example.com");
  REQUIRE(out[0].services.size() == 4);
  REQUIRE(out[0].services[0].scheme == "smtp");
  REQUIRE(out[0].services[1].scheme == "smtps");
  REQUIRE(out[0].services[2].scheme == "imaps");
  REQUIRE(out[0].services[3].scheme == "ldaps");
}

TEST_CASE("malformed nmap XML is a positioned error") {
  std::vector<Target> out;
  Diagnostics diags;
  REQUIRE_FALSE(parse_nmap_xml("<nmaprun>\n<host>\n<ports></host>\n</nmaprun>", "scan.xml", out, diags));
  REQUIRE(diags.size() == 1);
  REQUIRE(diags[0].line == 3);
  REQUIRE_THAT(diags[0].format(), Catch::StartsWith("scan.xml:3:"));
  diags.clear();
  REQUIRE_FALSE(parse_nmap_xml("<html><body/></html>", "page.xml", out, diags));
  REQUIRE_THAT(diags[0].message, Catch::Contains("<nmaprun>"));
  diags.clear();
  REQUIRE_FALSE(parse_nmap_xml("<nmaprun><host><status state=\"up\"/><address addr=\"1.2.3.4\" addrtype=\"ipv4\"/>"
                               "<ports><port protocol=\"tcp\" portid=\"99999\"><state state=\"open\"/></port></ports>"
                               "</host></nmaprun>",
                               "scan.xml", out, diags));
  REQUIRE_THAT(diags[0].message, Catch::Contains("1-65535"));
}

TEST_CASE("nmap addresses are checked by inet_pton against their addrtype") {
  auto scan = [](const std::string& addr, const std::string& type, const std::string& hostname = "") {
    return "<nmaprun><host><status state=\"up\"/><address addr=\"" + addr + "\" addrtype=\"" + type + "\"/>" +
           (hostname.empty() ? "" : "<hostnames><hostname name=\"" + hostname + "\"/></hostnames>") +
           "<ports><port protocol=\"tcp\" portid=\"443\"><state state=\"open\"/><service name=\"https\"/></port>"
           "</ports></host></nmaprun>";
  };
  std::vector<Target> out;
  Diagnostics diags;
  REQUIRE(parse_nmap_xml(scan("::ffff:1.2.3.4", "ipv6"), "scan.xml", out, diags));
  REQUIRE(parse_nmap_xml(scan("192.0.2.7", "ipv4", "192.0.2.7"), "scan.xml", out, diags));
  REQUIRE(out.size() == 2);
  CHECK(out[0].host == "::ffff:1.2.3.4");
  CHECK(out[1].sni.empty());  // a hostname that is an IP literal is no SNI
  for (auto [addr, type] : {std::pair{"1.2.3", "ipv4"}, {"01.2.3.4", "ipv4"}, {"999.1.1.1", "ipv4"},
                            {"1.2.3.4", "ipv6"}, {"[::1]", "ipv6"}}) {
    INFO(addr);
    diags.clear();
    out.clear();
    REQUIRE_FALSE(parse_nmap_xml(scan(addr, type), "scan.xml", out, diags));
    REQUIRE(diags.size() == 1);
    CHECK_THAT(diags[0].message, Catch::Contains("is not an " + std::string(type) + " address"));
  }
}
