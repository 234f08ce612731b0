#pragma once
#include <string_view>

namespace pp::policy {

/// Shell-style glob: `*` any run of characters (slashes included), `?` one character; every
/// other character literal. Case-insensitive when asked (IIS paths are).
bool glob_match(std::string_view pattern, std::string_view text, bool case_insensitive);

}  // namespace pp::policy
