#include "probes/http/http_analysis.h"

#include <catch2/catch.hpp>

using namespace pp::http;

TEST_CASE("redirect same-host check") {
  SECTION("relative Location resolves against the request URL") {
    auto t = resolve_redirect("http://mail.example.com:8080/owa", "/owa/auth/logon.aspx?url=x", "mail.example.com");
    REQUIRE(t.ok);
    CHECK(t.url == "http://mail.example.com:8080/owa/auth/logon.aspx?url=x");
    CHECK(t.same_host);
    CHECK(t.scheme == "http");
  }
  SECTION("path-relative Location") {
    auto t = resolve_redirect("http://mail.example.com/owa/", "auth/logon.aspx", "mail.example.com");
    REQUIRE(t.ok);
    CHECK(t.url == "http://mail.example.com/owa/auth/logon.aspx");
  }
  SECTION("http to https on the same host, other port, different case") {
    auto t = resolve_redirect("http://mail.example.com/owa", "https://MAIL.example.com:8443/owa", "mail.example.com");
    REQUIRE(t.ok);
    CHECK(t.same_host);
    CHECK(t.scheme == "https");
  }
  SECTION("another host is not the same host") {
    auto t = resolve_redirect("https://mail.example.com/owa", "https://sts.example.com/adfs/ls/?wa=wsignin1.0", "mail.example.com");
    REQUIRE(t.ok);
    CHECK_FALSE(t.same_host);
    CHECK(t.host == "sts.example.com");
  }
  SECTION("a host that merely starts with ours is another host") {
    auto t = resolve_redirect("https://mail.example.com/", "https://mail.example.com.evil.net/", "mail.example.com");
    REQUIRE(t.ok);
    CHECK_FALSE(t.same_host);
  }
  SECTION("userinfo trick does not fool the check") {
    auto t = resolve_redirect("https://mail.example.com/", "https://mail.example.com@evil.net/", "mail.example.com");
    REQUIRE(t.ok);
    CHECK_FALSE(t.same_host);
    CHECK(t.shown == "https://***@evil.net/");
  }
  SECTION("credentials in a Location are neither followed nor shown") {
    auto t = resolve_redirect("http://mail.example.com/owa", "http://admin:s3cret@mail.example.com/", "mail.example.com");
    REQUIRE(t.ok);
    CHECK(t.same_host);
    CHECK(t.had_userinfo);
    CHECK(t.url == "http://mail.example.com/");
    CHECK(t.shown == "http://***@mail.example.com/");
    auto plain = resolve_redirect("http://mail.example.com/owa", "/owa/", "mail.example.com");
    CHECK_FALSE(plain.had_userinfo);
    CHECK(plain.shown == plain.url);
  }
  SECTION("scheme-relative Location") {
    auto t = resolve_redirect("https://mail.example.com/a", "//other.example.com/b", "mail.example.com");
    REQUIRE(t.ok);
    CHECK(t.url == "https://other.example.com/b");
    CHECK_FALSE(t.same_host);
  }
  SECTION("empty Location is an error") {
    auto t = resolve_redirect("https://mail.example.com/a", "  ", "mail.example.com");
    CHECK_FALSE(t.ok);
    CHECK_FALSE(t.error.empty());
  }
  SECTION("IPv6 literal host") {
    auto t = resolve_redirect("http://[::1]:8080/", "https://[::1]:8443/", "::1");
    REQUIRE(t.ok);
    CHECK(t.same_host);
  }
}

TEST_CASE("forms logon detection") {
  CHECK(is_logon_url("https://mail.example.com/owa/auth/logon.aspx?url=https%3a%2f%2fmail&reason=0"));
  CHECK(is_logon_url("https://mail.example.com/CookieAuth.dll?GetLogon?curl=Z2Fowa"));
  CHECK(is_logon_url("https://sts.example.com/adfs/ls/?wa=wsignin1.0"));
  CHECK(is_logon_url("/my.policy"));
  CHECK(is_logon_url("https://app.example.com/Login?next=/"));
  CHECK_FALSE(is_logon_url("https://mail.example.com/owa/"));
  CHECK_FALSE(is_logon_url("https://login.example.com/mail/"));  // host names do not count
  CHECK_FALSE(is_logon_url("https://mail.example.com/blog/logging"));

  CHECK(has_password_form(R"(<html><FORM action="auth.owa" method="POST"><input id="password" name="password" TYPE="Password"></form>)"));
  CHECK(has_password_form("<form><input type=password name=p></form>"));
  CHECK(has_password_form("<form><input name='p' type = 'password'></form>"));
  CHECK_FALSE(has_password_form("<form><input type=\"text\" name=\"password\"></form>"));
  CHECK_FALSE(has_password_form("<input type=\"password\">"));  // no form at all
  CHECK_FALSE(has_password_form("<form><input type=\"text\"><p>password</p>"));
  CHECK_NOTHROW(has_password_form("<form><input type=\"pass"));  // unterminated tag
  CHECK_FALSE(has_password_form("<form><input type=\"passwordless\">"));
}

TEST_CASE("cookie flags") {
  auto c = parse_set_cookie("ClientId=ABC; path=/; secure; HttpOnly; SameSite=None");
  CHECK(c.name == "ClientId");
  CHECK(c.secure);
  CHECK(c.httponly);
  CHECK(c.samesite);
  auto d = parse_set_cookie("X-BackEndCookie=S-1-5=abc; expires=Thu, 01 Jan 2099 00:00:00 GMT; path=/owa");
  CHECK(d.name == "X-BackEndCookie");
  CHECK_FALSE(d.secure);
  CHECK_FALSE(d.httponly);
  CHECK_FALSE(d.samesite);
  auto e = parse_set_cookie("sid=1;SECURE;httponly");
  CHECK(e.secure);
  CHECK(e.httponly);
  auto f = parse_set_cookie("a=secure; path=/");  // a value that says "secure" is not the flag
  CHECK_FALSE(f.secure);
}

