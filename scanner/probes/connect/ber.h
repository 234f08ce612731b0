#pragma once
#include <cstdint>
#include <string>
#include <string_view>

/// A minimal BER (X.690) encoder/decoder of our own, just enough for LDAP (RFC 4511 §5.1):
/// single-byte tags, definite lengths (short and long form, at most 4 length bytes),
/// INTEGER/ENUMERATED, OCTET STRING, BOOLEAN, constructed SEQUENCE/SET/APPLICATION.
namespace pp::connect::ber {

inline constexpr uint8_t kBoolean = 0x01, kInteger = 0x02, kOctetString = 0x04, kEnumerated = 0x0a,
                         kSequence = 0x30, kSet = 0x31;

/// Tag-length-value with the shortest definite length form.
std::string tlv(uint8_t tag, std::string_view content);
std::string integer(int64_t v, uint8_t tag = kInteger);
std::string octets(std::string_view s, uint8_t tag = kOctetString);
std::string boolean(bool b);

/// One element: its tag and a view of its content inside the decoded buffer.
struct Element {
  uint8_t tag = 0;
  std::string_view content;
};

/// Walks the elements of a buffer (the content of a constructed element) one by one.
class Decoder {
 public:
  explicit Decoder(std::string_view data) : data_(data) {}
  /// The next element; false with `err` set when the bytes are not well-formed BER.
  bool next(Element& e, std::string& err);
  /// The next element, which must carry `tag`.
  bool expect(uint8_t tag, Element& e, std::string& err);
  bool done() const { return data_.empty(); }

 private:
  std::string_view data_;
};

/// Parses the length octets that start at `p` (after the tag). Returns the number of length
/// octets used, 0 when more bytes are needed, -1 when malformed (indefinite or > 4 octets).
int parse_length(std::string_view p, uint64_t& len);

/// INTEGER / ENUMERATED content (two's complement, big-endian, 1..8 bytes).
bool decode_integer(std::string_view content, int64_t& v);

}  // namespace pp::connect::ber
