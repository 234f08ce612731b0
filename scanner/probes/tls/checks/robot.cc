#include "probes/tls/checks/robot.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "probes/tls/checks/check.h"
#include "probes/tls/client_hello.h"
#include "probes/tls/handshake.h"
#include "probes/tls/server_hello.h"
#include "probes/tls/suite_families.h"

namespace pp::tls::checks {

namespace {

constexpr const char* kFact = "tls.robot";
/// At most this much is read on one connection (certificate chains run to tens of KB).
constexpr size_t kMaxBytes = size_t{1} << 18;
/// The answer to the key exchange is an alert or a close: a few bytes suffice.
constexpr size_t kMaxAnswerBytes = 4096;
constexpr size_t kMinModulusBytes = 64;
constexpr size_t kSecretTail = 46;  ///< premaster secret bytes after its version

/// Fixed bytes with no zero: the padding string and the premaster secret's tail.
std::string nonzero(size_t n, unsigned char a, unsigned char b) {
  std::string out(n, static_cast<char>(a));
  for (size_t i = 1; i < n; i += 2) out[i] = static_cast<char>(b);
  return out;
}

std::string bytes2(unsigned a, unsigned b) { return {static_cast<char>(a), static_cast<char>(b)}; }

}  // namespace

std::string_view to_string(RobotPadding p) {
  switch (p) {
    case RobotPadding::Correct: return "correct padding";
    case RobotPadding::WrongFirstBytes: return "wrong first bytes";
    case RobotPadding::ZeroMisplaced: return "0x00 misplaced";
    case RobotPadding::NoZero: return "no 0x00 separator";
    case RobotPadding::WrongVersion: return "wrong version";
  }
  return "?";
}

std::string robot_block(RobotPadding p, size_t k, uint16_t version) {
  if (k < kMinModulusBytes) return {};
  const std::string pad = nonzero(k - 3 - 2 - kSecretTail, 0xAB, 0xCD);
  const std::string tail = nonzero(kSecretTail, 0xAA, 0x11);
  const std::string ver = bytes2(version >> 8, version & 0xFF);
  const std::string head = bytes2(0x00, 0x02);
  switch (p) {
    case RobotPadding::Correct: return head + pad + '\0' + ver + tail;
    case RobotPadding::WrongFirstBytes: return bytes2(0x41, 0x17) + pad + '\0' + ver + tail;
    case RobotPadding::ZeroMisplaced: return head + pad + '\x11' + tail + bytes2(0x00, 0x11);
    case RobotPadding::NoZero: return head + pad + std::string(3, '\x11') + tail;
    case RobotPadding::WrongVersion: return head + pad + '\0' + bytes2(0x02, 0x02) + tail;
  }
  return {};
}

RsaFlightReader::Status RsaFlightReader::fail(std::string why) {
  why_ = std::move(why);
  status_ = Status::Error;
  return status_;
}

RsaFlightReader::Status RsaFlightReader::message(uint8_t type, std::string_view body) {
  const auto u8 = [&](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(body[i])); };
  if (!hello_) {
    if (type != 2 || body.size() < 38) return fail("no ServerHello");
    const size_t at = 35 + u8(34);
    if (body.size() < at + 2) return fail("truncated ServerHello");
    suite_ = static_cast<uint16_t>(u8(at) << 8 | u8(at + 1));
    hello_ = true;
    return Status::NeedMore;
  }
  if (type == 11 && leaf_.empty()) {
    if (body.size() < 6) return fail("truncated Certificate");
    const size_t len = u8(3) << 16 | u8(4) << 8 | u8(5);
    if (body.size() < 6 + len) return fail("truncated Certificate");
    leaf_ = std::string(body.substr(6, len));
  }
  if (type == 14) status_ = Status::Done;
  return status_;
}

RsaFlightReader::Status RsaFlightReader::feed(std::string_view bytes) {
  if (status_ != Status::NeedMore) return status_;
  buf_.append(bytes);
  while (buf_.size() >= 5 && status_ == Status::NeedMore) {
    const auto* b = reinterpret_cast<const unsigned char*>(buf_.data());
    const size_t len = static_cast<size_t>(b[3]) << 8 | b[4];
    if (b[1] != 3 || len > FlightParser::kMaxRecord) return fail("not a TLS record");
    if (buf_.size() < 5 + len) break;
    const unsigned type = b[0];
    const std::string body = buf_.substr(5, len);
    buf_.erase(0, 5 + len);
    if (type == 21) return fail(body.size() >= 2 ? "alert " + alert_name(static_cast<uint8_t>(body[1])) : "alert");
    if (type != 22) return fail("a record of type " + std::to_string(type) + " before ServerHelloDone");
    hs_ += body;
    while (hs_.size() >= 4 && status_ == Status::NeedMore) {
      const auto* h = reinterpret_cast<const unsigned char*>(hs_.data());
      const size_t mlen = static_cast<size_t>(h[1]) << 16 | static_cast<size_t>(h[2]) << 8 | h[3];
      if (mlen > FlightParser::kMaxHandshake) return fail("handshake message too large");
      if (hs_.size() < 4 + mlen) break;
      const uint8_t mtype = h[0];
      const std::string m = hs_.substr(4, mlen);
      hs_.erase(0, 4 + mlen);
      message(mtype, m);
    }
  }
  return status_;
}

