#include "probes/http/http_facts.h"

#include <algorithm>

#include "core/text.h"
#include "probes/http/fact_list.h"
#include "probes/http/http_analysis.h"
#include "probes/http/www_authenticate.h"

namespace pp::http {

namespace {

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

bool is_2xx(long s) { return s >= 200 && s < 300; }
bool is_redirect(long s) { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308; }

bool url_is_https(const std::string& url) { return url.rfind("https://", 0) == 0; }

/// Writes facts under the scheme's prefix; `rest` fills every catalogue name not yet set.
class Writer {
 public:
  explicit Writer(const std::string& scheme) : prefix_("http." + scheme + ".") {}
  /// Every value, evidence and reason passes redact_userinfo: a URL with credentials that a
  /// server sent (Location, a challenge, an error text) never reaches a report.
  void known(const std::string& f, Value v, const std::string& evidence = {}) {
    if (auto* s = std::get_if<std::string>(&v)) *s = redact_userinfo(*s);
    if (auto* l = std::get_if<StringList>(&v))
      for (auto& s : *l) s = redact_userinfo(s);
    set_.put(Fact::known(prefix_ + f, std::move(v), redact_userinfo(evidence)));
  }
  void absent(const std::string& f, const std::string& reason) {
    set_.put(Fact::absent(prefix_ + f, redact_userinfo(reason)));
  }
  void unknown(const std::string& f, const std::string& reason) {
    set_.put(Fact::unknown(prefix_ + f, redact_userinfo(reason)));
  }
  void rest_absent(const std::vector<std::string>& names, const std::string& reason) {
    for (const auto& n : names)
      if (!set_.find(prefix_ + n)) absent(n, reason);
  }
  void rest_unknown(const std::vector<std::string>& names, const std::string& reason) {
    for (const auto& n : names)
      if (!set_.find(prefix_ + n)) unknown(n, reason);
  }
  FactSet take() { return std::move(set_); }

