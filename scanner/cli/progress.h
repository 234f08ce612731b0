#pragma once
#include <chrono>
#include <cstdio>
#include <string>

#include "engine/runner.h"

namespace pp::cli {

/// Where the bar stands, 0..1. An endpoint job weighs kEndpointWeight vdir requests: its TLS
/// and certificate probes open tens of connections where a vdir request needs one, so
/// neither phase leaves the bar still while the other runs.
inline constexpr size_t kEndpointWeight = 10;
double progress_fraction(const engine::ProgressEvent& e);

/// What just finished, named by its inventory target first ("cas01 https://10.0.0.21:443");
/// the subject alone when the target is named after its host or host:port (a command-line
/// target: "mail.example.com" for https://mail.example.com:443).
std::string progress_label(const std::string& target, const std::string& subject);

/// The terminal line, redrawn in place (without the leading "\r\033[K"): bar, percent, endpoint
/// jobs done, vdir requests done (when the scan has any), elapsed time, findings so far, what
/// just finished; cut to `width` columns so it never wraps.
std::string progress_line(const engine::ProgressEvent& e, long long secs, size_t findings, size_t width);

/// The line for a log when standard error is not a terminal: one per endpoint job and one for
/// the whole vdir batch, as before vdir requests were counted; "" for a single vdir request.
std::string progress_log_line(const engine::ProgressEvent& e, long long secs, size_t findings);

/// The console while a scan runs: a redrawn progress line on a terminal (at most every
/// `min_redraw`, and always for the last event), a plain line per endpoint otherwise (CI
/// logs), nothing with --quiet.
class Progress {
 public:
  /// Standard error; a terminal when isatty says so, as wide as the terminal.
  Progress(bool quiet, bool verbose);
  /// Any stream (tests): `tty` chooses the redrawn line, `width` its columns.
  Progress(bool quiet, std::FILE* out, bool tty, size_t width,
           std::chrono::milliseconds min_redraw = std::chrono::milliseconds(100));
  void update(const engine::ProgressEvent& e, size_t findings);
  void finish();

 private:
  bool quiet_;
  std::FILE* out_;
  bool tty_;
  size_t width_;
  std::chrono::milliseconds min_redraw_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace pp::cli
