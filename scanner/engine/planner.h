#pragma once
#include <set>
#include <string>
#include <vector>

#include "core/subject.h"
#include "core/target.h"

namespace pp::engine {

/// What a scan will observe: the subjects, and which probe families run. Built from the
/// targets and the facts the selected rules read, so only the needed probes run, each once
/// per subject however many rules read its facts.
struct Plan {
  std::vector<Subject> endpoints;     ///< one per (target, service)
  /// One per (web target, https/http pair, path). An https port pairs with a plain port only
  /// where that is what the target says: 443 with 80, or an inventory target listing both
  /// (the i-th https service with the i-th http service).
  std::vector<Subject> vdirs;
  std::set<std::string> families;     ///< probe families to run: tls, cert, http, mail
  /// Endpoint ids of implied services (ServiceEndpoint::implied): closed is not an error there.
  std::set<std::string> implied;
};

/// `families`: the probe families the selected rules need (from the fact catalogue).
Plan make_plan(const std::vector<Target>& targets, const std::set<std::string>& families);

/// Deterministic shard: target i of the sorted names belongs to shard (hash(name) % n) + 1.
std::vector<Target> select_shard(const std::vector<Target>& targets, int k, int n);

}  // namespace pp::engine
