#include <catch2/catch.hpp>
#include <cstdlib>

#include "inventory/inventory.h"

using namespace pp;
using namespace pp::inventory;

namespace {
Diagnostics parse_bad(const std::string& text) {
  std::vector<Target> out;
  Diagnostics diags;
  REQUIRE_FALSE(parse_inventory(text, "inv.toml", out, diags));
  REQUIRE_FALSE(diags.empty());
  return diags;
}
}  // namespace

TEST_CASE("a valid inventory with defaults") {
  const std::string text = R"(schema = 1
[defaults]
profiles = ["default"]
tags = { environment = "prod", role = "web" }

[[target]]
name = "cas01"
host = "10.0.0.1"
sni = "mail.example.com"
services = ["https:443", "http", "imaps"]
vdirs = ["/owa"]
expected_names = ["mail.example.com", "autodiscover.example.com"]
tags = { role = "cas" }

[[target]]
name = "dc01"
host = "[::1]"
services = ["ldaps:636"]
)";
  std::vector<Target> out;
  Diagnostics diags;
  REQUIRE(parse_inventory(text, "inv.toml", out, diags));
  REQUIRE(diags.empty());
  REQUIRE(out.size() == 2);
  REQUIRE(out[0].sni == "mail.example.com");
  REQUIRE(out[0].services.size() == 3);
  REQUIRE(out[0].services[1].port == 80);
  REQUIRE(out[0].services[2].port == 993);
  REQUIRE(out[0].tags.at("role") == "cas");          // own value wins
  REQUIRE(out[0].tags.at("environment") == "prod");  // default inherited
  REQUIRE(out[1].host == "::1");
  REQUIRE(out[1].profiles == std::vector<std::string>{"default"});
}

TEST_CASE("unknown keys are positioned errors") {
  auto d = parse_bad("schema = 1\n[[target]]\nname = \"a\"\nhost = \"h\"\nservices = [\"https\"]\nvdir = [\"/owa\"]\n");
  REQUIRE(d.size() == 1);
  REQUIRE(d[0].line == 6);
  REQUIRE(d[0].column == 1);
  REQUIRE_THAT(d[0].message, Catch::Contains("unknown key 'vdir'"));
  REQUIRE_THAT(d[0].format(), Catch::StartsWith("inv.toml:6:1: error:"));
}

TEST_CASE("syntax errors carry the parser's position") {
  auto d = parse_bad("schema = 1\n[[target]]\nname = \"a\nhost = \"h\"\n");
  REQUIRE(d[0].line == 3);
  REQUIRE(d[0].column > 1);
}

TEST_CASE("duplicate target names are errors") {
  auto d = parse_bad(
      "schema = 1\n[[target]]\nname = \"a\"\nhost = \"h\"\nservices = [\"https\"]\n"
      "[[target]]\nname = \"a\"\nhost = \"h2\"\nservices = [\"https\"]\n");
  REQUIRE(d.size() == 1);
  REQUIRE(d[0].line == 7);
  REQUIRE_THAT(d[0].message, Catch::Contains("duplicate target name 'a'") && Catch::Contains("line 2"));
}

TEST_CASE("bad ports, schemes and types") {
  auto d = parse_bad("schema = 1\n[[target]]\nname = \"a\"\nhost = \"h\"\nservices = [\"https:99999\", \"gopher:70\", 5]\n");
  REQUIRE(d.size() == 3);
  REQUIRE_THAT(d[0].message, Catch::Contains("1-65535"));
  REQUIRE_THAT(d[1].message, Catch::Contains("unknown service scheme 'gopher'"));
  REQUIRE(d[1].line == 5);
  auto t = parse_bad("schema = 1\n[[target]]\nname = 7\nhost = \"h\"\nservices = [\"https\"]\n");
  REQUIRE_THAT(t[0].message, Catch::Contains("'name' must be a string"));
  auto v = parse_bad("schema = 1\n[[target]]\nname = \"a\"\nhost = \"h\"\nservices = [\"https\"]\nvdirs = [\"owa\"]\n");
  REQUIRE_THAT(v[0].message, Catch::Contains("must start with '/'"));
}

TEST_CASE("missing pieces") {
  REQUIRE_THAT(parse_bad("[[target]]\nname = \"a\"\nhost = \"h\"\nservices = [\"https\"]\n")[0].message,
               Catch::Contains("schema"));
  REQUIRE_THAT(parse_bad("schema = 2\n[[target]]\nname = \"a\"\nhost = \"h\"\nservices = [\"https\"]\n")[0].message,
               Catch::Contains("unsupported inventory schema"));
  REQUIRE_THAT(parse_bad("schema = 1\n[[target]]\nname = \"a\"\nservices = [\"https\"]\n")[0].message,
               Catch::Contains("without 'host'"));
  REQUIRE_THAT(parse_bad("schema = 1\n[[target]]\nname = \"a\"\nhost = \"h\"\n")[0].message,
               Catch::Contains("no services"));
  REQUIRE_THAT(parse_bad("schema = 1\n")[0].message, Catch::Contains("no [[target]]"));
}

TEST_CASE("the shipped example inventory loads") {
  const char* src = std::getenv("PP_SOURCE_DIR");
  REQUIRE(src != nullptr);
  std::vector<Target> out;
  Diagnostics diags;
  bool ok = load_inventory(std::string(src) + "/ci/examples/inventory.toml", out, diags);
  for (const auto& d : diags) UNSCOPED_INFO(d.format());
  REQUIRE(ok);
  REQUIRE(out.size() == 3);
}

