#include "cli/progress.h"

#include <catch2/catch.hpp>
#include <cstdio>

using namespace pp;
using namespace pp::cli;
using engine::ProgressEvent;

namespace {

ProgressEvent event(ProgressEvent::Kind kind, size_t ep_done, size_t req_done) {
  ProgressEvent e;
  e.kind = kind;
  e.endpoints_done = ep_done;
  e.endpoints_total = 4;
  e.requests_done = req_done;
  e.requests_total = 60;
  e.target = "cas01";
  e.subject = kind == ProgressEvent::Kind::Endpoint ? "https://10.0.0.21:443" : "https://10.0.0.21:443/owa";
  return e;
}

/// What a Progress writes for `events`, read back from a temporary file.
std::string written(bool tty, const std::vector<ProgressEvent>& events) {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  {
    Progress p(false, f, tty, 100, std::chrono::milliseconds(0));
    for (const auto& e : events) p.update(e, 3);
    p.finish();
  }
  std::rewind(f);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  std::fclose(f);
  return out;
}

}  // namespace

TEST_CASE("progress: the bar moves with every endpoint and every vdir request") {
  // Four endpoints of weight 10 and 60 requests: the endpoints are 40% of the bar.
  CHECK(progress_fraction(event(ProgressEvent::Kind::Endpoint, 0, 0)) == Approx(0.0));
  CHECK(progress_fraction(event(ProgressEvent::Kind::Endpoint, 2, 0)) == Approx(0.2));
  CHECK(progress_fraction(event(ProgressEvent::Kind::Endpoint, 4, 0)) == Approx(0.4));
  CHECK(progress_fraction(event(ProgressEvent::Kind::VdirRequest, 4, 30)) == Approx(0.7));
  CHECK(progress_fraction(event(ProgressEvent::Kind::VdirBatch, 4, 60)) == Approx(1.0));
  double last = -1;
  for (size_t r = 0; r <= 60; ++r) {
    const double f = progress_fraction(event(ProgressEvent::Kind::VdirRequest, 4, r));
    CHECK(f > last);  // never still while requests finish
    last = f;
  }
  ProgressEvent none;
  CHECK(progress_fraction(none) == Approx(1.0));  // nothing to do is done
}

TEST_CASE("progress: targets are named by their inventory name") {
  CHECK(progress_label("cas01", "https://10.0.0.21:443") == "cas01 https://10.0.0.21:443");
  // A target named after its host or URL is not named twice.
  CHECK(progress_label("mail.example.com", "https://mail.example.com:443") == "https://mail.example.com:443");
  CHECK(progress_label("mail.example.com:8443", "https://mail.example.com:8443") == "https://mail.example.com:8443");
  CHECK(progress_label("mail.example.com", "https://mail.example.com:443/owa") == "https://mail.example.com:443/owa");
  // An inventory name that is only part of the host name is still shown.
  CHECK(progress_label("mail", "https://mail.example.com:443") == "mail https://mail.example.com:443");
  CHECK(progress_label("", "virtual directories") == "virtual directories");
  CHECK(progress_label("a\x1b[31m", "b\n") == "a\\x1b[31m b\\n");
}

TEST_CASE("progress: the terminal line shows both counts and never exceeds the width") {
  const std::string line = progress_line(event(ProgressEvent::Kind::VdirRequest, 4, 30), 65, 3, 200);
  INFO(line);
  CHECK(line.find("[################........]  70%") == 0);
  CHECK(line.find("endpoints 4/4  vdir requests 30/60  01:05  3 findings  cas01 https://10.0.0.21:443/owa") !=
        std::string::npos);
  CHECK(progress_line(event(ProgressEvent::Kind::VdirRequest, 4, 30), 65, 3, 60).size() == 59);
  ProgressEvent no_vdirs = event(ProgressEvent::Kind::Endpoint, 1, 0);
  no_vdirs.requests_total = 0;
  CHECK(progress_line(no_vdirs, 0, 1, 200).find("vdir requests") == std::string::npos);
}

TEST_CASE("progress: without a terminal, a line per endpoint and one for the vdir batch only") {
  std::vector<ProgressEvent> events = {event(ProgressEvent::Kind::Endpoint, 1, 0),
                                       event(ProgressEvent::Kind::Endpoint, 2, 0)};
  for (size_t r = 1; r <= 60; ++r) events.push_back(event(ProgressEvent::Kind::VdirRequest, 4, r));
  ProgressEvent batch = event(ProgressEvent::Kind::VdirBatch, 4, 60);
  batch.target.clear();
  batch.subject = "virtual directories";
  events.push_back(batch);
  const std::string log = written(false, events);
  CHECK(log ==
        "[1/4] cas01 https://10.0.0.21:443 done (0s, 3 findings so far)\n"
        "[2/4] cas01 https://10.0.0.21:443 done (0s, 3 findings so far)\n"
        "[60 vdir requests] virtual directories done (0s, 3 findings so far)\n");

  const std::string tty = written(true, events);
  CHECK(tty.find('\n') == std::string::npos);  // redrawn in place
  CHECK(tty.find("vdir requests 30/60") != std::string::npos);
  CHECK(tty.find("vdir requests 60/60") != std::string::npos);
  CHECK((tty.size() >= 5 && tty.substr(tty.size() - 4) == "\r\033[K"));  // cleared at the end
}

TEST_CASE("progress: --quiet writes nothing") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  Progress p(true, f, true, 100);
  p.update(event(ProgressEvent::Kind::Endpoint, 1, 0), 0);
  p.finish();
  CHECK(std::ftell(f) == 0);
  std::fclose(f);
}
