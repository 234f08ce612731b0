#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pp::http {

/// One authentication challenge of a WWW-Authenticate header (RFC 7235 section 4.1).
struct Challenge {
  std::string scheme;   ///< normalised: Basic, Digest, NTLM, Negotiate, Bearer; others as received
  std::string raw;      ///< the challenge text as received, trimmed ("Basic realm=\"a\"")
  std::string token68;  ///< "Negotiate abc==" -> "abc=="; empty when absent
  std::vector<std::pair<std::string, std::string>> params;  ///< names lower-cased, values unquoted

  /// The value of auth-param `name` (case-insensitive), or nullptr.
  const std::string* param(std::string_view name) const;
};

struct ChallengeList {
  std::vector<Challenge> challenges;
  bool malformed = false;   ///< some input could not be parsed; challenges holds what could
  std::string error;        ///< the first problem, in words
};

/// Parses one header value, which may hold several challenges: `Basic realm="a", NTLM, Negotiate`.
/// Never throws and never reads past the input: malformed text yields the parseable challenges
/// plus the malformed flag, because a probe must report what a broken server did offer.
ChallengeList parse_www_authenticate(std::string_view value);

/// Parses every WWW-Authenticate header of one response (servers send one per scheme, as IIS
/// does, or several in one header), in order.
ChallengeList parse_www_authenticate(const std::vector<std::string>& values);

/// Case-insensitive match of the well-known schemes to their canonical spelling.
std::string normalise_scheme(std::string_view scheme);

}  // namespace pp::http
