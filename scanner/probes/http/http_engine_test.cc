#include "probes/http/http_engine.h"
#include "probes/ntlm/base64.h"
#include "probes/ntlm/message.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <curl/curl.h>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace pp::http;

namespace {

/// A tiny scripted HTTP server on 127.0.0.1: the request path picks the misbehaviour.
class FakeServer {
 public:
  FakeServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    REQUIRE(::listen(fd_, 16) == 0);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~FakeServer() {
    stop_ = true;
    acceptor_.join();
    for (auto& t : conns_) t.join();
    ::close(fd_);
  }
  uint16_t port() const { return port_; }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> l(mu_);
    return requests_;
  }
  int connections() const { return accepted_; }

 private:
  bool wait(int fd, short ev) {
    while (!stop_) {
      pollfd p{fd, ev, 0};
      const int n = ::poll(&p, 1, 50);
      if (n > 0) return true;
    }
    return false;
  }
  void accept_loop() {
    while (wait(fd_, POLLIN)) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      ++accepted_;
      conns_.emplace_back([this, c] { serve(c); ::close(c); });
    }
  }
  bool send_all(int c, const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
      if (!wait(c, POLLOUT)) return false;
      const ssize_t n = ::send(c, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }
  void serve(int c) {
    for (;;) {
      std::string req;
      char buf[4096];
      while (req.find("\r\n\r\n") == std::string::npos) {
        if (!wait(c, POLLIN)) return;
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) return;
        req.append(buf, static_cast<size_t>(n));
      }
      {
        std::lock_guard<std::mutex> l(mu_);
        requests_.push_back(req);
      }
      const std::string path = req.substr(req.find(' ') + 1, req.find(' ', req.find(' ') + 1) - req.find(' ') - 1);
      if (path == "/endless-body") {
        if (!send_all(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")) return;
        const std::string chunk(8192, 'x');
        while (send_all(c, chunk)) {}
        return;
      }
      if (path == "/endless-headers") {
        if (!send_all(c, "HTTP/1.1 200 OK\r\n")) return;
        const std::string h = "X-Filler: " + std::string(1000, 'a') + "\r\n";
        while (send_all(c, h)) {}
        return;
      }
      if (path == "/one-giant-header") {
        // One header line that never ends: libcurl refuses it before our callback sees it.
        if (!send_all(c, "HTTP/1.1 200 OK\r\nX-Huge: ")) return;
        const std::string chunk(8192, 'h');
        for (int i = 0; i < 64 && send_all(c, chunk); ++i) {}
        return;
      }
      if (path == "/silent") {
        while (wait(c, POLLIN)) {
          if (::recv(c, buf, sizeof buf, 0) <= 0) return;
        }
        return;
      }
      if (path == "/garbage") {
        send_all(c, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
        return;
      }
      if (path == "/http09") {
        // No status line, no headers: a bare body, then close (HTTP/0.9 style).
        send_all(c, "<html>Bad request method</html>\n");
        return;
      }
      if (path == "/gzip") {
        static const char kGzip[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage";
        const std::string body(kGzip, sizeof kGzip - 1);  // the whole gzip header, NULs included
        send_all(c, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + std::to_string(body.size()) +
                        "\r\n\r\n" + body);
        continue;
      }
      const std::string body = "hello";
      if (!send_all(c, "HTTP/1.1 200 OK\r\nServer: fake\r\nX-Multi: a\r\nX-Multi: b\r\nContent-Length: 5\r\n\r\n" + body))
        return;
    }
  }

  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::vector<std::thread> conns_;
  std::mutex mu_;
  std::vector<std::string> requests_;
};

uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  ::close(fd);  // bound, never listened: connecting is refused
  return ntohs(a.sin_port);
}

HttpResponse fetch(EngineOptions opt, const std::string& url, std::string connect = "127.0.0.1") {
  HttpEngine eng(opt);
  HttpResponse out;
  bool called = false;
  eng.submit({"GET", url, connect, {}}, [&](HttpResponse r) {
    out = std::move(r);
    called = true;
  });
  eng.run();
  REQUIRE(called);
  return out;
}

}  // namespace

TEST_CASE("engine: normal answer, Host is the vdir name, no credentials") {
  FakeServer srv;
  EngineOptions opt;
  const std::string url = "http://mail.example.test:" + std::to_string(srv.port()) + "/owa";
  auto r = fetch(opt, url);
  REQUIRE(r.answered());
  CHECK(r.status == 200);
  CHECK(r.status_line == "HTTP/1.1 200 OK");
  CHECK(r.body == "hello");
  CHECK(r.values("x-multi") == std::vector<std::string>{"a", "b"});
  const auto reqs = srv.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].rfind("GET /owa HTTP/1.1\r\n", 0) == 0);
  CHECK(reqs[0].find("Host: mail.example.test:" + std::to_string(srv.port()) + "\r\n") != std::string::npos);
  CHECK(reqs[0].find("User-Agent: policyprobe/0.1\r\n") != std::string::npos);
  CHECK(reqs[0].find("Accept-Encoding: identity\r\n") != std::string::npos);
  CHECK(reqs[0].find("uthorization") == std::string::npos);
  CHECK(reqs[0].find("Cookie") == std::string::npos);
}

