/// libFuzzer target: the WWW-Authenticate parser, one header value and the same bytes split
/// at newlines into several headers (as IIS sends one header per scheme).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "probes/http/www_authenticate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto one = pp::http::parse_www_authenticate(in);
  for (const auto& c : one.challenges) {
    (void)c.param("realm");
    (void)pp::http::normalise_scheme(c.scheme);
  }
  std::vector<std::string> headers;
  size_t start = 0;
  for (size_t i = 0; i <= in.size(); ++i) {
    if (i == in.size() || in[i] == '\n') {
      headers.emplace_back(in.substr(start, i - start));
      start = i + 1;
    }
  }
  auto many = pp::http::parse_www_authenticate(headers);
  (void)many;
  return 0;
}
