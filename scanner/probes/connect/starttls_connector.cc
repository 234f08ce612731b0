#include "probes/connect/dialogue.h"
#include "probes/connect/starttls_connector.h"

namespace pp::connect {

using net::NetError;
using net::NetErrorKind;

net::Connector starttls_connector(net::Connector tcp, Protocol protocol, const StarttlsOptions& opt) {
  return [tcp = std::move(tcp), protocol, opt](NetError& err) -> std::unique_ptr<net::Transport> {
    err = {};
    const Dialogue* d = find_dialogue(protocol);
    if (!d) {
      err = NetError::make(NetErrorKind::Other, "no STARTTLS dialogue for " + std::string(to_string(protocol)));
      return nullptr;
    }
    auto conn = tcp(err);
    if (!conn) {
      if (!err) err = NetError::make(NetErrorKind::Other, "connection failed");
      return nullptr;
    }
    LineReader reader(*conn);
    Context ctx{*conn, reader, opt.timeout, opt.client_name};
    Session s;
    if ((err = d->preamble(ctx, s))) return nullptr;
    UpgradeReply up;
    if ((err = d->starttls(ctx, {}, up))) {
      err.message = "STARTTLS: " + err.message;
      return nullptr;
    }
    if (!up.accepted) {
      err = NetError::make(NetErrorKind::Other, "STARTTLS refused: " + up.text);
      return nullptr;
    }
    /// Bytes after the go-ahead are not ours to interpret: neither TLS nor a next reply.
    if (!reader.pending().empty()) {
      err = NetError::make(NetErrorKind::Malformed,
                           "server sent " + std::to_string(reader.pending().size()) +
                               " unexpected bytes after STARTTLS reply: " + printable(reader.pending(), 60));
      return nullptr;
    }
    return conn;
  };
}

}  // namespace pp::connect
