#include "policy/glob.h"

#include "core/text.h"

namespace pp::policy {

bool glob_match(std::string_view p, std::string_view t, bool ci) {
  auto eq = [ci](char a, char b) {
    if (!ci) return a == b;
    return text::ascii_lower(a) == text::ascii_lower(b);
  };
  // Iterative matcher with one backtrack point: linear in practice, no recursion blow-up.
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || (p[pi] != '*' && eq(p[pi], t[ti])))) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

}  // namespace pp::policy