TEST_CASE("engine: an Authorization header asked for is dropped") {
  FakeServer srv;
  HttpEngine eng({});
  eng.submit({"GET", "http://x.test:" + std::to_string(srv.port()) + "/", "127.0.0.1", {"Authorization: Basic Zm9vOmJhcg=="}},
             [](HttpResponse) {});
  eng.run();
  const auto reqs = srv.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].find("uthorization") == std::string::npos);
}

TEST_CASE("engine: the NTLM negotiate flag sends exactly one Authorization, the type 1 message") {
  FakeServer srv;
  HttpEngine eng({});
  HttpRequest req{"GET", "http://x.test:" + std::to_string(srv.port()) + "/", "127.0.0.1",
                  {"Authorization: Basic Zm9vOmJhcg==", "authorization: Negotiate abc"}};
  req.ntlm_negotiate = true;
  eng.submit(std::move(req), [](HttpResponse) {});
  eng.run();
  const auto reqs = srv.requests();
  REQUIRE(reqs.size() == 1);
  const std::string expected = "Authorization: NTLM " + pp::ntlm::base64_encode(pp::ntlm::negotiate_message()) + "\r\n";
  CHECK(reqs[0].find(expected) != std::string::npos);
  CHECK(reqs[0].find("uthorization") == reqs[0].rfind("uthorization"));  // one header only
  CHECK(reqs[0].find("Basic") == std::string::npos);
  CHECK(reqs[0].find("Negotiate") == std::string::npos);
}

TEST_CASE("engine: a body that never ends is cut at the cap") {
  FakeServer srv;
  EngineOptions opt;
  opt.max_body_bytes = 20000;
  opt.total_timeout_ms = 10000;
  auto r = fetch(opt, "http://x.test:" + std::to_string(srv.port()) + "/endless-body");
  REQUIRE(r.answered());
  CHECK(r.status == 200);
  CHECK(r.body.size() == 20000);
  CHECK(r.body_truncated);
}

TEST_CASE("engine: endless headers are an error, not an answer") {
  FakeServer srv;
  EngineOptions opt;
  auto r = fetch(opt, "http://x.test:" + std::to_string(srv.port()) + "/endless-headers");
  CHECK(r.error == TransferError::HeadersTooLarge);
  CHECK(r.reason == "response headers exceed 64 KiB");
}

TEST_CASE("engine: one giant header line is named as such, not blamed on memory") {
  FakeServer srv;
  EngineOptions opt;
  auto r = fetch(opt, "http://x.test:" + std::to_string(srv.port()) + "/one-giant-header");
  CHECK(r.error == TransferError::HeadersTooLarge);
  CHECK(r.reason.find("header line longer than libcurl accepts") != std::string::npos);
}

TEST_CASE("engine: a silent server times out") {
  FakeServer srv;
  EngineOptions opt;
  opt.total_timeout_ms = 700;
  auto r = fetch(opt, "http://x.test:" + std::to_string(srv.port()) + "/silent");
  CHECK(r.error == TransferError::Timeout);
  CHECK(r.reason.find("timeout after 700 ms") == 0);
}

TEST_CASE("engine: refused, malformed, gzip not decoded") {
  FakeServer srv;
  EngineOptions opt;
  auto refused = fetch(opt, "http://x.test:" + std::to_string(closed_port()) + "/");
  CHECK(refused.error == TransferError::Refused);
  CHECK(refused.reason == "connection refused by 127.0.0.1");

  auto garbage = fetch(opt, "http://x.test:" + std::to_string(srv.port()) + "/garbage");
  CHECK(garbage.error == TransferError::Malformed);
  CHECK(garbage.reason.rfind("malformed response", 0) == 0);

  auto gz = fetch(opt, "http://x.test:" + std::to_string(srv.port()) + "/gzip");
  REQUIRE(gz.answered());
  CHECK(gz.body.substr(0, 2) == "\x1f\x8b");  // raw bytes, never inflated
  CHECK(gz.body.size() == 17);                // NULs of the gzip header included
}