TEST_CASE("HSTS parsing") {
  auto h = parse_hsts("max-age=31536000; includeSubDomains; preload");
  CHECK(h.valid);
  REQUIRE(h.max_age);
  CHECK(*h.max_age == 31536000);
  CHECK(h.include_subdomains);
  CHECK(h.preload);
  auto q = parse_hsts("MAX-AGE=\"600\"");
  REQUIRE(q.max_age);
  CHECK(*q.max_age == 600);
  CHECK_FALSE(q.include_subdomains);
  auto bad = parse_hsts("includeSubDomains");
  CHECK_FALSE(bad.valid);
  CHECK_FALSE(bad.max_age);
  CHECK(bad.include_subdomains);
  CHECK_FALSE(parse_hsts("max-age=abc").valid);
  CHECK_FALSE(parse_hsts("max-age=99999999999999999999999").valid);
  CHECK(*parse_hsts("max-age=0").max_age == 0);
}

TEST_CASE("directory listing detection") {
  CHECK(looks_like_directory_listing("<html>\r\n<head><title>Index of /files/</title></head>\r\n<body>\r\n<h1>Index of /files/</h1>"));
  CHECK(looks_like_directory_listing("<html><head><title>mail.example.com - /aspnet_client/</title></head><body><H1>mail.example.com - /aspnet_client/</H1><hr>\n\n<pre><A HREF=\"/\">[To Parent Directory]</A>"));
  CHECK(looks_like_directory_listing("<title>Directory listing for /</title>"));
  CHECK_FALSE(looks_like_directory_listing("<html><title>Outlook Web App</title></html>"));
  CHECK_FALSE(looks_like_directory_listing(""));
}

TEST_CASE("userinfo is redacted wherever a URL appears") {
  CHECK(redact_userinfo("Location: http://admin:s3cret@host/") == "Location: http://***@host/");
  CHECK(redact_userinfo("302 https://u@h.test:8443/a?b=c@d") == "302 https://***@h.test:8443/a?b=c@d");
  CHECK(redact_userinfo("//user:pw@h/x and ftp://a:b@c") == "//***@h/x and ftp://***@c");
  CHECK(redact_userinfo("Bearer authorization_uri=\"https://x:y@idp.test/auth\"") ==
        "Bearer authorization_uri=\"https://***@idp.test/auth\"");
  CHECK(redact_userinfo("http://a@b@host/") == "http://***@host/");
  // Nothing to redact: unchanged, including mail addresses and plain text.
  CHECK(redact_userinfo("https://mail.example.com/owa/?u=a@b") == "https://mail.example.com/owa/?u=a@b");
  CHECK(redact_userinfo("admin@example.com wrote //") == "admin@example.com wrote //");
  CHECK(redact_userinfo("") == "");
}

TEST_CASE("method lists, TRACE echo, security headers") {
  CHECK(parse_method_list("GET, HEAD,options ,POST, GET") == std::vector<std::string>{"GET", "HEAD", "OPTIONS", "POST"});
  CHECK(parse_method_list("").empty());
  CHECK(request_echoed("TRACE /owa HTTP/1.1\r\nHost: x\r\n", "TRACE", "/owa", "m-1"));
  CHECK_FALSE(request_echoed("<html>405</html>", "TRACE", "/owa", "m-1"));
  // A proxy may rewrite the request line; the marker header still comes back.
  CHECK(request_echoed("TRACK /x HTTP/1.0\r\nX-Policyprobe-Echo: m-1\r\n", "TRACK", "/owa", "m-1"));
  // nginx "return 200" answers every method with the same page: no echo.
  CHECK_FALSE(request_echoed("good\n", "TRACK", "/", "m-1"));
  CHECK_FALSE(request_echoed("good\n", "TRACK", "/", ""));
  CHECK(content_changing_methods({"GET", "PUT", "OPTIONS", "LOCK", "PROPFIND", "DELETE", "PUT"}) ==
        std::vector<std::string>{"PUT", "LOCK", "DELETE"});
  CHECK(content_changing_methods({"GET", "HEAD", "POST", "OPTIONS"}).empty());
  CHECK(is_nosniff(" NoSniff "));
  CHECK_FALSE(is_nosniff("sniff"));
  CHECK(csp_has_frame_ancestors("default-src 'self'; frame-ancestors 'none'"));
  CHECK_FALSE(csp_has_frame_ancestors("default-src 'self'"));
  CHECK(is_frame_option("SAMEORIGIN"));
  CHECK(is_frame_option("ALLOW-FROM https://x"));
  CHECK_FALSE(is_frame_option("ALLOWALL"));
  CHECK(html_title("<HTML><HEAD>\n<TITLE>501 Method Not\n Implemented</TITLE>") == "501 Method Not Implemented");
  CHECK(html_title("<html>no title</html>").empty());
  CHECK(html_title("<title>" + std::string(200, 'x') + "</title>").size() == 80);
  CHECK(mentions_ssl_required("<h2>403.4 - SSL required.</h2>"));
  CHECK_FALSE(mentions_ssl_required("<h1>403 Forbidden</h1>"));
}