std::string robot_answer(std::string_view bytes, bool closed, std::optional<std::string> timeout) {
  if (bytes.size() >= 7 && bytes[0] == 21) return "alert " + alert_name(static_cast<uint8_t>(bytes[6]));
  if (bytes.size() >= 1) return "a record of type " + std::to_string(static_cast<unsigned char>(bytes[0]));
  if (closed) return "close";
  return timeout.value_or("close");
}

namespace {

using Clock = std::chrono::steady_clock;

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

/// The server's RSA public key from its leaf certificate; null when it has none.
std::unique_ptr<EVP_PKEY, PkeyFree> rsa_key(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) return nullptr;
  std::unique_ptr<EVP_PKEY, PkeyFree> key(X509_get_pubkey(cert.get()));
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) return nullptr;
  return key;
}

/// Raw RSA (no padding: the block is the padding under test). Empty on failure.
std::string rsa_raw(EVP_PKEY* key, const std::string& block) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new(key, nullptr));
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) <= 0)
    return {};
  size_t n = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(block.data());
  if (EVP_PKEY_encrypt(ctx.get(), nullptr, &n, in, block.size()) <= 0) return {};
  std::string out(n, '\0');
  if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n, in, block.size()) <= 0) return {};
  out.resize(n);
  return out;
}

std::string record(uint8_t type, uint16_t version, const std::string& body) {
  return std::string{static_cast<char>(type), static_cast<char>(version >> 8), static_cast<char>(version & 0xFF),
                     static_cast<char>(body.size() >> 8), static_cast<char>(body.size() & 0xFF)} +
         body;
}

/// ClientKeyExchange (SSLv3 sends the ciphertext bare, TLS with a length), ChangeCipherSpec and
/// a Finished of fixed filler: the server can only answer with an alert or a close.
std::string key_exchange_flight(uint16_t version, const std::string& encrypted) {
  std::string cke = encrypted;
  if (version >= 0x0301) cke = bytes2(encrypted.size() >> 8, encrypted.size() & 0xFF) + cke;
  const std::string hs = std::string{'\x10', static_cast<char>(cke.size() >> 16), static_cast<char>(cke.size() >> 8 & 0xFF),
                                     static_cast<char>(cke.size() & 0xFF)} +
                         cke;
  return record(22, version, hs) + record(20, version, "\x01") + record(22, version, std::string(64, '\x5A'));
}

/// The version and RSA key-exchange suites to test with: the highest of TLS 1.2 .. SSLv3 that
/// accepted one (EXPORT suites aside: they use a temporary key).
struct RsaTarget {
  Version version = Version::Tls12;
  std::vector<uint16_t> suites;
};

std::optional<RsaTarget> rsa_target(const Observation& o) {
  for (Version v : {Version::Tls12, Version::Tls11, Version::Tls10, Version::Ssl3}) {
    if (!o.accepted(v)) continue;
    RsaTarget t{v, {}};
    for (uint16_t code : o.at(v).suites)
      if (const CipherSuite* s = find_suite(code); s && s->kx == Kx::RSA && !is_export_rsa(*s)) t.suites.push_back(code);
    if (!t.suites.empty()) return t;
  }
  return std::nullopt;
}

Applies applies(const Observation& o) {
  if (rsa_target(o)) return Applies::always();
  return Applies::no("no RSA key-exchange suite accepted (SSLv3 to TLS 1.2): no Bleichenbacher oracle to look for");
}

/// Reads into `out` until `done` says so, the deadline passes, the peer closes or `max` bytes
/// came. The error of the last read (none when `done`).
template <typename Done>
net::NetError read_until(net::Transport& t, std::string& out, Clock::time_point deadline, size_t max, Done done) {
  while (!done(out)) {
    const auto left = std::chrono::duration_cast<net::Millis>(deadline - Clock::now());
    if (left.count() <= 0) return net::NetError::make(net::NetErrorKind::Timeout, "deadline");
    if (out.size() >= max) return net::NetError::make(net::NetErrorKind::TooLarge, "too much data");
    std::string chunk;
    if (net::NetError e = t.read_some(chunk, 16384, left)) return e;
    out += chunk;
  }
  return {};
}

