#include "core/subject.h"

namespace pp {

std::string_view to_string(SubjectKind k) {
  switch (k) {
    case SubjectKind::Endpoint: return "endpoint";
    case SubjectKind::Certificate: return "certificate";
    case SubjectKind::Vdir: return "vdir";
  }
  return "?";
}

namespace {
std::string host_for_url(const std::string& h) {
  // IPv6 literals are bracketed in ids as in URLs.
  if (h.find(':') != std::string::npos && (h.empty() || h.front() != '[')) return "[" + h + "]";
  return h;
}
}  // namespace

std::string Subject::id() const {
  const std::string h = host_for_url(display_host());
  switch (kind) {
    case SubjectKind::Endpoint: return scheme + "://" + h + ":" + std::to_string(port);
    case SubjectKind::Certificate:
      return scheme + "://" + h + ":" + std::to_string(port) + "#cert" + (variant.empty() ? "" : ":" + variant);
    case SubjectKind::Vdir: return h + ":" + std::to_string(port ? port : plain_port) + path;
  }
  return {};
}

}  // namespace pp
