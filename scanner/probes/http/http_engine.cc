#include "probes/http/http_engine.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "core/ip_literal.h"
#include "core/text.h"
#include "probes/http/curl_handles.h"
#include "probes/ntlm/base64.h"
#include "probes/ntlm/message.h"

namespace pp::http {

void ensure_curl_global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

namespace {

std::string seconds(long ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

std::string strip_crlf(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return std::string(s);
}

std::string trim_ws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return std::string(s);
}

/// "scheme://host:port" of a URL (up to the path): requests with the same one can share a
/// connection.
std::string origin_of(const std::string& url) {
  const size_t start = url.find("://");
  if (start == std::string::npos) return url;
  const size_t end = url.find_first_of("/?#", start + 3);
  return url.substr(0, end);
}

}  // namespace

Classified classify_curl_error(int curl_code, long os_errno, const std::string& errbuf,
                               const std::string& connect_target, const EngineOptions& opt) {
  const std::string detail = errbuf.empty() ? curl_easy_strerror(static_cast<CURLcode>(curl_code)) : errbuf;
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_OK:
      return {TransferError::None, {}};
    case CURLE_COULDNT_CONNECT:
      if (os_errno == ECONNREFUSED) return {TransferError::Refused, "connection refused by " + connect_target};
      return {TransferError::Other, "could not connect to " + connect_target + ": " +
                                        (os_errno ? std::string(std::strerror(static_cast<int>(os_errno))) : detail)};
    case CURLE_OPERATION_TIMEDOUT:
      if (detail.find("onnection timed out") != std::string::npos || detail.find("onnect") != std::string::npos)
        return {TransferError::Timeout, "connect timeout after " + seconds(opt.connect_timeout_ms) + " to " + connect_target};
      return {TransferError::Timeout, "timeout after " + seconds(opt.total_timeout_ms) + " (" + detail + ")"};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_PEER_FAILED_VERIFICATION:
      return {TransferError::Tls, "TLS handshake failed: " + detail};
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      return {TransferError::Reset, "connection reset: " + detail};
    case CURLE_GOT_NOTHING:
      return {TransferError::Reset, "the server closed the connection without answering"};
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_HTTP2:
    case CURLE_BAD_CONTENT_ENCODING:
      return {TransferError::Malformed, "malformed response: " + detail};
    case CURLE_OUT_OF_MEMORY:
      // libcurl answers a single header line beyond its own cap (100 KiB) with this code and
      // no message; a real allocation failure is far less likely than a hostile server.
      return {TransferError::HeadersTooLarge,
              "a response header line longer than libcurl accepts (100 KiB)" +
                  (errbuf.empty() ? std::string() : ": " + errbuf)};
    case CURLE_COULDNT_RESOLVE_HOST:
      return {TransferError::Resolve, "cannot resolve " + connect_target + ": " + detail};
    default:
      return {TransferError::Other, detail};
  }
}

struct HttpEngine::MultiHolder {
  /// TLS sessions shared by the engine's transfers (one thread, so no lock callbacks): a second
  /// connection to an origin resumes instead of a full handshake, which would parse the
  /// server's certificate again. What the HTTP checks observe does not depend on it; the
  /// certificate and the TLS parameters are observed by their own probes. Declared first so
  /// it outlives the multi handle and its cached connections.
  CurlShare share;
  CurlMulti multi;
};

/// Everything one request owns while curl drives it. Its address is the CURLOPT_PRIVATE and
/// callback pointer, so it never moves once started (held by unique_ptr).
struct HttpEngine::Transfer {
  HttpRequest req;
  Callback done;
  CurlEasy easy;
  CurlSlist headers;
  CurlSlist connect_to;
  HttpResponse resp;
  std::string host_key;
  std::string origin_key;  ///< connect host + the URL's origin
  size_t header_bytes = 0;
  size_t max_header_bytes = 0;
  size_t max_body_bytes = 0;
  bool header_overflow = false;
  bool headers_done = false;
  bool body_capped = false;
  char errbuf[CURL_ERROR_SIZE] = {};

  static size_t on_header(char* data, size_t size, size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    const size_t len = size * n;
    t->header_bytes += len;
    if (t->header_bytes > t->max_header_bytes) {
      t->header_overflow = true;
      return 0;  // aborts the transfer: an endless header block must not grow memory
    }
    const std::string_view line(data, len);
    if (line.rfind("HTTP/", 0) == 0) {
      // A new response starts (after 1xx interim answers): keep only the final one.
      t->resp.status_line = strip_crlf(line);
      t->resp.headers.clear();
      t->headers_done = false;
      return len;
    }
    if (line == "\r\n" || line == "\n") {
      t->headers_done = true;
      return len;
    }
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !t->resp.headers.empty()) {
      t->resp.headers.back().value += " " + trim_ws(line);  // obsolete line folding
      return len;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return len;  // tolerate junk lines; curl judges framing
    t->resp.headers.push_back({std::string(line.substr(0, colon)), trim_ws(line.substr(colon + 1))});
    return len;
  }

