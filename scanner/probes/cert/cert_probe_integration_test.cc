/// The certificate probe against a real `openssl s_server` on a free local port, through a real
/// TcpTransport connector: the same path a scan takes, with certificates made at test time.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/test_net.h"
#include "probes/cert/cert_probe.h"
#include "probes/cert/test_certs.h"

extern char** environ;

using namespace pp;
using namespace pp::cert;
using namespace pp::cert::testing;
namespace fs = std::filesystem;

namespace {

using pp::testing::free_port;

/// A private scratch directory, removed with everything in it at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "pp-cert-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

net::Connector tcp_to(uint16_t port) {
  return [port](net::NetError& err) -> std::unique_ptr<net::Transport> {
    return net::TcpTransport::connect("127.0.0.1", port, net::Millis{3000}, err);
  };
}

/// `openssl s_server -www` for one certificate setup; killed (SIGTERM, then reaped) on scope exit.
struct SServer {
  pid_t pid = -1;
  uint16_t port = 0;
  bool ready = false;

  SServer(const std::string& cert, const std::string& key, const std::string& chain,
          const std::vector<std::string>& extra = {}) {
    port = free_port();
    std::vector<std::string> args = {"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port),
                                     "-cert", cert, "-key", key, "-www", "-quiet"};
    if (!chain.empty()) args.insert(args.end(), {"-cert_chain", chain});
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    int rc = posix_spawnp(&pid, "openssl", &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
      pid = -1;
      return;
    }
    // Ready when it accepts a TCP connection (the -www server shrugs off the empty one).
    for (int i = 0; i < 100 && !ready; ++i) {
      net::NetError err;
      if (net::TcpTransport::connect("127.0.0.1", port, net::Millis{500}, err)) ready = true;
      else std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~SServer() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      int status = 0;
      ::waitpid(pid, &status, 0);
    }
  }
};

const Fact& get(const FactSet& fs, const std::string& name) {
  const Fact* f = fs.find(name);
  REQUIRE(f != nullptr);
  INFO(name << ": " << f->reason);
  REQUIRE(f->state == FactState::Known);
  return *f;
}

/// root -> inter -> inter2 -> leaf, valid now, written to PEM files.
struct Lab {
  TempDir dir;
  EvpPkeyPtr root_key = make_ec_key(), inter_key = make_ec_key(), inter2_key = make_ec_key(), leaf_key = make_ec_key();
  X509Ptr root, inter, inter2;
  std::string ca_file, key_file;
  Lab() {
    const std::time_t now = std::time(nullptr);
    CertSpec ca;
    ca.ca = true;
    ca.cn = "IT Root CA";
    root = make_cert(ca, root_key.get(), nullptr, root_key.get(), now);
    ca.cn = "IT Intermediate CA";
    inter = make_cert(ca, inter_key.get(), root.get(), root_key.get(), now);
    ca.cn = "IT Second Intermediate CA";
    inter2 = make_cert(ca, inter2_key.get(), inter.get(), inter_key.get(), now);
    ca_file = dir.write("root.pem", cert_pem(root.get()));
    key_file = dir.write("leaf.key", key_pem(leaf_key.get()));
  }
  CertSpec leaf_spec() const {
    CertSpec s;
    s.cn = "mail.example.com";
    s.dns = {"mail.example.com", "owa.example.com"};
    s.ips = {"127.0.0.1"};
    s.eku = "serverAuth";
    return s;
  }
  std::string leaf_file(const CertSpec& s, const std::string& name) {
    auto leaf = make_cert(s, leaf_key.get(), inter2.get(), inter2_key.get(), std::time(nullptr));
    return dir.write(name, cert_pem(leaf.get()));
  }
};

bool have_openssl_cli() { return std::system("openssl version >/dev/null 2>&1") == 0; }

}  // namespace

