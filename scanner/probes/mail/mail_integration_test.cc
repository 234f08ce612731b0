// Integration: the mail probe against a real dovecot (IMAP, POP3; STARTTLS and implicit TLS)
// and a real slapd (LDAP StartTLS), each started here on free loopback ports in a temp dir.
#include <arpa/inet.h>
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
#include "probes/connect/starttls_connector.h"
#include "probes/mail/mail_probe.h"

extern char** environ;

using namespace pp;
using namespace pp::mail;
using net::NetError;

namespace {

using pp::testing::free_port;
using pp::testing::wait_listening;

namespace fs = std::filesystem;

/// A server process started by the test and stopped (by its own pid) when the test ends.
class Child {
 public:
  explicit Child(std::vector<std::string> argv) {
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], nullptr, nullptr, args.data(), environ) != 0) pid_ = -1;
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
  }
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

net::Connector tcp_to(uint16_t port) {
  return [port](NetError& err) -> std::unique_ptr<net::Transport> {
    return net::TcpTransport::connect("127.0.0.1", port, net::Millis(3000), err);
  };
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "pp-mail-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
    fs::permissions(path, fs::perms::all ^ (fs::perms::group_write | fs::perms::others_write));
    std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -keyout '" + (path / "key.pem").string() +
                      "' -out '" + (path / "cert.pem").string() + "' -days 2 -subj /CN=localhost 2>/dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

const Fact& get(const FactSet& f, const char* name) {
  const Fact* p = f.find(name);
  REQUIRE(p);
  INFO(name << ": " << to_string(p->state) << " " << p->reason << " " << p->evidence);
  return *p;
}

bool known_bool(const FactSet& f, const char* name) {
  const Fact& x = get(f, name);
  INFO(name << ": " << to_string(x.state) << " reason=" << x.reason);
  REQUIRE(x.state == FactState::Known);
  return std::get<bool>(x.value);
}

bool has(const StringList& l, const std::string& v) { return std::find(l.begin(), l.end(), v) != l.end(); }

}  // namespace

TEST_CASE("integration: dovecot IMAP and POP3 with STARTTLS and implicit TLS") {
  TempDir dir;
  const uint16_t imap = free_port(), imaps = free_port(), pop3 = free_port(), pop3s = free_port();
  const std::string d = dir.path.string();
  std::ofstream(dir.path / "passwd").close();
  std::ofstream conf(dir.path / "dovecot.conf");
  conf << "base_dir = " << d << "/run\nstate_dir = " << d << "/state\nlog_path = " << d << "/dovecot.log\n"
       << "protocols = imap pop3\nlisten = 127.0.0.1\nssl = required\n"
       << "ssl_cert = <" << d << "/cert.pem\nssl_key = <" << d << "/key.pem\n"
       << "disable_plaintext_auth = yes\nauth_mechanisms = plain login\n"
       << "passdb {\n  driver = passwd-file\n  args = " << d << "/passwd\n}\n"
       << "userdb {\n  driver = passwd-file\n  args = " << d << "/passwd\n}\n"
       << "service imap-login {\n  inet_listener imap {\n    port = " << imap << "\n  }\n"
       << "  inet_listener imaps {\n    port = " << imaps << "\n  }\n}\n"
       << "service pop3-login {\n  inet_listener pop3 {\n    port = " << pop3 << "\n  }\n"
       << "  inet_listener pop3s {\n    port = " << pop3s << "\n  }\n}\n";
  conf.close();
  Child dovecot({"/usr/sbin/dovecot", "-F", "-c", d + "/dovecot.conf"});
  REQUIRE(dovecot.started());
  REQUIRE(wait_listening(imap));
  REQUIRE(wait_listening(pop3s));

  MailProbeOptions opt;
  opt.timeout = net::Millis(3000);
  opt.sni = "localhost";

  SECTION("IMAP STARTTLS") {
    int conns = 0;
    FactSet f = probe_mail(tcp_to(imap), Protocol::Imap, TlsMode::StartTls, opt, conns);
    CHECK(conns == 2);
    CHECK(std::get<std::string>(get(f, "mail.banner").value).find("Dovecot") != std::string::npos);
    CHECK(known_bool(f, "mail.starttls.offered"));
    CHECK(known_bool(f, "mail.starttls.upgrade_ok"));
    CHECK(get(f, "mail.starttls.upgrade_ok").evidence.find("TLS") != std::string::npos);
    CHECK_FALSE(known_bool(f, "mail.starttls.injection"));
    CHECK_FALSE(known_bool(f, "mail.implicit_tls"));
    /// Dovecot treats a client whose address equals its own (any same-host test) as secured,
    /// so disable_plaintext_auth does not hide AUTH=PLAIN here: the probe reports what it saw.
    CHECK(get(f, "mail.auth_before_tls").state == FactState::Known);
    const Fact& tls_mechs = get(f, "mail.auth_mechs.tls");
    REQUIRE(tls_mechs.state == FactState::Known);
    CHECK(has(std::get<StringList>(tls_mechs.value), "PLAIN"));
  }
  SECTION("POP3 STARTTLS and the connector") {
    int conns = 0;
    FactSet f = probe_mail(tcp_to(pop3), Protocol::Pop3, TlsMode::StartTls, opt, conns);
    CHECK(known_bool(f, "mail.starttls.offered"));
    CHECK(known_bool(f, "mail.starttls.upgrade_ok"));
    CHECK_FALSE(known_bool(f, "mail.starttls.injection"));
    CHECK(has(std::get<StringList>(get(f, "mail.capabilities").value), "STLS"));
    NetError err;
    auto t = connect::starttls_connector(tcp_to(pop3), Protocol::Pop3, {opt.timeout, opt.client_name})(err);
    INFO(err.message);
    REQUIRE(t);
    CHECK(t->fd() >= 0);
  }
  SECTION("IMAPS implicit TLS") {
    int conns = 0;
    FactSet f = probe_mail(tcp_to(imaps), Protocol::Imap, TlsMode::Implicit, opt, conns);
    CHECK(conns == 1);
    CHECK(known_bool(f, "mail.implicit_tls"));
    CHECK(get(f, "mail.starttls.offered").state == FactState::Absent);
    CHECK(std::get<std::string>(get(f, "mail.banner").value).find("Dovecot") != std::string::npos);
    CHECK(get(f, "mail.auth_mechs.tls").state == FactState::Known);
  }
  SECTION("implicit TLS mode against a plaintext port is unknown, not a pass") {
    int conns = 0;
    MailProbeOptions quick = opt;
    quick.timeout = net::Millis(1000);
    FactSet f = probe_mail(tcp_to(imap), Protocol::Imap, TlsMode::Implicit, quick, conns);
    CHECK(get(f, "mail.implicit_tls").state == FactState::Unknown);
  }
}

