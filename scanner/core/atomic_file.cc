#include "core/atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>

namespace pp {

namespace {

/// The temp-file registry. A slot's name buffer is mkstemp's template itself, so the name is
/// known to the handler from before the file exists until after it is renamed or removed: no
/// window in which an interrupt leaves an unregistered temp file.
constexpr int kSlots = 32;
constexpr size_t kSlotPath = 4096;
struct Slot {
  std::atomic<int> state{0};  ///< 0 free, 1 claimed (name being written), 2 name valid
  char path[kSlotPath];
};
Slot g_slots[kSlots];
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler reads slot states");

/// Claims a slot and copies `tmpl` (the "XXXXXX" template) into it; -1 when none is free.
int claim_slot(const std::string& tmpl) {
  if (tmpl.size() >= kSlotPath) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (!g_slots[i].state.compare_exchange_strong(expected, 1)) continue;
    std::memcpy(g_slots[i].path, tmpl.c_str(), tmpl.size() + 1);
    g_slots[i].state.store(2);
    return i;
  }
  return -1;
}

void release_slot(int i) {
  if (i >= 0) g_slots[i].state.store(0);
}

}  // namespace

void remove_registered_temp_files() {
  for (auto& slot : g_slots)
    if (slot.state.load() == 2) ::unlink(slot.path);  // still "...XXXXXX" before mkstemp: harmless
}

int sweep_stale_temp_files(const std::string& path, long older_than_seconds) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const std::string prefix = (slash == std::string::npos ? path : path.substr(slash + 1)) + ".tmp.";
  DIR* d = opendir(dir.c_str());
  if (!d) return 0;
  const time_t now = time(nullptr);
  int removed = 0;
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string full = dir + "/" + name;
    struct stat st {};
    if (lstat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (now - st.st_mtime <= older_than_seconds) continue;  // may be another writer's, still busy
    if (::unlink(full.c_str()) == 0) ++removed;
  }
  closedir(d);
  return removed;
}

AtomicWriter::~AtomicWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!tmp_.empty()) ::unlink(tmp_.c_str());
  release_slot(slot_);
}

std::string AtomicWriter::open(const std::string& path) {
  path_ = path;
  std::string tmp = path + ".tmp.XXXXXX";
  slot_ = claim_slot(tmp);
  fd_ = mkstemp(slot_ >= 0 ? g_slots[slot_].path : tmp.data());
  if (fd_ < 0) {
    release_slot(slot_);
    slot_ = -1;
    return error_ = "cannot create a temporary file for " + path + ": " + std::strerror(errno);
  }
  tmp_ = slot_ >= 0 ? std::string(g_slots[slot_].path) : tmp;
  return {};
}

bool AtomicWriter::flush() {
  size_t off = 0;
  while (off < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + off, buffer_.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = "cannot write " + path_ + ": " + std::strerror(errno);
      return false;
    }
    off += static_cast<size_t>(n);
  }
  buffer_.clear();
  return true;
}

bool AtomicWriter::write(std::string_view data) {
  if (fd_ < 0 || !error_.empty()) return false;
  buffer_.append(data);
  return buffer_.size() < 256 * 1024 || flush();
}

std::string AtomicWriter::commit(long stale_after_seconds) {
  if (fd_ < 0 && error_.empty()) error_ = "cannot write " + path_ + ": not open";
  if (!error_.empty()) return error_;
  if (!flush()) return error_;
  fchmod(fd_, 0644);
  const bool synced = fsync(fd_) == 0;
  const bool closed = ::close(fd_) == 0;
  fd_ = -1;
  if (!synced || !closed) return error_ = "cannot flush " + path_ + ": " + std::strerror(errno);
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
    return error_ = "cannot rename into " + path_ + ": " + std::strerror(errno);
  tmp_.clear();  // renamed: nothing for the destructor to remove
  release_slot(slot_);
  slot_ = -1;
  sweep_stale_temp_files(path_, stale_after_seconds);
  return {};
}

std::string write_file_atomically(const std::string& path, std::string_view content, long stale_after_seconds) {
  AtomicWriter w;
  if (std::string err = w.open(path); !err.empty()) return err;
  w.write(content);
  return w.commit(stale_after_seconds);
}

}  // namespace pp
