// IIS configuration: reading, inheritance, locks, facts, and hostile input.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "sources/config_target.h"
#include "sources/iis_effective.h"
#include "sources/iis_facts.h"
#include "sources/iis_reader.h"
#include "sources/line_index.h"

using namespace pp;
using namespace pp::sources;

namespace {

const char* kHost = R"(<?xml version="1.0"?>
<configuration>
  <configSections>
    <sectionGroup name="system.webServer">
      <sectionGroup name="security">
        <section name="access" overrideModeDefault="Deny" />
      </sectionGroup>
    </sectionGroup>
  </configSections>
  <system.applicationHost><sites>
    <site name="Web" id="1">
      <application path="/"><virtualDirectory path="/" physicalPath="c:\w" /></application>
      <application path="/owa"><virtualDirectory path="/" physicalPath="c:\o" /></application>
      <bindings>
        <binding protocol="http" bindingInformation="*:80:" />
        <binding protocol="https" bindingInformation="[::]:443:mail.example.com" certificateHash="AB" />
      </bindings>
    </site>
  </sites></system.applicationHost>
  <system.webServer>
    <security>
      <access sslFlags="Ssl" />
      <authentication><basicAuthentication enabled="true" /></authentication>
    </security>
    <httpProtocol><customHeaders><add name="X-Powered-By" value="ASP.NET" /></customHeaders></httpProtocol>
  </system.webServer>
  <location path="Web/OWA">
    <system.webServer>
      <httpProtocol><customHeaders><clear /></customHeaders></httpProtocol>
    </system.webServer>
  </location>
</configuration>
)";

const Fact& fact(const FactSet& f, const std::string& name) {
  const Fact* p = f.find(name);
  REQUIRE(p);
  return *p;
}

std::string source_dir() {
  const char* d = std::getenv("PP_SOURCE_DIR");
  return d ? d : ".";
}

}  // namespace

TEST_CASE("line index: offsets to 1-based line and column") {
  LineIndex idx("ab\ncd\n\nx");
  int line = 0, col = 0;
  idx.locate(0, line, col);
  CHECK((line == 1 && col == 1));
  idx.locate(4, line, col);
  CHECK((line == 2 && col == 2));
  idx.locate(7, line, col);
  CHECK((line == 4 && col == 1));
}

TEST_CASE("applicationHost.config: sites, bindings, vdirs and positions") {
  IisConfig c;
  REQUIRE(read_application_host(kHost, "ah.config", c).empty());
  REQUIRE(c.sites.size() == 1);
  CHECK(c.sites[0].bindings.size() == 2);
  CHECK(c.sites[0].bindings[1].port == 443);
  CHECK(c.sites[0].bindings[1].host == "mail.example.com");
  REQUIRE(c.sites[0].vdirs.size() == 2);
  CHECK(c.sites[0].vdirs[1].path == "/owa");
  CHECK(c.sites[0].vdirs[1].config_path == "Web/owa");
  CHECK(c.sites[0].vdirs[1].at.line == 13);
  CHECK(c.override_defaults.at("security/access") == "Deny");
}

TEST_CASE("inheritance: server setting reaches the vdir, named as inherited with its line") {
  IisConfig c;
  REQUIRE(read_application_host(kHost, "ah.config", c).empty());
  Effective e = resolve(c, "Web/owa");
  Decided d = e.get("security/access", "sslFlags");
  CHECK(d.value == "Ssl");
  CHECK(d.inherited);
  CHECK(d.at.where() == "ah.config:22");
  FactSet f = iis_facts(e, c.sites[0].bindings);
  CHECK(std::get<bool>(fact(f, "iis.ssl_required").value));
  CHECK(fact(f, "iis.ssl_required").evidence == "sslFlags=\"Ssl\" inherited from ah.config:22");
  CHECK(std::get<bool>(fact(f, "http.plain.ssl_required").value));
  CHECK_FALSE(std::get<bool>(fact(f, "http.plain.basic_offered").value));
  CHECK(std::get<bool>(fact(f, "http.tls.basic_offered").value));
}

