#pragma once
#include <string>
#include <vector>

#include "core/result.h"
#include "reports/tls_grade.h"

/// What each TLS endpoint offers at a glance, as nmap's ssl-enum-ciphers and testssl.sh show
/// it: the protocol versions it accepts, per version the cipher suites with a strength grade
/// each (tls_grade.h), the key exchange groups and smallest DH group when known, whose cipher
/// order counts, and the endpoint's grade (its weakest suite). Built from the facts of the
/// report alone (tls.protocols, tls.ciphers.<version>, tls.groups, tls.min_dh_bits,
/// tls.server_order). Endpoints that offer exactly the same are one block naming them all, so a
/// fleet of identical front ends costs one block.
namespace pp::reports {

struct GradedSuite {
  std::string name;
  SuiteGrade grade;
};

/// One or more versions in a row that accept the same suites ("TLSv1.0, TLSv1.1").
struct TlsVersionOffer {
  std::vector<std::string> versions;
  std::vector<GradedSuite> suites;  ///< in the order the facts list them
  std::string note;                 ///< when the suites could not be observed: why
};

struct TlsEndpoint {
  std::string subject;                    ///< endpoint id, https://host:port
  std::string target;                     ///< its inventory target's name
  std::vector<std::pair<std::string, std::string>> also;  ///< (subject, target) offering the same
  std::vector<TlsVersionOffer> offers;    ///< oldest version first
  Grade grade = Grade::Unknown;           ///< the worst graded suite
  size_t suite_count = 0;                 ///< (version, suite) pairs
  std::string server_order;               ///< "server", "client" or "not tested"
  std::string groups;                     ///< "x25519, secp256r1", or why not known; "" when absent
  std::string dh;                         ///< "2048 bits (smallest)"; "" when no DHE suite
  std::string unobserved;                 ///< non-empty: TLS could not be observed, and why
  /// Each grade below A that occurs, with the distinct reasons: ("B", "CBC mode, no AEAD; ...").
  std::vector<std::pair<Grade, std::string>> reasons;
};

/// Every endpoint of the report whose TLS facts are present (observed, or unknown with a
/// reason), in report order; endpoints offering exactly the same merged into the first.
std::vector<TlsEndpoint> tls_endpoints(const ScanReport& report);

/// The console block (scan -v), after the failing rules. `width` 0: one suite per line and no
/// wrapping (logs, pastes); otherwise suites in columns and lines wrapped to `width`.
/// `colour`: grades coloured with ANSI escapes. Server text passes terminal_safe.
std::string render_tls_console(const std::vector<TlsEndpoint>& endpoints, size_t width, bool colour);

/// The HTML report's section: one folded block per endpoint (open when short), all text
/// HTML-escaped. Empty when no endpoint has TLS facts.
std::string render_tls_html(const std::vector<TlsEndpoint>& endpoints);

}  // namespace pp::reports
