#include "engine/runner.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "engine/families.h"

using namespace pp;
using namespace pp::engine;
using net::NetError;
using net::NetErrorKind;

namespace {

Subject endpoint(const std::string& scheme, uint16_t port) {
  Subject s;
  s.kind = SubjectKind::Endpoint;
  s.target = "t";
  s.host = "mx.example";
  s.scheme = scheme;
  s.port = port;
  return s;
}

/// Every connection meets a fresh copy of one scripted SMTP server without STARTTLS.
net::Connector smtp_without_starttls(int* count) {
  return [count](NetError&) -> std::unique_ptr<net::Transport> {
    ++*count;
    auto t = std::make_unique<net::ScriptedTransport>();
    t->reply("220 mx.example ESMTP\r\n").reply("250-mx.example\r\n250 SIZE 10240000\r\n").reply("221 bye\r\n");
    return t;
  };
}

Network scripted(std::function<net::Connector(uint16_t port)> per_port) {
  Network n;
  n.connect = [per_port](const std::string&, uint16_t port, net::Millis) { return per_port(port); };
  n.http = [](const std::vector<Subject>& vdirs, const RunOptions&) { return std::vector<FactSet>(vdirs.size()); };
  return n;
}

const FactSet& facts_of(const std::vector<SubjectFacts>& out, const std::string& id) {
  for (const auto& sf : out)
    if (sf.subject.id() == id) return sf.facts;
  FAIL("no subject " << id);
  static FactSet none;
  return none;
}

RunOptions quick() {
  RunOptions o;
  o.timeout_ms = 200;
  o.concurrency = 2;
  return o;
}

}  // namespace

TEST_CASE("runner: the STARTTLS dialogue runs because TLS needs it, whichever families the rules want") {
  Plan with_mail, tls_only;
  with_mail.endpoints = tls_only.endpoints = {endpoint("smtp", 25)};
  with_mail.families = {"mail", "tls", "cert"};
  tls_only.families = {"tls", "cert"};
  int c1 = 0, c2 = 0;
  auto a = run_plan(with_mail, quick(), nullptr, scripted([&](uint16_t) { return smtp_without_starttls(&c1); }));
  auto b = run_plan(tls_only, quick(), nullptr, scripted([&](uint16_t) { return smtp_without_starttls(&c2); }));
  const FactSet& fa = facts_of(a, "smtp://mx.example:25");
  const FactSet& fb = facts_of(b, "smtp://mx.example:25");
  for (const char* name : {"tls.offered", "tls.protocols", "tls.ciphers.weak"}) {
    INFO(name);
    REQUIRE(fa.find(name));
    REQUIRE(fb.find(name));
    CHECK(fa.find(name)->state == FactState::Absent);
    CHECK(fb.find(name)->state == fa.find(name)->state);
    CHECK(fb.find(name)->reason == "STARTTLS is not offered on this port");
  }
  CHECK(facts_of(b, "smtp://mx.example:25#cert").find("cert.trusted")->state == FactState::Absent);
  // No TLS connection was attempted after the dialogue said there is no STARTTLS.
  CHECK(c2 <= 2);
}

TEST_CASE("runner: an endpoint that refuses is one reason everywhere, tried once") {
  Plan plan;
  plan.endpoints = {endpoint("https", 1)};
  plan.families = {"tls", "cert", "http"};
  Subject v = endpoint("https", 1);
  v.kind = SubjectKind::Vdir;
  v.path = "/owa";
  plan.vdirs = {v};
  int attempts = 0;
  Network net = scripted([&](uint16_t) -> net::Connector {
    return [&](NetError& err) -> std::unique_ptr<net::Transport> {
      ++attempts;
      err = NetError::make(NetErrorKind::Refused, "connection refused");
      return nullptr;
    };
  });
  net.http = [](const std::vector<Subject>& vdirs, const RunOptions&) {
    std::vector<FactSet> out(vdirs.size());
    for (auto& f : out) mark_family_unknown(f, "http", SubjectKind::Vdir, "curl: Couldn't connect to server");
    return out;
  };
  auto out = run_plan(plan, quick(), nullptr, net);
  CHECK(attempts == 1);
  const std::string reason = "https://mx.example:1: connection refused";
  for (const auto& sf : out)
    for (const Fact& f : sf.facts.all()) {
      INFO(sf.subject.id() << " " << f.name);
      if (f.name.rfind("http.plain.", 0) == 0) continue;  // the vdir has no plain port
      if (f.name.rfind("tls.connections", 0) == 0) continue;  // counts, known: the one attempt
      CHECK(f.state == FactState::Unknown);
      CHECK(f.reason == reason);
    }
}