TEST_CASE("integration: slapd LDAP StartTLS") {
  TempDir dir;
  const uint16_t port = free_port();
  const std::string d = dir.path.string();
  std::ofstream conf(dir.path / "slapd.conf");
  conf << "include /etc/ldap/schema/core.schema\npidfile " << d << "/slapd.pid\n"
       << "TLSCertificateFile " << d << "/cert.pem\nTLSCertificateKeyFile " << d << "/key.pem\n";
  conf.close();
  Child slapd({"/usr/sbin/slapd", "-d", "0", "-h", "ldap://127.0.0.1:" + std::to_string(port) + "/", "-f",
               d + "/slapd.conf"});
  REQUIRE(slapd.started());
  REQUIRE(wait_listening(port));
  MailProbeOptions opt;
  opt.timeout = net::Millis(3000);
  int conns = 0;
  FactSet f = probe_mail(tcp_to(port), Protocol::Ldap, TlsMode::StartTls, opt, conns);
  CHECK(get(f, "mail.banner").state == FactState::Absent);
  CHECK(known_bool(f, "mail.starttls.offered"));
  CHECK(has(std::get<StringList>(get(f, "mail.capabilities").value), "1.3.6.1.4.1.1466.20037"));
  CHECK(known_bool(f, "mail.starttls.upgrade_ok"));
  CHECK_FALSE(known_bool(f, "mail.starttls.injection"));
  CHECK(get(f, "mail.auth_before_tls").state == FactState::Absent);
  CHECK(get(f, "mail.auth_mechs.tls").state == FactState::Known);
}

TEST_CASE("integration: slapd answers a made-up plaintext simple bind by its security setting") {
  // One mdb database, so the bind's DN falls inside a naming context the server holds.
  auto run = [](const std::string& security) {
    TempDir dir;
    const uint16_t port = free_port();
    const std::string d = dir.path.string();
    fs::create_directories(dir.path / "db");
    std::ofstream conf(dir.path / "slapd.conf");
    conf << "include /etc/ldap/schema/core.schema\npidfile " << d << "/slapd.pid\n"
         << "modulepath /usr/lib/ldap\nmoduleload back_mdb\n"
         << security << "\ndatabase mdb\nmaxsize 10485760\nsuffix \"dc=lab,dc=test\"\n"
         << "rootdn \"cn=admin,dc=lab,dc=test\"\ndirectory " << d << "/db\n";
    conf.close();
    Child slapd({"/usr/sbin/slapd", "-d", "0", "-h", "ldap://127.0.0.1:" + std::to_string(port) + "/", "-f",
                 d + "/slapd.conf"});
    REQUIRE(slapd.started());
    REQUIRE(wait_listening(port));
    MailProbeOptions opt;
    opt.timeout = net::Millis(3000);
    int conns = 0;
    FactSet f = probe_mail(tcp_to(port), Protocol::Ldap, TlsMode::StartTls, opt, conns);
    return *f.find("mail.ldap.plaintext_bind_refused");
  };
  Fact open = run("");
  REQUIRE(open.state == FactState::Known);
  CHECK_FALSE(std::get<bool>(open.value));
  CHECK(open.evidence.find("invalidCredentials") != std::string::npos);
  CHECK(open.evidence.find("dc=lab,dc=test") != std::string::npos);
  Fact guarded = run("security simple_bind=128");
  REQUIRE(guarded.state == FactState::Known);
  CHECK(std::get<bool>(guarded.value));
  CHECK(guarded.evidence.find("confidentialityRequired") != std::string::npos);
}
