#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include "core/text.h"

namespace pp::cli {

namespace {

using Kind = engine::ProgressEvent::Kind;

std::string plural(size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

/// Cuts `s` to at most `width` code points (display columns for the text we print).
std::string cut(const std::string& s, size_t width) {
  size_t cols = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (cols++ == width) return s.substr(0, i);
  }
  return s;
}

size_t stderr_width() {
  winsize ws{};
  return ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20 ? ws.ws_col : 80;
}

}  // namespace

double progress_fraction(const engine::ProgressEvent& e) {
  const double total = static_cast<double>(e.endpoints_total * kEndpointWeight + e.requests_total);
  if (total == 0) return 1.0;
  const double done = static_cast<double>(e.endpoints_done * kEndpointWeight + e.requests_done);
  return std::min(1.0, done / total);
}

std::string progress_label(const std::string& target, const std::string& subject) {
  // A target named on the command line is named after its host (or host:port).
  const size_t at = subject.find("://" + target);
  const size_t after = at == std::string::npos ? 0 : at + 3 + target.size();
  const bool named_by_host =
      at != std::string::npos && (after == subject.size() || subject[after] == ':' || subject[after] == '/');
  if (target.empty() || named_by_host) return text::terminal_safe(subject);
  return text::terminal_safe(target) + " " + text::terminal_safe(subject);
}

std::string progress_line(const engine::ProgressEvent& e, long long secs, size_t findings, size_t width) {
  constexpr int kBar = 24;
  const double f = progress_fraction(e);
  std::string bar(static_cast<size_t>(kBar * f), '#');
  bar.resize(kBar, '.');
  char head[160];
  std::snprintf(head, sizeof head, "[%s] %3d%%  endpoints %zu/%zu", bar.c_str(), static_cast<int>(f * 100 + 1e-9),
                e.endpoints_done, e.endpoints_total);
  std::string line = head;
  if (e.requests_total)
    line += "  vdir requests " + std::to_string(e.requests_done) + "/" + std::to_string(e.requests_total);
  char clock[32];
  std::snprintf(clock, sizeof clock, "  %02lld:%02lld  ", secs / 60, secs % 60);
  line += clock + plural(findings, "finding") + "  " + progress_label(e.target, e.subject);
  return cut(line, width > 0 ? width - 1 : 0);  // the last column left free: no wrap at the edge
}

std::string progress_log_line(const engine::ProgressEvent& e, long long secs, size_t findings) {
  const std::string tail = " done (" + std::to_string(secs) + "s, " + plural(findings, "finding") + " so far)\n";
  if (e.kind == Kind::Endpoint)
    return "[" + std::to_string(e.endpoints_done) + "/" + std::to_string(e.endpoints_total) + "] " +
           progress_label(e.target, e.subject) + tail;
  if (e.kind == Kind::VdirBatch) return "[" + plural(e.requests_total, "vdir request") + "] " + text::terminal_safe(e.subject) + tail;
  return {};
}

Progress::Progress(bool quiet, bool /*verbose*/)
    : Progress(quiet, stderr, isatty(STDERR_FILENO) == 1, isatty(STDERR_FILENO) == 1 ? stderr_width() : 0) {}

Progress::Progress(bool quiet, std::FILE* out, bool tty, size_t width, std::chrono::milliseconds min_redraw)
    : quiet_(quiet), out_(out), tty_(tty), width_(width), min_redraw_(min_redraw),
      start_(std::chrono::steady_clock::now()) {}

void Progress::update(const engine::ProgressEvent& e, size_t findings) {
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  const long long secs = std::chrono::duration_cast<std::chrono::seconds>(now - start_).count();
  if (!tty_) {
    const std::string line = progress_log_line(e, secs, findings);
    if (!line.empty()) std::fputs(line.c_str(), out_);
    return;
  }
  const bool last = e.endpoints_done == e.endpoints_total && e.requests_done == e.requests_total;
  if (drawn_ && !last && now - last_draw_ < min_redraw_) return;
  std::fprintf(out_, "\r\033[K%s", progress_line(e, secs, findings, width_).c_str());
  std::fflush(out_);
  last_draw_ = now;
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_) std::fprintf(out_, "\r\033[K");
  drawn_ = false;
}

}  // namespace pp::cli
