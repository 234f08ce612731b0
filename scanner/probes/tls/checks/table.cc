#include "probes/tls/checks/table.h"

namespace pp::tls::checks {

// Each check's row is defined in its own file, checks/<name>.cc.
Check renegotiation_check();
Check fallback_scsv_check();
Check heartbleed_check();
Check ccs_injection_check();
Check robot_check();
Check ticketbleed_check();

const std::vector<Check>& check_table() {
  static const std::vector<Check> table = {
      fallback_scsv_check(),  // one connection: the second-highest version with the SCSV
      renegotiation_check(),  // one connection (OpenSSL): a finished TLS 1.0-1.2 handshake
      heartbleed_check(),     // one connection: a heartbeat claiming more than it carries
      ccs_injection_check(),  // one connection: an early ChangeCipherSpec
      robot_check(),          // five connections (one per test padding) when an RSA key exchange is accepted
      ticketbleed_check(),    // two connections: a finished handshake for a ticket, a resumption with it
  };
  return table;
}

}  // namespace pp::tls::checks
