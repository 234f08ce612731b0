#pragma once
#include <compare>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace pp {

/// A string kept once per process: the copies of one text (a fact's name, the reason shared by
/// every fact a family could not observe, a subject id repeated on each of its results) are one
/// pointer each. A fleet holds hundreds of thousands of facts and results whose names and
/// reasons come from a few hundred distinct texts; stored inline they were a third of the
/// scan's memory. The pool never shrinks: intern what repeats, not what is unique (evidence,
/// messages). Thread-safe: probes on many threads make facts at once.
class Interned {
 public:
  Interned() : s_(&empty_string()) {}
  Interned(std::string_view s);  // NOLINT(google-explicit-constructor): a drop-in for std::string
  Interned(const std::string& s) : Interned(std::string_view(s)) {}  // NOLINT(google-explicit-constructor)
  Interned(const char* s) : Interned(std::string_view(s)) {}         // NOLINT(google-explicit-constructor)

  const std::string& str() const { return *s_; }
  operator const std::string&() const { return *s_; }  // NOLINT(google-explicit-constructor)
  operator std::string_view() const { return *s_; }    // NOLINT(google-explicit-constructor)
  const char* c_str() const { return s_->c_str(); }
  const char* data() const { return s_->data(); }
  size_t size() const { return s_->size(); }
  bool empty() const { return s_->empty(); }
  std::string::const_iterator begin() const { return s_->begin(); }
  std::string::const_iterator end() const { return s_->end(); }
  char operator[](size_t i) const { return (*s_)[i]; }
  size_t find(std::string_view t, size_t pos = 0) const { return s_->find(t, pos); }
  size_t find(char c, size_t pos = 0) const { return s_->find(c, pos); }
  size_t rfind(std::string_view t, size_t pos = std::string::npos) const { return s_->rfind(t, pos); }
  size_t rfind(char c, size_t pos = std::string::npos) const { return s_->rfind(c, pos); }
  std::string substr(size_t pos, size_t n = std::string::npos) const { return s_->substr(pos, n); }
  bool starts_with(std::string_view t) const { return s_->starts_with(t); }
  bool ends_with(std::string_view t) const { return s_->ends_with(t); }

  friend bool operator==(const Interned& a, const Interned& b) { return a.s_ == b.s_; }
  friend bool operator==(const Interned& a, std::string_view b) { return *a.s_ == b; }
  friend bool operator==(const Interned& a, const std::string& b) { return *a.s_ == b; }
  friend bool operator==(const Interned& a, const char* b) { return *a.s_ == b; }
  friend std::strong_ordering operator<=>(const Interned& a, const Interned& b) {
    return a.s_ == b.s_ ? std::strong_ordering::equal : *a.s_ <=> *b.s_;
  }
  friend std::strong_ordering operator<=>(const Interned& a, std::string_view b) {
    return std::string_view(*a.s_) <=> b;
  }
  friend std::strong_ordering operator<=>(const Interned& a, const std::string& b) { return *a.s_ <=> b; }
  friend std::strong_ordering operator<=>(const Interned& a, const char* b) {
    return std::string_view(*a.s_) <=> std::string_view(b);
  }
  friend std::string operator+(const Interned& a, std::string_view b) { return *a.s_ + std::string(b); }
  friend std::string operator+(std::string_view a, const Interned& b) { return std::string(a) + *b.s_; }
  friend std::string operator+(const Interned& a, const char* b) { return *a.s_ + b; }
  friend std::string operator+(const char* a, const Interned& b) { return a + *b.s_; }
  friend std::string operator+(const Interned& a, const std::string& b) { return *a.s_ + b; }
  friend std::string operator+(const std::string& a, const Interned& b) { return a + *b.s_; }

  friend std::ostream& operator<<(std::ostream& os, const Interned& s);

  /// How many distinct texts the pool holds (for tests and the benchmark's notes).
  static size_t pool_size();

 private:
  static const std::string& empty_string();
  const std::string* s_;
};

}  // namespace pp

template <>
struct std::hash<pp::Interned> {
  size_t operator()(const pp::Interned& s) const noexcept { return std::hash<std::string_view>()(s); }
};
