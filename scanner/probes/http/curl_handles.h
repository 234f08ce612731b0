#pragma once
#include <curl/curl.h>

#include <memory>

namespace pp::http {

/// RAII owners for every libcurl handle the probe creates, so an early return or an error
/// path can never leak a handle or a header list.
struct CurlEasyDeleter {
  void operator()(CURL* h) const noexcept { if (h) curl_easy_cleanup(h); }
};
struct CurlMultiDeleter {
  void operator()(CURLM* h) const noexcept { if (h) curl_multi_cleanup(h); }
};
struct CurlShareDeleter {
  void operator()(CURLSH* h) const noexcept { if (h) curl_share_cleanup(h); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* l) const noexcept { if (l) curl_slist_free_all(l); }
};
struct CurlUrlDeleter {
  void operator()(CURLU* u) const noexcept { if (u) curl_url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const noexcept { if (s) curl_free(s); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;
using CurlShare = std::unique_ptr<CURLSH, CurlShareDeleter>;
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

/// A curl_slist that appends in place; curl_slist_append returns a new head on the first call.
class CurlSlist {
 public:
  CurlSlist() = default;
  /// Returns false when libcurl could not allocate the entry (the list is left unchanged).
  bool append(const char* s) {
    curl_slist* n = curl_slist_append(list_.get(), s);
    if (!n) return false;
    if (!list_) list_.reset(n);
    return true;
  }
  curl_slist* get() const { return list_.get(); }

 private:
  std::unique_ptr<curl_slist, CurlSlistDeleter> list_;
};

/// curl_global_init is not thread-safe before 7.84 and must run once per process; every entry
/// point that creates handles calls this first.
void ensure_curl_global_init();

}  // namespace pp::http
