#include "policy/source.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/input_file.h"

namespace pp::policy {

bool read_source(const std::string& path, SourceFile& out, Diagnostics& diags) {
  std::string text;
  if (std::string why = read_input_file(path, kMaxTomlInputBytes, text); !why.empty()) {
    diags.push_back({path, 0, 0, why});
    return false;
  }
  out.path = path;
  out.text = std::move(text);
  return true;
}

bool read_sources(const std::string& path, std::vector<SourceFile>& out, Diagnostics& diags) {
  namespace fs = std::filesystem;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    std::string why = std::strerror(errno);  // ELOOP names the loop, not "no such file"
    if (!why.empty()) why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
    diags.push_back({path, 0, 0, why});
    return false;
  }
  if (!S_ISDIR(st.st_mode)) {
    SourceFile f;
    if (!read_source(path, f, diags)) return false;
    out.push_back(std::move(f));
    return true;
  }
  std::error_code ec;
  std::vector<std::string> files;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && it->path().extension() == ".toml") files.push_back(it->path().string());
  if (ec) {
    diags.push_back({path, 0, 0, "cannot list directory: " + ec.message()});
    return false;
  }
  // A directory without one rule file would silently leave only the shipped rules in force.
  if (files.empty()) {
    diags.push_back({path, 0, 0, "no rule pack (*.toml with [[rule]]) in " + path});
    return false;
  }
  std::sort(files.begin(), files.end());
  bool ok = true;
  for (const auto& f : files) {
    SourceFile s;
    if (read_source(f, s, diags))
      out.push_back(std::move(s));
    else
      ok = false;
  }
  return ok;
}

}  // namespace pp::policy