TEST_CASE("a correct chain served by openssl s_server verifies end to end") {
  if (!have_openssl_cli()) {
    WARN("openssl CLI not found: integration test not run");
    return;
  }
  Lab lab;
  const std::string chain = lab.dir.write("chain.pem", cert_pem(lab.inter2.get()) + cert_pem(lab.inter.get()));
  SServer srv(lab.leaf_file(lab.leaf_spec(), "leaf.pem"), lab.key_file, chain);
  REQUIRE(srv.ready);

  CertProbeOptions opt;
  opt.sni = "mail.example.com";
  opt.ca_file = lab.ca_file;
  opt.expected_names = {"mail.example.com", "owa.example.com", "127.0.0.1"};
  int connections = 0;
  FactSet fs = probe_certificate(tcp_to(srv.port), opt, connections);
  CHECK(connections == 1);
  CHECK(std::get<bool>(get(fs, "cert.trusted").value));
  CHECK(std::get<std::string>(get(fs, "cert.verify_error").value) == "ok");
  CHECK(std::get<int64_t>(get(fs, "cert.chain_length").value) == 3);
  CHECK(std::get<bool>(get(fs, "cert.chain_in_order").value));
  CHECK(std::get<bool>(get(fs, "cert.chain_complete").value));
  CHECK(std::get<bool>(get(fs, "cert.san_covers_expected").value));
  CHECK(std::get<std::string>(get(fs, "cert.subject").value) == "CN=mail.example.com,O=policyprobe test");
  const int64_t days = std::get<int64_t>(get(fs, "cert.days_left").value);  // made a moment ago for 365 days
  CHECK((days == 365 || days == 364));

  // The same server judged against the system store: nobody trusts the test root.
  opt.ca_file.clear();
  fs = probe_certificate(tcp_to(srv.port), opt, connections);
  CHECK_FALSE(std::get<bool>(get(fs, "cert.trusted").value));
  CHECK(std::get<std::string>(get(fs, "cert.verify_error").value) == "unknown_issuer");
  CHECK(connections == 2);
}

TEST_CASE("s_server sending its intermediates in the wrong order, or none") {
  if (!have_openssl_cli()) {
    WARN("openssl CLI not found: integration test not run");
    return;
  }
  Lab lab;
  const std::string leaf = lab.leaf_file(lab.leaf_spec(), "leaf.pem");
  CertProbeOptions opt;
  opt.sni = "mail.example.com";
  opt.ca_file = lab.ca_file;
  int connections = 0;
  {
    const std::string swapped = lab.dir.write("swapped.pem", cert_pem(lab.inter.get()) + cert_pem(lab.inter2.get()));
    SServer srv(leaf, lab.key_file, swapped);
    REQUIRE(srv.ready);
    FactSet fs = probe_certificate(tcp_to(srv.port), opt, connections);
    CHECK(std::get<bool>(get(fs, "cert.trusted").value));
    CHECK_FALSE(std::get<bool>(get(fs, "cert.chain_in_order").value));
    CHECK(std::get<std::string>(get(fs, "cert.verify_error").value) == "wrong_order");
  }
  {
    const std::string pool = lab.dir.write("pool.pem", cert_pem(lab.inter.get()) + cert_pem(lab.inter2.get()));
    SServer srv(leaf, lab.key_file, "");
    REQUIRE(srv.ready);
    opt.intermediates_file = pool;
    FactSet fs = probe_certificate(tcp_to(srv.port), opt, connections);
    CHECK(std::get<int64_t>(get(fs, "cert.chain_length").value) == 1);
    CHECK_FALSE(std::get<bool>(get(fs, "cert.trusted").value));
    CHECK(std::get<std::string>(get(fs, "cert.verify_error").value) == "incomplete_chain");
    CHECK_FALSE(std::get<bool>(get(fs, "cert.chain_complete").value));
  }
}

