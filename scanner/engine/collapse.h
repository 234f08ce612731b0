#pragma once
#include <vector>

#include "core/result.h"

namespace pp::engine {

/// One cause, one finding. When a probe family could not observe anything of a subject (every
/// fact it sets there is unknown: the port refused, the server speaks another protocol, only
/// SSLv3), the rule results that errored for that reason become Blocked, pointing at one
/// `PROBE` error per (endpoint, reason) that says in words what was found and what to do.
/// Its severity is the highest of the results it blocks, so the gate weighs it like them.
/// Results erroring for a reason that touched only some facts stay individual errors.
void collapse_errors(std::vector<Result>& results, const std::vector<SubjectFacts>& observed);

/// The rule id of the errors collapse_errors adds.
inline constexpr const char* kProbeErrorRule = "PROBE";

/// A probe failure in words: what was found and what to do, or "" when no advice applies.
/// `protocols` is the endpoint's tls.protocols when known (to explain SSLv3-only servers);
/// `checks` names the checks that could not run ("HTTP over TLS").
std::string advise(const std::string& reason, const std::string& endpoint, const std::vector<std::string>& protocols,
                   const std::string& checks);

}  // namespace pp::engine
