#include "probes/net/transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pp::net {

std::string_view to_string(NetErrorKind k) {
  switch (k) {
    case NetErrorKind::None: return "ok";
    case NetErrorKind::Resolve: return "resolve";
    case NetErrorKind::Refused: return "refused";
    case NetErrorKind::Timeout: return "timeout";
    case NetErrorKind::Reset: return "reset";
    case NetErrorKind::Closed: return "closed";
    case NetErrorKind::TooLarge: return "too-large";
    case NetErrorKind::Malformed: return "malformed";
    case NetErrorKind::Other: return "other";
  }
  return "?";
}

namespace {

using Clock = std::chrono::steady_clock;

std::string seconds_text(Millis t) {
  auto ms = t.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

NetError from_errno(int e, const char* what) {
  switch (e) {
    case ECONNREFUSED: return NetError::make(NetErrorKind::Refused, "connection refused");
    case ECONNRESET:
    case EPIPE: return NetError::make(NetErrorKind::Reset, "connection reset by peer");
    case ETIMEDOUT: return NetError::make(NetErrorKind::Timeout, "connection timed out");
    default: return NetError::make(NetErrorKind::Other, std::string(what) + ": " + std::strerror(e));
  }
}

/// Waits for `events` on fd until the deadline. Returns 1 ready, 0 timeout, -1 error (errno).
int wait_fd(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
    if (left < 0) left = 0;
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    return r;
  }
}

std::string strip_brackets(const std::string& h) {
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') return h.substr(1, h.size() - 2);
  return h;
}

}  // namespace

NetError read_exactly(Transport& t, std::string& out, size_t n, Millis timeout) {
  auto deadline = Clock::now() + timeout;
  while (out.size() < n) {
    auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    if (left.count() <= 0) return NetError::make(NetErrorKind::Timeout, "timeout after " + seconds_text(timeout));
    if (auto err = t.read_some(out, n - out.size(), left)) return err;
  }
  return {};
}

std::unique_ptr<TcpTransport> TcpTransport::connect(const std::string& host_in, uint16_t port, Millis timeout,
                                                    NetError& err) {
  const std::string host = strip_brackets(host_in);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* res = nullptr;
  const std::string service = std::to_string(port);
  int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &res);
  if (rc != 0 || !res) {
    err = NetError::make(NetErrorKind::Resolve, "cannot resolve " + host + ": " + gai_strerror(rc));
    return nullptr;
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, freeaddrinfo);
  auto deadline = Clock::now() + timeout;
  err = {};
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      err = from_errno(errno, "socket");
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
      err = from_errno(errno, "connect");
      ::close(fd);
      continue;
    }
    int r = wait_fd(fd, POLLOUT, deadline);
    if (r == 0) {
      err = NetError::make(NetErrorKind::Timeout, "connect timeout after " + seconds_text(timeout));
      ::close(fd);
      continue;
    }
    int soerr = 0;
    socklen_t len = sizeof soerr;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
    if (r < 0 || soerr != 0) {
      err = from_errno(r < 0 ? errno : soerr, "connect");
      ::close(fd);
      continue;
    }
    err = {};
    return std::unique_ptr<TcpTransport>(new TcpTransport(fd));
  }
  if (!err) err = NetError::make(NetErrorKind::Other, "no address for " + host);
  return nullptr;
}

TcpTransport::~TcpTransport() { close(); }

void TcpTransport::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

NetError TcpTransport::write_all(std::string_view data, Millis timeout) {
  if (fd_ < 0) return NetError::make(NetErrorKind::Closed, "connection already closed");
  auto deadline = Clock::now() + timeout;
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      int r = wait_fd(fd_, POLLOUT, deadline);
      if (r == 0) return NetError::make(NetErrorKind::Timeout, "write timeout after " + seconds_text(timeout));
      if (r < 0) return from_errno(errno, "poll");
      continue;
    }
    return from_errno(errno, "send");
  }
  return {};
}

NetError TcpTransport::read_some(std::string& out, size_t max, Millis timeout) {
  if (fd_ < 0) return NetError::make(NetErrorKind::Closed, "connection already closed");
  if (max == 0) return {};
  auto deadline = Clock::now() + timeout;
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(fd_, buf, std::min(max, sizeof buf), 0);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
      return {};
    }
    if (n == 0) return NetError::make(NetErrorKind::Closed, "connection closed by peer");
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      int r = wait_fd(fd_, POLLIN, deadline);
      if (r == 0) return NetError::make(NetErrorKind::Timeout, "no answer within " + seconds_text(timeout));
      if (r < 0) return from_errno(errno, "poll");
      continue;
    }
    return from_errno(errno, "recv");
  }
}

ScriptedTransport& ScriptedTransport::reply(std::string bytes) {
  pending_.push_back(std::move(bytes));
  return *this;
}
ScriptedTransport& ScriptedTransport::close_after() {
  end_ = End::Close;
  return *this;
}
ScriptedTransport& ScriptedTransport::reset_after() {
  end_ = End::Reset;
  return *this;
}
ScriptedTransport& ScriptedTransport::stall_after() {
  end_ = End::Stall;
  return *this;
}

NetError ScriptedTransport::write_all(std::string_view data, Millis) {
  if (closed_) return NetError::make(NetErrorKind::Closed, "connection already closed");
  written_.append(data);
  return {};
}

NetError ScriptedTransport::read_some(std::string& out, size_t max, Millis timeout) {
  if (closed_) return NetError::make(NetErrorKind::Closed, "connection already closed");
  while (!pending_.empty() && pending_.front().empty()) pending_.pop_front();
  if (pending_.empty()) {
    switch (end_) {
      case End::Close: return NetError::make(NetErrorKind::Closed, "connection closed by peer");
      case End::Reset: return NetError::make(NetErrorKind::Reset, "connection reset by peer");
      case End::Stall:
        return NetError::make(NetErrorKind::Timeout, "no answer within " + seconds_text(timeout));
    }
  }
  std::string& front = pending_.front();
  size_t n = std::min(max, front.size());
  out.append(front, 0, n);
  front.erase(0, n);
  return {};
}

}  // namespace pp::net