  static size_t on_body(char* data, size_t size, size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    const size_t len = size * n;
    const size_t room = t->max_body_bytes > t->resp.body.size() ? t->max_body_bytes - t->resp.body.size() : 0;
    if (len > room) {
      t->resp.body.append(data, room);
      t->body_capped = true;
      return 0;  // stop reading: a body that never ends must neither hang nor grow memory
    }
    t->resp.body.append(data, len);
    return len;
  }
};

HttpEngine::HttpEngine(EngineOptions opt) : opt_(std::move(opt)), multi_(std::make_unique<MultiHolder>()) {
  ensure_curl_global_init();
  opt_.concurrency = std::max(1, opt_.concurrency);
  opt_.per_host = std::max(1, opt_.per_host);
  multi_->share.reset(curl_share_init());
  if (multi_->share) curl_share_setopt(multi_->share.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  multi_->multi.reset(curl_multi_init());
  if (!multi_->multi) return;
  CURLM* m = multi_->multi.get();
  curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(opt_.per_host));
  // Busy and idle connections together: at the limit curl closes the oldest idle one first.
  curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(opt_.concurrency));
  curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, static_cast<long>(opt_.concurrency));
  // HTTP/1.1 only (set per easy handle), so no multiplexing; idle connections stay cached for reuse.
  curl_multi_setopt(m, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_NOTHING));
}

HttpEngine::~HttpEngine() {
  // Remove every easy handle before the multi handle goes (curl requires that order).
  if (multi_ && multi_->multi)
    for (auto& [h, t] : active_) curl_multi_remove_handle(multi_->multi.get(), t->easy.get());
  active_.clear();
}

bool HttpEngine::ok() const { return multi_ && multi_->multi; }

int HttpEngine::peak_in_flight(const std::string& connect_host) const {
  auto it = per_host_peak_.find(connect_host);
  return it == per_host_peak_.end() ? 0 : it->second;
}

void HttpEngine::submit(HttpRequest req, Callback done) {
  auto t = std::make_unique<Transfer>();
  t->host_key = req.connect_host;
  t->origin_key = req.connect_host + " " + origin_of(req.url);
  t->req = std::move(req);
  t->done = std::move(done);
  if (in_callback_) {
    // A follow-up of a request that just finished: its origin's connection is idle now.
    const size_t at = std::min(followup_pos_++, pending_.size());
    pending_.insert(pending_.begin() + static_cast<std::ptrdiff_t>(at), std::move(t));
  } else {
    pending_.push_back(std::move(t));
  }
}

bool HttpEngine::start(std::unique_ptr<Transfer>& t) {
  t->resp.method = t->req.method;
  t->resp.url = t->req.url;
  t->max_header_bytes = opt_.max_header_bytes;
  t->max_body_bytes = opt_.max_body_bytes;
  t->easy.reset(curl_easy_init());
  CURL* e = t->easy.get();
  if (!e) return false;
  curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
  curl_easy_setopt(e, CURLOPT_URL, t->req.url.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  if (multi_->share) curl_easy_setopt(e, CURLOPT_SHARE, multi_->share.get());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  // The URL names the vdir (Host header, SNI); the connection goes to the inventory address.
  if (!t->req.connect_host.empty()) {
    // CURLOPT_CONNECT_TO needs an IPv6 connect host in brackets.
    const std::string url_host_any_port = "::" + url_host(t->req.connect_host) + ":";
    // CONNECT_TO "HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT" with HOST and both ports empty:
    // every URL host, any port, goes to connect_host on the same port. Redirects we follow
    // are same-host only, so this never sends a third party's name to our address.
    if (!t->connect_to.append(url_host_any_port.c_str())) return false;
    curl_easy_setopt(e, CURLOPT_CONNECT_TO, t->connect_to.get());
  }
  curl_easy_setopt(e, CURLOPT_PROXY, "");  // never through an environment proxy
  curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);  // we follow same-host redirects ourselves
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, opt_.connect_timeout_ms);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, opt_.total_timeout_ms);
  // Trust is the cert probe's job: an untrusted or mismatched certificate must not hide the vdir.
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(e, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_0));
  curl_easy_setopt(e, CURLOPT_SSL_CIPHER_LIST, "ALL:@SECLEVEL=0");  // legacy servers still answer
  // Nothing is verified here, so no CA bundle is loaded either (libcurl would parse the system
  // bundle for every multi handle, i.e. every host).
  curl_easy_setopt(e, CURLOPT_CAINFO, static_cast<const char*>(nullptr));
  curl_easy_setopt(e, CURLOPT_CAPATH, static_cast<const char*>(nullptr));
  // Never send credentials: no netrc, no cookie engine, no auth negotiation, no Authorization.
  curl_easy_setopt(e, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED));
  curl_easy_setopt(e, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_NONE));
  curl_easy_setopt(e, CURLOPT_USERAGENT, "policyprobe/0.1");
  // No automatic decompression: a gzip bomb cannot inflate; we ask for identity anyway.
  curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  // The NTLM negotiate (no credential in it) is the one Authorization ever sent; otherwise the
  // header is suppressed outright.
  const std::string authorization =
      t->req.ntlm_negotiate ? "Authorization: NTLM " + ntlm::base64_encode(ntlm::negotiate_message()) : "Authorization:";
  if (!t->headers.append("Accept-Encoding: identity") || !t->headers.append(authorization.c_str())) return false;
  for (const auto& h : t->req.extra_headers) {
    if (h.size() >= 14 && text::iequals(std::string_view(h).substr(0, 14), "authorization:")) continue;
    if (!t->headers.append(h.c_str())) return false;
  }
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers.get());
  if (t->req.method != "GET") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, t->req.method.c_str());
  curl_easy_setopt(e, CURLOPT_HTTP09_ALLOWED, t->req.allow_http09 ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
  if (curl_multi_add_handle(multi_->multi.get(), e) != CURLM_OK) return false;
  ++started_;
  ++per_origin_active_[t->origin_key];
  const int n = ++per_host_active_[t->host_key];
  per_host_peak_[t->host_key] = std::max(per_host_peak_[t->host_key], n);
  active_.emplace(e, std::move(t));
  peak_total_ = std::max(peak_total_, static_cast<int>(active_.size()));
  if (opt_.in_flight) {
    const int now = ++*opt_.in_flight;
    if (opt_.peak_in_flight) {
      int seen = opt_.peak_in_flight->load();
      while (now > seen && !opt_.peak_in_flight->compare_exchange_weak(seen, now)) {
      }
    }
  }
  return true;
}

