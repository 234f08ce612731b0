#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pp {

/// What a fact is about. An endpoint is host:port with its service; a certificate is the leaf
/// and chain seen on a TLS endpoint; a vdir is a web endpoint plus a path, observed over plain
/// HTTP and over TLS (facts http.plain.* and http.tls.*).
enum class SubjectKind { Endpoint, Certificate, Vdir };

std::string_view to_string(SubjectKind k);

struct Subject {
  SubjectKind kind = SubjectKind::Endpoint;
  std::string target;   ///< the inventory target's name
  std::string host;     ///< connect address
  std::string sni;      ///< name clients use (SNI / Host); may equal host
  std::string scheme;   ///< endpoint and certificate: the service scheme ("https", "smtp", ...)
  uint16_t port = 0;    ///< endpoint/certificate: the port; vdir: the TLS port (0 if none)
  uint16_t plain_port = 0;  ///< vdir only: the plain HTTP port (0 if none)
  std::string path;     ///< vdir only: "/owa"
  /// Certificate only: the key type of a further certificate the endpoint serves ("rsa" when
  /// a default client gets an ECDSA one); empty for the certificate a default client gets.
  std::string variant;
  std::vector<std::string> expected_names;
  std::map<std::string, std::string> tags;
  /// A subject read from a configuration file: that file (host is then the IIS site name).
  std::string source;

  /// Stable, unique, human-readable id:
  ///   endpoint     https://mail.example.com:443
  ///   certificate  https://mail.example.com:443#cert   (a further one: ...#cert:rsa)
  ///   vdir         mail.example.com:443/owa   (TLS port, or the plain port if no TLS)
  ///   config vdir  iis/applicationHost.config:Default Web Site/owa
  std::string id() const;
  const std::string& display_host() const { return sni.empty() ? host : sni; }
};

}  // namespace pp
