#include "probes/cert/text_escape.h"

#include <cstdint>

namespace pp::cert {

namespace {

void hex_escape(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0xf];
}

/// Length of the well-formed UTF-8 sequence starting at s[i] (2..4), or 0 if it is not one
/// (overlong forms, surrogates and code points above U+10FFFF are rejected, per RFC 3629).
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  size_t len = 0;
  uint32_t cp = 0;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3f);
  }
  if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return 0;
  if (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) return 0;
  return len;
}

}  // namespace

std::string escape_untrusted(std::string_view raw, bool escape_backslash) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c == '\\' && escape_backslash) {
      out += "\\\\";
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      hex_escape(out, c);
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else if (size_t n = utf8_sequence_length(raw, i); n > 0) {
      out.append(raw.substr(i, n));
      i += n;
    } else {
      hex_escape(out, c);
      ++i;
    }
  }
  return out;
}

}  // namespace pp::cert