void HttpEngine::start_ready() {
  for (auto it = pending_.begin(); it != pending_.end() && static_cast<int>(active_.size()) < opt_.concurrency;) {
    if (per_host_active_[(*it)->host_key] >= opt_.per_host ||
        per_origin_active_[(*it)->origin_key] >= opt_.per_origin) {
      ++it;
      continue;
    }
    std::unique_ptr<Transfer> t = std::move(*it);
    it = pending_.erase(it);
    if (ok() && start(t)) continue;  // start() took ownership
    // Not started: report it as an error, never as an answer.
    t->resp.error = TransferError::Other;
    t->resp.reason = "libcurl could not set up the request (out of memory?)";
    deliver(*t);
    it = pending_.begin();  // the callback may have submitted more
  }
}

void HttpEngine::finish(Transfer* t, int curl_code) {
  CURL* e = t->easy.get();
  long os_errno = 0;
  curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &os_errno);
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  long opened = 0;
  curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &opened);
  connections_ += static_cast<int>(opened);
  HttpResponse& r = t->resp;
  r.status = status;
  const std::string target = t->req.connect_host.empty() ? t->req.url : t->req.connect_host;
  if (t->header_overflow) {
    r.error = TransferError::HeadersTooLarge;
    r.reason = "response headers exceed " + std::to_string(opt_.max_header_bytes / 1024) + " KiB";
  } else if (curl_code == CURLE_OK) {
    r.error = TransferError::None;
  } else if (t->body_capped && curl_code == CURLE_WRITE_ERROR) {
    r.error = TransferError::None;
    r.body_truncated = true;
    r.reason = "body cut at " + std::to_string(opt_.max_body_bytes) + " bytes";
  } else if (t->headers_done && status > 0) {
    // Status and headers arrived; only the body was cut (timeout, reset, early close). The
    // answer is still an observation; the note says the body is incomplete.
    const Classified c = classify_curl_error(curl_code, os_errno, t->errbuf, target, opt_);
    r.error = TransferError::None;
    r.body_truncated = true;
    r.reason = "body incomplete: " + c.reason;
  } else {
    const Classified c = classify_curl_error(curl_code, os_errno, t->errbuf, target, opt_);
    r.error = c.error;
    r.reason = c.reason;
  }
  if (r.answered() && r.status_line.empty()) r.status = 0;  // HTTP/0.9 style: no status line, no status
  curl_multi_remove_handle(multi_->multi.get(), e);
  --per_host_active_[t->host_key];
  --per_origin_active_[t->origin_key];
  if (opt_.in_flight) --*opt_.in_flight;
  auto node = active_.extract(e);
  std::unique_ptr<Transfer> owned = std::move(node.mapped());
  deliver(*owned);
}

void HttpEngine::deliver(Transfer& t) {
  if (!t.done) return;
  in_callback_ = true;
  followup_pos_ = 0;
  t.done(std::move(t.resp));
  in_callback_ = false;
}

void HttpEngine::run() {
  for (;;) {
    start_ready();
    if (active_.empty()) {
      if (pending_.empty()) return;
      continue;  // start_ready reported failures; try again
    }
    int running = 0;
    curl_multi_perform(multi_->multi.get(), &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_->multi.get(), &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      void* priv = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
      finish(static_cast<Transfer*>(priv), msg->data.result);
    }
    start_ready();
    if (!active_.empty()) {
      // Bounded wait: curl's own timers wake us earlier when a timeout is due.
      curl_multi_poll(multi_->multi.get(), nullptr, 0, 1000, nullptr);
    }
  }
}

}  // namespace pp::http
