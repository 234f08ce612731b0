#pragma once
#include <string>
#include <string_view>

#include "core/input_file.h"  // read_file: the reading half, kept reachable from here

namespace pp {

/// Writes `content` to `path` atomically: a temp file in the same directory, fsync, rename.
/// A crash leaves either the old file or the new one, never half of one. Returns "" on
/// success, else a message naming the path and the system error. After a successful rename it
/// sweeps this path's temp files (`<path>.tmp.XXXXXX`) older than `stale_after_seconds`: a
/// writer killed between create and rename leaves one, and no writer can prevent that.
std::string write_file_atomically(const std::string& path, std::string_view content,
                                  long stale_after_seconds = 600);

/// Removes `<path>.tmp.XXXXXX` files (regular, six-character suffix) last modified more than
/// `older_than_seconds` ago. Returns how many it removed.
int sweep_stale_temp_files(const std::string& path, long older_than_seconds);

/// Temp files being written right now, for a signal handler to remove before the process
/// exits: open() registers its temp file, commit() and the destructor unregister it. Fixed
/// slots, no allocation, no lock: remove_registered_temp_files() is async-signal-safe. A temp
/// path too long for a slot, or beyond the slots, is not registered (the sweep still gets it).
void remove_registered_temp_files();

/// The streaming form of write_file_atomically, for reports too big to build in memory first:
/// open() makes the temp file, write() appends (buffered), commit() flushes, fsyncs, renames
/// and sweeps stale temp files. Destroyed without a successful commit, it removes its temp
/// file, so the previous file at `path` stays as it was.
class AtomicWriter {
 public:
  AtomicWriter() = default;
  ~AtomicWriter();
  AtomicWriter(const AtomicWriter&) = delete;
  AtomicWriter& operator=(const AtomicWriter&) = delete;
  /// "" or a message naming the path and the system error.
  std::string open(const std::string& path);
  /// False once a write has failed (the error is kept for commit()).
  bool write(std::string_view data);
  std::string commit(long stale_after_seconds = 600);

 private:
  bool flush();
  std::string path_, tmp_, error_;
  std::string buffer_;
  int fd_ = -1;
  int slot_ = -1;  ///< in the temp-file registry, or -1
};

}  // namespace pp
