#include "reports/writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/atomic_file.h"
#include "reports/html.h"
#include "reports/json.h"
#include "reports/junit.h"
#include "reports/sarif.h"

namespace pp::reports {

const std::vector<ReportWriter>& report_writers() {
  static const std::vector<ReportWriter> kWriters = {
      {"junit", ".xml", "JUnit XML for Jenkins, GitLab and GitHub: a testsuite per target", render_junit},
      {"html", ".html", "one self-contained HTML page for people: summary, filters, evidence", render_html},
      {"json", ".json", "the full result set and facts (schema_version 1): input of --baseline, diff, merge", render_json, render_json_to},
      {"sarif", ".sarif", "SARIF 2.1.0 for code-scanning dashboards", render_sarif},
  };
  return kWriters;
}

namespace {

int g_report_stdout = STDOUT_FILENO;  ///< where "-" goes; moved by reserve_stdout_for_report

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string write_to_stdout(const ReportWriter& w, const ScanReport& report) {
  bool ok = true;
  if (w.stream)
    ok = w.stream(report, [&](std::string_view piece) { return write_all(g_report_stdout, piece); });
  else
    ok = write_all(g_report_stdout, w.render(report));
  return ok ? std::string() : std::string("cannot write to standard output: ") + std::strerror(errno);
}

}  // namespace

std::string reserve_stdout_for_report() {
  std::fflush(stdout);
  const int kept = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (kept < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
    return std::string("cannot keep standard output for the report: ") + std::strerror(errno);
  g_report_stdout = kept;
  return {};
}

const ReportWriter* find_writer(std::string_view name) {
  for (const auto& w : report_writers())
    if (w.name == name) return &w;
  return nullptr;
}

std::string write_reports(const ScanReport& report, const std::vector<ReportOutput>& outputs) {
  std::string errors;
  for (const auto& o : outputs) {
    if (!find_writer(o.format)) {
      std::string known;
      for (const auto& w : report_writers()) known += (known.empty() ? "" : ", ") + std::string(w.name);
      errors += "unknown report format '" + o.format + "' for " + o.path + " (known: " + known + ")\n";
    } else if (o.path.empty()) {
      errors += "report format '" + o.format + "' has no output path\n";
    }
  }
  if (!errors.empty()) return errors;
  for (const auto& o : outputs) {
    const ReportWriter& w = *find_writer(o.format);
    std::string err;
    if (o.path == "-") {
      err = write_to_stdout(w, report);
    } else if (w.stream) {
      AtomicWriter file;
      err = file.open(o.path);
      if (err.empty()) {
        w.stream(report, [&](std::string_view piece) { return file.write(piece); });
        err = file.commit();
      }
    } else {
      err = write_file_atomically(o.path, w.render(report));
    }
    if (!err.empty()) errors += o.format + " report: " + err + "\n";
  }
  return errors;
}

}  // namespace pp::reports
