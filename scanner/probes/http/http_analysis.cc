#include "probes/http/http_analysis.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.h"
#include "probes/http/curl_handles.h"
#include "probes/http/http_message.h"

namespace pp::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

/// Splits on `sep`, trimming each part and dropping empty ones.
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view part = trim(s.substr(start, end - start));
    if (!part.empty()) out.push_back(part);
    start = end + 1;
  }
  return out;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && text::iequals(s.substr(0, prefix.size()), prefix);
}

std::string get_part(CURLU* u, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(u, part, &raw, 0) != CURLUE_OK) return {};
  CurlString owned(raw);
  return owned ? std::string(owned.get()) : std::string();
}

}  // namespace

RedirectTarget resolve_redirect(std::string_view base_url, std::string_view location, std::string_view vdir_host) {
  RedirectTarget t;
  ensure_curl_global_init();
  CurlUrl u(curl_url());
  if (!u) {
    t.error = "out of memory";
    return t;
  }
  const std::string base(base_url);
  if (curl_url_set(u.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK) {
    t.error = "request URL does not parse: " + base;
    return t;
  }
  const std::string loc(trim(location));
  if (loc.empty()) {
    t.error = "empty Location";
    return t;
  }
  // With a base URL set, curl resolves a relative Location against it (RFC 3986 section 5).
  const CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, loc.c_str(), CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE);
  if (rc != CURLUE_OK) {
    t.error = std::string("Location does not parse: ") + curl_url_strerror(rc);
    return t;
  }
  // Credentials in a Location are the server's mistake; we neither follow with them (curl
  // would send them as Basic) nor repeat them in a report.
  const std::string user = get_part(u.get(), CURLUPART_USER);
  const std::string password = get_part(u.get(), CURLUPART_PASSWORD);
  const std::string login_options = get_part(u.get(), CURLUPART_OPTIONS);
  t.had_userinfo = !user.empty() || !password.empty() || !login_options.empty();
  const std::string with_userinfo = get_part(u.get(), CURLUPART_URL);
  curl_url_set(u.get(), CURLUPART_USER, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_PASSWORD, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_OPTIONS, nullptr, 0);
  t.url = get_part(u.get(), CURLUPART_URL);
  t.shown = t.had_userinfo ? redact_userinfo(with_userinfo) : t.url;
  t.scheme = text::to_lower(get_part(u.get(), CURLUPART_SCHEME));
  t.host = get_part(u.get(), CURLUPART_HOST);
  t.ok = !t.url.empty() && !t.host.empty();
  if (!t.ok) t.error = "Location has no host";
  std::string_view want = vdir_host;
  std::string_view got = t.host;
  // IPv6 literals: curl returns them bracketed; the inventory may not.
  auto unbracket = [](std::string_view h) {
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') return h.substr(1, h.size() - 2);
    return h;
  };
  t.same_host = t.ok && text::iequals(unbracket(got), unbracket(want));
  return t;
}

bool is_logon_url(std::string_view url) {
  // Look only at path and query: a host called "login.example.com" is not a logon page.
  std::string_view rest = url;
  if (const size_t scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    rest.remove_prefix(scheme_end + 3);
    const size_t slash = rest.find_first_of("/?");
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  }
  const std::string p = text::to_lower(rest);
  static constexpr std::array<std::string_view, 6> kKnown = {
      "/owa/auth/logon.aspx",      // Exchange OWA forms-based authentication
      "/owa/auth.owa",             // its POST target
      "/cookieauth.dll?getlogon",  // ISA / TMG forms pre-authentication
      "/adfs/ls",                  // AD FS passive sign-in
      "/my.policy",                // F5 APM
      "/ecp/auth/logon.aspx",      // Exchange control panel
  };
  for (std::string_view k : kKnown)
    if (p.find(k) != std::string::npos) return true;
  const std::string_view path = std::string_view(p).substr(0, p.find('?'));
  for (std::string_view seg : split(path, '/'))
    for (std::string_view g : {"login", "logon", "signin", "sign-in"})
      if (seg.substr(0, g.size()) == g) return true;
  return false;
}

bool has_password_form(std::string_view body) {
  const std::string b = text::to_lower(body);
  if (b.find("<form") == std::string::npos) return false;
  size_t pos = 0;
  while ((pos = b.find("<input", pos)) != std::string::npos) {
    const size_t end = b.find('>', pos);
    const std::string_view tag = std::string_view(b).substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    size_t t = 0;
    while ((t = tag.find("type", t)) != std::string_view::npos) {
      size_t i = t + 4;
      while (i < tag.size() && std::isspace(static_cast<unsigned char>(tag[i]))) ++i;
      if (i < tag.size() && tag[i] == '=') {
        ++i;
        while (i < tag.size() && std::isspace(static_cast<unsigned char>(tag[i]))) ++i;
        if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) ++i;
        if (tag.substr(i, 8) == "password") {
          const size_t after = i + 8;
          if (after >= tag.size() || std::string_view("\"' \t\r\n/>").find(tag[after]) != std::string_view::npos)
            return true;
        }
      }
      t += 4;
    }
    if (end == std::string::npos) break;
    pos = end;
  }
  return false;
}

