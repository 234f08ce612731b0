#include "core/windows_server.h"

#include <array>
#include <utility>

#include "core/text.h"

namespace pp {

bool parse_windows_server(std::string_view text, WindowsServer& out) {
  std::string compact;
  for (char c : text::to_lower(text))
    if (c != ' ' && c != '\t' && c != '-' && c != '_') compact += c;
  for (std::string_view prefix : {"windowsserver", "ws"})
    if (compact.rfind(prefix, 0) == 0) compact.erase(0, prefix.size());
  static constexpr std::array<std::pair<std::string_view, WindowsServer>, 5> kNames = {{{"2012r2", WindowsServer::S2012R2},
                                                                                      {"2016", WindowsServer::S2016},
                                                                                      {"2019", WindowsServer::S2019},
                                                                                      {"2022", WindowsServer::S2022},
                                                                                      {"2025", WindowsServer::S2025}}};
  for (const auto& [name, value] : kNames)
    if (compact == name) {
      out = value;
      return true;
    }
  return false;
}

std::string to_string(WindowsServer w) {
  switch (w) {
    case WindowsServer::S2012R2: return "Windows Server 2012 R2";
    case WindowsServer::S2016: return "Windows Server 2016";
    case WindowsServer::S2019: return "Windows Server 2019";
    case WindowsServer::S2022: return "Windows Server 2022";
    case WindowsServer::S2025: return "Windows Server 2025";
    case WindowsServer::Unknown: break;
  }
  return "an unnamed Windows release";
}

}  // namespace pp