 private:
  std::string prefix_;
  FactSet set_;
};

std::string header_lines(const HttpResponse& r, std::string_view name) {
  std::vector<std::string> lines;
  for (const auto& h : r.headers)
    if (text::iequals(h.name, name)) lines.push_back(h.name + ": " + h.value);
  return text::join(lines, "\n");
}

/// How a method probe was answered, in words, for evidence: the status line, or what a
/// server that sent no status line said instead.
std::string answer_line(const HttpResponse& r, const char* method) {
  if (r.without_status_line()) {
    const std::string title = html_title(r.body);
    return std::string("answered without a status line (HTTP/0.9 style, ") + std::to_string(r.body.size()) +
           " body bytes" + (title.empty() ? "" : ", title \"" + title + "\"") + "): " + method + " not understood";
  }
  return r.status_line;
}

/// TRACE/TRACK: enabled only when answered 200 with our request echoed back.
void echo_fact(const HttpResponse& r, const char* method, const SchemeObservation& obs, const char* fact, Writer& w) {
  std::string ev = answer_line(r, method);
  bool echoed = false;
  if (r.without_status_line()) {
    // Nothing to judge as an echo: a server that does not speak HTTP/1.x back has no TRACE.
  } else if (r.status == 200) {
    echoed = request_echoed(r.body, method, obs.path, obs.echo_marker);
    ev += echoed ? " (request echoed)" : " (request not echoed)";
  } else if (r.status == 401 || r.status == 407) {
    ev += " (challenged: not enabled without credentials)";
  }
  w.known(fact, echoed, ev);
}

/// True (and the fact unknown, saying why) when the method got no answer.
bool unanswered(const std::optional<HttpResponse>& r, const char* fact, const char* method, Writer& w) {
  if (!r) {
    w.unknown(fact, std::string(method) + " was not answered");
    return true;
  }
  if (!r->answered()) {
    w.unknown(fact, std::string(method) + " failed: " + r->reason);
    return true;
  }
  return false;
}

/// The methods OPTIONS lists in Allow / Public.
void allowed_methods_fact(const HttpResponse& options, Writer& w) {
  std::vector<std::string> methods;
  std::vector<std::string> ev{answer_line(options, "OPTIONS")};
  for (const char* h : {"Allow", "Public"})
    for (const auto& v : options.values(h)) {
      for (auto& m : parse_method_list(v)) add_unique(methods, m);
      ev.push_back(std::string(h) + ": " + v);
    }
  if (ev.size() == 1) ev.push_back("no Allow or Public header");
  w.known("methods_allowed", methods, text::join(ev, "\n"));
}

/// Only what the server says: Allow / Public on OPTIONS and on any other answer of this vdir
/// (a 405 lists what is allowed). None of these methods is ever sent.
void content_methods_fact(const SchemeObservation& obs, Writer& w) {
  std::vector<std::string> methods;
  std::vector<std::string> ev;
  auto read = [&](const HttpResponse& r) {
    for (const char* h : {"Allow", "Public"})
      for (const auto& v : r.values(h)) {
        for (auto& m : parse_method_list(v)) add_unique(methods, m);
        add_unique(ev, r.method + " " + answer_line(r, r.method.c_str()) + ": " + h + ": " + v);
      }
  };
  read(*obs.options);
  for (const auto* r : {&obs.trace, &obs.track, &obs.propfind})
    if (*r && (*r)->answered()) read(**r);
  for (const auto& r : obs.chain) read(r);
  if (ev.empty()) {
    ev.push_back("OPTIONS " + answer_line(*obs.options, "OPTIONS") + ": no Allow or Public header");
    if (obs.options->status == 401 || obs.options->status == 407)
      ev.back() += " (methods not disclosed without credentials)";
  }
  w.known("content_methods_allowed", content_changing_methods(methods), text::join(ev, "\n"));
}

void method_facts(const SchemeObservation& obs, Writer& w) {
  if (!obs.methods_sent) {
    for (const char* f : {"methods_allowed", "trace_enabled", "track_enabled", "webdav", "content_methods_allowed"})
      w.absent(f, obs.methods_skipped);
    return;
  }
  if (!unanswered(obs.options, "methods_allowed", "OPTIONS", w)) allowed_methods_fact(*obs.options, w);
  if (!unanswered(obs.options, "content_methods_allowed", "OPTIONS", w)) content_methods_fact(obs, w);
  if (!unanswered(obs.trace, "trace_enabled", "TRACE", w)) echo_fact(*obs.trace, "TRACE", obs, "trace_enabled", w);
  if (!unanswered(obs.track, "track_enabled", "TRACK", w)) echo_fact(*obs.track, "TRACK", obs, "track_enabled", w);
  if (!unanswered(obs.propfind, "webdav", "PROPFIND", w))
    w.known("webdav", obs.propfind->status == 207, answer_line(*obs.propfind, "PROPFIND"));
}

void redirect_facts(const SchemeObservation& obs, Writer& w) {
  const HttpResponse& first = obs.chain.front();
  bool to_https = false;
  std::string ev = first.status_line;
  if (is_redirect(first.status)) {
    if (const std::string* loc = first.first("Location")) {
      const RedirectTarget t = resolve_redirect(first.url, *loc, obs.vdir_host);
      to_https = t.ok && t.same_host && t.scheme == "https";
      ev += "\nLocation: " + *loc;
    }
  }
  w.known("redirects_to_https", to_https, ev);
}

/// Banners from every answer of the chain: a front end and the server behind may differ.
void banner_facts(const SchemeObservation& obs, Writer& w) {
  std::vector<std::string> banners;
  for (const auto& r : obs.chain)
    for (const char* h : {"Server", "X-Powered-By", "X-AspNet-Version", "X-OWA-Version"})
      for (const auto& v : r.values(h)) add_unique(banners, std::string(h) + ": " + v);
  w.known("banners", banners, text::join(banners, "\n"));
}

/// Forms logon: a Location to a known logon page anywhere in the chain, or a password form.
bool forms_fact(const SchemeObservation& obs, Writer& w, std::string& ev) {
  const HttpResponse& last = obs.chain.back();
  for (const auto& u : obs.redirect_targets)
    if (is_logon_url(u)) {
      ev = "Location: " + u;
      w.known("forms_logon", true, ev);
      return true;
    }
  if (is_2xx(last.status) && has_password_form(last.body)) {
    ev = last.status_line + " with a password form at " + last.url;
    w.known("forms_logon", true, ev);
    return true;
  }
  ev = "no logon redirect and no password form";
  w.known("forms_logon", false, ev);
  return false;
}

struct AuthSeen {
  bool challenged = false;  ///< a WWW-Authenticate challenge anywhere in the chain
  bool forms = false;       ///< a forms logon
};

/// Challenges: every WWW-Authenticate header of every answer in the chain, and forms logon.
AuthSeen auth_facts(const SchemeObservation& obs, Writer& w) {
  std::vector<std::string> raw_headers;
  for (const auto& r : obs.chain)
    for (const auto& v : r.values("WWW-Authenticate")) raw_headers.push_back(v);
  const ChallengeList challenges = parse_www_authenticate(raw_headers);
  std::string challenge_ev;
  for (const auto& v : raw_headers) challenge_ev += (challenge_ev.empty() ? "" : "\n") + ("WWW-Authenticate: " + v);
  if (challenges.malformed) challenge_ev += "\n(partly malformed: " + challenges.error + ")";

  AuthSeen seen;
  seen.challenged = !challenges.challenges.empty();
  std::string forms_ev;
  seen.forms = forms_fact(obs, w, forms_ev);

  std::vector<std::string> schemes, raws;
  bool basic = false;
  for (const auto& c : challenges.challenges) {
    add_unique(schemes, c.scheme);
    raws.push_back(c.raw);
    basic = basic || c.scheme == "Basic";
  }
  if (seen.forms) add_unique(schemes, "Forms");
  w.known("auth_schemes", schemes, challenge_ev.empty() ? forms_ev : challenge_ev);
  w.known("auth_challenges", raws, challenge_ev);
  w.known("basic_offered", basic, challenge_ev);
  return seen;
}

/// What the final answer serves: content, anonymous access, SSL required, a listing.
void content_facts(const SchemeObservation& obs, const AuthSeen& auth, Writer& w) {
  const bool tls = obs.scheme == "tls";
  const HttpResponse& last = obs.chain.back();
  const bool same_scheme = url_is_https(last.url) == tls;
  const bool has_body = !last.body.empty();
  w.known("serves_content", is_2xx(last.status) && has_body && !auth.challenged && same_scheme,
          last.status_line + " at " + last.url + " (" + std::to_string(last.body.size()) + " body bytes" +
              (last.body_truncated ? ", cut" : "") + ")");
  w.known("anonymous", is_2xx(last.status) && !auth.challenged && !auth.forms, last.status_line + " at " + last.url);

  if (tls) {
    w.absent("ssl_required", "describes refusal of plaintext HTTP; see http.plain.ssl_required");
  } else {
    const bool refused = last.status == 403;
    w.known("ssl_required", refused,
            last.status_line + (refused && mentions_ssl_required(last.body) ? " (body: SSL is required, IIS 403.4)" : ""));
  }
  w.known("directory_listing", last.status == 200 && looks_like_directory_listing(last.body),
          last.status_line + " at " + last.url);
}

/// Security headers: from the final answer, the page a browser would render.
void security_header_facts(const HttpResponse& last, Writer& w) {
  const std::string* xcto = last.first("X-Content-Type-Options");
  w.known("x_content_type_options", xcto && is_nosniff(*xcto),
          xcto ? "X-Content-Type-Options: " + *xcto : "no X-Content-Type-Options header");
  const std::string* xfo = last.first("X-Frame-Options");
  const auto csps = last.values("Content-Security-Policy");
  bool frame = xfo && is_frame_option(*xfo);
  for (const auto& c : csps) frame = frame || csp_has_frame_ancestors(c);
  std::string ev = header_lines(last, "X-Frame-Options");
  const std::string csp_ev = header_lines(last, "Content-Security-Policy");
  if (!csp_ev.empty()) ev += (ev.empty() ? "" : "\n") + csp_ev;
  w.known("frame_protection", frame, ev.empty() ? "no X-Frame-Options or Content-Security-Policy header" : ev);
  w.known("csp", !csps.empty(), csp_ev.empty() ? "no Content-Security-Policy header" : csp_ev);
}

/// Cookies: every Set-Cookie of the chain (logon redirects often set them).
void cookie_facts(const SchemeObservation& obs, Writer& w) {
  std::vector<std::string> no_secure, no_httponly, no_samesite, lines;
  for (const auto& r : obs.chain)
    for (const auto& v : r.values("Set-Cookie")) {
      const CookieInfo c = parse_set_cookie(v);
      lines.push_back("Set-Cookie: " + v);
      if (c.name.empty()) continue;
      if (!c.secure) add_unique(no_secure, c.name);
      if (!c.httponly) add_unique(no_httponly, c.name);
      if (!c.samesite) add_unique(no_samesite, c.name);
    }
  const std::string ev = lines.empty() ? "no Set-Cookie header" : text::join(lines, "\n");
  w.known("cookies_without_secure", no_secure, ev);
  w.known("cookies_without_httponly", no_httponly, ev);
  w.known("cookies_without_samesite", no_samesite, ev);
}

/// HSTS counts only over https (RFC 6797 section 8.1): the last https answer of the chain.
void hsts_facts(const SchemeObservation& obs, Writer& w) {
  const HttpResponse* https = nullptr;
  for (const auto& r : obs.chain)
    if (url_is_https(r.url)) https = &r;
  if (!https) {
    w.rest_absent({"hsts", "hsts_max_age", "hsts_include_subdomains"}, "no answer over https in the chain");
  } else if (const std::string* sts = https->first("Strict-Transport-Security")) {
    const HstsInfo h = parse_hsts(*sts);
    const std::string ev = "Strict-Transport-Security: " + *sts;
    w.known("hsts", h.valid, h.valid ? ev : ev + " (no valid max-age)");
    if (h.max_age) w.known("hsts_max_age", *h.max_age, ev);
    else w.absent("hsts_max_age", "Strict-Transport-Security has no valid max-age");
    w.known("hsts_include_subdomains", h.include_subdomains, ev);
  } else {
    w.known("hsts", false, "no Strict-Transport-Security header on " + https->url);
    w.absent("hsts_max_age", "no Strict-Transport-Security header");
    w.absent("hsts_include_subdomains", "no Strict-Transport-Security header");
  }
}

}  // namespace

std::vector<std::string> scheme_fact_names(const std::string& scheme) {
  const std::string prefix = "http." + scheme + ".";
  std::vector<std::string> out;
  for (const auto& f : fact_list())
    if (f.name.substr(0, prefix.size()) == prefix) out.emplace_back(f.name.substr(prefix.size()));
  return out;
}

FactSet scheme_facts(const SchemeObservation& obs) {
  const bool tls = obs.scheme == "tls";
  const std::vector<std::string> names = scheme_fact_names(obs.scheme);
  Writer w(obs.scheme);

  if (obs.port == 0) {
    w.rest_absent(names, tls ? "no TLS port for this vdir in the inventory" : "no plain HTTP port for this vdir in the inventory");
    return w.take();
  }
  if (obs.chain.empty()) {
    if (obs.failure && obs.failure->error == TransferError::Refused) {
      w.known("reachable", false, obs.failure->reason);
      w.rest_absent(names, "nothing listens on port " + std::to_string(obs.port));
    } else {
      w.rest_unknown(names, obs.failure ? obs.failure->reason : "no request was answered");
    }
    return w.take();
  }

  const HttpResponse& first = obs.chain.front();
  const HttpResponse& last = obs.chain.back();
  w.known("reachable", true, first.status_line);
  w.known("redirect_chain", obs.redirect_chain, text::join(obs.redirect_chain, "\n"));
  redirect_facts(obs, w);
  banner_facts(obs, w);
  if (obs.failure) {
    w.rest_unknown(names, "following the redirect chain failed: " + obs.failure->reason);
    return w.take();
  }
  w.known("status", static_cast<int64_t>(last.status), last.status_line);
  w.known("final_url", last.url, last.status_line);
  if (last.status == 404) {
    w.known("exists", false, last.status_line);
    w.rest_absent(names, "404 Not Found");
    return w.take();
  }
  w.known("exists", true, last.status_line);

  const AuthSeen auth = auth_facts(obs, w);
  content_facts(obs, auth, w);
  security_header_facts(last, w);
  cookie_facts(obs, w);
  if (tls) hsts_facts(obs, w);
  method_facts(obs, w);
  w.rest_unknown(names, "not derived by this probe version");  // a catalogue entry we forgot: never silent
  return w.take();
}

}  // namespace pp::http
