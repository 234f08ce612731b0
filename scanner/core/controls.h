#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp {

/// One control of a framework, named by the identifier its own document uses ("4.2.1", "3.1").
struct Control {
  std::string id;
  std::string title;  ///< in our words
};

/// A framework whose controls rules can evidence: NIST SP 800-52r2, PCI DSS v4.0, a guide.
struct Framework {
  std::string id;     ///< how rules and --framework name it: "pci-dss-4.0"
  std::string title;  ///< "PCI DSS v4.0"
  std::vector<Control> controls;  ///< in the document's order

  const Control* find(std::string_view control_id) const;
};

/// "framework:control" as a rule writes it; the control part may itself hold ':' or '/'.
struct ControlRef {
  std::string framework;
  std::string control;
  std::string text() const { return framework + ":" + control; }
};
/// Splits at the first ':'; nullopt when either side is empty.
std::optional<ControlRef> parse_control_ref(std::string_view s);

/// What a report needs to group its results by control: the frameworks it groups by (every
/// known one, or those of --framework) and, for each rule of the scan that evidences one of
/// their controls, those controls. A rule of the scan with no result leaves its controls
/// not evidenced; a control no rule of the scan names is not evidenced either.
struct ControlMapping {
  std::vector<Framework> frameworks;
  std::map<std::string, std::vector<std::string>> rules;  ///< rule id -> "framework:control", sorted

  bool empty() const { return frameworks.empty(); }
  const Framework* find(std::string_view framework_id) const;
};

/// Adds `from` to `into`: frameworks and controls by id (the first title wins), rule
/// mappings united. For `merge` of shards scanned with the same rules.
void merge_mappings(ControlMapping& into, const ControlMapping& from);

}  // namespace pp
