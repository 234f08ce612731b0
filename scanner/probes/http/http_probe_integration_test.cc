// Integration test: starts its own nginx (plain + TLS, self-signed certificate made here) in a
// temp dir on free ports, probes a handful of vdirs and checks the facts and the access log.
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
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/test_net.h"
#include "probes/http/http_probe.h"
#include "probes/ntlm/base64.h"
#include "probes/ntlm/message.h"

extern char** environ;

using namespace pp;

namespace {

using pp::testing::free_port;

bool port_open(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

std::string read_file(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// nginx in the foreground, one process, everything under a temp prefix; stopped by its pid.
class Nginx {
 public:
  Nginx() {
    char tmpl[] = "/tmp/pp_http_it_XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
    plain_ = free_port();
    tls_ = free_port();
    const std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=vdir.test -keyout " +
                            dir_ + "/key.pem -out " + dir_ + "/cert.pem >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    const std::string P = std::to_string(plain_), T = std::to_string(tls_);
    std::ofstream conf(dir_ + "/nginx.conf");
    conf << "daemon off; master_process off; worker_processes 1;\n"
         << "error_log " << dir_ << "/error.log; pid " << dir_ << "/nginx.pid;\n"
         << "events { worker_connections 64; }\n"
         << "http {\n"
         << "  client_body_temp_path " << dir_ << "/body; proxy_temp_path " << dir_ << "/proxy;\n"
         << "  fastcgi_temp_path " << dir_ << "/fcgi; uwsgi_temp_path " << dir_ << "/uwsgi; scgi_temp_path " << dir_ << "/scgi;\n"
         << "  log_format pp '$request|host=$host|http_host=$http_host|auth=$http_authorization|cookie=$http_cookie|ua=$http_user_agent';\n"
         << "  access_log " << dir_ << "/access.log pp;\n"
         << "  server_tokens on;\n"
         << "  server {\n"
         << "    listen 127.0.0.1:" << P << ";\n"
         << "    listen 127.0.0.1:" << T << " ssl;\n"
         << "    server_name vdir.test;\n"
         << "    ssl_certificate " << dir_ << "/cert.pem; ssl_certificate_key " << dir_ << "/key.pem;\n"
         << "    default_type text/html;\n"
         << "    location = / { add_header X-Content-Type-Options nosniff; return 200 'root page'; }\n"
         << "    location = /auth {\n"
         << "      add_header WWW-Authenticate 'Negotiate' always;\n"
         << "      add_header WWW-Authenticate 'NTLM' always;\n"
         << "      add_header WWW-Authenticate 'Basic realm=\"vdir, test\"' always;\n"
         << "      return 401; }\n"
         << "    location = /owa { add_header Set-Cookie 'ClientId=abc; Path=/; HttpOnly' always; return 302 /owa/auth/logon.aspx; }\n"
         << "    location = /owa/auth/logon.aspx { add_header X-FEServer EXCH01 always; return 200 '<link href=\"/owa/auth/15.1.2507/themes/resources/favicon.ico\"><form method=\"post\"><input type=\"password\" name=\"password\"></form>'; }\n"
         << "    location = /eas {\n"
         << "      if ($scheme = http) { return 301 https://$host:" << T << "/eas; }\n"
         << "      add_header Strict-Transport-Security 'max-age=31536000; includeSubDomains' always;\n"
         << "      return 200 'eas content'; }\n"
         << "    location = /forbidden { return 403; }\n"
         << "    location = /away { return 302 https://elsewhere.test/x; }\n"
         << "    location = /any { return 200 'the same page for every method'; }\n"
         << "    location = /creds { return 302 http://admin:s3cret@vdir.test:" << P << "/any; }\n"
         << "    location / { return 404; }\n"
         << "  }\n"
         << "}\n";
    conf.close();
    std::vector<std::string> args = {"nginx", "-c", dir_ + "/nginx.conf", "-p", dir_};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    REQUIRE(::posix_spawnp(&pid_, "nginx", nullptr, nullptr, argv.data(), environ) == 0);
    for (int i = 0; i < 100 && !(port_open(plain_) && port_open(tls_)); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(port_open(plain_));
    REQUIRE(port_open(tls_));
  }
  ~Nginx() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }
  uint16_t plain() const { return plain_; }
  uint16_t tls() const { return tls_; }
  std::string access_log() const { return read_file(dir_ + "/access.log"); }

 private:
  std::string dir_;
  uint16_t plain_ = 0, tls_ = 0;
  pid_t pid_ = -1;
};

Subject vdir(const Nginx& n, std::string path) {
  Subject s;
  s.kind = SubjectKind::Vdir;
  s.target = "lab";
  s.host = "127.0.0.1";
  s.sni = "vdir.test";
  s.port = n.tls();
  s.plain_port = n.plain();
  s.path = std::move(path);
  return s;
}

const Fact& get(const FactSet& fs, const std::string& name) {
  const Fact* f = fs.find(name);
  INFO(name);
  REQUIRE(f);
  return *f;
}

template <class T>
T val(const FactSet& fs, const std::string& name) {
  const Fact& f = get(fs, name);
  INFO(name << " state " << to_string(f.state) << " reason: " << f.reason);
  REQUIRE(f.state == FactState::Known);
  REQUIRE(std::holds_alternative<T>(f.value));
  return std::get<T>(f.value);
}

}  // namespace

TEST_CASE("http probe against a local nginx") {
  Nginx ngx;
  std::vector<Subject> subjects = {vdir(ngx, "/"), vdir(ngx, "/auth"), vdir(ngx, "/owa"), vdir(ngx, "/eas"),
                                   vdir(ngx, "/forbidden"), vdir(ngx, "/missing"), vdir(ngx, "/away"),
                                   vdir(ngx, "/any"), vdir(ngx, "/creds")};
  Subject refused = vdir(ngx, "/");
  refused.plain_port = free_port();  // nothing listens there
  refused.port = 0;
  subjects.push_back(refused);
  Subject wrong_tls = vdir(ngx, "/");
  wrong_tls.port = ngx.plain();  // TLS to a plaintext port: the handshake fails
  wrong_tls.plain_port = 0;
  subjects.push_back(wrong_tls);

  http::HttpOptions opt;
  opt.connect_timeout_ms = 3000;
  opt.total_timeout_ms = 5000;
  opt.per_host = 2;
  http::HttpStats stats;
  opt.stats = &stats;
  // Progress: every request reported once, each (vdir, scheme) walk complete exactly once, last.
  std::mutex mu;
  int answered = 0;
  std::map<std::pair<size_t, bool>, std::pair<int, int>> walks;  // -> (requests, completions)
  bool done_then_more = false;
  opt.on_request = [&](size_t v, bool tls, bool walk_done) {
    std::lock_guard lock(mu);
    ++answered;
    auto& [requests, completions] = walks[{v, tls}];
    done_then_more = done_then_more || completions > 0;
    ++requests;
    completions += walk_done ? 1 : 0;
  };
  const auto facts = http::probe_http(subjects, opt);
  REQUIRE(facts.size() == subjects.size());
  CHECK(answered == stats.requests);
  CHECK_FALSE(done_then_more);
  for (size_t i = 0; i < subjects.size(); ++i)
    for (bool tls : {false, true}) {
      INFO(subjects[i].path << (tls ? " tls" : " plain"));
      const bool walked = (tls ? subjects[i].port : subjects[i].plain_port) != 0;
      CHECK(walks[{i, tls}].second == (walked ? 1 : 0));
    }
  const FactSet &root = facts[0], &auth = facts[1], &owa = facts[2], &eas = facts[3], &forbidden = facts[4],
                &missing = facts[5], &away = facts[6], &any = facts[7], &creds = facts[8],
                &closed = facts[9], &handshake = facts[10];

  SECTION("root: anonymous content, method probes sent") {
    CHECK(val<bool>(root, "http.plain.reachable"));
    CHECK(val<int64_t>(root, "http.plain.status") == 200);
    CHECK(val<bool>(root, "http.plain.serves_content"));
    CHECK(val<bool>(root, "http.plain.anonymous"));
    CHECK(val<bool>(root, "http.tls.serves_content"));
    CHECK(val<bool>(root, "http.tls.x_content_type_options"));
    CHECK_FALSE(val<bool>(root, "http.tls.hsts"));
    CHECK_FALSE(val<bool>(root, "http.plain.trace_enabled"));  // nginx answers TRACE 405
    CHECK_FALSE(val<bool>(root, "http.plain.webdav"));
    CHECK(val<StringList>(root, "http.plain.banners").at(0).rfind("Server: nginx", 0) == 0);
  }
  SECTION("401 with three WWW-Authenticate headers") {
    CHECK(val<int64_t>(auth, "http.tls.status") == 401);
    CHECK(val<StringList>(auth, "http.tls.auth_schemes") == StringList{"Negotiate", "NTLM", "Basic"});
    // nginx answers the NTLM NEGOTIATE with the same bare challenge: offered, nothing disclosed.
    CHECK(val<bool>(auth, "ntlm.offered"));
    CHECK(val<StringList>(auth, "ntlm.internal_names").empty());
    CHECK(get(auth, "ntlm.dns_computer").state == FactState::Absent);
    CHECK(val<StringList>(auth, "http.plain.auth_challenges") ==
          StringList{"Negotiate", "NTLM", "Basic realm=\"vdir, test\""});
    CHECK(val<bool>(auth, "http.plain.basic_offered"));
    CHECK_FALSE(val<bool>(auth, "http.plain.serves_content"));
    CHECK_FALSE(val<bool>(auth, "http.plain.anonymous"));
    // Challenged vdirs get their methods judged too: TRACE 405, TRACK challenged.
    CHECK_FALSE(val<bool>(auth, "http.plain.trace_enabled"));
    CHECK_FALSE(val<bool>(auth, "http.tls.track_enabled"));
    CHECK(get(auth, "http.tls.track_enabled").evidence.find("not enabled without credentials") != std::string::npos);
    CHECK(val<StringList>(auth, "http.tls.content_methods_allowed").empty());
  }
  SECTION("a page answering every method with 200 has no TRACK") {
    CHECK_FALSE(val<bool>(any, "http.plain.track_enabled"));
    CHECK_FALSE(val<bool>(any, "http.tls.track_enabled"));
    CHECK(get(any, "http.tls.track_enabled").evidence.find("200") != std::string::npos);
    CHECK_FALSE(val<bool>(any, "http.tls.trace_enabled"));  // nginx refuses TRACE itself
  }
  SECTION("credentials in a Location are followed without them and never reported") {
    const std::string P = std::to_string(ngx.plain());
    CHECK(val<StringList>(creds, "http.plain.redirect_chain") ==
          StringList{"302 http://***@vdir.test:" + P + "/any (followed without its credentials)"});
    CHECK(val<std::string>(creds, "http.plain.final_url") == "http://vdir.test:" + P + "/any");
    CHECK(val<int64_t>(creds, "http.plain.status") == 200);
    for (const Fact& f : creds.all()) {
      INFO(f.name);
      CHECK(f.evidence.find("s3cret") == std::string::npos);
      CHECK(f.reason.find("s3cret") == std::string::npos);
      if (const auto* str = std::get_if<std::string>(&f.value)) CHECK(str->find("s3cret") == std::string::npos);
      if (const auto* list = std::get_if<StringList>(&f.value))
        for (const auto& e : *list) CHECK(e.find("s3cret") == std::string::npos);
    }
  }
  SECTION("exchange.*: the endpoint's vdirs read together, set once on its first answered vdir") {
    CHECK(val<std::string>(root, "exchange.build") == "15.1.2507");
    CHECK(get(root, "exchange.build").evidence.find("resource path /15.1.2507/ in the page (GET http://vdir.test:") == 0);
    CHECK(val<StringList>(root, "exchange.internal_names_leaked") == StringList{"EXCH01"});
    CHECK(get(root, "exchange.product").state == FactState::Unknown);  // no table given
    CHECK(get(owa, "exchange.build").state == FactState::Absent);
    CHECK(get(owa, "exchange.build").reason == "set once per web endpoint, on /");
    CHECK(get(closed, "exchange.build_disclosed").state == FactState::Unknown);  // nothing answered there
  }
  SECTION("302 to the OWA logon page is a forms logon") {
    CHECK(val<bool>(owa, "http.tls.forms_logon"));
    CHECK(val<StringList>(owa, "http.tls.auth_schemes") == StringList{"Forms"});
    CHECK(val<int64_t>(owa, "http.tls.status") == 200);
    CHECK(val<std::string>(owa, "http.tls.final_url") ==
          "https://vdir.test:" + std::to_string(ngx.tls()) + "/owa/auth/logon.aspx");
    CHECK(val<StringList>(owa, "http.tls.redirect_chain") ==
          StringList{"302 https://vdir.test:" + std::to_string(ngx.tls()) + "/owa/auth/logon.aspx"});
    CHECK(val<StringList>(owa, "http.tls.cookies_without_secure") == StringList{"ClientId"});
    CHECK(val<StringList>(owa, "http.tls.cookies_without_httponly").empty());
    CHECK_FALSE(val<bool>(owa, "http.tls.anonymous"));
  }
  SECTION("301 from plain to https on the same host is followed") {
    CHECK(val<bool>(eas, "http.plain.redirects_to_https"));
    CHECK_FALSE(val<bool>(eas, "http.plain.serves_content"));
    CHECK(val<int64_t>(eas, "http.plain.status") == 200);
    CHECK(val<std::string>(eas, "http.plain.final_url").rfind("https://vdir.test:", 0) == 0);
    CHECK(val<bool>(eas, "http.tls.serves_content"));
    CHECK_FALSE(val<bool>(eas, "http.tls.redirects_to_https"));
    CHECK(val<bool>(eas, "http.tls.hsts"));
    CHECK(val<int64_t>(eas, "http.tls.hsts_max_age") == 31536000);
    CHECK(val<bool>(eas, "http.tls.hsts_include_subdomains"));
  }
  SECTION("403 on plain is ssl_required") {
    CHECK(val<bool>(forbidden, "http.plain.ssl_required"));
    CHECK(val<int64_t>(forbidden, "http.plain.status") == 403);
    CHECK_FALSE(val<bool>(forbidden, "http.plain.serves_content"));
    CHECK_FALSE(val<bool>(root, "http.plain.ssl_required"));
  }
  SECTION("404 is absent, not failed") {
    CHECK_FALSE(val<bool>(missing, "http.tls.exists"));
    CHECK(get(missing, "http.tls.serves_content").state == FactState::Absent);
    CHECK(get(missing, "http.tls.serves_content").reason == "404 Not Found");
    CHECK(get(missing, "http.plain.auth_schemes").state == FactState::Absent);
  }
  SECTION("a redirect to another host is recorded, not followed") {
    CHECK(val<int64_t>(away, "http.tls.status") == 302);
    CHECK(val<StringList>(away, "http.tls.redirect_chain") ==
          StringList{"302 https://elsewhere.test/x (not followed: other host)"});
  }
  SECTION("refused plain port: reachable false, rest absent; no TLS port: absent") {
    CHECK_FALSE(val<bool>(closed, "http.plain.reachable"));
    CHECK(get(closed, "http.plain.status").state == FactState::Absent);
    CHECK(get(closed, "http.plain.status").reason.find("nothing listens on port") == 0);
    CHECK(get(closed, "http.tls.reachable").state == FactState::Absent);
  }
  SECTION("TLS to a plaintext port: every tls fact unknown with the reason") {
    for (const Fact& f : handshake.all()) {
      if (f.name.rfind("http.tls.", 0) != 0) continue;
      INFO(f.name << ": " << f.reason);
      CHECK(f.state == FactState::Unknown);
      CHECK(f.reason.rfind("TLS handshake failed", 0) == 0);
    }
  }
  SECTION("access log: no Authorization but the NTLM NEGOTIATE, always the target's name") {
    const std::string log = ngx.access_log();
    std::istringstream in(log);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      INFO(line);
      // The ClientHello sent to the plaintext port is logged as a garbage request line.
      if (line.rfind("\\x16\\x03", 0) == 0) continue;
      // The one Authorization ever sent: the NTLM NEGOTIATE (no credential), with a GET to a
      // vdir whose 401 offered NTLM.
      const std::string negotiate = "|auth=NTLM " + pp::ntlm::base64_encode(pp::ntlm::negotiate_message()) + "|";
      const bool ntlm = line.find(negotiate) != std::string::npos;
      CHECK((line.find("|auth=-|") != std::string::npos || ntlm));
      if (ntlm) CHECK(line.rfind("GET /auth ", 0) == 0);
      CHECK(line.find("|cookie=-|") != std::string::npos);
      CHECK(line.find("|host=vdir.test|") != std::string::npos);
      CHECK(line.find("|http_host=vdir.test:") != std::string::npos);
      CHECK(line.find("|ua=policyprobe/0.1") != std::string::npos);
    }
    // Every request we started is logged, except the one to the closed port (never connected)
    // and the failed TLS handshake (nginx logs it as a 400 with no request line).
    CHECK(n >= stats.requests - 2);
    CHECK(n <= stats.requests);
    CHECK(n >= 14);
  }
  CHECK(stats.peak_in_flight >= 1);
}
