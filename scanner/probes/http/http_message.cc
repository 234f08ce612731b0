#include "probes/http/http_message.h"

#include <cctype>

namespace pp::http {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> HttpResponse::values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& h : headers)
    if (iequals(h.name, name)) out.push_back(h.value);
  return out;
}

const std::string* HttpResponse::first(std::string_view name) const {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return &h.value;
  return nullptr;
}

}  // namespace pp::http
