#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp::http {

/// Pure functions that turn what a server sent into the facts' values. No I/O here, so each
/// is unit-tested on literal server output.

struct RedirectTarget {
  bool ok = false;          ///< Location parsed into an absolute URL
  std::string url;          ///< absolute, resolved against the request URL, userinfo removed
  std::string shown;        ///< `url` for reports: userinfo the server sent shown as "***@"
  bool had_userinfo = false;  ///< the Location carried user[:password]@ (never sent back)
  std::string scheme;       ///< lower-case
  std::string host;         ///< as in the URL
  bool same_host = false;   ///< host name equals the vdir's name (case-insensitive); port may differ
  std::string error;
};

/// Resolves `location` (absolute or relative) against `base_url` and compares its host with
/// `vdir_host`: we follow only same-host redirects, so a probe never wanders to a third party.
RedirectTarget resolve_redirect(std::string_view base_url, std::string_view location, std::string_view vdir_host);

/// A URL (or path) of a forms-logon page: Exchange OWA, ISA/TMG CookieAuth, AD FS, F5 APM, or a
/// generic login/logon/signin path segment.
bool is_logon_url(std::string_view url);

/// A body holding a <form> with a password input: the server answers with a logon page.
bool has_password_form(std::string_view body);

struct CookieInfo {
  std::string name;
  bool secure = false;
  bool httponly = false;
  bool samesite = false;  ///< any SameSite attribute
};
CookieInfo parse_set_cookie(std::string_view header_value);

struct HstsInfo {
  bool valid = false;                 ///< max-age present and numeric (RFC 6797 requires it)
  std::optional<int64_t> max_age;
  bool include_subdomains = false;
  bool preload = false;
};
HstsInfo parse_hsts(std::string_view header_value);

/// An auto-generated index page: Apache/nginx "Index of /", IIS "[To Parent Directory]", ...
bool looks_like_directory_listing(std::string_view body);

/// "GET, POST,OPTIONS" -> {GET, POST, OPTIONS}; upper-cased, de-duplicated, order kept.
std::vector<std::string> parse_method_list(std::string_view value);

/// TRACE or TRACK is only a finding when the server echoes the request back (the XST risk):
/// the body holds our request line ("TRACK /owa") or the unique `marker` value we sent in a
/// header. A server that answers every method with the same page echoes neither.
bool request_echoed(std::string_view body, std::string_view method, std::string_view path, std::string_view marker);

/// Methods that change content on the server (PUT, DELETE, MOVE, COPY, PROPPATCH, SEARCH,
/// LOCK) among `methods`, in the order of that list.
std::vector<std::string> content_changing_methods(const std::vector<std::string>& methods);

/// Every URL userinfo in `text` ("http://admin:s3cret@host/", also scheme-relative
/// "//user@host") replaced by "***", so no fact, evidence or reason repeats a credential a
/// server sent. Text without userinfo comes back unchanged.
std::string redact_userinfo(std::string_view text);

bool is_nosniff(std::string_view x_content_type_options);
bool csp_has_frame_ancestors(std::string_view csp);
/// X-Frame-Options with DENY, SAMEORIGIN or ALLOW-FROM.
bool is_frame_option(std::string_view x_frame_options);

/// The text of the first <title> of an HTML body, whitespace collapsed, at most 80 characters;
/// empty when there is none. Says what a server meant when it sent no status line.
std::string html_title(std::string_view body);

/// An IIS "403.4 Forbidden: SSL is required" page (body text), for evidence.
bool mentions_ssl_required(std::string_view body);

}  // namespace pp::http
