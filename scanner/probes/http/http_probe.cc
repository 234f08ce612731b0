#include "probes/http/http_probe.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <random>
#include <thread>

#include "core/ip_literal.h"
#include "probes/http/http_analysis.h"
#include "probes/http/http_engine.h"
#include "probes/http/exchange_facts.h"
#include "probes/http/http_facts.h"
#include "probes/http/ntlm_facts.h"

namespace pp::http {

namespace {

bool is_redirect(long s) { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308; }

/// Sent with TRACE and TRACK; its value coming back in the body proves the request was echoed.
constexpr const char* kEchoMarkerHeader = "X-Policyprobe-Echo";

/// One (vdir, scheme) walk: GET, same-host redirects, then the method probes. Lives in a
/// unique_ptr so the engine's callbacks can hold a stable pointer to it.
struct SchemeRun {
  SchemeObservation obs;
  std::string connect_host;
  std::string start_url;
  int followed = 0;
  int max_redirects = 5;
  size_t vdir = 0;
  int outstanding = 0;  ///< requests submitted and not yet answered (one engine thread: no lock)
  const std::function<void(size_t, bool, bool)>* on_request = nullptr;

  /// After each answer has been handled (and whatever it led to submitted).
  void answered() {
    --outstanding;
    if (on_request && *on_request) (*on_request)(vdir, obs.scheme == "tls", outstanding == 0);
  }

  void submit_get(HttpEngine& eng, const std::string& url) {
    HttpRequest req;
    req.url = url;
    req.connect_host = connect_host;
    ++outstanding;
    eng.submit(std::move(req), [this, &eng](HttpResponse r) {
      on_get(eng, std::move(r));
      answered();
    });
  }

  void on_get(HttpEngine& eng, HttpResponse r) {
    if (!r.answered()) {
      if (!obs.chain.empty()) obs.redirect_chain.back() += " (failed: " + r.reason + ")";
      obs.failure = std::move(r);
      return;
    }
    obs.chain.push_back(std::move(r));
    const HttpResponse& cur = obs.chain.back();
    const std::string* loc = cur.first("Location");
    if (is_redirect(cur.status) && loc) {
      const RedirectTarget t = resolve_redirect(cur.url, *loc, obs.vdir_host);
      const std::string code = std::to_string(cur.status) + " ";
      if (!t.ok) {
        obs.redirect_chain.push_back(code + *loc + " (not followed: " + t.error + ")");
        finish_get(eng);
        return;
      }
      obs.redirect_targets.push_back(t.url);
      // t.shown hides userinfo the server put in the Location; t.url (what we follow) has none.
      if (!t.same_host) {
        obs.redirect_chain.push_back(code + t.shown + " (not followed: other host)");
      } else if (t.scheme != "http" && t.scheme != "https") {
        obs.redirect_chain.push_back(code + t.shown + " (not followed: scheme " + t.scheme + ")");
      } else if (followed >= max_redirects) {
        obs.redirect_chain.push_back(code + t.shown + " (not followed: more than " + std::to_string(max_redirects) +
                                     " redirects)");
      } else {
        obs.redirect_chain.push_back(code + t.shown + (t.had_userinfo ? " (followed without its credentials)" : ""));
        ++followed;
        submit_get(eng, t.url);
        return;
      }
    }
    finish_get(eng);
  }

  /// Method probes on every vdir that exists: each answer is judged on its own (a TRACE
  /// answered 401 is not enabled without credentials, a 405 is refused, a bare HTTP/0.9 body
  /// is not understood). A 404 vdir has nothing to judge. Never sends content-changing
  /// methods: which of those are allowed is read from the OPTIONS answer.
  void finish_get(HttpEngine& eng) {
    if (obs.chain.back().status == 404) {
      obs.methods_skipped = "404 Not Found";
      return;
    }
    obs.methods_sent = true;
    if (offers_ntlm(obs.chain.back())) submit_ntlm_negotiate(eng, obs.chain.back().url);
    submit_method_probes(eng);
  }

