#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sources/iis_layers.h"

namespace pp::sources {

/// One property of an exported IPsec rule as ConvertTo-Json wrote it. A scalar keeps its text
/// ("2", "Require", "true"); an array of scalars is a list (also when PowerShell wrapped it as
/// {"value": [...], "Count": n}).
struct IpsecProperty {
  enum class Shape { Null, Scalar, List, Object };
  std::string name;  ///< as written: "InboundSecurity"
  Shape shape = Shape::Null;
  std::string value;
  std::vector<std::string> list;
  Position at;  ///< the value's line and column
  /// How the file wrote it, where that differs from name=value (netsh text:
  /// "Action=RequireInRequireOut" for InboundSecurity Require); evidence quotes it.
  std::string said;
};

/// One connection security rule of the export: one object of Get-NetIPsecRule output.
struct IpsecRule {
  std::string name;  ///< DisplayName, else Name
  Position at;       ///< the object's opening brace
  std::vector<IpsecProperty> properties;

  /// The property named `name` (case-insensitively), null when the export lacks it.
  const IpsecProperty* find(std::string_view name) const;
};

/// Reads an export (`file` names it in positions): a JSON object or an array of objects, in
/// UTF-8 or UTF-16 with its byte order mark. Each object with an InboundSecurity or
/// OutboundSecurity property and a DisplayName or Name is one rule; other objects are left
/// out. Returns "" or the one positioned error "file:line:column: reason" (malformed JSON, or
/// no IPsec rule at all); on error `out` is left as it was.
std::string read_ipsec_json(std::string_view text, const std::string& file, std::vector<IpsecRule>& out);

/// True when the text looks like such an export: JSON (an object or array first) whose first
/// 64 KiB carry "InboundSecurity" or "OutboundSecurity" and "DisplayName". Judged without
/// parsing.
bool looks_like_ipsec_json(std::string_view text);

}  // namespace pp::sources
