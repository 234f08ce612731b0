/// libFuzzer target: the raw TLS first-flight parser (records, ServerHello, SSLv2, alerts,
/// ServerKeyExchange). The first byte picks the offer and the chunk size so that the record
/// reassembly across feed() calls is exercised as well as whole-buffer parsing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probes/tls/cipher_suites.h"
#include "probes/tls/server_hello.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t ctl = data[0];
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);

  pp::tls::HelloSpec offer;
  static const pp::tls::Version kVersions[] = {pp::tls::Version::Ssl3, pp::tls::Version::Tls10,
                                              pp::tls::Version::Tls11, pp::tls::Version::Tls12,
                                              pp::tls::Version::Tls13};
  offer.version = kVersions[ctl % 5];
  // The probe's own offer, so that recorded answers get past the "never offered" checks.
  offer.suites = pp::tls::suites_for(offer.version);
  offer.groups = pp::tls::groups_to_offer();
  offer.alpn = {"h2", "http/1.1"};
  offer.offer_deflate = (ctl & 0x08) != 0;
  offer.x25519_share = (ctl & 0x10) != 0;
  const auto until = (ctl & 0x20) ? pp::tls::ReadUntil::KeyExchange : pp::tls::ReadUntil::Hello;
  std::vector<uint32_t> ssl2;
  if (ctl & 0x40) ssl2 = {0x010080, 0x020080, 0x030080, 0x0700c0};

  pp::tls::FlightParser p(offer, until, ssl2);
  const size_t chunk = (ctl & 0x80) ? 1 + (ctl & 0x07) : in.size() + 1;
  auto st = pp::tls::FlightParser::Status::NeedMore;
  for (size_t off = 0; off < in.size() && st == pp::tls::FlightParser::Status::NeedMore; off += chunk) {
    st = p.feed(in.substr(off, std::min(chunk, in.size() - off)));
  }
  if (st == pp::tls::FlightParser::Status::NeedMore) st = p.finish();
  // Touch the results so the sanitizers see every field read.
  const auto& f = p.flight();
  volatile size_t sink = f.warnings.size() + p.error().message.size();
  if (f.alert) sink = sink + pp::tls::alert_name(f.alert->description).size();
  if (f.hello) sink = sink + f.hello->alpn.size();
  (void)sink;
  return 0;
}
