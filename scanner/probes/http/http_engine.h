#pragma once
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "probes/http/http_message.h"

namespace pp::http {

struct EngineOptions {
  long connect_timeout_ms = 5000;
  long total_timeout_ms = 15000;
  size_t max_body_bytes = 64 * 1024;
  size_t max_header_bytes = 64 * 1024;
  int concurrency = 32;
  int per_host = 4;
  /// Requests in flight to one origin (scheme, host, port) at once. Follow-up requests (method
  /// probes, redirects) submitted from a completion callback go to the front of the queue, so an
  /// origin's requests take turns on its kept-alive connections instead of opening new ones.
  int per_origin = 2;
  /// Optional counters shared by engines running side by side (requests in flight now, peak).
  std::atomic<int>* in_flight = nullptr;
  std::atomic<int>* peak_in_flight = nullptr;
};

/// Maps a finished libcurl transfer to an error kind and a reason in words. Pure, so the
/// wording is tested without a network.
struct Classified {
  TransferError error;
  std::string reason;
};
Classified classify_curl_error(int curl_code, long os_errno, const std::string& errbuf,
                               const std::string& connect_target, const EngineOptions& opt);

/// One libcurl multi handle driving many requests on one thread, so connections are reused across
/// vdirs of the same host (probe_http runs one engine per host). Requests may be submitted from completion callbacks (redirects,
/// method probes); run() returns when nothing is left. Per-host and overall limits are
/// enforced here before a handle reaches curl, so no request's timeout runs while it queues.
class HttpEngine {
 public:
  using Callback = std::function<void(HttpResponse)>;

  explicit HttpEngine(EngineOptions opt);
  ~HttpEngine();
  HttpEngine(const HttpEngine&) = delete;
  HttpEngine& operator=(const HttpEngine&) = delete;

  /// False when libcurl could not create the multi handle; every callback then gets an error.
  bool ok() const;
  void submit(HttpRequest req, Callback done);
  void run();

  /// Counters the tests use to check the limits held.
  int requests_started() const { return started_; }
  /// New connections the finished transfers had to open (libcurl's CURLINFO_NUM_CONNECTS).
  int connections_opened() const { return connections_; }
  int peak_in_flight() const { return peak_total_; }
  int peak_in_flight(const std::string& connect_host) const;

 private:
  struct Transfer;
  void start_ready();
  bool start(std::unique_ptr<Transfer>& t);
  void finish(Transfer* t, int curl_code);
  void deliver(Transfer& t);  ///< runs the callback; its submissions are follow-ups

  EngineOptions opt_;
  struct MultiHolder;
  std::unique_ptr<MultiHolder> multi_;
  std::deque<std::unique_ptr<Transfer>> pending_;
  std::map<void*, std::unique_ptr<Transfer>> active_;
  std::map<std::string, int> per_host_active_;
  std::map<std::string, int> per_host_peak_;
  std::map<std::string, int> per_origin_active_;
  /// While a completion callback runs, where its follow-ups go in `pending_` (front, in order).
  bool in_callback_ = false;
  size_t followup_pos_ = 0;
  int started_ = 0;
  int connections_ = 0;
  int peak_total_ = 0;
};

}  // namespace pp::http
