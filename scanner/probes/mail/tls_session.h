#pragma once
#include <memory>
#include <string>

#include "probes/net/transport.h"

namespace pp::mail {

/// A Transport that runs inside TLS over another transport's socket: used after STARTTLS
/// (and on implicit-TLS ports) only to read the capabilities offered inside TLS and to see
/// whether a pipelined command is answered there. The handshake accepts any certificate and
/// any protocol OpenSSL still speaks (SECLEVEL=0): judging TLS is the tls probe's job, this
/// one only has to get through. OpenSSL stays out of this header.
class TlsTransport final : public net::Transport {
 public:
  /// Handshakes over inner->fd(); nullptr with `err` when there is no socket (scripted
  /// transport: kind Other) or the handshake fails (alert text, timeout).
  static std::unique_ptr<TlsTransport> handshake(std::unique_ptr<net::Transport> inner, const std::string& sni,
                                                 net::Millis timeout, net::NetError& err);
  ~TlsTransport() override;

  net::NetError write_all(std::string_view data, net::Millis timeout) override;
  net::NetError read_some(std::string& out, size_t max, net::Millis timeout) override;
  void close() override;
  int fd() const override { return -1; }  ///< already inside TLS: not for a second handshake

  /// "TLSv1.3 TLS_AES_256_GCM_SHA384", for evidence.
  std::string description() const;

 private:
  struct Impl;
  explicit TlsTransport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pp::mail