TEST_CASE("location paths match case-insensitively; <clear/> empties an inherited collection") {
  IisConfig c;
  REQUIRE(read_application_host(kHost, "ah.config", c).empty());
  FactSet owa = iis_facts(resolve(c, "Web/owa"), {});
  CHECK(std::get<StringList>(fact(owa, "iis.custom_headers").value).empty());
  CHECK(fact(owa, "iis.custom_headers").evidence == "emptied at ah.config:29");
  FactSet root = iis_facts(resolve(c, "Web"), {});
  CHECK(std::get<StringList>(fact(root, "iis.custom_headers").value) == StringList{"X-Powered-By: ASP.NET"});
  CHECK(path_covers("Web", "web/OWA"));
  CHECK_FALSE(path_covers("Web/ow", "Web/owa"));
}

TEST_CASE("a web.config may not override a locked section; an allowed one applies") {
  IisConfig c;
  REQUIRE(read_application_host(kHost, "ah.config", c).empty());
  const char* web = "<configuration><system.webServer><security><access sslFlags=\"None\"/></security>"
                    "<directoryBrowse enabled=\"true\"/></system.webServer></configuration>";
  REQUIRE(read_web_config(web, "owa/web.config", "Web/owa", c).empty());
  Effective e = resolve(c, "Web/owa");
  CHECK(e.get("security/access", "sslFlags").value == "Ssl");
  CHECK(e.get("directoryBrowse", "enabled").value == "true");
  REQUIRE(e.locked.size() == 1);
  CHECK(e.locked[0].find("owa/web.config:1: section security/access is locked") == 0);
  SECTION("overrideMode=\"Allow\" on a location above delegates it") {
    const char* allow = "<configuration><location path=\"Web/owa\" overrideMode=\"Allow\"/></configuration>";
    IisConfig c2;
    REQUIRE(read_application_host(kHost, "ah.config", c2).empty());
    REQUIRE(read_application_host(allow, "ah2.config", c2).empty());
    REQUIRE(read_web_config(web, "owa/web.config", "Web/owa", c2).empty());
    CHECK(resolve(c2, "Web/owa").get("security/access", "sslFlags").value == "None");
  }
}

TEST_CASE("defaults when no file sets a value say so") {
  IisConfig c;
  REQUIRE(read_web_config("<configuration/>", "w.config", "", c).empty());
  FactSet f = iis_facts(resolve(c, ""), {});
  CHECK_FALSE(std::get<bool>(fact(f, "iis.ssl_required").value));
  CHECK(fact(f, "iis.ssl_required").evidence == "sslFlags is not set in any file: IIS default None");
  CHECK(std::get<std::string>(fact(f, "iis.extended_protection").value) == "None");
  CHECK(std::get<bool>(fact(f, "iis.verbs_allow_unlisted").value));
  CHECK(std::get<StringList>(fact(f, "iis.verbs_denied").value).empty());
  CHECK(fact(f, "iis.verbs_denied").evidence == "no verb is listed in any file: IIS default, no verb filtered");
  CHECK_FALSE(f.find("http.plain.ssl_required"));  // no binding: the caller marks it absent
}

