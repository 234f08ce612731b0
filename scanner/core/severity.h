#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace pp {

/// Ordered: a gate "--fail-on medium" fails on medium, high and critical.
enum class Severity { Info = 0, Low, Medium, High, Critical };

std::string_view to_string(Severity s);
std::optional<Severity> parse_severity(std::string_view text);

}  // namespace pp
