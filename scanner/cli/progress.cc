#include "cli/progress.h"

#include <unistd.h>

#include "core/text.h"

namespace pp::cli {

Progress::Progress(bool quiet, bool verbose)
    : quiet_(quiet), verbose_(verbose), tty_(isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {}

void Progress::update(size_t done, size_t total, const std::string& label, size_t findings) {
  if (quiet_) return;
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_).count();
  if (tty_) {
    constexpr int kWidth = 30;
    int filled = total ? static_cast<int>(kWidth * done / total) : kWidth;
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r\033[K[%s] %zu/%zu  %02lld:%02lld  %zu finding%s  %s", bar.c_str(), done, total,
                 static_cast<long long>(secs / 60), static_cast<long long>(secs % 60), findings,
                 findings == 1 ? "" : "s", text::terminal_safe(label).substr(0, 40).c_str());
    std::fflush(stderr);
    drawn_ = true;
  } else {
    std::fprintf(stderr, "[%zu/%zu] %s done (%llds, %zu finding%s so far)\n", done, total,
                 text::terminal_safe(label).c_str(), static_cast<long long>(secs), findings, findings == 1 ? "" : "s");
  }
  (void)verbose_;
}

void Progress::finish() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace pp::cli
