#pragma once
// Shared by the in-process engine tests: run one synthesis to the end, measure loudness.
#include "engines/engine.hpp"
#include "engines/registry.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rtts::testing {

// The one instance of an engine in this test process, or its creation error (eSpeak NG cannot
// be initialised twice in a process, so every test shares it).
inline result<engines::engine*> shared_engine(const std::string& name) {
  // Never destroyed: engines' libraries keep internals that only a live engine reaches.
  static auto* created = new std::map<std::string, result<std::unique_ptr<engines::engine>>>();
  auto it = created->find(name);
  if (it == created->end()) it = created->emplace(name, engines::create_engine(name)).first;
  if (!it->second) return it->second.error();
  return it->second->get();
}

// All the audio of one synthesis (the test fails if the engine reports an error).
inline std::vector<std::int16_t> synthesize_all(engines::engine& e, std::string_view text, const engines::synthesis_params& p) {
  std::vector<std::int16_t> pcm;
  auto ok = e.synthesize(text, p, [&](std::span<const std::int16_t> s) {
    pcm.insert(pcm.end(), s.begin(), s.end());
    return true;
  });
  EXPECT_TRUE(ok) << (ok ? "" : ok.error().message);
  return pcm;
}

inline double rms(const std::vector<std::int16_t>& s) {
  double sum = 0;
  for (auto v : s) sum += static_cast<double>(v) * v;
  return s.empty() ? 0 : std::sqrt(sum / static_cast<double>(s.size()));
}

} // namespace rtts::testing
