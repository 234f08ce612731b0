#pragma once
#include <string>
#include <string_view>

namespace pp::cert {

/// Makes bytes taken from a certificate safe to print and store while keeping them readable:
/// valid UTF-8 (and plain ASCII such as "<script>") is kept verbatim, control characters, DEL
/// and every byte of an invalid UTF-8 sequence become \xNN, and a backslash becomes \\ so the
/// escaping cannot be forged by the certificate. Reports still HTML-escape the result.
/// `escape_backslash` false is for text whose backslashes are already escapes (RFC 2253 DNs).
std::string escape_untrusted(std::string_view raw, bool escape_backslash = true);

}  // namespace pp::cert
