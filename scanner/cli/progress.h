#pragma once
#include <chrono>
#include <cstdio>
#include <string>

namespace pp::cli {

/// The console while a scan runs: a redrawn progress bar on a terminal (done of total,
/// elapsed), a plain line per endpoint otherwise (CI logs), nothing with --quiet.
class Progress {
 public:
  Progress(bool quiet, bool verbose);
  void update(size_t done, size_t total, const std::string& label, size_t findings);
  void finish();

 private:
  bool quiet_, verbose_, tty_;
  std::chrono::steady_clock::time_point start_;
  bool drawn_ = false;
};

}  // namespace pp::cli
