#include "probes/http/ntlm_facts.h"

#include <catch2/catch.hpp>

#include "probes/http/fact_list.h"
#include "probes/ntlm/base64.h"
#include "probes/ntlm/challenge_builder.h"

using namespace pp;
using namespace pp::http;

namespace {

HttpResponse resp(std::string url, long status, std::vector<Header> headers = {}) {
  HttpResponse r;
  r.url = std::move(url);
  r.status = status;
  r.status_line = "HTTP/1.1 " + std::to_string(status);
  r.headers = std::move(headers);
  return r;
}

SchemeObservation walk(std::string scheme, std::vector<HttpResponse> chain) {
  SchemeObservation o;
  o.scheme = std::move(scheme);
  o.vdir_host = "mail.example.com";
  o.path = "/EWS/Exchange.asmx";
  o.port = o.scheme == "tls" ? 443 : 80;
  o.chain = std::move(chain);
  return o;
}

const std::string kUrl = "https://mail.example.com:443/EWS/Exchange.asmx";

HttpResponse challenged(const std::string& url = kUrl) {
  return resp(url, 401, {{"WWW-Authenticate", "Negotiate"}, {"WWW-Authenticate", "NTLM"}});
}

HttpResponse type2(const std::string& token, const std::string& url = kUrl) {
  return resp(url, 401, {{"WWW-Authenticate", "NTLM " + token}});
}

std::string lab_token() { return ntlm::base64_encode(ntlm::build_challenge({})); }

const Fact& get(const FactSet& fs, const std::string& name) {
  const Fact* f = fs.find(name);
  INFO(name);
  REQUIRE(f);
  return *f;
}

std::string str(const FactSet& fs, const std::string& name) {
  const Fact& f = get(fs, name);
  INFO(name << ": " << f.reason);
  REQUIRE(f.state == FactState::Known);
  return std::get<std::string>(f.value);
}

void every_fact_set(const FactSet& fs) {
  for (const auto& n : ntlm_fact_names()) CHECK(fs.find(n) != nullptr);
  CHECK(fs.all().size() == ntlm_fact_names().size());
}

}  // namespace

TEST_CASE("ntlm facts: the names match the catalogue's ntlm.* entries") {
  std::vector<std::string> in_catalogue;
  for (const auto& f : fact_list())
    if (f.name.substr(0, 5) == "ntlm.") in_catalogue.emplace_back(f.name);
  CHECK(in_catalogue == ntlm_fact_names());
}

TEST_CASE("ntlm facts: a CHALLENGE over TLS gives every name") {
  SchemeObservation tls = walk("tls", {challenged()});
  tls.ntlm = type2(lab_token());
  const FactSet fs = ntlm_facts(walk("plain", {resp("http://mail.example.com:80/EWS/Exchange.asmx", 403)}), tls);
  every_fact_set(fs);
  CHECK(std::get<bool>(get(fs, "ntlm.offered").value));
  CHECK(str(fs, "ntlm.target_name") == "CORP");
  CHECK(str(fs, "ntlm.netbios_computer") == "EXCH01");
  CHECK(str(fs, "ntlm.netbios_domain") == "CORP");
  CHECK(str(fs, "ntlm.dns_computer") == "exch01.corp.example.local");
  CHECK(str(fs, "ntlm.dns_domain") == "corp.example.local");
  CHECK(str(fs, "ntlm.dns_tree") == "corp.example.local");
  CHECK(str(fs, "ntlm.os_version") == "10.0.17763");
  CHECK(std::get<StringList>(get(fs, "ntlm.internal_names").value) ==
        StringList{"CORP", "EXCH01", "exch01.corp.example.local", "corp.example.local"});
  CHECK(get(fs, "ntlm.dns_computer").evidence.rfind(kUrl + ": NTLM TlRMTVNTUAAC", 0) == 0);
}

TEST_CASE("ntlm facts: a name the CHALLENGE lacks is absent, not unknown") {
  ntlm::ChallengeSpec spec;
  spec.dns_tree.clear();
  SchemeObservation tls = walk("tls", {challenged()});
  tls.ntlm = type2(ntlm::base64_encode(ntlm::build_challenge(spec)));
  const FactSet fs = ntlm_facts(walk("plain", {}), tls);
  CHECK(get(fs, "ntlm.dns_tree").state == FactState::Absent);
  CHECK(get(fs, "ntlm.dns_tree").reason == "the NTLM CHALLENGE carries no DNS tree (forest) name");
}

