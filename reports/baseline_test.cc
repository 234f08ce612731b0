#include <catch2/catch.hpp>

#include "reports/baseline.h"
#include "reports/json.h"
#include "tests/reports/fixture.h"

using namespace pp;
using namespace pp::reports;
using pp::reports::testing::fixture_report;

namespace {
Result* find(ScanReport& r, const std::string& rule, const std::string& subject) {
  for (auto& res : r.results)
    if (res.rule_id == rule && res.subject == subject) return &res;
  return nullptr;
}
const std::string kEas = "mail.example.com:443/Microsoft-Server-ActiveSync";
const std::string kHttps = "https://mail.example.com:443";
const std::string kSmtp = "smtp://mail.example.com:25";

/// The next scan: EAS-001 fixed, TLS-009 no longer evaluated, a new failure, MAIL-002 waived.
ScanReport next_scan() {
  ScanReport now = fixture_report();
  find(now, "EAS-001", kEas)->status = Status::Pass;
  std::erase_if(now.results, [](const Result& r) { return r.rule_id == "TLS-009"; });
  Result added = *find(now, "TLS-001", kHttps);
  added.rule_id = "TLS-002";
  added.message = "RC4 accepted";
  now.results.push_back(added);
  find(now, "MAIL-002", kSmtp)->status = Status::Waived;
  now.started_at = "2025-03-08T09:00:00Z";
  sort_report(now);
  return now;
}
}  // namespace

TEST_CASE("baseline marks new, unchanged and fixed findings") {
  const ScanReport old = fixture_report();
  ScanReport now = next_scan();
  apply_baseline(old, now);

  REQUIRE(find(now, "TLS-002", kHttps)->baseline == "new");
  REQUIRE(find(now, "TLS-001", kHttps)->baseline == "unchanged");
  REQUIRE(find(now, "MAIL-001", kSmtp)->baseline == "unchanged");  // error stays a finding
  REQUIRE(find(now, "EAS-001", kEas)->baseline == "fixed");
  REQUIRE(find(now, "EAS-001", kEas)->status == Status::Pass);
  // Not evaluated any more: appended as "not evaluated" and skipped, never fixed, never a pass.
  Result* gone = find(now, "TLS-009", kHttps);
  REQUIRE(gone);
  REQUIRE(gone->baseline == "not evaluated");
  REQUIRE(gone->status == Status::Skipped);
  REQUIRE(gone->message.find("no longer reported") != std::string::npos);
  // Waived now: not a finding, not fixed either.
  REQUIRE(find(now, "MAIL-002", kSmtp)->baseline.empty());
  REQUIRE(find(now, "LDAP-002", "ldap://[2001:db8::10]:389")->baseline.empty());

  // Applying again does not append the gone row twice.
  const size_t n = now.results.size();
  apply_baseline(old, now);
  REQUIRE(now.results.size() == n);

  // The marks survive the JSON round trip.
  ScanReport back;
  REQUIRE(parse_json_report(render_json(now), back) == "");
  REQUIRE(find(back, "TLS-002", kHttps)->baseline == "new");
  REQUIRE(find(back, "TLS-009", kHttps)->baseline == "not evaluated");
}

TEST_CASE("a baseline finding whose endpoint stopped answering is not evaluated, never fixed") {
  const ScanReport old = fixture_report();
  ScanReport now = old;
  Result* r = find(now, "TLS-001", kHttps);
  REQUIRE(r);
  r->status = Status::Blocked;
  r->blocked_by = "PROBE https://mail.example.com:443";
  apply_baseline(old, now);
  REQUIRE(find(now, "TLS-001", kHttps)->baseline == "not evaluated");
  const BaselineDiff d = compare(old, now);
  for (const auto& f : d.fixed) REQUIRE(f.rule_id != "TLS-001");
}

TEST_CASE("a scan against itself changes nothing") {
  const ScanReport old = fixture_report();
  ScanReport now = fixture_report();
  apply_baseline(old, now);
  REQUIRE(now.results.size() == old.results.size());
  for (const auto& r : now.results) {
    if (r.status == Status::Fail || r.status == Status::Error) REQUIRE(r.baseline == "unchanged");
    else REQUIRE(r.baseline.empty());
  }
  const BaselineDiff d = compare(old, now);
  REQUIRE(d.added.empty());
  REQUIRE(d.fixed.empty());
  REQUIRE(d.gone.empty());
  REQUIRE(d.unchanged.size() == 7);
}

TEST_CASE("diff text lists each change once, most severe first") {
  const std::string text = diff_text(fixture_report(), next_scan());
  INFO(text);
  REQUIRE(text.find("new findings: 1\n  + MEDIUM TLS-002 https://mail.example.com:443 [fail]: RC4 accepted\n") !=
          std::string::npos);
  REQUIRE(text.find("fixed (now pass): 1\n  - HIGH EAS-001") != std::string::npos);
  REQUIRE(text.find("no longer reported (not evaluated): 1\n  - INFO TLS-009") != std::string::npos);
  REQUIRE(text.find("now skipped or waived: 1\n  ~ LOW MAIL-002") != std::string::npos);
  REQUIRE(text.find("unchanged findings: 4\n") != std::string::npos);
  REQUIRE(text.find('\x1b') == std::string::npos);  // hostile server text is neutralised
}

