#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace pp::http {

/// Why a transfer produced no usable HTTP answer. Each kind maps to one fact state: Refused is
/// an observation (nothing listens), everything else means the probe could not observe.
enum class TransferError {
  None,             ///< an HTTP answer was read (possibly with a truncated body)
  Refused,          ///< TCP connection refused
  Timeout,          ///< connect or total timeout
  Tls,              ///< TLS handshake failed
  Reset,            ///< connection reset / closed before an answer
  Malformed,        ///< the bytes were not an HTTP response
  HeadersTooLarge,  ///< header bytes over the cap
  Resolve,          ///< the connect address did not resolve
  Other,
};

struct Header {
  std::string name;   ///< as received
  std::string value;  ///< as received, surrounding whitespace removed
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;            ///< carries the vdir's name (Host header, SNI)
  std::string connect_host;   ///< where the TCP connection goes instead of the URL's host
  std::vector<std::string> extra_headers;  ///< "Name: value"
  /// Accept an answer without a status line (HTTP/0.9 style): method probes read what a server
  /// that does not understand the method says instead of calling it a failure.
  bool allow_http09 = false;
  /// Send `Authorization: NTLM <NEGOTIATE_MESSAGE>` (MS-NLMP type 1: flags only, no user,
  /// domain, workstation or password). The engine builds the header itself: it is the one
  /// Authorization this scanner ever sends; any Authorization in extra_headers is dropped.
  bool ntlm_negotiate = false;
};

struct HttpResponse {
  TransferError error = TransferError::None;
  std::string reason;          ///< why error != None, in words; or a note on an incomplete body
  std::string method;          ///< of the request
  std::string url;             ///< of the request
  long status = 0;
  std::string status_line;     ///< "HTTP/1.1 401 Unauthorized"
  std::vector<Header> headers; ///< in the order received
  std::string body;            ///< at most max_body_bytes
  bool body_truncated = false; ///< the body was cut at the cap or ended early

  bool answered() const { return error == TransferError::None; }
  /// Answered with a bare body and no status line (HTTP/0.9 style); status is 0 then.
  bool without_status_line() const { return answered() && status_line.empty(); }
  /// Every value of header `name` (case-insensitive), in order.
  std::vector<std::string> values(std::string_view name) const;
  /// The first value of header `name`, or nullptr.
  const std::string* first(std::string_view name) const;
};

}  // namespace pp::http