  /// One request carrying the NTLM NEGOTIATE (no credential): the answer's CHALLENGE names the
  /// server and its domain. Nothing follows it: the exchange ends there.
  void submit_ntlm_negotiate(HttpEngine& eng, const std::string& url) {
    HttpRequest req;
    req.url = url;
    req.connect_host = connect_host;
    req.ntlm_negotiate = true;
    ++outstanding;
    eng.submit(std::move(req), [this](HttpResponse r) {
      obs.ntlm = std::move(r);
      answered();
    });
  }

  void submit_method_probes(HttpEngine& eng) {
    struct Probe {
      const char* method;
      std::optional<HttpResponse> SchemeObservation::*slot;
      std::vector<std::string> headers;
    };
    const std::string marker = std::string(kEchoMarkerHeader) + ": " + obs.echo_marker;
    const Probe probes[] = {
        {"OPTIONS", &SchemeObservation::options, {}},
        {"TRACE", &SchemeObservation::trace, {marker}},
        {"TRACK", &SchemeObservation::track, {marker}},
        {"PROPFIND", &SchemeObservation::propfind, {"Depth: 0"}},
    };
    for (const auto& p : probes) {
      HttpRequest req;
      req.method = p.method;
      req.url = start_url;
      req.connect_host = connect_host;
      req.extra_headers = p.headers;
      req.allow_http09 = true;
      auto slot = p.slot;
      ++outstanding;
      eng.submit(std::move(req), [this, slot](HttpResponse r) {
        obs.*slot = std::move(r);
        answered();
      });
    }
  }
};

/// A fresh value per scan for the TRACE/TRACK marker header: an echo of it cannot be a page
/// that happens to contain the request line.
std::string new_echo_marker() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd());
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(gen()));
  return std::string("pp-echo-") + buf;
}

std::unique_ptr<SchemeRun> make_run(const Subject& s, const std::string& scheme, uint16_t port, const HttpOptions& opt,
                                    const std::string& echo_marker) {
  auto run = std::make_unique<SchemeRun>();
  run->obs.scheme = scheme;
  run->obs.echo_marker = echo_marker;
  run->obs.vdir_host = s.display_host();
  run->obs.path = s.path.empty() ? "/" : (s.path.front() == '/' ? s.path : "/" + s.path);
  run->obs.port = port;
  run->connect_host = s.host.empty() ? s.display_host() : s.host;
  run->max_redirects = opt.max_redirects;
  run->on_request = &opt.on_request;
  run->start_url = std::string(scheme == "tls" ? "https://" : "http://") + url_host(s.display_host()) + ":" +
                   std::to_string(port) + run->obs.path;
  return run;
}

std::string today_utc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

/// The web endpoint a vdir belongs to: its name and both ports.
std::string endpoint_key(const SchemeRun& plain, const SchemeRun& tls) {
  return tls.obs.vdir_host + " " + std::to_string(tls.obs.port) + " " + std::to_string(plain.obs.port);
}

/// exchange.* for the vdirs of one host group: per web endpoint, what all its vdirs' answers
/// showed, set on the first vdir that was answered; the others name that vdir.
void exchange_step(const std::vector<size_t>& group, const std::vector<std::unique_ptr<SchemeRun>>& runs,
                   const HttpOptions& opt, const std::string& today, std::vector<FactSet>& out) {
  std::vector<std::string> keys;
  std::map<std::string, std::vector<size_t>> members;
  for (size_t i : group) {
    const std::string key = endpoint_key(*runs[2 * i], *runs[2 * i + 1]);
    if (!members.count(key)) keys.push_back(key);
    members[key].push_back(i);
  }
  for (const auto& key : keys) {
    ExchangeSightings seen;
    size_t home = members[key].front();
    for (size_t i : members[key]) {
      const bool before = seen.answered;
      collect_exchange(runs[2 * i]->obs, seen);
      collect_exchange(runs[2 * i + 1]->obs, seen);
      if (!before && seen.answered) home = i;
    }
    const FactSet facts = exchange_facts(seen, opt.exchange_table, today);
    const std::string elsewhere = "set once per web endpoint, on " + runs[2 * home + 1]->obs.path;
    for (size_t i : members[key]) out[i].merge(i == home ? facts : exchange_facts_elsewhere(elsewhere));
  }
}

}  // namespace