CookieInfo parse_set_cookie(std::string_view header_value) {
  CookieInfo c;
  const auto parts = split(header_value, ';');
  if (parts.empty()) return c;
  const std::string_view nv = parts[0];
  c.name = std::string(trim(nv.substr(0, nv.find('='))));
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string_view attr = trim(parts[i].substr(0, parts[i].find('=')));
    if (text::iequals(attr, "secure")) c.secure = true;
    else if (text::iequals(attr, "httponly")) c.httponly = true;
    else if (text::iequals(attr, "samesite")) c.samesite = true;
  }
  return c;
}

HstsInfo parse_hsts(std::string_view header_value) {
  HstsInfo h;
  for (std::string_view d : split(header_value, ';')) {
    const size_t eq = d.find('=');
    const std::string_view name = trim(d.substr(0, eq));
    if (text::iequals(name, "max-age") && eq != std::string_view::npos) {
      std::string_view v = trim(d.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        continue;
      int64_t n = 0;
      for (char ch : v) n = n * 10 + (ch - '0');
      h.max_age = n;
    } else if (text::iequals(name, "includesubdomains")) {
      h.include_subdomains = true;
    } else if (text::iequals(name, "preload")) {
      h.preload = true;
    }
  }
  h.valid = h.max_age.has_value();
  return h;
}

bool looks_like_directory_listing(std::string_view body) {
  const std::string b = text::to_lower(body.substr(0, 8192));
  static constexpr std::array<std::string_view, 5> kMarks = {
      "<title>index of /",          // Apache, nginx autoindex
      "<h1>index of /",             // nginx autoindex
      "<title>directory listing",   // Jetty, Tomcat, various
      "[to parent directory]",      // IIS directory browsing
      "<title>directory listing for",  // Python http.server
  };
  for (std::string_view m : kMarks)
    if (b.find(m) != std::string::npos) return true;
  // IIS: "<title>host - /path/</title>" plus the parent link is covered above; lighttpd:
  return b.find("<title>index of") != std::string::npos;
}

std::vector<std::string> parse_method_list(std::string_view value) {
  std::vector<std::string> out;
  for (std::string_view m : split(value, ',')) {
    std::string up = text::to_upper(m);
    if (std::find(out.begin(), out.end(), up) == out.end()) out.push_back(std::move(up));
  }
  return out;
}

bool request_echoed(std::string_view body, std::string_view method, std::string_view path, std::string_view marker) {
  const std::string line = std::string(method) + " " + std::string(path);
  if (body.find(line) != std::string_view::npos) return true;
  return !marker.empty() && body.find(marker) != std::string_view::npos;
}

std::vector<std::string> content_changing_methods(const std::vector<std::string>& methods) {
  static constexpr std::array<std::string_view, 7> kChanging = {"PUT",       "DELETE", "MOVE", "COPY",
                                                                "PROPPATCH", "SEARCH", "LOCK"};
  std::vector<std::string> out;
  for (const auto& m : methods)
    if (std::find(kChanging.begin(), kChanging.end(), m) != kChanging.end() &&
        std::find(out.begin(), out.end(), m) == out.end())
      out.push_back(m);
  return out;
}

std::string redact_userinfo(std::string_view text) {
  // An authority starts after "//" and ends at the first of "/?#", whitespace, a quote or an
  // angle bracket; an '@' inside it ends the userinfo. Over-redacting a rare "//x@y" in a path
  // is harmless, missing a password is not.
  static constexpr std::string_view kAuthorityEnd = "/?#\"'<> \t\r\n";
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t slashes = text.find("//", pos);
    if (slashes == std::string_view::npos) break;
    const size_t start = slashes + 2;
    size_t end = text.find_first_of(kAuthorityEnd, start);
    if (end == std::string_view::npos) end = text.size();
    const size_t at = text.substr(start, end - start).rfind('@');
    out.append(text.substr(pos, start - pos));
    if (at != std::string_view::npos && at > 0) {
      out += "***";
      pos = start + at;  // keeps "@host..."
    } else {
      pos = start;
    }
  }
  out.append(text.substr(pos));
  return out;
}

bool is_nosniff(std::string_view v) { return text::iequals(trim(v), "nosniff"); }

bool csp_has_frame_ancestors(std::string_view csp) {
  for (std::string_view d : split(csp, ';'))
    if (istarts_with(d, "frame-ancestors")) return true;
  return false;
}

bool is_frame_option(std::string_view v) {
  const std::string_view t = trim(v);
  return text::iequals(t, "deny") || text::iequals(t, "sameorigin") || istarts_with(t, "allow-from");
}

std::string html_title(std::string_view body) {
  const std::string b = text::to_lower(body.substr(0, 16384));
  const size_t open = b.find("<title");
  if (open == std::string::npos) return {};
  const size_t start = b.find('>', open);
  if (start == std::string::npos) return {};
  const size_t end = b.find("</title", start);
  if (end == std::string::npos) return {};
  std::string out;
  for (char ch : body.substr(start + 1, end - start - 1)) {
    const bool space = std::isspace(static_cast<unsigned char>(ch));
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : ch;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > 80) out = out.substr(0, 77) + "...";
  return out;
}

bool mentions_ssl_required(std::string_view body) {
  const std::string b = text::to_lower(body.substr(0, 16384));
  return b.find("403.4") != std::string::npos || b.find("ssl is required") != std::string::npos ||
         b.find("ssl required") != std::string::npos || b.find("secure channel") != std::string::npos;
}

}  // namespace pp::http
