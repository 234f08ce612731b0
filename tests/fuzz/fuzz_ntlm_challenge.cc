/// libFuzzer target: the NTLM CHALLENGE_MESSAGE decoder, on the raw bytes and on the same bytes
/// read as the base64 token of a `WWW-Authenticate: NTLM <token>` header.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probes/ntlm/base64.h"
#include "probes/ntlm/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto d = pp::ntlm::decode_challenge(in);
  if (d.challenge) {
    (void)d.challenge->names();
    if (d.challenge->version) (void)d.challenge->version->text();
    if (d.challenge->timestamp) (void)pp::ntlm::filetime_to_unix(*d.challenge->timestamp);
  }
  if (auto bytes = pp::ntlm::base64_decode(in)) {
    (void)pp::ntlm::decode_challenge(*bytes);
    (void)pp::ntlm::base64_encode(*bytes);
  }
  return 0;
}
