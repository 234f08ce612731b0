#include "probes/cert/trust_store.h"

#include <openssl/x509_vfy.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>

#include "probes/cert/test_certs.h"

using namespace pp::cert;
using namespace pp::cert::testing;
namespace fs = std::filesystem;

namespace {

/// Sets an environment variable for one scope, then puts back what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

struct Anchor {
  EvpPkeyPtr key = make_ec_key();
  X509Ptr root, leaf;
  explicit Anchor(const std::string& name) {
    const std::time_t now = std::time(nullptr);
    CertSpec ca;
    ca.ca = true;
    ca.cn = name + " Root";
    root = make_cert(ca, key.get(), nullptr, key.get(), now);
    CertSpec l;
    l.cn = name + ".example.com";
    leaf = make_cert(l, key.get(), root.get(), key.get(), now);
  }
};

/// X509_V_OK, or why the leaf did not verify against the store.
int verify(X509_STORE* store, X509* leaf) {
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  REQUIRE(X509_STORE_CTX_init(ctx.get(), store, leaf, nullptr) == 1);
  X509_verify_cert(ctx.get());
  return X509_STORE_CTX_get_error(ctx.get());
}

struct Dir {
  fs::path path;
  Dir() {
    std::string tmpl = (fs::temp_directory_path() / "pp-trust-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

}  // namespace

TEST_CASE("the system trust is the default bundle and the hashed directory, each overridable") {
  Anchor in_bundle("bundle"), in_dir("hashed"), nowhere("stranger");
  Dir tmp;
  const std::string bundle = tmp.write("bundle.pem", cert_pem(in_bundle.root.get()));
  fs::create_directory(tmp.path / "certs");
  char hashed[32];
  std::snprintf(hashed, sizeof hashed, "%08lx.0", X509_subject_name_hash(in_dir.root.get()));
  tmp.write("certs/" + std::string(hashed), cert_pem(in_dir.root.get()));

  ScopedEnv file(X509_get_default_cert_file_env(), bundle);
  ScopedEnv dir(X509_get_default_cert_dir_env(), (tmp.path / "certs").string());
  std::string error;
  X509StorePtr system = build_trust_store("", error);
  REQUIRE(system);
  CHECK(error.empty());
  CHECK(verify(system.get(), in_bundle.leaf.get()) == X509_V_OK);
  CHECK(verify(system.get(), in_dir.leaf.get()) == X509_V_OK);
  CHECK(verify(system.get(), nowhere.leaf.get()) == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);

  SECTION("--ca-file replaces the system's anchors") {
    X509StorePtr own = build_trust_store(bundle, error);
    REQUIRE(own);
    CHECK(verify(own.get(), in_bundle.leaf.get()) == X509_V_OK);
    CHECK(verify(own.get(), in_dir.leaf.get()) == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  }
  SECTION("a CA file that cannot be read is an error naming it") {
    const std::string missing = (tmp.path / "missing.pem").string();
    CHECK_FALSE(build_trust_store(missing, error));
    CHECK(error == "cannot load CA file " + missing);
  }
}