TEST_CASE("ntlm facts: plain HTTP is read when only it offers NTLM") {
  SchemeObservation plain = walk("plain", {challenged("http://mail.example.com:80/EWS/Exchange.asmx")});
  plain.ntlm = type2(lab_token(), "http://mail.example.com:80/EWS/Exchange.asmx");
  const FactSet fs = ntlm_facts(plain, walk("tls", {resp(kUrl, 401, {{"WWW-Authenticate", "Basic realm=\"x\""}})}));
  CHECK(str(fs, "ntlm.netbios_computer") == "EXCH01");
  CHECK(get(fs, "ntlm.offered").evidence == "http://mail.example.com:80/EWS/Exchange.asmx: HTTP/1.1 401 offering NTLM");
}

TEST_CASE("ntlm facts: no NTLM offered: false, the names absent") {
  const FactSet fs = ntlm_facts(walk("plain", {resp("http://mail.example.com:80/owa", 403)}),
                                walk("tls", {resp(kUrl, 401, {{"WWW-Authenticate", "Basic realm=\"x\""}})}));
  every_fact_set(fs);
  CHECK_FALSE(std::get<bool>(get(fs, "ntlm.offered").value));
  CHECK(get(fs, "ntlm.offered").evidence == kUrl + ": HTTP/1.1 401, no NTLM or Negotiate challenge");
  CHECK(get(fs, "ntlm.internal_names").state == FactState::Absent);
}

TEST_CASE("ntlm facts: a 404 vdir is absent, an unreachable one unknown") {
  FactSet fs = ntlm_facts(walk("plain", {}), walk("tls", {resp(kUrl, 404)}));
  CHECK(get(fs, "ntlm.offered").state == FactState::Absent);
  CHECK(get(fs, "ntlm.os_version").reason == "404 Not Found");

  SchemeObservation tls = walk("tls", {});
  HttpResponse failed;
  failed.error = TransferError::Timeout;
  failed.reason = "timed out after 5 s";
  tls.failure = failed;
  fs = ntlm_facts(walk("plain", {}), tls);
  CHECK(get(fs, "ntlm.offered").state == FactState::Unknown);
  CHECK(get(fs, "ntlm.internal_names").reason == "timed out after 5 s");
}

TEST_CASE("ntlm facts: a negotiate answered without a CHALLENGE discloses nothing") {
  SchemeObservation tls = walk("tls", {challenged()});
  tls.ntlm = challenged();  // a proxy that answers every request with the bare challenge
  const FactSet fs = ntlm_facts(walk("plain", {}), tls);
  CHECK(std::get<StringList>(get(fs, "ntlm.internal_names").value).empty());
  CHECK(get(fs, "ntlm.dns_computer").state == FactState::Absent);
  CHECK(get(fs, "ntlm.dns_computer").reason ==
        kUrl + ": the answer to the NTLM negotiate carries no CHALLENGE (HTTP/1.1 401)");
}

TEST_CASE("ntlm facts: a broken CHALLENGE or a failed negotiate is unknown, never a pass") {
  SchemeObservation tls = walk("tls", {challenged()});
  tls.ntlm = type2("TlRMTVNTUAACAAAA");  // 12 bytes: too short
  FactSet fs = ntlm_facts(walk("plain", {}), tls);
  CHECK(get(fs, "ntlm.internal_names").state == FactState::Unknown);
  CHECK(get(fs, "ntlm.internal_names").reason ==
        kUrl + ": the NTLM CHALLENGE does not decode: an NTLM CHALLENGE_MESSAGE has at least 32 bytes, got 12");

  tls.ntlm = type2("abc~def=");  // token68, not base64
  fs = ntlm_facts(walk("plain", {}), tls);
  CHECK(get(fs, "ntlm.dns_domain").reason == kUrl + ": the NTLM CHALLENGE does not decode: the token is not base64");

  HttpResponse reset;
  reset.url = kUrl;
  reset.error = TransferError::Reset;
  reset.reason = "connection reset";
  tls.ntlm = reset;
  fs = ntlm_facts(walk("plain", {}), tls);
  CHECK(get(fs, "ntlm.internal_names").state == FactState::Unknown);
  CHECK(get(fs, "ntlm.internal_names").reason == kUrl + ": the NTLM negotiate got no answer: connection reset");
}

TEST_CASE("ntlm facts: offers_ntlm reads 401 challenges only") {
  CHECK(offers_ntlm(challenged()));
  CHECK(offers_ntlm(resp(kUrl, 401, {{"WWW-Authenticate", "Negotiate"}})));
  CHECK_FALSE(offers_ntlm(resp(kUrl, 401, {{"WWW-Authenticate", "Basic realm=\"x\""}})));
  CHECK_FALSE(offers_ntlm(resp(kUrl, 200, {{"WWW-Authenticate", "NTLM"}})));
}
