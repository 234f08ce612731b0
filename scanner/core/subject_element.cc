#include "core/subject_element.h"

namespace pp {

std::string element_subject_id(std::string_view base, std::string_view element) {
  std::string out(base);
  out += '#';
  for (char c : element) {
    if (c == '%') out += "%25";
    else if (c == '#') out += "%23";
    else out += c;
  }
  return out;
}

std::optional<ElementSubject> split_element_subject(std::string_view id) {
  const size_t hash = id.rfind('#');
  if (hash == std::string_view::npos) return std::nullopt;
  ElementSubject out{std::string(id.substr(0, hash)), {}};
  const std::string_view rest = id.substr(hash + 1);
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && rest.substr(i, 3) == "%25") {
      out.element += '%';
      i += 2;
    } else if (rest[i] == '%' && rest.substr(i, 3) == "%23") {
      out.element += '#';
      i += 2;
    } else {
      out.element += rest[i];
    }
  }
  return out;
}

}  // namespace pp
