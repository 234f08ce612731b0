#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/atomic_file.h"
#include "reports/writer.h"
#include "tests/reports/fixture.h"

using namespace pp;
using namespace pp::reports;
namespace fs = std::filesystem;

namespace {
fs::path temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "pp_reports_XXXXXX").string();
  REQUIRE(mkdtemp(tmpl.data()) != nullptr);
  return tmpl;
}
}  // namespace

TEST_CASE("the writer table names each format once") {
  std::vector<std::string_view> names;
  for (const auto& w : report_writers()) names.push_back(w.name);
  REQUIRE(names == std::vector<std::string_view>{"junit", "html", "json", "sarif", "markdown"});
  REQUIRE(find_writer("sarif")->extension == ".sarif");
  REQUIRE(find_writer("xml") == nullptr);
}

TEST_CASE("write_reports writes every format atomically") {
  const fs::path dir = temp_dir();
  const ScanReport report = testing::fixture_report();
  const std::string err = write_reports(report, {{"json", (dir / "r.json").string()}, {"junit", (dir / "r.xml").string()}});
  REQUIRE(err == "");
  std::string text, e;
  REQUIRE(read_file((dir / "r.json").string(), text, e));
  REQUIRE(text == find_writer("json")->render(report));
  REQUIRE(read_file((dir / "r.xml").string(), text, e));
  REQUIRE(text.rfind("<?xml", 0) == 0);
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++files;
  REQUIRE(files == 2);  // no temp files left behind
  fs::remove_all(dir);
}

TEST_CASE("write_reports refuses unknown formats before writing anything") {
  const fs::path dir = temp_dir();
  const std::string err = write_reports(testing::fixture_report(),
                                        {{"json", (dir / "r.json").string()}, {"pdf", (dir / "r.pdf").string()}});
  REQUIRE(err.find("unknown report format 'pdf'") != std::string::npos);
  REQUIRE_FALSE(fs::exists(dir / "r.json"));
  fs::remove_all(dir);
}

TEST_CASE("a failed write names the path and does not stop the others") {
  const fs::path dir = temp_dir();
  const std::string bad = (dir / "missing" / "r.xml").string();
  const std::string err =
      write_reports(testing::fixture_report(), {{"junit", bad}, {"json", (dir / "r.json").string()}});
  REQUIRE(err.find(bad) != std::string::npos);
  REQUIRE(err.rfind("junit report: ", 0) == 0);
  REQUIRE(fs::exists(dir / "r.json"));
  fs::remove_all(dir);
}

TEST_CASE("the report path '-' is standard output, not a file named '-'") {
  const fs::path dir = temp_dir();
  const std::string captured = (dir / "stdout").string();
  std::fflush(stdout);
  const int saved = dup(STDOUT_FILENO);
  const int fd = open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE((saved >= 0 && fd >= 0));
  dup2(fd, STDOUT_FILENO);
  close(fd);
  const ScanReport report = testing::fixture_report();
  const std::string err = write_reports(report, {{"json", "-"}});
  dup2(saved, STDOUT_FILENO);
  close(saved);
  REQUIRE(err == "");
  std::string text, e;
  REQUIRE(read_file(captured, text, e));
  REQUIRE(text == find_writer("json")->render(report));
  REQUIRE_FALSE(fs::exists("-"));
  fs::remove_all(dir);
}

TEST_CASE("the gate counts fails and errors at or above --fail-on, new ones only, PROBE errors always") {
  Result r;
  r.rule_id = "TLS-001";
  r.severity = Severity::Medium;
  r.status = Status::Fail;
  REQUIRE(gate_count(r, Gate{Severity::Medium, false}) == GateCount::Finding);
  REQUIRE(gate_count(r, Gate{Severity::High, false}) == GateCount::None);
  REQUIRE(gate_count(r, Gate{Severity::Low, true}) == GateCount::None);
  r.baseline = "new";
  REQUIRE(gate_count(r, Gate{Severity::Low, true}) == GateCount::Finding);
  r.status = Status::Error;
  REQUIRE(gate_count(r, Gate{Severity::Low, true}) == GateCount::Undecided);
  for (Status s : {Status::Pass, Status::Skipped, Status::Waived, Status::Blocked}) {
    r.status = s;
    REQUIRE(gate_count(r, Gate{Severity::Info, false}) == GateCount::None);
  }
  r.rule_id = std::string(kProbeErrorRule);
  r.status = Status::Error;
  r.severity = Severity::Info;
  r.baseline = "unchanged";
  REQUIRE(gate_count(r, Gate{Severity::Critical, true}) == GateCount::Undecided);
  const GateVerdict v = evaluate_gate(testing::fixture_report().results, Gate{});
  REQUIRE(v.findings == 3);
  REQUIRE(v.undecided == 1);
  REQUIRE(v.exit_code() == 1);
  REQUIRE(GateVerdict{0, 2}.exit_code() == 3);
  REQUIRE(GateVerdict{}.exit_code() == 0);
}

TEST_CASE("write_reports hands the gate to gate-aware writers") {
  const fs::path dir = temp_dir();
  const ScanReport report = testing::fixture_report();
  WriteOptions o;
  o.gate = Gate{Severity::Critical, false};
  REQUIRE(write_reports(report, {{"junit", (dir / "r.xml").string()}, {"markdown", (dir / "r.md").string()}}, o) == "");
  std::string text, e;
  REQUIRE(read_file((dir / "r.xml").string(), text, e));
  REQUIRE(text.find("<testsuites name=\"policyprobe\" tests=\"12\" failures=\"2\" errors=\"0\"") != std::string::npos);
  REQUIRE(read_file((dir / "r.md").string(), text, e));
  REQUIRE(text.rfind("### policyprobe: gate failed, exit 1", 0) == 0);
  fs::remove_all(dir);
}