std::vector<FactSet> probe_http(const std::vector<Subject>& vdirs, const HttpOptions& opt) {
  const int per_host = std::max(1, opt.per_host);
  std::vector<std::unique_ptr<SchemeRun>> runs;  // [2*i] plain, [2*i+1] tls
  runs.reserve(vdirs.size() * 2);
  // Vdirs grouped by the address they connect to, in first-seen order.
  std::vector<std::vector<size_t>> groups;
  std::map<std::string, size_t> group_of;
  const std::string marker = new_echo_marker();
  const std::string today = opt.today.empty() ? today_utc() : opt.today;
  for (size_t i = 0; i < vdirs.size(); ++i) {
    runs.push_back(make_run(vdirs[i], "plain", vdirs[i].plain_port, opt, marker));
    runs.push_back(make_run(vdirs[i], "tls", vdirs[i].port, opt, marker));
    runs[runs.size() - 2]->vdir = runs.back()->vdir = i;
    auto [it, fresh] = group_of.emplace(runs.back()->connect_host, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(i);
  }

  // One multi handle per host, whose connection pool holds at most per_host connections (busy
  // or idle, every port and scheme of that host together: curl closes the oldest idle one before
  // opening another), closed when the host is done. A shared multi handle would keep idle
  // keep-alive connections of one port open while it opens new ones to the next port.
  // Hosts run side by side on workers, so at most `concurrency` requests are in flight overall.
  EngineOptions eo;
  eo.connect_timeout_ms = opt.connect_timeout_ms;
  eo.total_timeout_ms = opt.total_timeout_ms;
  eo.max_body_bytes = opt.max_body_bytes;
  eo.max_header_bytes = opt.max_header_bytes;
  eo.concurrency = per_host;
  eo.per_host = per_host;
  const size_t workers = std::min(groups.size(), static_cast<size_t>(std::max(1, opt.concurrency / per_host)));
  std::vector<FactSet> out(vdirs.size());
  std::atomic<size_t> next{0};
  std::atomic<int> requests{0}, connections{0}, in_flight{0}, peak{0};
  eo.in_flight = &in_flight;
  eo.peak_in_flight = &peak;
  auto work = [&] {
    for (size_t g; (g = next++) < groups.size();) {
      HttpEngine engine(eo);
      for (size_t i : groups[g])
        for (size_t k : {2 * i, 2 * i + 1})
          if (runs[k]->obs.port != 0) runs[k]->submit_get(engine, runs[k]->start_url);
      engine.run();
      requests += engine.requests_started();
      connections += engine.connections_opened();
      // Facts now, then the responses (bodies up to max_body_bytes each) go: memory stays
      // bounded by the hosts in flight, not by the size of the fleet.
      for (size_t i : groups[g]) {
        out[i] = scheme_facts(runs[2 * i]->obs);
        out[i].merge(scheme_facts(runs[2 * i + 1]->obs));
        out[i].merge(ntlm_facts(runs[2 * i]->obs, runs[2 * i + 1]->obs));
      }
      exchange_step(groups[g], runs, opt, today, out);
      for (size_t i : groups[g]) {
        runs[2 * i].reset();
        runs[2 * i + 1].reset();
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  if (opt.stats) {
    opt.stats->requests = requests;
    opt.stats->peak_in_flight = peak;
    opt.stats->connections = connections;
  }
  return out;
}

}  // namespace pp::http