namespace {
/// A server that accepts and then never answers: each read waits out its whole timeout.
struct Tarpit final : net::Transport {
  NetError write_all(std::string_view, net::Millis) override { return {}; }
  NetError read_some(std::string&, size_t, net::Millis timeout) override {
    std::this_thread::sleep_for(timeout);
    return NetError::make(NetErrorKind::Timeout, "no answer");
  }
  void close() override {}
};
}  // namespace

TEST_CASE("runner: a tarpit costs at most the endpoint budget, and says so") {
  Plan plan;
  plan.endpoints = {endpoint("https", 443)};
  plan.families = {"tls"};
  RunOptions opt = quick();
  opt.timeout_ms = 100;
  opt.budget.time = net::Millis(400);
  int conns = 0;
  auto start = std::chrono::steady_clock::now();
  auto out = run_plan(plan, opt, nullptr, scripted([&](uint16_t) -> net::Connector {
                        return [&](NetError&) -> std::unique_ptr<net::Transport> {
                          ++conns;
                          return std::make_unique<Tarpit>();
                        };
                      }));
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(took < std::chrono::milliseconds(1500));
  const FactSet& f = facts_of(out, "https://mx.example:443");
  REQUIRE(f.find("tls.protocols"));
  CHECK(f.find("tls.protocols")->state == FactState::Unknown);
  bool said = false;
  for (const Fact& fact : f.all()) said = said || fact.reason.find("endpoint budget spent") != std::string::npos;
  CHECK(said);
}

TEST_CASE("runner: discovery keeps open ports and names a target with none") {
  std::vector<Target> targets(2);
  targets[0].name = targets[0].host = "up.example";
  targets[1].name = targets[1].host = "down.example";
  for (auto& t : targets) {
    t.discover = true;
    t.services = {{"https", 443}, {"smtp", 25}};
  }
  Network net;
  net.connect = [](const std::string& host, uint16_t port, net::Millis) -> net::Connector {
    return [host, port](NetError& err) -> std::unique_ptr<net::Transport> {
      if (host == "up.example" && port == 443) return std::make_unique<net::ScriptedTransport>();
      err = NetError::make(NetErrorKind::Refused, "connection refused");
      return nullptr;
    };
  };
  std::vector<Discovery> found;
  auto kept = discover_services(targets, quick(), found, net);
  REQUIRE(kept[0].services.size() == 1);
  CHECK(kept[0].services[0].port == 443);
  CHECK(kept[1].services.empty());
  REQUIRE(found.size() == 2);
  CHECK(found[0].failure.empty());
  CHECK(found[0].tried == std::vector<uint16_t>{443, 25});
  CHECK(found[1].failure == "no port answered on down.example (tried 443, 25)");
}

TEST_CASE("families: a family's needs run first, only where the service needs them") {
  auto names = [](const std::vector<const Family*>& fs) {
    std::vector<std::string> out;
    for (auto* f : fs) out.emplace_back(f->name);
    return out;
  };
  CHECK(names(endpoint_families({"tls"}, *find_service("smtp"))) == std::vector<std::string>{"mail", "tls"});
  CHECK(names(endpoint_families({"tls"}, *find_service("https"))) == std::vector<std::string>{"tls"});
  CHECK(names(endpoint_families({"cert"}, *find_service("imaps"))) == std::vector<std::string>{"cert"});
  CHECK(names(endpoint_families({"http"}, *find_service("https"))).empty());
}

TEST_CASE("runner: each vdir fact names the URL it came from") {
  Plan plan;
  Subject v = endpoint("https", 40387);
  v.kind = SubjectKind::Vdir;
  v.plain_port = 43939;
  v.path = "/owa";
  plan.vdirs = {v};
  plan.families = {"http"};
  Network net = scripted([](uint16_t) -> net::Connector {
    return [](NetError&) -> std::unique_ptr<net::Transport> { return std::make_unique<net::ScriptedTransport>(); };
  });
  net.http = [](const std::vector<Subject>& vdirs, const RunOptions&) {
    std::vector<FactSet> out(vdirs.size());
    out[0].put(Fact::known("http.plain.status", int64_t{200}, "HTTP/1.1 200 OK"));
    out[0].put(Fact::known("http.tls.status", int64_t{401}, "HTTP/1.1 401 Unauthorized"));
    out[0].put(Fact::known("http.plain.reachable", true, "HTTP/1.1 200 OK"));
    out[0].put(Fact::known("http.tls.reachable", true, "HTTP/1.1 401 Unauthorized"));
    return out;
  };
  auto out = run_plan(plan, quick(), nullptr, net);
  const FactSet& f = facts_of(out, "mx.example:40387/owa");
  CHECK(f.find("http.plain.status")->evidence == "http://mx.example:43939/owa: HTTP/1.1 200 OK");
  CHECK(f.find("http.tls.status")->evidence == "https://mx.example:40387/owa: HTTP/1.1 401 Unauthorized");
}

