// SCHANNEL registry exports: reading .reg files, Windows defaults, facts, hostile input.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "sources/config_target.h"
#include "sources/schannel_facts.h"
#include "sources/schannel_reader.h"

using namespace pp;
using namespace pp::sources;

namespace {

const char* kSch = "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL";
const std::string kProtocols = std::string(kSch) + "\\Protocols";

std::string utf16(const std::string& ascii, bool bom = true) {
  std::string out = bom ? std::string("\xFF\xFE", 2) : std::string();
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

std::string source_dir() {
  const char* d = std::getenv("PP_SOURCE_DIR");
  return d ? d : ".";
}

const Fact& fact(const FactSet& f, const std::string& name) {
  const Fact* p = f.find(name);
  REQUIRE(p);
  return *p;
}

StringList list(const FactSet& f, const std::string& name) {
  const Fact& x = fact(f, name);
  REQUIRE(x.state == FactState::Known);
  return std::get<StringList>(x.value);
}

FactSet facts_of(const std::string& text, WindowsServer w) {
  RegExport reg;
  const std::string err = read_reg_export(text, "x.reg", reg);
  INFO(err);
  REQUIRE(err.empty());
  return schannel_facts(RegView(reg), w);
}

}  // namespace

TEST_CASE(".reg: UTF-16LE with BOM, sections, values with their positions") {
  const std::string text = "Windows Registry Editor Version 5.00\r\n\r\n; a comment\r\n" + kProtocols +
                           "\\TLS 1.0\\Server]\r\n\"Enabled\"=dword:00000000\r\n  \"DisabledByDefault\"=dword:1\r\n" +
                           kSch + "\\Ciphers\\RC4 128/128]\r\n@=\"x\"\r\n\"Name \\\"q\\\"\"=\"a\\\\b\" ; trailing comment\r\n";
  RegExport reg;
  REQUIRE(read_reg_export(utf16(text), "h.reg", reg).empty());
  CHECK(reg.header == "Windows Registry Editor Version 5.00");
  REQUIRE(reg.keys.size() == 2);
  CHECK(reg.keys[0].at.line == 4);
  REQUIRE(reg.keys[0].values.size() == 2);
  CHECK(reg.keys[0].values[0].type == RegValue::Type::Dword);
  CHECK(reg.keys[0].values[0].number == 0);
  CHECK(reg.keys[0].values[0].at.line == 5);
  CHECK(reg.keys[0].values[1].at.column == 3);
  CHECK(reg.keys[0].values[1].number == 1);
  CHECK(reg.keys[1].path.find("RC4 128/128") != std::string::npos);
  CHECK(reg.keys[1].values[0].name.empty());
  CHECK(reg.keys[1].values[1].name == "Name \"q\"");
  CHECK(reg.keys[1].values[1].text == "a\\b");
  SECTION("the same text as UTF-8, with a BOM, or UTF-16 without one, reads alike") {
    for (const std::string& other : {text, "\xEF\xBB\xBF" + text, utf16(text, false)}) {
      RegExport again;
      REQUIRE(read_reg_export(other, "h.reg", again).empty());
      CHECK(again.keys.size() == 2);
      CHECK(again.keys[1].values[1].text == "a\\b");
    }
  }
}

TEST_CASE(".reg: hex data over continued lines, hex(7), hex(b), deletions") {
  const std::string text = "REGEDIT4\n[HKLM\\K]\n\"Bin\"=hex:01,02,\\\n  03 ,\\\n  04\n\"Q\"=hex(b):02,01,00,00,00,00,00,00\n"
                           "\"D4\"=hex(4):10,00,00,00\n\"Gone\"=dword:1\n\"Gone\"=-\n[-HKLM\\K\\Sub]\n[HKLM\\K\\Sub]\n";
  RegExport reg;
  REQUIRE(read_reg_export(text, "h.reg", reg).empty());
  const auto& v = reg.keys[0].values;
  CHECK(v[0].bytes == std::vector<uint8_t>{1, 2, 3, 4});
  CHECK(v[1].type == RegValue::Type::Qword);
  CHECK(v[1].number == 0x102);
  CHECK(v[2].type == RegValue::Type::Dword);
  CHECK(v[2].number == 16);
  RegView view(reg);
  CHECK(view.value("HKEY_LOCAL_MACHINE\\k", "bin"));
  CHECK_FALSE(view.value("HKLM\\K", "Gone"));
  CHECK(view.has_key("HKLM\\K\\Sub"));
  CHECK(view.subkeys("HKLM\\K") == std::vector<std::string>{"Sub"});

  const std::string multi = "Windows Registry Editor Version 5.00\n[HKLM\\M]\n\"F\"=hex(7):41,00,2c,00,42,00,00,00,43,\\\n  00,00,00,00,00\n";
  RegExport m;
  REQUIRE(read_reg_export(multi, "m.reg", m).empty());
  CHECK(m.keys[0].values[0].strings == std::vector<std::string>{"A,B", "C"});
}

TEST_CASE(".reg: [-KEY] removes the key and everything below it") {
  const std::string text = "REGEDIT4\n" + kProtocols + "\\TLS 1.0\\Server]\n\"Enabled\"=dword:0\n" + kProtocols + "\\TLS 1.0\\Server]\n" +
                           std::string("[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.0]\n");
  RegExport reg;
  REQUIRE(read_reg_export(text, "d.reg", reg).empty());
  RegView view(reg);
  CHECK_FALSE(view.value(kProtocols.substr(1) + "\\TLS 1.0\\Server", "Enabled"));
  CHECK_FALSE(view.has_key(kProtocols.substr(1) + "\\TLS 1.0\\Server"));
}

TEST_CASE(".reg: a malformed file is one positioned error") {
  RegExport reg;
  CHECK(read_reg_export("hello\n", "a.reg", reg).find("a.reg:1:1: not a registry export") == 0);
  CHECK(read_reg_export("REGEDIT4\n\"X\"=dword:1\n", "b.reg", reg).find("b.reg:2:1: a value before any [key]") == 0);
  CHECK(read_reg_export("REGEDIT4\n[HKLM\\K]\n\"X\"=dword:123456789\n", "c.reg", reg).find("c.reg:3:") == 0);
  CHECK(read_reg_export("REGEDIT4\n[HKLM\\K]\n\"X=dword:1\n", "d.reg", reg).find("d.reg:3:1: quoted string without") == 0);
  CHECK(read_reg_export("REGEDIT4\n[HKLM\\K]\n\"X\"=hex:01,zz\n", "e.reg", reg).find("e.reg:3:12: expected a hex byte") == 0);
  CHECK(read_reg_export("REGEDIT4\n[HKLM\\K]\n\"X\"=hex:01,\\", "f.reg", reg).find("f.reg:3:13: hex data continued past the end") == 0);
  CHECK(read_reg_export("REGEDIT4\n[HKLM\\K\n", "g.reg", reg).find("g.reg:2:1: key section without") == 0);
  CHECK(read_reg_export("REGEDIT4\n[HKLM\\K]\nwhat\n", "h.reg", reg).find("h.reg:3:1: unexpected text") == 0);
  CHECK(read_reg_export("REGEDIT4\n[HKLM\\K]\n\"X\"=text\n", "i.reg", reg).find("i.reg:3:5: unknown value data") == 0);
  CHECK(read_reg_export(utf16("REGEDIT4\n") + "x", "j.reg", reg).find("j.reg:2:1: UTF-16 text ends in half") == 0);
  CHECK(reg.keys.empty());
}

TEST_CASE("defaults depend on the Windows release; without one they are unknown and say so") {
  const std::string only_tls10 = "Windows Registry Editor Version 5.00\n" + kProtocols + "\\TLS 1.0\\Server]\n\"Enabled\"=dword:00000000\n";
  FactSet unnamed = facts_of(only_tls10, WindowsServer::Unknown);
  const Fact& p = fact(unnamed, "tls.protocols");
  CHECK(p.state == FactState::Unknown);
  CHECK(p.reason.find("windows = ") != std::string::npos);
  CHECK(fact(unnamed, "schannel.dh_min_bits").state == FactState::Unknown);

  CHECK(list(facts_of(only_tls10, WindowsServer::S2012R2), "tls.protocols") == StringList{"SSLv3", "TLSv1.1", "TLSv1.2"});
  CHECK(list(facts_of(only_tls10, WindowsServer::S2016), "tls.protocols") == StringList{"TLSv1.1", "TLSv1.2"});
  CHECK(list(facts_of(only_tls10, WindowsServer::S2022), "tls.protocols") == StringList{"TLSv1.1", "TLSv1.2", "TLSv1.3"});
  CHECK(list(facts_of(only_tls10, WindowsServer::S2025), "tls.protocols") == StringList{"TLSv1.2", "TLSv1.3"});
  CHECK(list(facts_of(only_tls10, WindowsServer::S2019), "schannel.client_protocols") == StringList{"TLSv1.0", "TLSv1.1", "TLSv1.2"});
  const FactSet s2016 = facts_of(only_tls10, WindowsServer::S2016);
  const Fact& ev = fact(s2016, "tls.protocols");
  CHECK(ev.evidence.find("TLS 1.1 Server: no value set: Windows Server 2016 default (enabled)") != std::string::npos);
  CHECK(ev.evidence.find("TLS 1.0 Server: x.reg:3: \"Enabled\"=dword:00000000") != std::string::npos);
  CHECK(std::get<int64_t>(fact(facts_of(only_tls10, WindowsServer::S2012R2), "schannel.dh_min_bits").value) == 1024);
  CHECK(std::get<int64_t>(fact(facts_of(only_tls10, WindowsServer::S2016), "schannel.dh_min_bits").value) == 2048);
}

TEST_CASE("a release that does not support a protocol ignores Enabled=1; DisabledByDefault=1 turns one off") {
  const std::string text = "REGEDIT4\n" + kProtocols + "\\SSL 2.0\\Server]\n\"Enabled\"=dword:1\n" + kProtocols +
                           "\\TLS 1.1\\Server]\n\"DisabledByDefault\"=dword:1\n";
  CHECK(list(facts_of(text, WindowsServer::S2012R2), "tls.protocols") == StringList{"SSLv2", "SSLv3", "TLSv1.0", "TLSv1.2"});
  const FactSet s2016 = facts_of(text, WindowsServer::S2016);
  const Fact& f = fact(s2016, "tls.protocols");
  CHECK(std::get<StringList>(f.value) == StringList{"TLSv1.0", "TLSv1.2"});
  CHECK(f.evidence.find("Windows Server 2016 does not support SSL 2.0") != std::string::npos);
}

TEST_CASE("an export without the SCHANNEL or .NET keys: those facts are unknown, never defaults") {
  FactSet f = facts_of("REGEDIT4\n[HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319]\n\"SchUseStrongCrypto\"=dword:1\n",
                       WindowsServer::S2019);
  CHECK(fact(f, "tls.protocols").state == FactState::Unknown);
  CHECK(fact(f, "tls.protocols").reason.find("does not include") != std::string::npos);
  CHECK(fact(f, "schannel.dotnet_strong_crypto").state == FactState::Unknown);
  CHECK(fact(f, "schannel.cipher_suite_order").state == FactState::Unknown);
}

TEST_CASE("the fixtures: weak and hardened, UTF-16LE exports") {
  Target t;
  t.name = "sch";
  t.configs.push_back({"", source_dir() + "/tests/fixtures/schannel/weak.reg", "", {}, "2016"});
  t.configs.push_back({"schannel", source_dir() + "/tests/fixtures/schannel/hardened.reg", "", {}, "2022"});
  ConfigObservation seen = read_config_target(t);
  REQUIRE(seen.errors.empty());
  REQUIRE(seen.subjects.size() == 2);
  const SubjectFacts& weak = seen.subjects[0];
  const SubjectFacts& hard = seen.subjects[1];
  CHECK(weak.subject.kind == SubjectKind::Endpoint);
  CHECK(weak.subject.id() == source_dir() + "/tests/fixtures/schannel/weak.reg:SCHANNEL");
  CHECK(list(weak.facts, "tls.protocols") == StringList{"TLSv1.0", "TLSv1.1", "TLSv1.2"});
  CHECK(fact(weak.facts, "tls.protocols").evidence.find("TLS 1.0 Server: ") == 0);
  CHECK(fact(weak.facts, "tls.protocols").evidence.find("weak.reg:53: \"Enabled\"=dword:00000001") != std::string::npos);
  CHECK(list(weak.facts, "schannel.ciphers_disabled") == StringList{"RC4 40/128", "RC4 56/128"});
  CHECK(std::get<int64_t>(fact(weak.facts, "schannel.dh_min_bits").value) == 1024);
  CHECK_FALSE(std::get<bool>(fact(weak.facts, "schannel.dotnet_strong_crypto").value));
  CHECK(list(weak.facts, "schannel.cipher_suite_order").size() == 5);

  CHECK(list(hard.facts, "tls.protocols") == StringList{"TLSv1.2", "TLSv1.3"});
  CHECK(list(hard.facts, "schannel.client_protocols") == StringList{"TLSv1.2", "TLSv1.3"});
  CHECK(list(hard.facts, "schannel.hashes_disabled") == StringList{"MD5"});
  CHECK(std::get<bool>(fact(hard.facts, "schannel.dotnet_strong_crypto").value));
  CHECK(std::get<bool>(fact(hard.facts, "schannel.dotnet_system_default_tls").value));
  CHECK(list(hard.facts, "schannel.cipher_suite_order").front() == "TLS_AES_256_GCM_SHA384");
}

TEST_CASE("the kind is guessed from the header and a SCHANNEL key") {
  CHECK(looks_like_schannel_export(utf16("Windows Registry Editor Version 5.00\r\n\r\n" + std::string(kSch) + "]\r\n")));
  CHECK_FALSE(looks_like_schannel_export("Windows Registry Editor Version 5.00\n[HKLM\\SOFTWARE\\X]\n"));
  CHECK_FALSE(looks_like_schannel_export("<configuration/>"));
}

TEST_CASE("hostile input: deep keys, long lines, odd bytes never crash") {
  std::string text = "REGEDIT4\n[";
  for (int i = 0; i < 5000; ++i) text += "a\\";
  text += "]\n\"v\"=hex:";
  for (int i = 0; i < 20000; ++i) text += "ff,";
  text += "00\n";
  RegExport reg;
  CHECK(read_reg_export(text, "deep.reg", reg).empty());
  std::string junk = "REGEDIT4\n[K]\n\"";
  junk += std::string("\0\xff\xfe\\\"", 5);
  CHECK_FALSE(read_reg_export(junk, "junk.reg", reg).empty());
  CHECK(read_reg_export(std::string("\xFF\xFE\x00\xD8", 4), "sur.reg", reg).find("sur.reg:1:1:") == 0);
}
