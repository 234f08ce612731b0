#pragma once
#include <cstdint>
#include <string>

namespace pp {

/// Size limits for input files, checked with fstat before the first byte is read. Parsing
/// takes many times a file's size in memory, so a file beyond its limit is refused with a
/// clear error instead of exhausting memory on the way to a parse error.
inline constexpr std::uint64_t kMaxTomlInputBytes = 16u << 20;    ///< inventory, waivers, rule packs, profiles
inline constexpr std::uint64_t kMaxReportInputBytes = 64u << 20;  ///< JSON reports: --baseline, diff, merge
inline constexpr std::uint64_t kMaxXmlInputBytes = 64u << 20;     ///< nmap XML

/// Reads a whole input file of at most `max_bytes` into `out`. Returns "" on success, else
/// the reason without the path, e.g. "is a directory", "too many levels of symbolic links",
/// "no such file or directory", "is 70000000 bytes, over the 64 MiB limit for this input".
/// Pipes (e.g. a shell's process substitution) are read up to the same limit.
std::string read_input_file(const std::string& path, std::uint64_t max_bytes, std::string& out);

/// read_input_file with the error naming the path ("cannot read PATH: REASON").
bool read_file(const std::string& path, std::string& out, std::string& error,
               std::uint64_t max_bytes = kMaxReportInputBytes);

}  // namespace pp
