#include "probes/tls/observation.h"

namespace pp::tls {

size_t Observation::slot(Version v) {
  switch (v) {
    case Version::Ssl2: return 0;
    case Version::Ssl3: return 1;
    case Version::Tls10: return 2;
    case Version::Tls11: return 3;
    case Version::Tls12: return 4;
    case Version::Tls13: return 5;
  }
  return 0;
}

std::vector<Version> Observation::accepted_versions() const {
  std::vector<Version> out;
  for (Version v : kTlsVersions)
    if (accepted(v)) out.push_back(v);
  return out;
}

}  // namespace pp::tls