/// One padding on one connection: the server's answer in words, or nullopt with `why` set
/// when the handshake did not get as far as the key exchange.
class Probe {
 public:
  Probe(const CheckContext& c, const RsaTarget& t) : ctx(c), target(t) {}
  const CheckContext& ctx;
  const RsaTarget& target;
  int bits = 0;
  std::string suite;
  std::string why;

  std::optional<std::string> answer(RobotPadding p) {
    net::NetError err;
    auto t = ctx.connect(err);
    if (!t) return fail("connection: " + err.message);
    HelloSpec spec = base_spec(target.version, ctx.sni);
    spec.suites = target.suites;
    spec.alpn.clear();
    spec.offer_deflate = false;
    spec.status_request = false;
    if (auto e = t->write_all(build_client_hello(spec), ctx.timeout)) return fail("ClientHello: " + e.message);
    RsaFlightReader flight;
    std::string raw;
    const auto flight_done = [&](const std::string& r) {
      const auto st = flight.feed(r.substr(std::min(r.size(), seen_)));
      seen_ = r.size();
      return st != RsaFlightReader::Status::NeedMore;
    };
    seen_ = 0;
    read_until(*t, raw, Clock::now() + ctx.timeout, kMaxBytes, flight_done);
    if (!flight.done() || flight.leaf().empty())
      return fail("first flight: " + (flight.why().empty() ? "no ServerHelloDone within " + duration_text(ctx.timeout) : flight.why()));
    return send_and_listen(*t, flight, p);
  }

 private:
  size_t seen_ = 0;

  std::optional<std::string> fail(std::string w) {
    why = std::move(w);
    return std::nullopt;
  }

  std::optional<std::string> send_and_listen(net::Transport& t, const RsaFlightReader& flight, RobotPadding p) {
    const auto key = rsa_key(flight.leaf());
    if (!key) return fail("the certificate holds no RSA key");
    bits = EVP_PKEY_get_bits(key.get());
    suite = suite_name(flight.suite());
    const uint16_t wire = static_cast<uint16_t>(target.version);
    const std::string enc = rsa_raw(key.get(), robot_block(p, static_cast<size_t>(EVP_PKEY_get_size(key.get())), wire));
    if (enc.empty()) return fail("RSA encryption of the test block failed");
    if (auto e = t.write_all(key_exchange_flight(wire, enc), ctx.timeout)) return fail("ClientKeyExchange: " + e.message);
    std::string got;
    const auto some = [](const std::string& r) { return r.size() >= 7; };
    const net::NetError e = read_until(t, got, Clock::now() + ctx.timeout, kMaxAnswerBytes, some);
    const bool closed = e.kind == net::NetErrorKind::Closed || e.kind == net::NetErrorKind::Reset;
    std::optional<std::string> silent;
    if (e.kind == net::NetErrorKind::Timeout) silent = "no answer within " + duration_text(ctx.timeout);
    return robot_answer(got, closed && got.empty(), silent);
  }
};

FactSet run(const CheckContext& ctx) {
  FactSet fs;
  const auto target = rsa_target(ctx.observed);
  if (!target) {
    fs.put(Fact::absent(kFact, "no RSA key-exchange suite accepted"));
    return fs;
  }
  Probe probe{ctx, *target};
  std::vector<std::string> answers;
  for (RobotPadding p : kRobotPaddings) {
    const auto a = probe.answer(p);
    if (!a) {
      fs.put(Fact::unknown(kFact, "ROBOT check, " + std::string(to_string(p)) + ": " + probe.why));
      return fs;
    }
    answers.push_back(*a);
  }
  std::string evidence = std::string(version_name(target->version)) + " " + probe.suite + ", " +
                         std::to_string(probe.bits) + "-bit key:";
  for (size_t i = 0; i < answers.size(); ++i)
    evidence += (i ? "; " : " ") + std::string(to_string(kRobotPaddings[i])) + " -> " + answers[i];
  const bool oracle = std::any_of(answers.begin(), answers.end(), [&](const std::string& a) { return a != answers[0]; });
  fs.put(Fact::known(kFact, oracle, evidence));
  return fs;
}

}  // namespace

/// Five connections (one per padding) when an RSA key-exchange suite is accepted, else none.
Check robot_check() {
  return {"robot",
          {{kFact, ValueType::Bool, SubjectKind::Endpoint, "tls",
            "the server answers the ROBOT test paddings of an RSA key exchange differently (a Bleichenbacher "
            "oracle; absent: no RSA key-exchange suite)"}},
          applies,
          run};
}

}  // namespace pp::tls::checks