TEST_CASE("request filtering verbs: refused and allowed ones apart, an <add> without allowed= is allowed") {
  IisConfig c;
  REQUIRE(read_web_config(R"(<configuration><system.webServer><security><requestFiltering>
      <verbs allowUnlisted="false"><add verb="get" allowed="true" /><add verb="POST" /><add verb="TRACE" allowed="false" /></verbs>
    </requestFiltering></security></system.webServer></configuration>)", "w.config", "", c).empty());
  FactSet f = iis_facts(resolve(c, ""), {});
  CHECK_FALSE(std::get<bool>(fact(f, "iis.verbs_allow_unlisted").value));
  CHECK(std::get<StringList>(fact(f, "iis.verbs_allowed").value) == StringList{"GET", "POST"});
  CHECK(std::get<StringList>(fact(f, "iis.verbs_denied").value) == StringList{"TRACE"});
  INFO(fact(f, "iis.verbs_allowed").evidence);
  CHECK(fact(f, "iis.verbs_allowed").evidence.find("at w.config:2") != std::string::npos);
}

TEST_CASE("malformed and hostile input: one positioned error, never a crash") {
  IisConfig c;
  CHECK(read_application_host("<configuration>\n  <system.webServer>\n</configuration>", "bad.config", c)
            .find("bad.config:3:") == 0);
  const std::string not_iis = read_application_host("<html/>", "x.config", c);
  CHECK(not_iis.find("x.config:1:") == 0);
  CHECK(not_iis.find("not an IIS configuration file") != std::string::npos);
  // An entity a DTD would define is never expanded (no DTD is read).
  const char* xxe = "<!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><configuration><system.webServer>"
                    "<httpRedirect enabled=\"true\" destination=\"&x;\"/></system.webServer></configuration>";
  std::string err = read_web_config(xxe, "xxe.config", "", c);
  if (err.empty()) CHECK(resolve(c, "").get("httpRedirect", "destination").value.find("root:") == std::string::npos);
  std::string deep = "<configuration><system.webServer>";
  for (int i = 0; i < 200; ++i) deep += "<a>";
  for (int i = 0; i < 200; ++i) deep += "</a>";
  deep += "</system.webServer></configuration>";
  CHECK(read_web_config(deep, "deep.config", "", c).find("nested deeper than") != std::string::npos);
  CHECK(c.layers.size() <= 1);
}

TEST_CASE("the Exchange fixture: /owa requires SSL; the one-line variant does not, at its line") {
  Target t;
  t.name = "fe";
  t.configs.push_back({"", source_dir() + "/tests/fixtures/iis/exchange2016/applicationHost.config", "", {}});
  ConfigObservation ok = read_config_target(t);
  REQUIRE(ok.errors.empty());
  CHECK(ok.subjects.size() == 9);
  const SubjectFacts* owa = nullptr;
  for (const auto& s : ok.subjects)
    if (s.subject.host == "Default Web Site" && s.subject.path == "/owa") owa = &s;
  REQUIRE(owa);
  CHECK(owa->subject.port == 443);
  CHECK(owa->subject.plain_port == 80);
  CHECK(std::get<bool>(fact(owa->facts, "http.plain.ssl_required").value));
  CHECK(std::get<bool>(fact(owa->facts, "http.tls.hsts").value));

  t.configs[0].path = source_dir() + "/tests/fixtures/iis/exchange2016-owa-no-ssl/applicationHost.config";
  ConfigObservation bad = read_config_target(t);
  REQUIRE(bad.errors.empty());
  for (const auto& s : bad.subjects) {
    if (s.subject.host != "Default Web Site" || s.subject.path != "/owa") continue;
    CHECK_FALSE(std::get<bool>(fact(s.facts, "http.plain.ssl_required").value));
    CHECK(std::get<bool>(fact(s.facts, "http.plain.basic_offered").value));
    CHECK(fact(s.facts, "http.plain.ssl_required").evidence.find("applicationHost.config:133:") != std::string::npos);
  }
  t.configs[0].path = source_dir() + "/tests/fixtures/iis/no-such-file.config";
  ConfigObservation missing = read_config_target(t);
  REQUIRE(missing.errors.size() == 1);
  CHECK(missing.subjects.empty());
}

TEST_CASE("a file over the size limit is an error for that file, read no further") {
  std::string path = (std::filesystem::temp_directory_path() / "pp-iis-huge-XXXXXX").string();
  const int fd = mkstemp(path.data());
  REQUIRE(fd >= 0);
  REQUIRE(ftruncate(fd, static_cast<off_t>(kMaxConfigBytes + 1)) == 0);
  close(fd);
  Target t;
  t.name = "huge";
  t.configs.push_back({"iis", path, "", {}});
  ConfigObservation seen = read_config_target(t);
  unlink(path.c_str());
  REQUIRE(seen.errors.size() == 1);
  CHECK(seen.errors[0].find("limit") != std::string::npos);
  CHECK(seen.subjects.empty());
}

TEST_CASE("billion laughs: entity definitions are never expanded") {
  std::string doc = "<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY a \"aaaaaaaaaa\">";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string body;
    for (int i = 0; i < 10; ++i) body += std::string("&") + static_cast<char>(c - 1) + ";";
    doc += std::string("<!ENTITY ") + c + " \"" + body + "\">";
  }
  doc += "]><configuration><system.webServer><httpRedirect enabled=\"true\" destination=\"&j;\"/>"
         "</system.webServer></configuration>";
  IisConfig c;
  std::string err = read_web_config(doc, "laughs.config", "", c);
  if (err.empty()) CHECK(resolve(c, "").get("httpRedirect", "destination").value.size() < 16);
}
