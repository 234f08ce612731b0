#pragma once
#include <set>
#include <string>
#include <vector>

#include "core/subject.h"
#include "core/target.h"

namespace pp::cli {

/// What a scan will observe: the subjects, and which probe families run. Built from the
/// targets and the facts the selected rules read, so only the needed probes run, each once
/// per subject however many rules read its facts.
struct Plan {
  std::vector<Subject> endpoints;     ///< one per (target, service)
  std::vector<Subject> certificates;  ///< one per endpoint that can speak TLS
  std::vector<Subject> vdirs;         ///< one per (web target, https/http pair, path)
  std::set<std::string> families;     ///< probe families to run: tls, cert, http, mail
};

/// `families`: the probe families the selected rules need (from the fact catalogue).
Plan make_plan(const std::vector<Target>& targets, const std::set<std::string>& families);

/// The probe families providing `facts` (names from the catalogue; unknown names ignored).
std::set<std::string> families_for(const std::set<std::string>& facts);

/// Deterministic shard: target i of the sorted names belongs to shard (hash(name) % n) + 1.
std::vector<Target> select_shard(const std::vector<Target>& targets, int k, int n);

}  // namespace pp::cli
