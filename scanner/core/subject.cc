#include "core/subject.h"

#include "core/ip_literal.h"

namespace pp {

std::string_view to_string(SubjectKind k) {
  switch (k) {
    case SubjectKind::Endpoint: return "endpoint";
    case SubjectKind::Certificate: return "certificate";
    case SubjectKind::Vdir: return "vdir";
  }
  return "?";
}

std::string Subject::id() const {
  if (!source.empty()) return source + ":" + host + path;
  const std::string h = url_host(display_host());  // IPv6 literals bracketed, as in URLs
  switch (kind) {
    case SubjectKind::Endpoint: return scheme + "://" + h + ":" + std::to_string(port);
    case SubjectKind::Certificate:
      return scheme + "://" + h + ":" + std::to_string(port) + "#cert" + (variant.empty() ? "" : ":" + variant);
    case SubjectKind::Vdir: return h + ":" + std::to_string(port ? port : plain_port) + path;
  }
  return {};
}

}  // namespace pp
