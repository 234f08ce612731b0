#include "sources/iis_reader.h"

#include <pugixml.hpp>

#include <algorithm>

#include "core/text.h"
#include "sources/line_index.h"

namespace pp::sources {

namespace {

/// Deeper element nesting than any IIS schema uses is refused, so a hostile file cannot
/// exhaust the stack of the recursive walks below.
constexpr int kMaxDepth = 48;

struct Doc {
  pugi::xml_document xml;
  const LineIndex* lines = nullptr;
  std::string file;

  Position at(const pugi::xml_node& n) const {
    Position p;
    p.file = file;
    lines->locate(n.offset_debug(), p.line, p.column);
    return p;
  }
};

std::string parse(std::string_view text, const std::string& file, const LineIndex& lines, Doc& doc) {
  doc.file = file;
  doc.lines = &lines;
  // parse_default: no DOCTYPE processing, so no entity of a DTD is ever defined or expanded.
  pugi::xml_parse_result r = doc.xml.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_auto);
  int line = 0, column = 0;
  if (!r) {
    lines.locate(r.offset, line, column);
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": malformed XML: " + r.description();
  }
  pugi::xml_node root = doc.xml.document_element();
  if (std::string_view(root.name()) != "configuration") {
    lines.locate(root ? root.offset_debug() : 0, line, column);
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) +
           ": not an IIS configuration file (the root element is not <configuration>)";
  }
  return {};
}

std::string join_path(const std::string& base, std::string_view rest) {
  std::string r(rest);
  while (!r.empty() && r.front() == '/') r.erase(0, 1);
  while (!r.empty() && r.back() == '/') r.pop_back();
  if (r.empty() || r == ".") return base;
  return base.empty() ? r : base + "/" + r;
}

/// The key attribute of a collection item: headers by name, verbs by verb, providers by value.
std::string item_key(const pugi::xml_node& n) {
  for (const char* k : {"name", "verb", "value", "fileExtension", "path"})
    if (pugi::xml_attribute a = n.attribute(k)) return a.value();
  return {};
}

/// Walks one <system.webServer> (or part of it) into settings and collection operations.
bool walk(const pugi::xml_node& node, const std::string& prefix, const Doc& doc, Layer& layer, int depth) {
  if (depth > kMaxDepth) return false;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = child.name();
    if (name == "add" || name == "remove" || name == "clear") {
      CollectionOp op;
      op.collection = prefix;
      op.kind = name == "add" ? CollectionOp::Kind::Add
                : name == "remove" ? CollectionOp::Kind::Remove : CollectionOp::Kind::Clear;
      op.key = item_key(child);
      for (pugi::xml_attribute a : child.attributes()) op.attributes[a.name()] = a.value();
      op.at = doc.at(child);
      layer.ops.push_back(std::move(op));
      continue;
    }
    const std::string path = prefix.empty() ? std::string(name) : prefix + "/" + std::string(name);
    for (pugi::xml_attribute a : child.attributes())
      layer.settings.push_back({path, a.name(), a.value(), doc.at(child)});
    if (!walk(child, path, doc, layer, depth + 1)) return false;
  }
  return true;
}

std::string too_deep(const Doc& doc, const pugi::xml_node& n) {
  Position p = doc.at(n);
  return p.where() + ":" + std::to_string(p.column) + ": elements nested deeper than " +
         std::to_string(kMaxDepth) + " levels";
}

/// The <system.webServer> of `container` (the document element or a <location>) as a layer.
std::string add_layer(const pugi::xml_node& container, const std::string& path, int rank, bool delegated,
                      const Doc& doc, IisConfig& out) {
  Layer layer;
  layer.path = path;
  layer.file_rank = rank;
  layer.delegated = delegated;
  layer.at = doc.at(container);
  layer.override_mode = container.attribute("overrideMode").value();
  for (pugi::xml_node ws : container.children("system.webServer"))
    if (!walk(ws, "", doc, layer, 1)) return too_deep(doc, ws);
  out.layers.push_back(std::move(layer));
  return {};
}

/// Every layer of a document: its top, then each <location>, paths relative to `base`.
std::string add_layers(const Doc& doc, const std::string& base, int rank, bool delegated, IisConfig& out) {
  pugi::xml_node root = doc.xml.document_element();
  if (std::string err = add_layer(root, base, rank, delegated, doc, out); !err.empty()) return err;
  for (pugi::xml_node loc : root.children("location")) {
    const std::string path = join_path(base, loc.attribute("path").value());
    if (std::string err = add_layer(loc, path, rank, delegated, doc, out); !err.empty()) return err;
  }
  return {};
}