TEST_CASE("runner: progress counts every endpoint job and every vdir request, with fixed totals") {
  Plan plan;
  Subject ep = endpoint("https", 443);
  ep.target = "cas01";
  plan.endpoints = {ep};
  plan.families = {"http"};
  Subject owa = ep, ecp = ep;
  owa.kind = ecp.kind = SubjectKind::Vdir;
  owa.path = "/owa";
  owa.plain_port = 80;
  ecp.path = "/ecp";
  plan.vdirs = {owa, ecp};
  Network net = scripted([](uint16_t) -> net::Connector { return nullptr; });
  net.http = [](const std::vector<Subject>& vdirs, const RunOptions& opt) {
    REQUIRE(opt.on_vdir_request);
    for (int i = 0; i < 3; ++i) opt.on_vdir_request(0, true, false);  // GET, a redirect, OPTIONS ...
    opt.on_vdir_request(0, true, true);                                // ... the walk ends
    opt.on_vdir_request(0, false, true);                               // plain: 404, no method probes
    for (int i = 0; i < 7; ++i) opt.on_vdir_request(1, true, false);   // more requests than planned
    opt.on_vdir_request(1, true, true);
    return std::vector<FactSet>(vdirs.size());
  };
  std::vector<ProgressEvent> events;
  size_t batch_subjects = 0;
  run_plan(plan, quick(), [&](const ProgressEvent& e) {
    events.push_back(e);
    if (e.kind == ProgressEvent::Kind::VdirBatch && e.finished) batch_subjects = e.finished->size();
  }, net);
  REQUIRE(events.size() >= 4);
  CHECK(events.front().kind == ProgressEvent::Kind::Endpoint);
  CHECK(events.front().target == "cas01");
  CHECK(events.front().subject == "https://mx.example:443");
  CHECK(events.front().endpoints_done == 1);
  CHECK(events.back().kind == ProgressEvent::Kind::VdirBatch);
  CHECK(batch_subjects == 2);
  size_t last = 0, requests = 0;
  for (const auto& e : events) {
    CHECK(e.endpoints_total == 1);
    CHECK(e.requests_total == 15);  // three walks of five
    CHECK(e.requests_done >= last);
    last = e.requests_done;
    if (e.kind != ProgressEvent::Kind::VdirRequest) continue;
    ++requests;
    CHECK(e.target == "cas01");
  }
  CHECK(last == 15);
  // Each request that moved the count is an event: 3 + 1 (topped up to 5), 1 (the 404 walk),
  // 4 (the fifth held back until the walk ends) + 1.
  CHECK(requests == 10);
  const auto owa_event = std::find_if(events.begin(), events.end(), [](const ProgressEvent& e) {
    return e.kind == ProgressEvent::Kind::VdirRequest && e.subject == "https://mx.example:443/owa";
  });
  CHECK(owa_event != events.end());
  CHECK(std::any_of(events.begin(), events.end(),
                    [](const ProgressEvent& e) { return e.subject == "http://mx.example:80/owa"; }));
}

TEST_CASE("runner: tls.connections.by_step names each TLS step and the certificate probe, adding up to the total") {
  Plan plan;
  plan.endpoints = {endpoint("https", 443)};
  plan.families = {"tls", "cert"};
  int opened = 0;
  // A server that closes every connection right after the hello: nothing accepted, all told.
  auto out = run_plan(plan, quick(), nullptr, scripted([&](uint16_t) -> net::Connector {
                        return [&](NetError&) -> std::unique_ptr<net::Transport> {
                          ++opened;
                          auto t = std::make_unique<net::ScriptedTransport>();
                          t->close_after();
                          return t;
                        };
                      }));
  const FactSet& fs = facts_of(out, "https://mx.example:443");
  const Fact* total = fs.find("tls.connections");
  const Fact* steps = fs.find("tls.connections.by_step");
  REQUIRE(total);
  REQUIRE(steps);
  REQUIRE(steps->state == FactState::Known);
  const auto& list = std::get<StringList>(steps->value);
  REQUIRE(list.size() >= 3);
  CHECK(list.front().rfind("enumeration ", 0) == 0);
  CHECK(list.back().rfind("certificate ", 0) == 0);
  int64_t sum = 0;
  for (const auto& s : list) sum += std::stoll(s.substr(s.rfind(' ') + 1));
  CHECK(sum == std::get<int64_t>(total->value));
  CHECK(sum == opened);
}
