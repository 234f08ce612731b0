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
#include "reports/markdown.h"
#include "reports/sarif.h"

namespace pp::reports {

GateCount gate_count(const Result& r, const Gate& gate) {
  // What could not be observed at all is never clean, whatever its severity or history.
  if (r.status == Status::Error && r.rule_id == kProbeErrorRule) return GateCount::Undecided;
  if (r.status != Status::Fail && r.status != Status::Error) return GateCount::None;
  if (r.severity < gate.fail_on) return GateCount::None;
  if (gate.new_only && r.baseline != "new") return GateCount::None;
  return r.status == Status::Fail ? GateCount::Finding : GateCount::Undecided;
}

GateVerdict evaluate_gate(const std::vector<Result>& results, const Gate& gate) {
  GateVerdict v;
  for (const auto& r : results) {
    switch (gate_count(r, gate)) {
      case GateCount::Finding: ++v.findings; break;
      case GateCount::Undecided: ++v.undecided; break;
      case GateCount::None: break;
    }
  }
  return v;
}

const std::vector<ReportWriter>& report_writers() {
  static const std::vector<ReportWriter> kWriters = {
      {"junit", ".xml", "JUnit XML for Jenkins, GitLab and GitHub: a testsuite per target, failing as the gate does",
       [](const ScanReport& r) { return render_junit(r, {}); }, nullptr, render_junit},
      {"html", ".html", "one self-contained HTML page for people: summary, filters, evidence", render_html},
      {"json", ".json", "the full result set and facts (schema_version 2): input of --baseline, diff, merge", render_json, render_json_to},
      {"sarif", ".sarif", "SARIF 2.1.0 for code-scanning dashboards", render_sarif},
      {"markdown", ".md", "Markdown summary for a merge-request comment or a CI job summary: the gate's verdict",
       [](const ScanReport& r) { return render_markdown(r, {}); }, nullptr, render_markdown},
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

std::string render(const ReportWriter& w, const ScanReport& report, const WriteOptions& options) {
  return w.render_with ? w.render_with(report, options) : w.render(report);
}

std::string write_to_stdout(const ReportWriter& w, const ScanReport& report, const WriteOptions& options) {
  bool ok = true;
  if (w.stream)
    ok = w.stream(report, [&](std::string_view piece) { return write_all(g_report_stdout, piece); });
  else
    ok = write_all(g_report_stdout, render(w, report, options));
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

std::string write_reports(const ScanReport& report, const std::vector<ReportOutput>& outputs,
                          const WriteOptions& options) {
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
      err = write_to_stdout(w, report, options);
    } else if (w.stream) {
      AtomicWriter file;
      err = file.open(o.path);
      if (err.empty()) {
        w.stream(report, [&](std::string_view piece) { return file.write(piece); });
        err = file.commit();
      }
    } else {
      err = write_file_atomically(o.path, render(w, report, options));
    }
    if (!err.empty()) errors += o.format + " report: " + err + "\n";
  }
  return errors;
}

}  // namespace pp::reports
