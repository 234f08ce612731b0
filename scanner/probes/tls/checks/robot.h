#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/fact.h"

namespace pp::tls::checks {

/// The ClientKeyExchange paddings of the ROBOT test (Böck, Somorovsky, Young 2018), each sent
/// on its own connection: a server whose answers tell them apart is a Bleichenbacher oracle.
enum class RobotPadding { Correct, WrongFirstBytes, ZeroMisplaced, NoZero, WrongVersion };
inline constexpr std::array<RobotPadding, 5> kRobotPaddings = {RobotPadding::Correct, RobotPadding::WrongFirstBytes,
                                                               RobotPadding::ZeroMisplaced, RobotPadding::NoZero,
                                                               RobotPadding::WrongVersion};
std::string_view to_string(RobotPadding p);

/// The `k`-byte block (k = the RSA modulus size, at least 64) that is encrypted raw:
///   Correct         00 02 <pad> 00 <version> <46 bytes>
///   WrongFirstBytes 41 17 <pad> 00 <version> <46 bytes>
///   ZeroMisplaced   00 02 <pad> 11 <46 bytes> 00 11
///   NoZero          00 02 <pad> 11 11 11 <46 bytes>
///   WrongVersion    00 02 <pad> 00 02 02 <46 bytes>
/// The pad and the 46 bytes are fixed and hold no zero byte. Empty when k < 64.
std::string robot_block(RobotPadding p, size_t k, uint16_t version);

/// The server's first flight as the check needs it: the suite it picked and its leaf
/// certificate (DER). Fed raw record bytes; done at ServerHelloDone.
class RsaFlightReader {
 public:
  enum class Status { NeedMore, Done, Error };
  Status feed(std::string_view bytes);
  bool done() const { return status_ == Status::Done; }
  uint16_t suite() const { return suite_; }
  const std::string& leaf() const { return leaf_; }
  /// Why it stopped with Error: an alert, or a malformed flight.
  const std::string& why() const { return why_; }

 private:
  Status message(uint8_t type, std::string_view body);
  Status fail(std::string why);
  std::string buf_, hs_, leaf_, why_;
  uint16_t suite_ = 0;
  bool hello_ = false;
  Status status_ = Status::NeedMore;
};

/// What the server did after the ClientKeyExchange, ChangeCipherSpec and Finished, in words:
/// "alert bad_record_mac", "close", "no answer within 5 s", "a record of type 22". Bytes as read.
std::string robot_answer(std::string_view bytes, bool closed, std::optional<std::string> timeout);

}  // namespace pp::tls::checks
