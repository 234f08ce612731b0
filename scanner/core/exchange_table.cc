#include "core/exchange_table.h"

#include <algorithm>
#include <charconv>

namespace pp {

std::string ExchangeBuild::str() const {
  std::string out;
  for (int i = 0; i < count; ++i) out += (i ? "." : "") + std::to_string(part[static_cast<size_t>(i)]);
  return out;
}

std::optional<ExchangeBuild> parse_exchange_build(std::string_view text) {
  ExchangeBuild b;
  size_t pos = 0;
  while (b.count < 4) {
    size_t end = text.find('.', pos);
    const std::string_view piece = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (piece.empty() || piece.size() > 6) return std::nullopt;
    int v = 0;
    auto [ptr, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), v);
    if (ec != std::errc() || ptr != piece.data() + piece.size()) return std::nullopt;
    b.part[static_cast<size_t>(b.count++)] = v;
    if (end == std::string_view::npos) break;
    pos = end + 1;
    if (b.count == 4) return std::nullopt;  // a fifth part
  }
  if (b.count < 3) return std::nullopt;
  return b;
}

int compare_builds(const ExchangeBuild& a, const ExchangeBuild& b) {
  for (size_t i = 0; i < 4; ++i)
    if (a.part[i] != b.part[i]) return a.part[i] < b.part[i] ? -1 : 1;
  return 0;
}

namespace {

bool version_matches(const ExchangeProduct& p, const ExchangeBuild& b) {
  const std::string major = std::to_string(b.part[0]);
  return p.version == major || p.version == major + "." + std::to_string(b.part[1]);
}

/// The CU line of a build: its first three parts.
int compare_cu(const ExchangeBuild& a, const ExchangeBuild& b) {
  ExchangeBuild x = a, y = b;
  x.part[3] = y.part[3] = 0;
  return compare_builds(x, y);
}

std::optional<ExchangeBuild> row_build(const ExchangeBuildRow& r) { return parse_exchange_build(r.build); }

bool lists(const ExchangeBuildRow& r, const std::string& cve) {
  return std::find(r.fixes.begin(), r.fixes.end(), cve) != r.fixes.end();
}

}  // namespace

const ExchangeProduct* ExchangeTable::product(std::string_view id) const {
  for (const auto& p : products)
    if (p.id == id) return &p;
  return nullptr;
}

const ExchangeCve* ExchangeTable::cve(std::string_view id) const {
  for (const auto& c : cves)
    if (c.id == id) return &c;
  return nullptr;
}

const ExchangeProduct* ExchangeTable::product_of(const ExchangeBuild& b) const {
  const ExchangeProduct* best = nullptr;
  std::optional<ExchangeBuild> best_from;
  for (const auto& p : products) {
    if (!version_matches(p, b)) continue;
    std::optional<ExchangeBuild> from = p.from_build.empty() ? std::nullopt : parse_exchange_build(p.from_build);
    if (from && compare_builds(b, *from) < 0 && compare_cu(b, *from) < 0) continue;
    if (!best || (from && (!best_from || compare_builds(*from, *best_from) > 0))) {
      best = &p;
      best_from = from;
    }
  }
  return best;
}

const ExchangeBuildRow* ExchangeTable::row_of(const ExchangeBuild& b) const {
  const ExchangeBuildRow* first_of_line = nullptr;
  std::optional<ExchangeBuild> first_build;
  for (const auto& r : builds) {
    auto rb = row_build(r);
    if (!rb) continue;
    if (b.has_revision() && compare_builds(*rb, b) == 0) return &r;
    if (!b.has_revision() && rb->same_cu(b) && (!first_build || compare_builds(*rb, *first_build) < 0)) {
      first_of_line = &r;
      first_build = rb;
    }
  }
  return first_of_line;
}

namespace {

/// Judges one CVE for a build of `product`; appends to the verdict when missing or unverified.
void judge_cve(const ExchangeTable& t, const ExchangeCve& cve, const ExchangeProduct& product, const ExchangeBuild& b,
               ExchangeVerdict& v) {
  const ExchangeBuildRow* same_line = nullptr;  // the first release of b's CU line that fixes it
  const ExchangeBuildRow* later = nullptr;      // the earliest fixing release after b's CU line
  std::optional<ExchangeBuild> same_b, later_b;
  bool earlier_line_fixed = false;
  for (const auto& r : t.builds) {
    if (r.product != product.id || !lists(r, cve.id)) continue;
    auto rb = row_build(r);
    if (!rb) continue;
    const int c = compare_cu(*rb, b);
    if (c == 0 && (!same_b || compare_builds(*rb, *same_b) < 0)) {
      same_line = &r;
      same_b = rb;
    } else if (c < 0) {
      earlier_line_fixed = true;
    } else if (c > 0 && (!later_b || compare_builds(*rb, *later_b) < 0)) {
      later = &r;
      later_b = rb;
    }
  }
  if (same_line) {
    if (!b.has_revision() && same_b->part[3] > 0)
      v.unverified.push_back(cve.id);
    else if (compare_builds(b, *same_b) < 0)
      v.missing.push_back({&cve, same_line});
    return;
  }
  if (earlier_line_fixed || !later) return;  // later CU lines carry the fix; or never listed
  v.missing.push_back({&cve, later});
}

}  // namespace

ExchangeVerdict judge_build(const ExchangeTable& table, const ExchangeBuild& build) {
  ExchangeVerdict v;
  v.product = table.product_of(build);
  v.row = table.row_of(build);
  if (!v.product) return v;
  for (const auto& c : table.cves) judge_cve(table, c, *v.product, build, v);
  return v;
}

namespace {

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
long days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

std::optional<long> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  auto num = [&](size_t at, size_t len, int& out) {
    auto [p, ec] = std::from_chars(s.data() + at, s.data() + at + len, out);
    return ec == std::errc() && p == s.data() + at + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

}  // namespace

bool is_iso_date(std::string_view text) { return parse_iso_date(text).has_value(); }

std::optional<long> days_between(std::string_view from, std::string_view to) {
  auto a = parse_iso_date(from), b = parse_iso_date(to);
  if (!a || !b) return std::nullopt;
  return *b - *a;
}

}  // namespace pp
