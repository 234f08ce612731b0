#include "policy/source.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pp::policy {

bool read_source(const std::string& path, SourceFile& out, Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.push_back({path, 0, 0, "cannot open file"});
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  out.path = path;
  out.text = ss.str();
  return true;
}

bool read_sources(const std::string& path, std::vector<SourceFile>& out, Diagnostics& diags) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    diags.push_back({path, 0, 0, "no such file or directory"});
    return false;
  }
  if (!fs::is_directory(path, ec)) {
    SourceFile f;
    if (!read_source(path, f, diags)) return false;
    out.push_back(std::move(f));
    return true;
  }
  std::vector<std::string> files;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && it->path().extension() == ".toml") files.push_back(it->path().string());
  if (ec) {
    diags.push_back({path, 0, 0, "cannot list directory: " + ec.message()});
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
