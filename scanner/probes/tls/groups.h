#pragma once
#include <cstdint>
#include <vector>

#include "core/value.h"
#include "probes/tls/session.h"

namespace pp::tls {

/// Key-exchange groups: what each answer names, and the connections that find the rest.
/// Groups ride on the suite connections: TLS <= 1.2 runs first and offers unseen curves first
/// (each ECDHE ServerKeyExchange names one), TLS 1.3 then offers only unseen groups (each
/// HelloRetryRequest names one); these steps ask only for what is still unseen.

/// Notes the group, or DH size, of a TLS <= 1.2 ServerKeyExchange.
void note_key_exchange(Observation& o, const ServerHello& h, const KeyExchange& kx);
/// Notes a group a TLS 1.3 answer named.
void take_group(Observation& o, uint16_t group);

/// The groups we offer not yet seen, in offer order.
std::vector<uint16_t> unseen_groups(const Observation& o);
/// Every group we offer, the ones not yet seen first: the full set keeps each TLS <= 1.2
/// answer unchanged, while a server that picks curves in client order names a new one in the
/// ServerKeyExchange of every ECDHE connection the suite enumeration makes anyway.
std::vector<uint16_t> groups_unseen_first(const Observation& o);

/// TLS 1.3: the groups the suite connections did not reveal, one per connection until a "no".
void groups_tls13(Session& s);
/// TLS <= 1.2 without TLS 1.3: one connection per curve not yet revealed, plus one.
void groups_legacy(Session& s);

/// The accepted groups in our offer order (discovery order depends on which connection saw what).
StringList accepted_groups(const Observation& o);

}  // namespace pp::tls
