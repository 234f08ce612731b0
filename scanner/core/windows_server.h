#pragma once
#include <string>
#include <string_view>

namespace pp {

/// The Windows Server releases whose SCHANNEL defaults policyprobe knows. A SCHANNEL registry
/// export names only what an administrator set; the release decides the rest.
enum class WindowsServer { Unknown, S2012R2, S2016, S2019, S2022, S2025 };

/// "2012r2" (or "2012 R2"), "2016", "2019", "2022", "2025", optionally after "Windows Server"
/// or "ws", case-insensitively. False for anything else (and for "").
bool parse_windows_server(std::string_view text, WindowsServer& out);
/// "Windows Server 2016".
std::string to_string(WindowsServer w);
/// What parse_windows_server accepts, for messages.
inline constexpr const char* kWindowsServerChoices = "2012r2, 2016, 2019, 2022 or 2025";

}  // namespace pp