TEST_CASE("a 1 MB certificate is cut off as too large; a closed port is refused") {
  if (!have_openssl_cli()) {
    WARN("openssl CLI not found: integration test not run");
    return;
  }
  Lab lab;
  CertSpec s = lab.leaf_spec();
  s.padding = 1024 * 1024;
  SServer srv(lab.leaf_file(s, "huge.pem"), lab.key_file, "");
  REQUIRE(srv.ready);
  CertProbeOptions opt;
  opt.sni = "mail.example.com";
  int connections = 0;
  FactSet fs = probe_certificate(tcp_to(srv.port), opt, connections);
  const Fact* f = fs.find("cert.trusted");
  REQUIRE(f != nullptr);
  CHECK(f->state == FactState::Unknown);
  // TLS 1.3 encrypts the Certificate: OpenSSL's state names it, not a plaintext header.
  CHECK(f->reason.find("certificate too large") != std::string::npos);

  fs = probe_certificate(tcp_to(free_port()), opt, connections);
  f = fs.find("cert.fingerprint_sha256");
  REQUIRE(f != nullptr);
  CHECK(f->state == FactState::Unknown);
  CHECK(f->reason.find("refused") != std::string::npos);
}

TEST_CASE("a server with an ECDSA and an RSA certificate is seen with both") {
  if (!have_openssl_cli()) {
    WARN("openssl CLI not found: integration test not run");
    return;
  }
  Lab lab;
  const std::string chain = lab.dir.write("chain.pem", cert_pem(lab.inter2.get()) + cert_pem(lab.inter.get()));
  // The RSA leaf expires in 9 days; the ECDSA one (lab.leaf_key) has a year.
  EvpPkeyPtr rsa_key = make_rsa_key(2048);
  CertSpec rs = lab.leaf_spec();
  rs.not_after = 9L * 86400 + 3600;
  auto rsa_leaf = make_cert(rs, rsa_key.get(), lab.inter2.get(), lab.inter2_key.get(), std::time(nullptr));
  const std::string rsa_file = lab.dir.write("rsa.pem", cert_pem(rsa_leaf.get()));
  const std::string rsa_key_file = lab.dir.write("rsa.key", key_pem(rsa_key.get()));
  SServer srv(lab.leaf_file(lab.leaf_spec(), "leaf.pem"), lab.key_file, chain,
              {"-dcert", rsa_file, "-dkey", rsa_key_file, "-dcert_chain", chain});
  REQUIRE(srv.ready);

  CertProbeOptions opt;
  opt.sni = "mail.example.com";
  opt.ca_file = lab.ca_file;
  int connections = 0;
  const std::vector<CertObservation> obs = probe_certificates(tcp_to(srv.port), opt, connections);
  REQUIRE(obs.size() == 2);
  CHECK(connections == 2);  // the default handshake, then the other key type
  // The first observation is what probe_certificate sees.
  const FactSet single = probe_certificate(tcp_to(srv.port), opt, connections);
  CHECK(std::get<std::string>(get(obs[0].facts, "cert.fingerprint_sha256").value) ==
        std::get<std::string>(get(single, "cert.fingerprint_sha256").value));
  const CertObservation& ec = obs[0].key_type == "ecdsa" ? obs[0] : obs[1];
  const CertObservation& rsa = obs[0].key_type == "rsa" ? obs[0] : obs[1];
  REQUIRE(ec.key_type == "ecdsa");
  REQUIRE(rsa.key_type == "rsa");
  CHECK(std::get<std::string>(get(ec.facts, "cert.key_type").value) == "EC");
  CHECK(std::get<std::string>(get(rsa.facts, "cert.key_type").value) == "RSA");
  CHECK(std::get<int64_t>(get(rsa.facts, "cert.days_left").value) == 9);
  CHECK(std::get<int64_t>(get(ec.facts, "cert.days_left").value) >= 364);
  CHECK(std::get<bool>(get(rsa.facts, "cert.trusted").value));

  // One certificate only: the other key type's handshake fails and adds nothing.
  SServer one(lab.leaf_file(lab.leaf_spec(), "leaf2.pem"), lab.key_file, chain);
  REQUIRE(one.ready);
  connections = 0;
  const std::vector<CertObservation> single_obs = probe_certificates(tcp_to(one.port), opt, connections);
  REQUIRE(single_obs.size() == 1);
  CHECK(single_obs[0].key_type == "ecdsa");
  CHECK(connections == 2);
}