void read_sections(const pugi::xml_node& group, const std::string& prefix, IisConfig& out, int depth) {
  if (depth > kMaxDepth) return;
  for (pugi::xml_node child : group.children()) {
    const std::string_view name = child.name();
    const std::string path = join_path(prefix, child.attribute("name").value());
    if (name == "section") {
      if (pugi::xml_attribute mode = child.attribute("overrideModeDefault")) out.override_defaults[path] = mode.value();
    } else if (name == "sectionGroup") {
      read_sections(child, path, out, depth + 1);
    }
  }
}

Binding read_binding(const pugi::xml_node& b, const Doc& doc) {
  Binding out;
  out.protocol = text::to_lower(b.attribute("protocol").value());
  // bindingInformation is "address:port:host"; an IPv6 address holds colons itself.
  const std::string info = b.attribute("bindingInformation").value();
  const size_t last = info.rfind(':');
  if (last != std::string::npos && last > 0) {
    out.host = info.substr(last + 1);
    const size_t before = info.rfind(':', last - 1);
    const std::string port = info.substr(before == std::string::npos ? 0 : before + 1,
                                         last - (before == std::string::npos ? 0 : before + 1));
    if (!port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos)
      out.port = std::stoi(port);
  }
  out.certificate_hash = b.attribute("certificateHash").value();
  out.certificate_store = b.attribute("certificateStoreName").value();
  out.at = doc.at(b);
  return out;
}

std::string site_relative(const std::string& app, const std::string& vdir) {
  std::string p = app == "/" ? "" : app;
  if (vdir != "/") p += vdir;
  return p.empty() ? "/" : p;
}

Site read_site(const pugi::xml_node& s, const Doc& doc) {
  Site site;
  site.name = s.attribute("name").value();
  site.at = doc.at(s);
  for (pugi::xml_node b : s.child("bindings").children("binding")) site.bindings.push_back(read_binding(b, doc));
  for (pugi::xml_node app : s.children("application")) {
    const std::string app_path = app.attribute("path").value();
    for (pugi::xml_node v : app.children("virtualDirectory")) {
      VirtualDir vd;
      vd.path = site_relative(app_path, v.attribute("path").value());
      vd.config_path = join_path(site.name, vd.path);
      vd.at = doc.at(v);
      site.vdirs.push_back(std::move(vd));
    }
  }
  return site;
}

}  // namespace

std::string Position::where() const { return file + ":" + std::to_string(line); }

std::string read_application_host(std::string_view text, const std::string& file, IisConfig& out) {
  LineIndex lines(text);
  Doc doc;
  if (std::string err = parse(text, file, lines, doc); !err.empty()) return err;
  pugi::xml_node root = doc.xml.document_element();
  IisConfig read;
  if (pugi::xml_node ws = root.child("configSections").find_child_by_attribute("sectionGroup", "name", "system.webServer"))
    read_sections(ws, "", read, 1);
  for (pugi::xml_node s : root.child("system.applicationHost").child("sites").children("site"))
    read.sites.push_back(read_site(s, doc));
  if (std::string err = add_layers(doc, "", 0, false, read); !err.empty()) return err;
  out.sites.insert(out.sites.end(), read.sites.begin(), read.sites.end());
  out.layers.insert(out.layers.end(), read.layers.begin(), read.layers.end());
  for (const auto& [k, v] : read.override_defaults) out.override_defaults[k] = v;
  return {};
}

std::string read_web_config(std::string_view text, const std::string& file, const std::string& at_path,
                            IisConfig& out) {
  LineIndex lines(text);
  Doc doc;
  if (std::string err = parse(text, file, lines, doc); !err.empty()) return err;
  const int depth = at_path.empty() ? 0 : 1 + static_cast<int>(std::count(at_path.begin(), at_path.end(), '/'));
  IisConfig read;
  if (std::string err = add_layers(doc, join_path("", at_path), 1 + depth, true, read); !err.empty()) return err;
  out.layers.insert(out.layers.end(), read.layers.begin(), read.layers.end());
  return {};
}

std::string guess_iis_kind(std::string_view text) {
  const std::string_view head = text.substr(0, 64 * 1024);
  if (head.find("<configuration") == std::string_view::npos) return {};
  return head.find("<system.applicationHost") != std::string_view::npos ? "iis" : "iis-web";
}

}  // namespace pp::sources
