/// libFuzzer target: the BER decoder and the LDAP result / search-entry parsers on raw bytes,
/// walking nested elements as the LDAP code does.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "probes/connect/ber.h"
#include "probes/connect/ldap.h"

using namespace pp::connect;

static void walk(std::string_view bytes, int depth) {
  if (depth > 8) return;
  ber::Decoder d(bytes);
  ber::Element e;
  std::string err;
  int n = 0;
  while (!d.done() && n++ < 256) {
    if (!d.next(e, err)) return;
    int64_t v = 0;
    (void)ber::decode_integer(e.content, v);
    if (e.tag & 0x20) walk(e.content, depth + 1);
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  uint64_t len = 0;
  int used = ber::parse_length(in, len);
  if (used > 0 && static_cast<size_t>(used) > in.size()) __builtin_trap();
  walk(in, 0);
  ldap::Result res;
  std::string err;
  (void)ldap::parse_result(in, res, err);
  std::map<std::string, pp::StringList> attrs;
  (void)ldap::parse_entry(in, attrs, err);
  return 0;
}
