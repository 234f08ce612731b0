#include <catch2/catch.hpp>
#include <memory>

#include "probes/tls/checks/run_check.h"
#include "probes/tls/checks/table.h"

using namespace pp;
using namespace pp::tls;
using namespace pp::tls::checks;

namespace {

const Check& fallback_scsv() {
  for (const auto& c : check_table())
    if (c.name == "fallback_scsv") return c;
  FAIL("no fallback_scsv check in the table");
  throw;
}

/// TLS 1.2 and TLS 1.1 accepted, TLS 1.1 with one suite.
Observation two_versions() {
  Observation o;
  o.at(Version::Tls12).state = VState::Supported;
  o.at(Version::Tls12).suites = {0xC02F, 0x002F};
  o.at(Version::Tls11).state = VState::Supported;
  o.at(Version::Tls11).suites = {0x002F};
  o.highest_legacy = Version::Tls12;
  return o;
}

/// Runs the check against one scripted connection; `sent` receives the ClientHello.
CheckRun against(const std::function<void(net::ScriptedTransport&)>& script, std::string& sent) {
  struct Keep final : net::Transport {
    net::ScriptedTransport t;
    std::string& sink;
    explicit Keep(std::string& s) : sink(s) {}
    net::NetError write_all(std::string_view d, net::Millis to) override {
      sink.append(d);
      return t.write_all(d, to);
    }
    net::NetError read_some(std::string& out, size_t max, net::Millis to) override { return t.read_some(out, max, to); }
    void close() override { t.close(); }
  };
  return run_check(
      fallback_scsv(),
      [&](net::NetError&) -> std::unique_ptr<net::Transport> {
        auto k = std::make_unique<Keep>(sent);
        script(k->t);
        return k;
      },
      "mail.example.com", net::Millis(200), two_versions());
}

std::string alert(uint8_t d) { return std::string("\x15\x03\x02\x00\x02\x02", 6) + static_cast<char>(d); }

}  // namespace

TEST_CASE("fallback SCSV applies with two versions or more; otherwise absent, saying why") {
  Observation one;
  one.at(Version::Tls13).state = VState::Supported;
  const Applies a = fallback_scsv().applies(one);
  CHECK_FALSE(a.yes);
  CHECK(a.why_not == "fewer than two protocol versions accepted: no downgrade possible");
  CHECK(fallback_scsv().applies(two_versions()).yes);
}

TEST_CASE("fallback SCSV over a scripted server: one TLS 1.1 hello with the SCSV and the accepted suites") {
  std::string sent;
  SECTION("inappropriate_fallback: refused") {
    const CheckRun r = against([](auto& t) { t.reply(alert(86)); }, sent);
    const Fact* f = r.facts.find("tls.fallback_scsv");
    REQUIRE(f);
    REQUIRE(f->state == FactState::Known);
    CHECK(std::get<bool>(f->value));
    CHECK(f->evidence == "TLSv1.1 hello with TLS_FALLBACK_SCSV (server max TLSv1.2): inappropriate_fallback alert");
    CHECK(r.connections == 1);
    // The hello: TLS 1.1's one accepted suite, then the SCSV (0x5600).
    REQUIRE(sent.size() > 50);
    CHECK(sent.find(std::string("\x00\x04\x00\x2f\x56\x00", 6)) != std::string::npos);
  }
  SECTION("a close without an alert: refused (dovecot, slapd)") {
    const CheckRun r = against([](auto& t) { t.close_after(); }, sent);
    const Fact* f = r.facts.find("tls.fallback_scsv");
    REQUIRE(f);
    CHECK(std::get<bool>(f->value));
    CHECK(f->evidence.find("without a ServerHello") != std::string::npos);
  }
  SECTION("a bad-hello alert: unknown with the reason") {
    const CheckRun r = against([](auto& t) { t.reply(alert(50)); }, sent);
    const Fact* f = r.facts.find("tls.fallback_scsv");
    REQUIRE(f);
    CHECK(f->state == FactState::Unknown);
    CHECK(f->reason.find("alert 50 (decode_error)") != std::string::npos);
  }
}