TEST_CASE("a missing file is reported, not crashed on") {
  std::vector<Target> out;
  Diagnostics diags;
  REQUIRE_FALSE(load_inventory("/nonexistent/inv.toml", out, diags));
  REQUIRE_THAT(diags[0].format(), Catch::Contains("/nonexistent/inv.toml"));
}

TEST_CASE("hosts that are IP literals are checked by inet_pton") {
  auto one = [](const std::string& host, const std::string& extra = "") {
    return "schema = 1\n[[target]]\nname = \"a\"\nhost = \"" + host + "\"\nservices = [\"https\"]\n" + extra;
  };
  std::vector<Target> out;
  Diagnostics d;
  REQUIRE(parse_inventory(one("[::1]"), "i.toml", out, d));
  REQUIRE(parse_inventory(one("::ffff:1.2.3.4"), "i.toml", out, d));
  REQUIRE(parse_inventory(one("192.0.2.7", "sni = \"mail.example.com\"\n"), "i.toml", out, d));
  REQUIRE(out.size() == 3);
  CHECK(out[0].host == "::1");
  CHECK(out[1].host == "::ffff:1.2.3.4");
  CHECK(d.empty());
  for (const char* bad : {"1.2.3", "01.2.3.4", "999.1.1.1"}) {
    INFO(bad);
    auto e = parse_bad(one(bad));
    REQUIRE(e.size() == 1);
    CHECK_THAT(e[0].message, Catch::Contains("neither an IPv4 address"));
    CHECK(e[0].line == 4);
  }
  CHECK_THAT(parse_bad(one("[1.2.3.4]"))[0].message, Catch::Contains("not a valid IPv6 address"));
  CHECK_THAT(parse_bad(one("1:2"))[0].message, Catch::Contains("not a valid IPv6 address"));
  auto sni = parse_bad(one("mail.example.com", "sni = \"192.0.2.7\"\n"));
  REQUIRE(sni.size() == 1);
  CHECK_THAT(sni[0].message, Catch::Contains("not an IP literal"));
  CHECK(sni[0].line == 6);
}

TEST_CASE("[[config]]: configuration targets, paths beside the inventory, names shared with targets") {
  const std::string text = R"(schema = 1
[defaults]
tags = { environment = "prod" }

[[config]]
name = "fe"
kind = "iis"
path = "iis/applicationHost.config"
web_configs = { "Default Web Site/owa" = "iis/owa/web.config" }
tags = { role = "cas" }

[[config]]
name = "owa-web"
path = "/abs/web.config"
at = "Default Web Site/owa"
)";
  std::vector<Target> out;
  Diagnostics diags;
  REQUIRE(parse_inventory(text, "repo/inv.toml", out, diags));
  REQUIRE(out.size() == 2);
  CHECK(out[0].services.empty());
  REQUIRE(out[0].configs.size() == 1);
  CHECK(out[0].configs[0].kind == "iis");
  CHECK(out[0].configs[0].path == "repo/iis/applicationHost.config");
  CHECK(out[0].configs[0].web_configs.at("Default Web Site/owa") == "repo/iis/owa/web.config");
  CHECK(out[0].tags.at("environment") == "prod");
  CHECK(out[0].tags.at("role") == "cas");
  CHECK(out[1].configs[0].path == "/abs/web.config");
  CHECK(out[1].configs[0].at == "Default Web Site/owa");

  auto d = parse_bad("schema = 1\n[[config]]\nname = \"x\"\nkind = \"apache\"\npath = \"a\"\n");
  CHECK(d[0].format().find("inv.toml:4:") == 0);
  d = parse_bad("schema = 1\n[[config]]\nname = \"x\"\npath = \"a\"\n[[target]]\nname = \"x\"\nhost = \"h\"\nservices = [\"https\"]\n");
  CHECK(d[0].message.find("duplicate target name 'x'") != std::string::npos);
  d = parse_bad("schema = 1\n[[config]]\nname = \"x\"\npath = \"a\"\nfile = \"b\"\n");
  CHECK(d[0].message.find("unknown key 'file'") != std::string::npos);
}

TEST_CASE("[[config]] of a SCHANNEL export names its Windows Server release") {
  std::vector<Target> out;
  Diagnostics diags;
  REQUIRE(parse_inventory("schema = 1\n[[config]]\nname = \"exch01\"\nkind = \"schannel\"\npath = \"exch01.reg\"\n"
                          "windows = \"2012 R2\"\n",
                          "inv.toml", out, diags));
  REQUIRE(out.size() == 1);
  CHECK(out[0].configs[0].kind == "schannel");
  CHECK(out[0].configs[0].windows == "2012 R2");
  auto d = parse_bad("schema = 1\n[[config]]\nname = \"x\"\npath = \"a.reg\"\nwindows = \"2008\"\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].format().find("inv.toml:5:") == 0);
  CHECK(d[0].message.find("unknown Windows Server release '2008'") != std::string::npos);
}

TEST_CASE("[[config]] of an IPsec export names the peers of the hop it protects") {
  std::vector<Target> out;
  Diagnostics diags;
  REQUIRE(parse_inventory("schema = 1\n[[config]]\nname = \"fe\"\nkind = \"ipsec\"\npath = \"ipsec.json\"\n"
                          "peers = [\"10.0.1.10\", \"10.0.1.0/24\"]\n",
                          "inv.toml", out, diags));
  REQUIRE(out.size() == 1);
  CHECK(out[0].configs[0].kind == "ipsec");
  CHECK(out[0].configs[0].peers == std::vector<std::string>{"10.0.1.10", "10.0.1.0/24"});
  auto d = parse_bad("schema = 1\n[[config]]\nname = \"x\"\nkind = \"ipsec\"\npath = \"a.json\"\npeers = \"10.0.1.10\"\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].format().find("inv.toml:6:") == 0);
}
