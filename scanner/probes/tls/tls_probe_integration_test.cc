// Integration: probe_tls against real local servers this test starts itself (openssl s_server,
// gnutls-serv, the project's legacy responder), cross-checked with `openssl s_client`.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "probes/tls/cipher_suites.h"
#include "probes/tls/checks/renegotiation.h"
#include "probes/tls/tls_probe.h"

using namespace pp;
using namespace pp::tls;

namespace {

std::string run(const std::string& cmd) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  ::pclose(f);
  return out;
}

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return 0;  // no free port: the server start below fails and says so
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

/// A server process started by the test and stopped (by its pid) when the test ends.
class Server {
 public:
  Server(std::vector<std::string> argv, uint16_t port) : port_(port) {
    std::fflush(stdout);  // or the child's freopen flushes our buffered output a second time
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> a;
      for (auto& s : argv) a.push_back(s.data());
      a.push_back(nullptr);
      std::freopen("/dev/null", "r", stdin);
      std::freopen("/dev/null", "w", stdout);
      std::freopen("/dev/null", "w", stderr);
      ::execvp(a[0], a.data());
      ::_exit(127);
    }
    for (int i = 0; i < 100 && !ready(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ~Server() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  bool ready() const {
    net::NetError err;
    return net::TcpTransport::connect("127.0.0.1", port_, net::Millis(200), err) != nullptr;
  }
  uint16_t port() const { return port_; }

 private:
  pid_t pid_ = -1;
  uint16_t port_;
};

struct Certs {
  std::string dir, key, cert;
  Certs() {
    char tmpl[] = "/tmp/pp_tls_it_XXXXXX";
    dir = ::mkdtemp(tmpl);
    key = dir + "/key.pem";
    cert = dir + "/cert.pem";
    run("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + key + " -out " + cert +
        " -days 30 -subj /CN=legacy.lab.test 2>/dev/null");
  }
  ~Certs() { run("rm -rf " + dir); }
};

net::Connector connector(uint16_t port) {
  return [port](net::NetError& err) -> std::unique_ptr<net::Transport> {
    return net::TcpTransport::connect("127.0.0.1", port, net::Millis(3000), err);
  };
}

StringList list_of(const FactSet& fs, const std::string& name) {
  const Fact* f = fs.find(name);
  REQUIRE(f);
  INFO(name << ": " << f->reason);
  REQUIRE(f->state == FactState::Known);
  return std::get<StringList>(f->value);
}

bool s_client_accepts(uint16_t port, const std::string& version_flag, const std::string& cipher, bool tls13) {
  const std::string sel = tls13 ? "-ciphersuites " + cipher : "-cipher '" + cipher + ":@SECLEVEL=0'";
  const std::string out = run("echo | timeout 5 openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " " +
                              version_flag + " " + sel + " 2>&1");
  return out.find("Cipher is (NONE)") == std::string::npos && out.find("New, ") != std::string::npos;
}

}  // namespace

TEST_CASE("legacy OpenSSL endpoint: every suite agrees with openssl s_client", "[integration]") {
  Certs c;
  const uint16_t port = free_port();
  Server srv({"openssl", "s_server", "-accept", std::to_string(port), "-cert", c.cert, "-key", c.key, "-cipher",
              "ALL:@SECLEVEL=0", "-www", "-quiet"},
             port);
  REQUIRE(srv.ready());
  TlsProbeOptions opt;
  opt.timeout = net::Millis(3000);
  int connections = 0;
  FactSet fs = probe_tls(connector(port), opt, connections);
  for (const Fact& f : fs.all()) INFO(f.name << " = " << render(f.value) << " " << f.reason << " " << f.evidence);

  const StringList protocols = list_of(fs, "tls.protocols");
  CHECK(protocols == StringList{"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"});

  // The oracle: for each version and each suite the local OpenSSL knows, does s_client get it?
  struct V { Version v; std::string flag, openssl_v; };
  size_t accepted_total = 0;
  for (const V& v : {V{Version::Tls10, "-tls1", "-tls1"}, V{Version::Tls11, "-tls1_1", "-tls1_1"},
                     V{Version::Tls12, "-tls1_2", "-tls1_2"}, V{Version::Tls13, "-tls1_3", "-tls1_3"}}) {
    const StringList ours = list_of(fs, "tls.ciphers." + std::string(version_key(v.v)));
    accepted_total += ours.size();
    std::set<std::string> ours_set(ours.begin(), ours.end()), theirs, known;
    std::istringstream names(run("openssl ciphers -s " + v.openssl_v + " 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' 2>/dev/null | tr ':' '\\n'"));
    for (std::string n; std::getline(names, n);) {
      const CipherSuite* cs = find_suite_by_openssl_name(n);
      if (!cs) cs = find_suite_by_iana_name(n);
      INFO("OpenSSL suite missing from our catalogue: " << n);
      REQUIRE(cs);
      known.insert(std::string(cs->iana));
      if (s_client_accepts(port, v.flag, n, v.v == Version::Tls13)) theirs.insert(std::string(cs->iana));
    }
    std::set<std::string> ours_known;  // compare on what the oracle can speak
    for (const auto& n : ours_set)
      if (known.count(n)) ours_known.insert(n);
    INFO(version_name(v.v));
    CHECK(ours_known == theirs);
    CHECK_FALSE(theirs.empty());
  }
  const Fact* conn = fs.find("tls.connections");
  REQUIRE(conn);
  CHECK(std::get<int64_t>(conn->value) == connections);
  const int versions_probed = 6;
  INFO("connections " << connections << " for " << accepted_total << " accepted suites");
  // Suites plus one "no more" per version, plus fallback, ALPN and server order (the last two
  // usually ride on enumeration connections). Groups ride too: TLS <= 1.2 ECDHE connections
  // name a new curve each, TLS 1.3 suite connections a new group each. Only the finite-field
  // groups beyond one per TLS 1.3 suite need connections of their own: each handshake names a
  // single group, and no TLS <= 1.2 handshake names an ffdhe group.
  const StringList all_groups = list_of(fs, "tls.groups");
  const int ffdhe = static_cast<int>(std::count_if(all_groups.begin(), all_groups.end(),
                                                   [](const std::string& g) { return g.rfind("ffdhe", 0) == 0; }));
  const int tls13_suites = static_cast<int>(list_of(fs, "tls.ciphers.tls13").size());
  const int heartbleed_and_ccs = 2;  // checks/heartbleed.cc, checks/ccs_injection.cc: one connection each
  // The ROBOT check: one connection per test padding when an RSA key-exchange suite is accepted.
  const Fact* robot = fs.find("tls.robot");
  const int robot_connections = robot && robot->state != FactState::Absent ? 5 : 0;
  // The Ticketbleed check: a handshake for a ticket, a resumption with it (one when no ticket).
  const Fact* ticketbleed = fs.find("tls.ticketbleed");
  const int ticketbleed_connections = ticketbleed && ticketbleed->state != FactState::Absent ? 2 : 0;
  CHECK(connections <= static_cast<int>(accepted_total) + versions_probed + 3 + std::max(0, ffdhe - tls13_suites) +
                           heartbleed_and_ccs + robot_connections + ticketbleed_connections);
  std::printf("legacy openssl endpoint: %zu version/suite pairs, %d connections\n", accepted_total, connections);

  CHECK(fs.find("tls.secure_renegotiation")->state == FactState::Known);
  CHECK(std::get<bool>(fs.find("tls.secure_renegotiation")->value));
  // s_server issues session tickets and resumes with our 16-byte session ID echoed as sent.
  REQUIRE(ticketbleed);
  INFO(ticketbleed->reason << ticketbleed->evidence);
  REQUIRE(ticketbleed->state == FactState::Known);
  CHECK_FALSE(std::get<bool>(ticketbleed->value));
  CHECK(ticketbleed->evidence.find("16-byte session ID, ours as sent") != std::string::npos);
  CHECK(fs.find("tls.fallback_scsv")->state == FactState::Known);
  CHECK(std::get<bool>(fs.find("tls.fallback_scsv")->value));
  CHECK_FALSE(std::get<bool>(fs.find("tls.compression")->value));
  const StringList weak = list_of(fs, "tls.ciphers.weak");
  CHECK(std::find(weak.begin(), weak.end(), "TLS_DH_anon_WITH_AES_128_CBC_SHA") != weak.end());
  const StringList groups = list_of(fs, "tls.groups");
  CHECK(std::find(groups.begin(), groups.end(), "x25519") != groups.end());
  CHECK(std::find(groups.begin(), groups.end(), "secp384r1") != groups.end());
  CHECK(fs.find("tls.min_dh_bits")->state == FactState::Known);
  CHECK(fs.find("tls.min_ecdh_bits")->state == FactState::Known);
  // Groups oracle: a TLS 1.3 s_client offering just that group completes a handshake.
  for (const std::string g : {"x25519", "secp256r1", "x448", "secp384r1", "secp521r1", "ffdhe2048", "ffdhe3072", "ffdhe4096",
                              "ffdhe6144", "ffdhe8192"}) {
    const std::string out = run("echo | timeout 5 openssl s_client -connect 127.0.0.1:" + std::to_string(port) +
                                " -tls1_3 -groups " + (g == "secp256r1" ? "P-256" : g == "secp384r1" ? "P-384" : g == "secp521r1" ? "P-521" : g) +
                                " 2>&1");
    const bool theirs = out.find("New, TLSv1.3") != std::string::npos;
    INFO("group " << g);
    CHECK(theirs == (std::find(groups.begin(), groups.end(), g) != groups.end()));
  }
}

TEST_CASE("nothing listening: facts unknown with the reason, never 'not supported'", "[integration]") {
  const uint16_t port = free_port();
  int connections = 0;
  FactSet fs = probe_tls(connector(port), TlsProbeOptions{}, connections);
  CHECK(connections == 0);
  for (const char* n : {"tls.offered", "tls.protocols", "tls.ciphers.tls12", "tls.server_order", "tls.fallback_scsv"}) {
    const Fact* f = fs.find(n);
    REQUIRE(f);
    INFO(n);
    CHECK(f->state == FactState::Unknown);
    CHECK(f->reason.find("refused") != std::string::npos);
  }
}

TEST_CASE("legacy responder: SSLv3 with EXPORT, RC4 and 3DES; SSLv2", "[integration]") {
  const std::string responder = std::string(std::getenv("PP_SOURCE_DIR") ? std::getenv("PP_SOURCE_DIR") : ".") +
                                "/ci/lab/legacy_tls_responder.py";
  const uint16_t p3 = free_port();
  Server ssl3({"python3", responder, "--port", std::to_string(p3), "--version", "ssl3", "--suites", "0x000a,0x0005,0x0003"}, p3);
  REQUIRE(ssl3.ready());
  int n3 = 0;
  TlsProbeOptions opt;
  opt.timeout = net::Millis(3000);
  FactSet fs = probe_tls(connector(p3), opt, n3);
  CHECK(list_of(fs, "tls.protocols") == StringList{"SSLv3"});
  const StringList s3 = list_of(fs, "tls.ciphers.ssl3");
  CHECK(std::set<std::string>(s3.begin(), s3.end()) ==
        std::set<std::string>{"TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_EXPORT_WITH_RC4_40_MD5"});
  const StringList classes = list_of(fs, "tls.ciphers.classes");
  CHECK(classes == StringList{"export", "rc4", "3des"});
  CHECK(std::get<int64_t>(fs.find("tls.ciphers.min_bits")->value) == 40);
  CHECK_FALSE(std::get<bool>(fs.find("tls.forward_secrecy")->value));
  CHECK(fs.find("tls.ocsp_stapling")->state == FactState::Absent);  // SSLv3 only: no extensions, no stapling
  CHECK(fs.find("tls.renegotiation.client_initiated")->state == FactState::Absent);

  const uint16_t p2 = free_port();
  Server ssl2({"python3", responder, "--port", std::to_string(p2), "--version", "ssl2", "--suites", "0x0700c0,0x020080"}, p2);
  REQUIRE(ssl2.ready());
  int n2 = 0;
  FactSet fs2 = probe_tls(connector(p2), opt, n2);
  CHECK(list_of(fs2, "tls.protocols") == StringList{"SSLv2"});
  CHECK(list_of(fs2, "tls.ciphers.ssl2") ==
        StringList{"SSL_CK_DES_192_EDE3_CBC_WITH_MD5", "SSL_CK_RC4_128_EXPORT40_WITH_MD5"});
}

TEST_CASE("gnutls-serv with RC4 and 3DES on TLS 1.0-1.2", "[integration]") {
  Certs c;
  const uint16_t port = free_port();
  Server srv({"gnutls-serv", "--http", "--port", std::to_string(port), "--x509keyfile", c.key, "--x509certfile", c.cert,
              "--priority", "NORMAL:+ARCFOUR-128:+3DES-CBC:+VERS-TLS1.0:+VERS-TLS1.1:%SERVER_PRECEDENCE"},
             port);
  REQUIRE(srv.ready());
  int n = 0;
  TlsProbeOptions opt;
  opt.timeout = net::Millis(3000);
  FactSet fs = probe_tls(connector(port), opt, n);
  for (const char* v : {"tls.ciphers.tls10", "tls.ciphers.tls11", "tls.ciphers.tls12"}) {
    const StringList l = list_of(fs, v);
    INFO(v);
    CHECK(std::find(l.begin(), l.end(), "TLS_RSA_WITH_RC4_128_SHA") != l.end());
    CHECK(std::find(l.begin(), l.end(), "TLS_RSA_WITH_3DES_EDE_CBC_SHA") != l.end());
  }
  CHECK(std::get<bool>(fs.find("tls.server_order")->value));
  // GnuTLS servers renegotiate when the client asks (testssl.sh -R agrees).
  const Fact* reneg = fs.find("tls.renegotiation.client_initiated");
  REQUIRE(reneg);
  INFO(reneg->reason << reneg->evidence);
  REQUIRE(reneg->state == FactState::Known);
  CHECK(std::get<bool>(reneg->value));
  CHECK(reneg->evidence.find("ServerHello") != std::string::npos);
  std::printf("gnutls endpoint: %d connections\n", n);
}

TEST_CASE("openssl s_server (OpenSSL 3) refuses client-initiated renegotiation", "[integration]") {
  Certs c;
  const uint16_t port = free_port();
  Server srv({"openssl", "s_server", "-accept", std::to_string(port), "-cert", c.cert, "-key", c.key, "-www", "-quiet"},
             port);
  REQUIRE(srv.ready());
  int n = 0;
  const RenegotiationCheck r = check_client_renegotiation(connector(port), "", net::Millis(3000), n);
  INFO(r.evidence);
  CHECK(r.verdict == RenegotiationCheck::Verdict::Refused);
  CHECK(r.evidence.find("no_renegotiation") != std::string::npos);
  CHECK(n == 1);
}

TEST_CASE("renegotiation check against a server that stops answering after the handshake", "[integration]") {
  // A TLS server that completes the handshake, then reads nothing more: the check waits out
  // one timeout and calls the silence a refusal, within the bound.
  Certs c;
  const uint16_t port = free_port();
  const std::string script =
      "import socket,ssl,time\n"
      "ctx=ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);ctx.load_cert_chain('" + c.cert + "','" + c.key + "')\n"
      "ctx.maximum_version=ssl.TLSVersion.TLSv1_2\n"
      "s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('127.0.0.1'," +
      std::to_string(port) + "));s.listen(8)\n"
      "while True:\n"
      "  c,_=s.accept()\n"
      "  try:\n"
      "    t=ctx.wrap_socket(c,server_side=True);time.sleep(5)\n"
      "  except Exception: pass\n";
  Server srv({"python3", "-c", script}, port);
  REQUIRE(srv.ready());
  int n = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const RenegotiationCheck r = check_client_renegotiation(connector(port), "", net::Millis(1000), n);
  const auto took = std::chrono::steady_clock::now() - t0;
  INFO(r.evidence);
  CHECK(r.verdict == RenegotiationCheck::Verdict::Refused);
  CHECK(r.evidence.find("no answer within 1 s") != std::string::npos);
  CHECK(took < std::chrono::milliseconds(3500));
}
