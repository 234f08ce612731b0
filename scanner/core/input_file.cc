#include "core/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace pp {

namespace {

/// strerror with a lower-case first letter, to read well after "PATH: ".
std::string reason(int err) {
  std::string s = std::strerror(err);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

std::string too_large(std::uint64_t size, std::uint64_t max_bytes, bool exact) {
  const std::string limit = max_bytes % (1u << 20) == 0 ? std::to_string(max_bytes >> 20) + " MiB"
                                                        : std::to_string(max_bytes) + " bytes";
  return (exact ? "is " + std::to_string(size) + " bytes, over" : std::string("is over")) + " the " + limit +
         " limit for this input";
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string read_input_file(const std::string& path, std::uint64_t max_bytes, std::string& out) {
  out.clear();
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return reason(errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return reason(errno);
  if (S_ISDIR(st.st_mode)) return "is a directory";
  const bool regular = S_ISREG(st.st_mode);
  if (regular && static_cast<std::uint64_t>(st.st_size) > max_bytes)
    return too_large(static_cast<std::uint64_t>(st.st_size), max_bytes, true);
  if (regular) out.reserve(static_cast<size_t>(st.st_size));
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = reason(errno);
      out.clear();
      return why;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max_bytes) {  // a pipe, or a file that grew while being read
      out.clear();
      out.shrink_to_fit();
      return too_large(0, max_bytes, false);
    }
  }
  return {};
}

bool read_file(const std::string& path, std::string& out, std::string& error, std::uint64_t max_bytes) {
  std::string why = read_input_file(path, max_bytes, out);
  if (why.empty()) return true;
  error = "cannot read " + path + ": " + why;
  return false;
}

}  // namespace pp
