#include "probes/http/http_facts.h"

#include <catch2/catch.hpp>

#include "probes/http/fact_list.h"

using namespace pp;
using namespace pp::http;

namespace {

HttpResponse resp(std::string url, long status, std::vector<Header> headers = {}, std::string body = {}) {
  HttpResponse r;
  r.url = std::move(url);
  r.status = status;
  r.status_line = "HTTP/1.1 " + std::to_string(status);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

SchemeObservation obs(std::string scheme, std::string path = "/owa") {
  SchemeObservation o;
  o.scheme = std::move(scheme);
  o.vdir_host = "mail.example.com";
  o.path = std::move(path);
  o.port = o.scheme == "tls" ? 443 : 80;
  o.methods_skipped = "skipped in this test";
  return o;
}

const Fact& get(const FactSet& fs, const std::string& name) {
  const Fact* f = fs.find(name);
  INFO(name);
  REQUIRE(f);
  return *f;
}

template <class T>
T val(const FactSet& fs, const std::string& name) {
  const Fact& f = get(fs, name);
  INFO(name << " reason: " << f.reason);
  REQUIRE(f.state == FactState::Known);
  REQUIRE(std::holds_alternative<T>(f.value));
  return std::get<T>(f.value);
}

/// Every catalogue fact of the scheme is set, and nothing outside the catalogue.
void check_complete(const FactSet& fs, const std::string& scheme) {
  for (const auto& n : scheme_fact_names(scheme)) {
    INFO("http." << scheme << "." << n);
    CHECK(fs.find("http." + scheme + "." + n) != nullptr);
  }
  const FactCatalogue catalogue(fact_list());  // outlives the specs it hands out
  for (const Fact& f : fs.all()) {
    INFO(f.name);
    const FactSpec* spec = catalogue.find(f.name);
    REQUIRE(spec);
    if (f.state == FactState::Known) CHECK(type_of(f.value) == spec->type);
    else CHECK_FALSE(f.reason.empty());
  }
}

}  // namespace

TEST_CASE("catalogue lists the scheme facts") {
  CHECK(scheme_fact_names("plain").size() >= 25);
  CHECK(scheme_fact_names("tls").size() == scheme_fact_names("plain").size() + 3);
}

TEST_CASE("no port: every fact absent") {
  auto o = obs("plain");
  o.port = 0;
  auto fs = scheme_facts(o);
  check_complete(fs, "plain");
  for (const Fact& f : fs.all()) CHECK(f.state == FactState::Absent);
}

TEST_CASE("connection refused: reachable false, rest absent") {
  auto o = obs("plain");
  HttpResponse r;
  r.error = TransferError::Refused;
  r.reason = "connection refused by 10.0.0.1";
  o.failure = r;
  auto fs = scheme_facts(o);
  check_complete(fs, "plain");
  CHECK(val<bool>(fs, "http.plain.reachable") == false);
  CHECK(get(fs, "http.plain.status").state == FactState::Absent);
  CHECK(get(fs, "http.plain.serves_content").reason == "nothing listens on port 80");
}

TEST_CASE("timeout: every fact unknown with the reason") {
  auto o = obs("tls");
  HttpResponse r;
  r.error = TransferError::Timeout;
  r.reason = "timeout after 5 s";
  o.failure = r;
  auto fs = scheme_facts(o);
  check_complete(fs, "tls");
  for (const Fact& f : fs.all()) {
    CHECK(f.state == FactState::Unknown);
    CHECK(f.reason == "timeout after 5 s");
  }
}

TEST_CASE("404: exists false, most facts absent") {
  auto o = obs("tls");
  o.chain.push_back(resp("https://mail.example.com:443/owa", 404, {{"Server", "nginx"}}));
  auto fs = scheme_facts(o);
  check_complete(fs, "tls");
  CHECK(val<bool>(fs, "http.tls.reachable"));
  CHECK(val<bool>(fs, "http.tls.exists") == false);
  CHECK(val<int64_t>(fs, "http.tls.status") == 404);
  CHECK(get(fs, "http.tls.auth_schemes").state == FactState::Absent);
  CHECK(get(fs, "http.tls.auth_schemes").reason == "404 Not Found");
  CHECK(get(fs, "http.tls.hsts").state == FactState::Absent);
  CHECK(val<StringList>(fs, "http.tls.banners") == StringList{"Server: nginx"});
}

TEST_CASE("401 with several challenges over TLS") {
  auto o = obs("tls");
  o.chain.push_back(resp("https://mail.example.com:443/owa", 401,
                         {{"WWW-Authenticate", "Negotiate"},
                          {"WWW-Authenticate", "NTLM"},
                          {"www-authenticate", "Basic realm=\"mail\""},
                          {"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
                          {"X-Powered-By", "ASP.NET"}},
                         "denied"));
  auto fs = scheme_facts(o);
  check_complete(fs, "tls");
  CHECK(val<StringList>(fs, "http.tls.auth_schemes") == StringList{"Negotiate", "NTLM", "Basic"});
  CHECK(val<StringList>(fs, "http.tls.auth_challenges") == StringList{"Negotiate", "NTLM", "Basic realm=\"mail\""});
  CHECK(val<bool>(fs, "http.tls.basic_offered"));
  CHECK_FALSE(val<bool>(fs, "http.tls.serves_content"));
  CHECK_FALSE(val<bool>(fs, "http.tls.anonymous"));
  CHECK(val<bool>(fs, "http.tls.hsts"));
  CHECK(val<int64_t>(fs, "http.tls.hsts_max_age") == 31536000);
  CHECK(val<bool>(fs, "http.tls.hsts_include_subdomains"));
  CHECK(get(fs, "http.tls.ssl_required").state == FactState::Absent);
  CHECK(get(fs, "http.tls.trace_enabled").state == FactState::Absent);
  CHECK(get(fs, "http.tls.trace_enabled").reason == "skipped in this test");
}

TEST_CASE("plain redirect to https, then forms logon") {
  auto o = obs("plain");
  o.chain.push_back(resp("http://mail.example.com:80/owa", 301, {{"Location", "https://mail.example.com/owa"}}));
  o.chain.push_back(resp("https://mail.example.com/owa", 302,
                         {{"Location", "/owa/auth/logon.aspx"}, {"Set-Cookie", "ClientId=1; path=/; secure"}}));
  o.chain.push_back(resp("https://mail.example.com/owa/auth/logon.aspx", 200, {},
                         "<form method=post><input type=password name=password></form>"));
  o.redirect_chain = {"301 https://mail.example.com/owa", "302 https://mail.example.com/owa/auth/logon.aspx"};
  o.redirect_targets = {"https://mail.example.com/owa", "https://mail.example.com/owa/auth/logon.aspx"};
  auto fs = scheme_facts(o);
  check_complete(fs, "plain");
  CHECK(val<bool>(fs, "http.plain.redirects_to_https"));
  CHECK(val<bool>(fs, "http.plain.forms_logon"));
  CHECK(val<StringList>(fs, "http.plain.auth_schemes") == StringList{"Forms"});
  CHECK_FALSE(val<bool>(fs, "http.plain.serves_content"));  // content only over https
  CHECK_FALSE(val<bool>(fs, "http.plain.anonymous"));
  CHECK_FALSE(val<bool>(fs, "http.plain.ssl_required"));
  CHECK(val<std::string>(fs, "http.plain.final_url") == "https://mail.example.com/owa/auth/logon.aspx");
  CHECK(val<StringList>(fs, "http.plain.redirect_chain").size() == 2);
  CHECK(val<StringList>(fs, "http.plain.cookies_without_httponly") == StringList{"ClientId"});
  CHECK(val<StringList>(fs, "http.plain.cookies_without_secure").empty());
}

TEST_CASE("plain 403.4 is ssl_required") {
  auto o = obs("plain");
  o.chain.push_back(resp("http://mail.example.com:80/owa", 403, {}, "<h2>HTTP Error 403.4 - Forbidden: SSL is required</h2>"));
  auto fs = scheme_facts(o);
  CHECK(val<bool>(fs, "http.plain.ssl_required"));
  CHECK(get(fs, "http.plain.ssl_required").evidence.find("403.4") != std::string::npos);
  CHECK_FALSE(val<bool>(fs, "http.plain.serves_content"));
}

TEST_CASE("anonymous content with method probes") {
  auto o = obs("plain", "/");
  o.chain.push_back(resp("http://mail.example.com:80/", 200, {{"X-Content-Type-Options", "nosniff"}, {"X-Frame-Options", "DENY"}},
                         "<title>Index of /</title>"));
  o.methods_sent = true;
  o.options = resp("http://mail.example.com:80/", 200, {{"Allow", "GET, HEAD, OPTIONS, TRACE"}, {"Public", "PROPFIND"}});
  o.trace = resp("http://mail.example.com:80/", 200, {}, "TRACE / HTTP/1.1\r\nHost: mail.example.com\r\n");
  o.track = resp("http://mail.example.com:80/", 405);
  HttpResponse failed;
  failed.error = TransferError::Reset;
  failed.reason = "connection reset: x";
  o.propfind = failed;
  auto fs = scheme_facts(o);
  check_complete(fs, "plain");
  CHECK(val<bool>(fs, "http.plain.serves_content"));
  CHECK(val<bool>(fs, "http.plain.anonymous"));
  CHECK(val<bool>(fs, "http.plain.directory_listing"));
  CHECK(val<bool>(fs, "http.plain.x_content_type_options"));
  CHECK(val<bool>(fs, "http.plain.frame_protection"));
  CHECK_FALSE(val<bool>(fs, "http.plain.csp"));
  CHECK(val<StringList>(fs, "http.plain.methods_allowed") == StringList{"GET", "HEAD", "OPTIONS", "TRACE", "PROPFIND"});
  CHECK(val<bool>(fs, "http.plain.trace_enabled"));
  CHECK_FALSE(val<bool>(fs, "http.plain.track_enabled"));
  CHECK(get(fs, "http.plain.webdav").state == FactState::Unknown);
  CHECK(get(fs, "http.plain.webdav").reason == "PROPFIND failed: connection reset: x");
  CHECK(val<StringList>(fs, "http.plain.content_methods_allowed").empty());
}

TEST_CASE("TRACK echoing the marker header is enabled even when a proxy rewrote the request line") {
  auto o = obs("tls", "/owa");
  o.chain.push_back(resp("https://mail.example.com:443/owa", 200, {}, "hi"));
  o.methods_sent = true;
  o.echo_marker = "pp-echo-0123";
  o.options = resp("https://mail.example.com:443/owa", 200);
  o.trace = resp("https://mail.example.com:443/owa", 405);
  o.track = resp("https://mail.example.com:443/owa", 200, {}, "TRACK /owa/ HTTP/1.0\r\nX-Policyprobe-Echo: pp-echo-0123\r\n");
  o.propfind = resp("https://mail.example.com:443/owa", 405);
  auto fs = scheme_facts(o);
  CHECK_FALSE(val<bool>(fs, "http.tls.trace_enabled"));
  CHECK(val<bool>(fs, "http.tls.track_enabled"));
  CHECK(get(fs, "http.tls.track_enabled").evidence == "HTTP/1.1 200 (request echoed)");
}

TEST_CASE("a vdir answering 401 still has its methods judged, without credentials") {
  auto o = obs("tls", "/Microsoft-Server-ActiveSync");
  const std::string u = "https://mail.example.com:443/Microsoft-Server-ActiveSync";
  o.chain.push_back(resp(u, 401, {{"WWW-Authenticate", "Basic realm=\"x\""}}));
  o.methods_sent = true;
  o.options = resp(u, 401, {{"WWW-Authenticate", "Basic realm=\"x\""}});
  o.trace = resp(u, 405);
  o.track = resp(u, 401);
  o.propfind = resp(u, 401);
  auto fs = scheme_facts(o);
  check_complete(fs, "tls");
  CHECK_FALSE(val<bool>(fs, "http.tls.trace_enabled"));
  CHECK_FALSE(val<bool>(fs, "http.tls.track_enabled"));
  CHECK(get(fs, "http.tls.track_enabled").evidence.find("not enabled without credentials") != std::string::npos);
  CHECK_FALSE(val<bool>(fs, "http.tls.webdav"));
  CHECK(val<StringList>(fs, "http.tls.content_methods_allowed").empty());
  CHECK(get(fs, "http.tls.content_methods_allowed").evidence.find("not disclosed without credentials") != std::string::npos);
}

TEST_CASE("a method answered without a status line is judged, not an error") {
  auto o = obs("plain", "/");
  o.chain.push_back(resp("http://mail.example.com:80/", 200, {}, "hi"));
  o.methods_sent = true;
  HttpResponse bare;  // HTTP/0.9 style: no status line, status 0, a body
  bare.url = "http://mail.example.com:80/";
  bare.body = "<HTML><HEAD><TITLE>501 Method Not Implemented</TITLE></HEAD></HTML>";  // gnutls-serv --http
  o.options = bare;
  o.trace = bare;
  o.track = bare;
  o.propfind = bare;
  auto fs = scheme_facts(o);
  check_complete(fs, "plain");
  CHECK_FALSE(val<bool>(fs, "http.plain.trace_enabled"));
  CHECK_FALSE(val<bool>(fs, "http.plain.track_enabled"));
  CHECK_FALSE(val<bool>(fs, "http.plain.webdav"));
  CHECK(val<StringList>(fs, "http.plain.methods_allowed").empty());
  CHECK(get(fs, "http.plain.trace_enabled").evidence ==
        "answered without a status line (HTTP/0.9 style, 67 body bytes, title \"501 Method Not Implemented\"): TRACE "
        "not understood");
}

TEST_CASE("content-changing methods come from Allow / Public, never from trying them") {
  auto o = obs("plain", "/Public");
  const std::string u = "http://mail.example.com:80/Public";
  o.chain.push_back(resp(u, 200, {}, "hi"));
  o.methods_sent = true;
  o.options = resp(u, 200, {{"Allow", "OPTIONS, TRACE, GET, HEAD, POST, PUT, DELETE, COPY, MOVE"},
                            {"Public", "PROPFIND, PROPPATCH, SEARCH, MKCOL, LOCK, UNLOCK"}});
  o.options->method = "OPTIONS";
  o.trace = resp(u, 405, {{"Allow", "GET, HEAD, PUT"}});
  o.trace->method = "TRACE";
  o.track = resp(u, 405);
  o.propfind = resp(u, 207);
  auto fs = scheme_facts(o);
  CHECK(val<StringList>(fs, "http.plain.content_methods_allowed") ==
        StringList{"PUT", "DELETE", "COPY", "MOVE", "PROPPATCH", "SEARCH", "LOCK"});
  const std::string ev = get(fs, "http.plain.content_methods_allowed").evidence;
  CHECK(ev.find("OPTIONS HTTP/1.1 200: Allow: OPTIONS, TRACE") != std::string::npos);
  CHECK(ev.find("TRACE HTTP/1.1 405: Allow: GET, HEAD, PUT") != std::string::npos);

  SECTION("a 405 listing PUT is enough, even when OPTIONS lists nothing") {
    o.options = resp(u, 200);
    auto fs2 = scheme_facts(o);
    CHECK(val<StringList>(fs2, "http.plain.content_methods_allowed") == StringList{"PUT"});
  }
  SECTION("OPTIONS failed: unknown with the reason") {
    HttpResponse failed;
    failed.error = TransferError::Timeout;
    failed.reason = "timeout after 5 s";
    o.options = failed;
    auto fs2 = scheme_facts(o);
    CHECK(get(fs2, "http.plain.content_methods_allowed").state == FactState::Unknown);
  }
}

TEST_CASE("credentials in URLs the server sends appear in no fact value, evidence or reason") {
  auto o = obs("plain", "/owa");
  o.chain.push_back(resp("http://mail.example.com:80/owa", 302, {{"Location", "http://admin:s3cret@mail.example.com/"}}));
  // As a careless probe step would record it: the writer still redacts it.
  o.redirect_chain = {"302 http://admin:s3cret@mail.example.com/"};
  o.redirect_targets = {"http://mail.example.com/"};
  o.chain.push_back(resp("http://mail.example.com/", 401,
                         {{"WWW-Authenticate", "Bearer authorization_uri=\"https://admin:s3cret@idp.test/\""},
                          {"Server", "proxy (upstream http://svc:s3cret@10.0.0.1/)"}}));
  o.methods_sent = true;
  HttpResponse failed;
  failed.error = TransferError::Other;
  failed.reason = "could not connect to http://admin:s3cret@mail.example.com/";
  o.options = failed;
  o.trace = resp("http://mail.example.com:80/owa", 302, {{"Location", "http://admin:s3cret@mail.example.com/"}});
  o.track = o.trace;
  o.propfind = o.trace;
  auto fs = scheme_facts(o);
  check_complete(fs, "plain");
  for (const Fact& f : fs.all()) {
    INFO(f.name);
    CHECK(f.evidence.find("s3cret") == std::string::npos);
    CHECK(f.reason.find("s3cret") == std::string::npos);
    if (const auto* str = std::get_if<std::string>(&f.value)) CHECK(str->find("s3cret") == std::string::npos);
    if (const auto* list = std::get_if<StringList>(&f.value))
      for (const auto& e : *list) CHECK(e.find("s3cret") == std::string::npos);
  }
  CHECK(get(fs, "http.plain.redirects_to_https").evidence == "HTTP/1.1 302\nLocation: http://***@mail.example.com/");
  CHECK(val<StringList>(fs, "http.plain.auth_challenges") ==
        StringList{"Bearer authorization_uri=\"https://***@idp.test/\""});
  CHECK(get(fs, "http.plain.methods_allowed").reason == "OPTIONS failed: could not connect to http://***@mail.example.com/");
}

TEST_CASE("TRACE or TRACK answered 200 without the echo is not enabled") {
  auto o = obs("tls", "/");
  o.chain.push_back(resp("https://mail.example.com:443/", 200, {}, "hi"));
  o.methods_sent = true;
  o.options = resp("https://mail.example.com:443/", 405);
  o.trace = resp("https://mail.example.com:443/", 200, {}, "<html>hello</html>");
  // nginx "return 200" answers every method, TRACK included, with the same page.
  o.track = resp("https://mail.example.com:443/", 200, {}, "hi");
  o.propfind = resp("https://mail.example.com:443/", 207);
  auto fs = scheme_facts(o);
  CHECK_FALSE(val<bool>(fs, "http.tls.trace_enabled"));
  CHECK_FALSE(val<bool>(fs, "http.tls.track_enabled"));
  CHECK(get(fs, "http.tls.track_enabled").evidence == "HTTP/1.1 200 (request not echoed)");
  CHECK(val<bool>(fs, "http.tls.webdav"));
  CHECK(val<StringList>(fs, "http.tls.methods_allowed").empty());
  CHECK_FALSE(val<bool>(fs, "http.tls.hsts"));
  CHECK(get(fs, "http.tls.hsts_max_age").state == FactState::Absent);
}

TEST_CASE("a later redirect hop failing makes the rest unknown") {
  auto o = obs("plain");
  o.chain.push_back(resp("http://mail.example.com:80/owa", 301, {{"Location", "https://mail.example.com/owa"}}));
  o.redirect_chain = {"301 https://mail.example.com/owa (failed: TLS handshake failed: x)"};
  HttpResponse f;
  f.error = TransferError::Tls;
  f.reason = "TLS handshake failed: x";
  o.failure = f;
  auto fs = scheme_facts(o);
  check_complete(fs, "plain");
  CHECK(val<bool>(fs, "http.plain.reachable"));
  CHECK(val<bool>(fs, "http.plain.redirects_to_https"));
  CHECK(get(fs, "http.plain.status").state == FactState::Unknown);
  CHECK(get(fs, "http.plain.status").reason.find("TLS handshake failed") != std::string::npos);
}

TEST_CASE("redirect to another host is recorded, and a logon there counts as forms") {
  auto o = obs("tls");
  o.chain.push_back(resp("https://mail.example.com:443/owa", 302, {{"Location", "https://sts.example.com/adfs/ls/?wa=wsignin1.0"}}));
  o.redirect_chain = {"302 https://sts.example.com/adfs/ls/?wa=wsignin1.0 (not followed: other host)"};
  o.redirect_targets = {"https://sts.example.com/adfs/ls/?wa=wsignin1.0"};
  auto fs = scheme_facts(o);
  CHECK(val<int64_t>(fs, "http.tls.status") == 302);
  CHECK(val<bool>(fs, "http.tls.forms_logon"));
  CHECK_FALSE(val<bool>(fs, "http.tls.redirects_to_https"));  // other host
  CHECK_FALSE(val<bool>(fs, "http.tls.anonymous"));
}