TEST_CASE("engine: an answer without a status line is read only when asked for") {
  FakeServer srv;
  EngineOptions opt;
  const std::string url = "http://x.test:" + std::to_string(srv.port()) + "/http09";
  auto strict = fetch(opt, url);
  CHECK(strict.error == TransferError::Malformed);

  HttpEngine eng(opt);
  HttpResponse r;
  HttpRequest req{"TRACE", url, "127.0.0.1", {}};
  req.allow_http09 = true;
  eng.submit(req, [&](HttpResponse got) { r = std::move(got); });
  eng.run();
  REQUIRE(r.answered());
  CHECK(r.without_status_line());
  CHECK(r.status == 0);
  CHECK(r.body == "<html>Bad request method</html>\n");
}

TEST_CASE("engine: per-host limit holds and connections are reused") {
  FakeServer srv;
  EngineOptions opt;
  opt.per_host = 2;
  opt.concurrency = 8;
  HttpEngine eng(opt);
  int answered = 0;
  for (int i = 0; i < 12; ++i)
    eng.submit({"GET", "http://x.test:" + std::to_string(srv.port()) + "/" + std::to_string(i), "127.0.0.1", {}},
               [&](HttpResponse r) { answered += r.answered() && r.status == 200; });
  eng.run();
  CHECK(answered == 12);
  CHECK(eng.peak_in_flight("127.0.0.1") <= 2);
  CHECK(eng.requests_started() == 12);
  CHECK(srv.requests().size() == 12);
}

namespace {

/// Four origins (the same server under four names), each a GET whose answer submits four more
/// requests, as the vdir walk does with its method probes. Queued behind the other origins'
/// GETs, the follow-ups would find their connection closed to make room. Returns the number of
/// connections the server accepted; the engine must count the same.
int walk_four_origins(int concurrency) {
  FakeServer srv;
  EngineOptions opt;
  opt.per_host = concurrency;
  opt.concurrency = concurrency;
  opt.per_origin = 1;
  HttpEngine eng(opt);
  int answered = 0;
  for (const std::string host : {"a.test", "b.test", "c.test", "d.test"}) {
    const std::string base = "http://" + host + ":" + std::to_string(srv.port());
    eng.submit({"GET", base + "/", "127.0.0.1", {}}, [&, base](HttpResponse r) {
      answered += r.status == 200;
      for (int i = 0; i < 4; ++i)
        eng.submit({"GET", base + "/m" + std::to_string(i), "127.0.0.1", {}},
                   [&](HttpResponse f) { answered += f.status == 200; });
    });
  }
  eng.run();
  CHECK(answered == 20);
  CHECK(eng.requests_started() == 20);
  CHECK(eng.connections_opened() == srv.connections());
  return srv.connections();
}

}  // namespace

TEST_CASE("engine: follow-ups from a callback reuse their origin's kept-alive connection") {
  // One connection at a time: each origin's follow-ups run on its own connection before the
  // next origin's GET takes the slot, so one connection per origin. Queued at the back
  // instead, every origin would connect twice (8).
  CHECK(walk_four_origins(1) == 4);
  // Two at a time, as probe_http's per-host engines run. When a new origin needs a connection
  // and the pool is full, libcurl closes the idle one used longest ago, in whole milliseconds:
  // on a tie it may close the connection of an origin whose follow-ups are still queued, which
  // then reconnects. Only the two origins that start while others still walk can cause that.
  CHECK(walk_four_origins(2) <= 6);
}

TEST_CASE("classify_curl_error wording") {
  EngineOptions opt;
  opt.connect_timeout_ms = 5000;
  opt.total_timeout_ms = 15000;
  CHECK(classify_curl_error(CURLE_COULDNT_CONNECT, ECONNREFUSED, "", "10.0.0.1", opt).error == TransferError::Refused);
  CHECK(classify_curl_error(CURLE_COULDNT_CONNECT, EHOSTUNREACH, "", "10.0.0.1", opt).error == TransferError::Other);
  auto t = classify_curl_error(CURLE_OPERATION_TIMEDOUT, 0, "Connection timed out after 5001 milliseconds", "10.0.0.1", opt);
  CHECK(t.error == TransferError::Timeout);
  CHECK(t.reason == "connect timeout after 5 s to 10.0.0.1");
  auto tls = classify_curl_error(CURLE_SSL_CONNECT_ERROR, 0, "tlsv1 alert protocol version", "h", opt);
  CHECK(tls.error == TransferError::Tls);
  CHECK(tls.reason == "TLS handshake failed: tlsv1 alert protocol version");
  CHECK(classify_curl_error(CURLE_GOT_NOTHING, 0, "", "h", opt).error == TransferError::Reset);
}
