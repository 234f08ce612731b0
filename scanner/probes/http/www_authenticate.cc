#include "probes/http/www_authenticate.h"

#include <array>
#include <cctype>

#include "core/text.h"
#include "probes/http/http_message.h"

namespace pp::http {

namespace {

bool is_tchar(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  if (std::isalnum(u)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool is_token68_char(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_ows(s.front()) || s.front() == ',')) s.remove_prefix(1);
  while (!s.empty() && (is_ows(s.back()) || s.back() == ',')) s.remove_suffix(1);
  return s;
}

/// A cursor over the header value; every read is bounds-checked so malformed input cannot
/// walk off the end.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool end() const { return i_ >= s_.size(); }
  char peek(size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  size_t pos() const { return i_; }
  void seek(size_t p) { i_ = p < s_.size() ? p : s_.size(); }
  void skip_ows() { while (!end() && is_ows(s_[i_])) ++i_; }
  void skip_ows_and_commas() { while (!end() && (is_ows(s_[i_]) || s_[i_] == ',')) ++i_; }
  std::string_view token() {
    const size_t start = i_;
    while (!end() && is_tchar(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }
  /// Reads token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
  std::string_view token68() {
    const size_t start = i_;
    while (!end() && is_token68_char(s_[i_])) ++i_;
    if (i_ == start) return {};
    while (!end() && s_[i_] == '=') ++i_;
    return s_.substr(start, i_ - start);
  }
  /// Reads a quoted-string starting at '"'; returns false when it is not terminated.
  bool quoted(std::string& out) {
    ++i_;  // opening quote
    while (!end()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (c == '\\' && !end()) {
        out.push_back(s_[i_++]);
        continue;
      }
      out.push_back(c);
    }
    return false;
  }
  void skip_to_comma() { while (!end() && s_[i_] != ',') ++i_; }
  std::string_view slice(size_t from, size_t to) const {
    if (from > s_.size()) from = s_.size();
    if (to > s_.size()) to = s_.size();
    return to > from ? s_.substr(from, to - from) : std::string_view{};
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

void note_error(ChallengeList& out, std::string what) {
  if (!out.malformed) out.error = std::move(what);
  out.malformed = true;
}

/// After a comma: is the next list element an auth-param (token BWS "=") of the current
/// challenge, rather than a new challenge? Does not move the cursor.
bool next_is_param(Cursor& c) {
  const size_t save = c.pos();
  c.skip_ows_and_commas();
  const bool has_name = !c.token().empty();
  c.skip_ows();
  const bool eq = has_name && c.peek() == '=';
  c.seek(save);
  return eq;
}

/// Parses #auth-param of one challenge; stops before the next challenge.
void parse_params(Cursor& c, Challenge& ch, ChallengeList& out) {
  for (;;) {
    c.skip_ows();
    const std::string_view name = c.token();
    if (name.empty()) {
      note_error(out, "expected an auth-param name at offset " + std::to_string(c.pos()));
      c.skip_to_comma();
      return;
    }
    c.skip_ows();
    if (c.peek() != '=') {
      note_error(out, "auth-param '" + std::string(name) + "' has no '='");
      c.skip_to_comma();
      return;
    }
    c.seek(c.pos() + 1);
    c.skip_ows();
    std::string value;
    if (c.peek() == '"') {
      if (!c.quoted(value)) note_error(out, "unterminated quoted string in auth-param '" + std::string(name) + "'");
    } else {
      value = std::string(c.token());
    }
    ch.params.emplace_back(text::to_lower(name), std::move(value));
    c.skip_ows();
    if (c.end()) return;
    if (c.peek() != ',') {
      note_error(out, "unexpected character '" + std::string(1, c.peek()) + "' after auth-param '" +
                          std::string(name) + "'");
      c.skip_to_comma();
      if (c.end()) return;
    }
    if (!next_is_param(c)) return;
    c.skip_ows_and_commas();
  }
}

}  // namespace

const std::string* Challenge::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (text::iequals(k, name)) return &v;
  return nullptr;
}

std::string normalise_scheme(std::string_view scheme) {
  static constexpr std::array<std::string_view, 5> kKnown = {"Basic", "Digest", "NTLM", "Negotiate", "Bearer"};
  for (std::string_view k : kKnown)
    if (text::iequals(k, scheme)) return std::string(k);
  return std::string(scheme);
}

ChallengeList parse_www_authenticate(std::string_view value) {
  ChallengeList out;
  Cursor c(value);
  for (;;) {
    c.skip_ows_and_commas();
    if (c.end()) break;
    const size_t start = c.pos();
    const std::string_view scheme = c.token();
    if (scheme.empty()) {
      note_error(out, "expected an auth-scheme at offset " + std::to_string(start) + ", found '" +
                          std::string(1, c.peek()) + "'");
      c.seek(c.pos() + 1);
      c.skip_to_comma();
      continue;
    }
    Challenge ch;
    ch.scheme = normalise_scheme(scheme);
    if (c.peek() == '=') {
      // "realm=x" with no scheme before it: a stray auth-param, not a challenge.
      note_error(out, "auth-param '" + std::string(scheme) + "' without an auth-scheme");
      c.skip_to_comma();
      continue;
    }
    const size_t after_scheme = c.pos();
    c.skip_ows();
    if (!c.end() && c.peek() != ',') {
      if (c.pos() == after_scheme) {
        note_error(out, "auth-scheme '" + std::string(scheme) + "' is followed by '" + std::string(1, c.peek()) + "'");
        c.skip_to_comma();
      } else {
        // token68 when the whole element up to the next comma is one token68.
        const size_t before = c.pos();
        const std::string_view t68 = c.token68();
        const size_t after68 = c.pos();
        c.skip_ows();
        if (!t68.empty() && (c.end() || c.peek() == ',')) {
          ch.token68 = std::string(t68);
        } else {
          c.seek(before);
          (void)after68;
          parse_params(c, ch, out);
        }
      }
    }
    ch.raw = std::string(trim(c.slice(start, c.pos())));
    out.challenges.push_back(std::move(ch));
  }
  return out;
}

ChallengeList parse_www_authenticate(const std::vector<std::string>& values) {
  ChallengeList out;
  for (const auto& v : values) {
    ChallengeList one = parse_www_authenticate(v);
    for (auto& ch : one.challenges) out.challenges.push_back(std::move(ch));
    if (one.malformed && !out.malformed) {
      out.malformed = true;
      out.error = one.error;
    }
  }
  return out;
}

}  // namespace pp::http
