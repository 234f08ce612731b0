#include "core/target.h"

namespace pp {

const std::vector<std::string>& default_exchange_vdirs() {
  static const std::vector<std::string> vdirs = {
      "/",
      "/owa",
      "/Exchange",
      "/Exchweb",
      "/Public",
      "/OMA",
      "/Microsoft-Server-ActiveSync",
      "/EWS/Exchange.asmx",
      "/EWS/exchange.asmx/wssecurity",
      "/autodiscover/autodiscover.xml",
      "/autodiscover/autodiscover.svc",
      "/autodiscover/autodiscover.svc/wssecurity",
      "/rpc/rpcproxy.dll",
      "/ecp",
      "/oab",
  };
  return vdirs;
}

}  // namespace pp
