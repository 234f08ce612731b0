#include "core/interned.h"

#include <array>
#include <functional>
#include <mutex>
#include <ostream>
#include <unordered_set>

namespace pp {

namespace {

/// Shards keep threads that intern at once from waiting on one lock. The set's nodes do not
/// move on rehash, so the pointers handed out stay valid for the life of the process.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>()(s); }
};

struct Shard {
  std::mutex mutex;
  std::unordered_set<std::string, TextHash, std::equal_to<>> texts;
};

constexpr size_t kShards = 16;

std::array<Shard, kShards>& shards() {
  static auto* pool = new std::array<Shard, kShards>();  // never destroyed: atoms outlive statics
  return *pool;
}

}  // namespace

const std::string& Interned::empty_string() {
  static const auto* empty = new std::string();
  return *empty;
}

Interned::Interned(std::string_view s) : s_(&empty_string()) {
  if (s.empty()) return;
  const size_t h = std::hash<std::string_view>()(s);
  Shard& shard = shards()[h % kShards];
  std::lock_guard lock(shard.mutex);
  auto it = shard.texts.find(s);
  if (it == shard.texts.end()) it = shard.texts.emplace(s).first;
  s_ = &*it;
}

std::ostream& operator<<(std::ostream& os, const Interned& s) { return os << s.str(); }

size_t Interned::pool_size() {
  size_t n = 0;
  for (Shard& shard : shards()) {
    std::lock_guard lock(shard.mutex);
    n += shard.texts.size();
  }
  return n;
}

}  // namespace pp
