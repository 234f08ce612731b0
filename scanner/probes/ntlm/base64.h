#pragma once
#include <optional>
#include <string>
#include <string_view>

/// Base64 (RFC 4648 section 4, with padding) for the NTLM tokens carried in HTTP headers
/// (`Authorization: NTLM <token>`) and in SASL continuations (`+ <token>`, `334 <token>`).
namespace pp::ntlm {

std::string base64_encode(std::string_view bytes);

/// Strict decoding: the standard alphabet, padding to a multiple of four, nothing else (no
/// whitespace). nullopt when the text is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace pp::ntlm
