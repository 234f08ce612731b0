#include "probes/tls/note_hello.h"

#include "probes/tls/groups.h"

namespace pp::tls {

void note_hello(Observation& o, VersionResult& vr, const ServerFlight& f) {
  const ServerHello& h = *f.hello;
  if (!vr.first_hello) vr.first_hello = h;
  if (h.compression == 1) {
    o.compression_seen = true;
    o.compression_evidence = std::string(version_name(h.version)) + " ServerHello chose DEFLATE";
  }
  if (f.key_exchange) note_key_exchange(o, h, *f.key_exchange);
}

}  // namespace pp::tls
