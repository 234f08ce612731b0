#include "probes/http/http_message.h"

#include "core/text.h"

namespace pp::http {

std::vector<std::string> HttpResponse::values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& h : headers)
    if (text::iequals(h.name, name)) out.push_back(h.value);
  return out;
}

const std::string* HttpResponse::first(std::string_view name) const {
  for (const auto& h : headers)
    if (text::iequals(h.name, name)) return &h.value;
  return nullptr;
}

}  // namespace pp::http
