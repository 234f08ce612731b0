#include "probes/tls/checks/table.h"

namespace pp::tls::checks {

// Each check's row is defined in its own file, checks/<name>.cc.
Check renegotiation_check();
Check robot_check();

const std::vector<Check>& check_table() {
  static const std::vector<Check> table = {
      renegotiation_check(),
      robot_check(),
  };
  return table;
}

}  // namespace pp::tls::checks
