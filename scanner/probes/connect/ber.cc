#include "probes/connect/ber.h"

#include "core/text.h"

namespace pp::connect::ber {

std::string tlv(uint8_t tag, std::string_view content) {
  std::string out(1, static_cast<char>(tag));
  size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<char>(n));
  } else {
    std::string len;
    while (n > 0) {
      len.insert(len.begin(), static_cast<char>(n & 0xff));
      n >>= 8;
    }
    out.push_back(static_cast<char>(0x80 | len.size()));
    out += len;
  }
  out.append(content);
  return out;
}

std::string integer(int64_t v, uint8_t tag) {
  std::string bytes;
  for (;;) {
    bytes.insert(bytes.begin(), static_cast<char>(v & 0xff));
    int64_t rest = v >> 8;  // arithmetic shift keeps the sign
    bool sign = (bytes.front() & 0x80) != 0;
    if ((rest == 0 && !sign) || (rest == -1 && sign)) break;
    v = rest;
  }
  return tlv(tag, bytes);
}

std::string octets(std::string_view s, uint8_t tag) { return tlv(tag, s); }

std::string boolean(bool b) { return tlv(kBoolean, std::string(1, b ? '\xff' : '\x00')); }

int parse_length(std::string_view p, uint64_t& len) {
  if (p.empty()) return 0;
  auto first = static_cast<uint8_t>(p[0]);
  if (first < 0x80) {
    len = first;
    return 1;
  }
  size_t n = first & 0x7f;
  if (n == 0 || n > 4) return -1;  // indefinite form is not allowed in LDAP (RFC 4511 §5.1)
  if (p.size() < 1 + n) return 0;
  len = 0;
  for (size_t i = 1; i <= n; ++i) len = (len << 8) | static_cast<uint8_t>(p[i]);
  return static_cast<int>(1 + n);
}

bool Decoder::next(Element& e, std::string& err) {
  if (data_.empty()) {
    err = "BER: element expected, end of data";
    return false;
  }
  auto tag = static_cast<uint8_t>(data_[0]);
  if ((tag & 0x1f) == 0x1f) {
    err = "BER: multi-byte tags are not supported";
    return false;
  }
  uint64_t len = 0;
  int used = parse_length(data_.substr(1), len);
  if (used <= 0) {
    err = used == 0 ? "BER: truncated length" : "BER: indefinite or oversized length";
    return false;
  }
  size_t header = 1 + static_cast<size_t>(used);
  if (len > data_.size() - header) {
    err = "BER: element of " + std::to_string(len) + " bytes overruns its container";
    return false;
  }
  e.tag = tag;
  e.content = data_.substr(header, static_cast<size_t>(len));
  data_.remove_prefix(header + static_cast<size_t>(len));
  return true;
}

bool Decoder::expect(uint8_t tag, Element& e, std::string& err) {
  if (!next(e, err)) return false;
  if (e.tag != tag) {
    err = "BER: tag 0x" + text::hex_byte(tag) + " expected, got 0x" + text::hex_byte(e.tag);
    return false;
  }
  return true;
}

bool decode_integer(std::string_view c, int64_t& v) {
  if (c.empty() || c.size() > 8) return false;
  v = (static_cast<uint8_t>(c[0]) & 0x80) ? -1 : 0;
  for (char ch : c) v = static_cast<int64_t>((static_cast<uint64_t>(v) << 8) | static_cast<uint8_t>(ch));
  return true;
}

}  // namespace pp::connect::ber
