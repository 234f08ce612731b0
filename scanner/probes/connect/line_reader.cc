#include "probes/connect/line_reader.h"

#include <algorithm>

#include "core/text.h"

namespace pp::connect {

using net::NetError;
using net::NetErrorKind;

namespace {
std::string ms_text(net::Millis t) {
  if (t.count() % 1000 == 0) return std::to_string(t.count() / 1000) + " s";
  return std::to_string(t.count()) + " ms";
}
}  // namespace

NetError LineReader::fill(Clock::time_point deadline, net::Millis total) {
  auto left = std::chrono::duration_cast<net::Millis>(deadline - Clock::now());
  if (left.count() <= 0) return NetError::make(NetErrorKind::Timeout, "no complete answer within " + ms_text(total));
  /// Small reads keep the buffer bounded by max_line plus one chunk.
  return t_.read_some(buf_, 4096, left);
}

NetError LineReader::read_line(std::string& line, net::Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  size_t scanned = 0;
  for (;;) {
    size_t nl = buf_.find('\n', scanned);
    if (nl != std::string::npos) {
      size_t end = nl;
      if (end > 0 && buf_[end - 1] == '\r') --end;
      if (end > lim_.max_line)
        return NetError::make(NetErrorKind::TooLarge, "line longer than " + std::to_string(lim_.max_line) + " bytes");
      line.assign(buf_, 0, end);
      buf_.erase(0, nl + 1);
      return {};
    }
    scanned = buf_.size();
    if (buf_.size() > lim_.max_line + 1)  // +1: a CR may still be followed by its LF
      return NetError::make(NetErrorKind::TooLarge, "line longer than " + std::to_string(lim_.max_line) + " bytes");
    if (auto err = fill(deadline, timeout)) {
      if (err.kind == NetErrorKind::Closed && !buf_.empty())
        err.message = "connection closed in the middle of a line: " + printable(buf_, 80);
      return err;
    }
  }
}

NetError LineReader::read_reply(std::vector<std::string>& lines,
                                const std::function<bool(const std::string&)>& is_last, net::Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  size_t bytes = 0;
  lines.clear();
  for (;;) {
    if (lines.size() >= lim_.max_reply_lines)
      return NetError::make(NetErrorKind::TooLarge,
                            "reply longer than " + std::to_string(lim_.max_reply_lines) + " lines");
    auto left = std::chrono::duration_cast<net::Millis>(deadline - Clock::now());
    if (left.count() <= 0) return NetError::make(NetErrorKind::Timeout, "no complete reply within " + ms_text(timeout));
    std::string line;
    if (auto err = read_line(line, left)) {
      if (err.kind == NetErrorKind::Timeout) err.message = "no complete reply within " + ms_text(timeout);
      return err;
    }
    bytes += line.size() + 2;
    if (bytes > lim_.max_reply_bytes)
      return NetError::make(NetErrorKind::TooLarge,
                            "reply longer than " + std::to_string(lim_.max_reply_bytes) + " bytes");
    lines.push_back(std::move(line));
    if (is_last(lines.back())) return {};
  }
}

NetError LineReader::read_bytes(std::string& out, size_t n, net::Millis timeout) {
  if (n > lim_.max_reply_bytes)
    return NetError::make(NetErrorKind::TooLarge, "message of " + std::to_string(n) + " bytes exceeds the limit of " +
                                                      std::to_string(lim_.max_reply_bytes));
  const auto deadline = Clock::now() + timeout;
  while (buf_.size() < n)
    if (auto err = fill(deadline, timeout)) return err;
  out.assign(buf_, 0, n);
  buf_.erase(0, n);
  return {};
}

NetError LineReader::poll_more(net::Millis wait) {
  auto err = t_.read_some(buf_, 4096, wait);
  if (err.kind == NetErrorKind::Timeout) return {};
  return err;
}

std::string printable(std::string_view s, size_t max) {
  return text::printable(s, {.keep_utf8 = false, .escape_backslash = false, .max_bytes = max});
}

}  // namespace pp::connect
