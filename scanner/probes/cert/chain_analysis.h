#pragma once
#include <openssl/x509.h>

#include <ctime>
#include <string>
#include <vector>

#include "core/fact.h"

namespace pp::cert {

/// Everything the analysis needs, with no socket in sight, so tests feed it in-memory chains.
struct ChainInput {
  std::vector<X509*> sent;                 ///< as the server sent them, [0] = leaf (borrowed)
  X509_STORE* store = nullptr;             ///< trust anchors (borrowed); null: verification unknown
  std::string store_error;                 ///< why `store` is null, for the unknown facts
  std::vector<X509*> known_intermediates;  ///< optional pool that tells incomplete_chain from
                                           ///< unknown_issuer (like a browser's preloaded set)
  std::vector<std::string> expected_names; ///< names clients use; empty: name facts unknown
  std::time_t now = 0;                     ///< verification and validity time
};

/// Sets every "cert" fact of the catalogue from one chain: known where the chain shows it,
/// unknown with a reason where it cannot (no certificate, no store, no expected names).
///
/// verify_error is "ok" only when the chain verifies, was sent complete and in order. When
/// verification succeeds only because the store supplied a missing intermediate it is
/// "incomplete_chain", and when OpenSSL had to reorder what was sent it is "wrong_order" —
/// trusted stays true in both cases, because stricter clients fail where OpenSSL does not.
FactSet analyse_chain(const ChainInput& in);

/// Every "cert" fact of the catalogue, unknown for `reason` (refused, timeout, alert...).
FactSet all_cert_facts_unknown(const std::string& reason);

}  // namespace pp::cert
