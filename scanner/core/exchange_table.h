#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp {

/// Knowledge about Exchange Server builds, as data: the table `rules/knowledge/exchange-builds.toml`
/// ships (the policy library reads and lints it), handed to the HTTP probe, which joins an
/// observed build with it. Pure values and pure look-ups: no I/O here.

/// "15.1.2176.9" (major.minor.build.revision) or "15.1.2176" (the revision not disclosed, as in
/// OWA resource paths of some versions).
struct ExchangeBuild {
  std::array<int, 4> part{};
  int count = 0;  ///< 3 or 4

  bool has_revision() const { return count == 4; }
  /// Same major.minor.build: the same cumulative update (or service pack) line.
  bool same_cu(const ExchangeBuild& o) const { return part[0] == o.part[0] && part[1] == o.part[1] && part[2] == o.part[2]; }
  std::string str() const;
};

/// Three or four dot-separated decimal numbers, nothing else; nullopt otherwise.
std::optional<ExchangeBuild> parse_exchange_build(std::string_view text);
/// Compares the first three parts, then the revision (a missing revision counts as 0).
int compare_builds(const ExchangeBuild& a, const ExchangeBuild& b);

struct ExchangeProduct {
  std::string id;              ///< "exchange-2016"
  std::string name;            ///< "Exchange Server 2016"
  std::string version;         ///< builds of this product start with it: "15.1", or "8" (every 8.x)
  std::string from_build;      ///< optional: the product's first build when another shares `version`
  std::string end_of_support;  ///< YYYY-MM-DD, empty when the lifecycle names no end date
  std::string source;
  int line = 0;
};

struct ExchangeCve {
  std::string id;      ///< "CVE-2021-34473"
  std::string name;    ///< optional campaign name: "ProxyShell"
  std::string cvss;    ///< optional CVSS 3.x base score as written: "9.1"
  std::string source;
  int line = 0;
};

struct ExchangeBuildRow {
  std::string build;     ///< four parts
  std::string product;   ///< an ExchangeProduct id
  std::string cu;        ///< "CU19", "SP2", "RTM"
  std::string su;        ///< optional: "Mar21SU"
  std::string kb;        ///< optional: "KB5000871"
  std::string released;  ///< YYYY-MM-DD
  std::vector<std::string> fixes;  ///< CVE ids this release fixes first for its CU line
  std::string source;
  int line = 0;
};

struct ExchangeTable {
  std::string updated;  ///< YYYY-MM-DD: when the table was last brought up to date
  std::string path;     ///< where it was read from (for evidence)
  std::vector<ExchangeProduct> products;
  std::vector<ExchangeCve> cves;
  std::vector<ExchangeBuildRow> builds;

  const ExchangeProduct* product(std::string_view id) const;
  const ExchangeCve* cve(std::string_view id) const;
  /// The product a build belongs to: `version` matches its first two parts and, among those,
  /// the latest `from_build` at or before it.
  const ExchangeProduct* product_of(const ExchangeBuild& b) const;
  /// The row of exactly this build (four parts), or of this CU line's first release when the
  /// revision is not known.
  const ExchangeBuildRow* row_of(const ExchangeBuild& b) const;
};

/// One fix a build lacks: the CVE and the first release of the build's CU line that fixes it
/// (or, when that line never got it, the earliest later release of the product that does).
struct MissingFix {
  const ExchangeCve* cve = nullptr;
  const ExchangeBuildRow* update = nullptr;
};

/// What the table says of one build.
struct ExchangeVerdict {
  const ExchangeProduct* product = nullptr;  ///< null: no product of the table matches
  const ExchangeBuildRow* row = nullptr;     ///< null: the build is not in the table
  std::vector<MissingFix> missing;           ///< fixes the build predates, in table order
  /// CVE ids whose fix came in a security update of the build's own CU line, when the
  /// revision (which says whether that update is installed) was not disclosed.
  std::vector<std::string> unverified;
};

/// The join: a fix for CVE X (rows of the build's product listing X) is present when a row of
/// the same CU line lists it at or before the build's revision, or, when the CU line has no
/// such row, when the build's CU line comes after one that has it (cumulative updates carry
/// earlier fixes). Only CVEs the table lists for the product are judged.
ExchangeVerdict judge_build(const ExchangeTable& table, const ExchangeBuild& build);

/// Days from `from` to `to` (both YYYY-MM-DD), negative when `to` is earlier; nullopt when
/// either is not a valid date.
std::optional<long> days_between(std::string_view from, std::string_view to);
/// A valid calendar date written YYYY-MM-DD.
bool is_iso_date(std::string_view text);

}  // namespace pp
