#include "sources/iis_effective.h"

#include <algorithm>

#include "core/text.h"

namespace pp::sources {

namespace {

int depth(const std::string& path) {
  return path.empty() ? 0 : 1 + static_cast<int>(std::count(path.begin(), path.end(), '/'));
}

/// The declared section an element belongs to ("security/access" for
/// "security/access"): the longest declared prefix; "" when none is declared.
std::string section_of(const IisConfig& c, const std::string& element) {
  std::string best;
  for (const auto& [section, mode] : c.override_defaults)
    if (section.size() > best.size() && path_covers(section, element)) best = section;
  return best;
}

/// Whether `section` may be set from a web.config at `path`: its overrideModeDefault, then
/// every applicationHost.config <location overrideMode> above or at that path, deepest last.
bool delegated(const IisConfig& c, const std::vector<const Layer*>& apphost, const std::string& section) {
  if (section.empty()) return true;
  auto it = c.override_defaults.find(section);
  std::string mode = it == c.override_defaults.end() ? "Allow" : it->second;
  for (const Layer* l : apphost)
    if (!l->override_mode.empty() && !text::iequals(l->override_mode, "Inherit")) mode = l->override_mode;
  return !text::iequals(mode, "Deny");
}

void apply_op(const CollectionOp& op, Effective& e) {
  auto& items = e.collections[op.collection];
  auto same = [&](const Item& i) { return text::iequals(i.key, op.key); };
  switch (op.kind) {
    case CollectionOp::Kind::Clear:
      items.clear();
      e.last_change[op.collection] = op.at;
      break;
    case CollectionOp::Kind::Remove:
      items.erase(std::remove_if(items.begin(), items.end(), same), items.end());
      e.last_change[op.collection] = op.at;
      break;
    case CollectionOp::Kind::Add:
      items.erase(std::remove_if(items.begin(), items.end(), same), items.end());
      items.push_back({op.key, op.attributes, op.at});
      break;
  }
}

class Merger {
 public:
  Merger(const IisConfig& c, const std::string& path) : config_(c), path_(path) {}

  Effective run() {
    std::vector<const Layer*> layers;
    for (const auto& l : config_.layers)
      if (path_covers(l.path, path_)) layers.push_back(&l);
    std::stable_sort(layers.begin(), layers.end(), [](const Layer* a, const Layer* b) {
      return a->file_rank != b->file_rank ? a->file_rank < b->file_rank : depth(a->path) < depth(b->path);
    });
    for (const Layer* l : layers) apply(*l);
    return std::move(out_);
  }

 private:
  bool allowed(const Layer& l, const std::string& element, const Position& at) {
    if (!l.delegated) return true;
    std::vector<const Layer*> above;
    for (const auto& a : config_.layers)
      if (a.file_rank == 0 && path_covers(a.path, l.path)) above.push_back(&a);
    std::stable_sort(above.begin(), above.end(),
                     [](const Layer* a, const Layer* b) { return depth(a->path) < depth(b->path); });
    const std::string section = section_of(config_, element);
    if (delegated(config_, above, section)) return true;
    const std::string note = at.where() + ": section " + section + " is locked at this level (overrideMode Deny)";
    if (std::find(out_.locked.begin(), out_.locked.end(), note) == out_.locked.end()) out_.locked.push_back(note);
    return false;
  }

  void apply(const Layer& l) {
    const bool own = text::iequals(l.path, path_);
    for (const auto& s : l.settings) {
      if (!allowed(l, s.element, s.at)) continue;
      out_.settings[s.element + "@" + s.attribute] = {s.value, s.at, true, !own};
    }
    for (const auto& op : l.ops)
      if (allowed(l, op.collection, op.at)) apply_op(op, out_);
  }

  const IisConfig& config_;
  const std::string& path_;
  Effective out_;
};

}  // namespace

bool path_covers(const std::string& prefix, const std::string& path) {
  if (prefix.empty()) return true;
  if (path.size() < prefix.size()) return false;
  if (!text::iequals(std::string_view(path).substr(0, prefix.size()), prefix)) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

Decided Effective::get(const std::string& element, const std::string& attribute) const {
  auto it = settings.find(element + "@" + attribute);
  return it == settings.end() ? Decided{} : it->second;
}

const std::vector<Item>& Effective::items(const std::string& collection) const {
  static const std::vector<Item> none;
  auto it = collections.find(collection);
  return it == collections.end() ? none : it->second;
}

Effective resolve(const IisConfig& config, const std::string& config_path) { return Merger(config, config_path).run(); }

}  // namespace pp::sources
