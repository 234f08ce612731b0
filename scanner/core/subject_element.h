#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace pp {

/// The subject of one element of a list a rule is judged over (`each` in the rule language):
/// the base subject's id, '#', the element. A certificate's id already carries a "#cert"
/// suffix; an element of it adds one more. '#' and '%' in the element are percent-encoded so
/// that the element is always what follows the last '#':
///   mail.example.com:443/owa#CVE-2021-34473
///   https://mail.example.com:443#cert#example.com
std::string element_subject_id(std::string_view base, std::string_view element);

/// An id split at its last '#' into the base and the (decoded) element; nullopt without '#'.
/// Whether the suffix really is an element (and not a certificate's "#cert") is for the caller
/// to decide from the results it has: an element's rule also has a result on the base.
struct ElementSubject {
  std::string base;
  std::string element;
};
std::optional<ElementSubject> split_element_subject(std::string_view id);

}  // namespace pp
