#include "cli/preflight.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/atomic_file.h"
#include "core/input_file.h"

namespace pp::cli {

namespace {

/// Far above any CA bundle (the system one is a few hundred KiB).
constexpr std::uint64_t kMaxCaFileBytes = 16u << 20;

std::string lower_strerror(int err) {
  std::string s = std::strerror(err);
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::string check_ca_file(const std::string& path) {
  std::string text;
  if (std::string why = read_input_file(path, kMaxCaFileBytes, text); !why.empty())
    return "--ca-file " + path + ": " + why;
  // The markers OpenSSL's CA loading accepts for a certificate.
  for (const char* begin : {"-----BEGIN CERTIFICATE-----", "-----BEGIN TRUSTED CERTIFICATE-----",
                            "-----BEGIN X509 CERTIFICATE-----"})
    if (text.find(begin) != std::string::npos) return {};
  return "--ca-file " + path + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
}

std::string check_report_path(const std::string& path) {
  if (path == "-") return {};
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return "report " + path + ": is a directory";
  const std::string dir = directory_of(path);
  if (::stat(dir.c_str(), &st) != 0) return "report " + path + ": directory " + dir + ": " + lower_strerror(errno);
  if (!S_ISDIR(st.st_mode)) return "report " + path + ": " + dir + " is not a directory";
  // Create (and, uncommitted, remove) the temp file the report writer will: the only test
  // that is right for root, read-only mounts and ACLs alike, and an interrupt meanwhile
  // removes it like any other registered temp file.
  AtomicWriter probe;
  if (!probe.open(path).empty())
    return "report " + path + ": cannot create a file in " + dir + ": " + lower_strerror(errno);
  return {};
}

std::string check_report_outputs(const std::vector<ReportSpec>& reports) {
  const ReportSpec* first = nullptr;
  for (const auto& r : reports) {
    if (r.path != "-") continue;
    if (first)
      return "--" + first->format + " - and --" + r.format +
             " -: only one report can go to standard output; give the other a FILE";
    first = &r;
  }
  return {};
}

std::string preflight_scan(const ScanOptions& opt) {
  if (std::string err = check_report_outputs(opt.reports); !err.empty()) return err;
  for (const auto& r : opt.reports)
    if (std::string err = check_report_path(r.path); !err.empty()) return err;
  if (!opt.ca_file.empty())
    if (std::string err = check_ca_file(opt.ca_file); !err.empty()) return err;
  return {};
}

bool report_to_stdout(const ScanOptions& opt) {
  for (const auto& r : opt.reports)
    if (r.path == "-") return true;
  return false;
}

}  // namespace pp::cli