TEST_CASE("merge of shards gives back the whole report") {
  const ScanReport whole = fixture_report();
  std::vector<ScanReport> shards(2);
  for (auto& s : shards) {
    s.tool_version = whole.tool_version;
    s.profiles = whole.profiles;
    s.metadata = whole.metadata;
  }
  shards[0].started_at = whole.started_at;
  shards[0].finished_at = "2025-03-01T09:01:00Z";
  shards[1].started_at = "2025-03-01T09:00:30Z";
  shards[1].finished_at = whole.finished_at;
  for (const auto& t : whole.targets) (t == "mail-fe" ? shards[0] : shards[1]).targets.push_back(t);
  for (const auto& r : whole.results) (r.target == "mail-fe" ? shards[0] : shards[1]).results.push_back(r);
  for (const auto& f : whole.facts) (f.subject.target == "mail-fe" ? shards[0] : shards[1]).facts.push_back(f);
  shards[1].results.push_back(shards[0].results[0]);  // a duplicate across shards
  shards[1].metadata["shard"] = "2/2";
  shards[0].metadata["shard"] = "1/2";

  ScanReport merged = merge(shards);
  REQUIRE(merged.metadata["merged_reports"] == "2");
  REQUIRE(merged.metadata["shard"] == "1/2, 2/2");
  merged.metadata = whole.metadata;
  REQUIRE(render_json(merged) == render_json(whole));

  // Merging is idempotent and order-independent for disjoint shards.
  ScanReport again = merge({merge({shards[1], shards[0]}), shards[0]});
  again.metadata = whole.metadata;
  REQUIRE(render_json(again) == render_json(whole));
}

namespace {
Result element_result(const std::string& subject, Status status) {
  Result r;
  r.rule_id = "EXV-002";
  r.target = "mail";
  r.subject = subject;
  r.subject_kind = SubjectKind::Vdir;
  r.status = status;
  r.message = status == Status::Fail ? "lacks a fix" : "";
  return r;
}
ScanReport element_scan(std::vector<Result> results) {
  ScanReport s;
  s.targets = {"mail"};
  s.results = std::move(results);
  sort_report(s);
  return s;
}
const std::string kOwa = "mail.example.com:443/owa";
}  // namespace

TEST_CASE("an element finding of a rule judged per element reads fixed once its list no longer has it") {
  const ScanReport old = element_scan({element_result(kOwa, Status::Skipped), element_result(kOwa + "#CVE-A", Status::Fail),
                                       element_result(kOwa + "#CVE-B", Status::Fail)});
  // Partly patched: CVE-B still listed, CVE-A gone.
  ScanReport partly = element_scan({element_result(kOwa, Status::Skipped), element_result(kOwa + "#CVE-B", Status::Fail)});
  apply_baseline(old, partly);
  REQUIRE(find(partly, "EXV-002", kOwa + "#CVE-A"));
  CHECK(find(partly, "EXV-002", kOwa + "#CVE-A")->baseline == "fixed");
  CHECK(find(partly, "EXV-002", kOwa + "#CVE-A")->status == Status::Pass);
  CHECK(find(partly, "EXV-002", kOwa + "#CVE-B")->baseline == "unchanged");
  const size_t n = partly.results.size();
  apply_baseline(old, partly);  // idempotent
  CHECK(partly.results.size() == n);
  // Fully patched: the base passes, both elements are fixed.
  ScanReport patched = element_scan({element_result(kOwa, Status::Pass)});
  const BaselineDiff d = compare(old, patched);
  CHECK(d.fixed.size() == 2);
  CHECK(d.gone.empty());
  CHECK(diff_text(old, patched).find("fixed (now pass): 2") != std::string::npos);
}

TEST_CASE("an element finding whose list could not be judged is not evaluated, never fixed") {
  const ScanReport old = element_scan({element_result(kOwa, Status::Skipped), element_result(kOwa + "#CVE-A", Status::Fail)});
  for (Status base : {Status::Error, Status::Blocked, Status::Skipped}) {
    ScanReport now = element_scan({element_result(kOwa, base)});
    const BaselineDiff d = compare(old, now);
    CHECK(d.fixed.empty());
    CHECK(d.gone.size() == 1);
  }
  // A certificate's further key type that is no longer served is no element of a list: the
  // rule has no result on the endpoint itself, so nothing reads as fixed.
  ScanReport certs_old = element_scan({element_result("https://h:443#cert", Status::Fail),
                                       element_result("https://h:443#cert:rsa", Status::Fail)});
  ScanReport certs_now = element_scan({element_result("https://h:443#cert", Status::Fail)});
  CHECK(compare(certs_old, certs_now).gone.size() == 1);
}
