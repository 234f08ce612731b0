#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace pp::policy {

/// What a fact says about the server, in words a failure message is built from. `{}` marks
/// where a value or elements go. The subject reads before endpoint and vdir phrases ("accepts
/// TLS 1.0"); certificate phrases name the certificate themselves.
///  - bool facts: `yes` is said when the fact is true, `no` when it is false;
///  - integer and string facts: `yes` holds the value ("the certificate expires in {} days");
///    an integer fact's `no`, when given, is said instead for a negative value, holding its
///    magnitude ("the certificate expired {} days ago");
///  - list facts: `yes` holds elements the server has ("accepts {}"), `no` elements it lacks
///    ("does not accept {}"), `whole` the whole list where it is the finding ("accepts weak
///    cipher suites: {}"; empty: `yes`).
struct FactPhrase {
  std::string yes;
  std::string no;
  std::string whole;
};

/// The phrase of a catalogue fact; nullopt when the table has none (every catalogue fact has
/// one: fact_phrases_test checks it).
std::optional<FactPhrase> fact_phrase(std::string_view fact);

/// One element or value of a fact as a sentence shows it: TLSv1.0 -> TLS 1.0, the cipher
/// class cbc -> CBC, unknown_issuer -> unknown issuer; anything else unchanged.
std::string display_element(std::string_view fact, const std::string& element);

}  // namespace pp::policy
