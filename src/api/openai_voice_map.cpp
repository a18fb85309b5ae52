#include "api/openai_voice_map.hpp"

#include <algorithm>
#include <tuple>

namespace rtts::api {

namespace {

// Lower is better: the neural families by how they sound, Piper voices by their quality tier.
std::tuple<int, int, std::string> rank(const std::string& engine, const std::string& id) {
  static const std::vector<std::string> families{"kokoro", "piper", "kitten", "matcha"};
  int family = static_cast<int>(std::find(families.begin(), families.end(), engine) - families.begin());
  int quality = 1;
  for (auto [tier, score] : {std::pair{"-high", 0}, std::pair{"-medium", 1}, std::pair{"-low", 2}, std::pair{"-x_low", 3}})
    if (id.find(tier) != std::string::npos) quality = score;
  return {family, quality, id};
}

} // namespace

std::map<std::string, std::string> openai_voice_map(const server_config& config, const std::vector<const worker::worker_hello*>& engines) {
  std::vector<std::pair<std::tuple<int, int, std::string>, std::string>> english; // rank, "engine:voice"
  for (const auto* e : engines) {
    if (std::get<0>(rank(e->engine, "")) >= 4) continue; // not a neural family
    for (const auto& v : e->voices)
      if (v.language.starts_with("en")) english.emplace_back(rank(e->engine, v.id), e->engine + ":" + v.id);
  }
  std::sort(english.begin(), english.end());
  auto map = config.openai_voices;
  if (english.empty()) return map;
  std::size_t next = 0;
  for (auto& [name, target] : map)
    if (!config.openai_voices_configured.contains(name)) target = english[next++ % english.size()].second;
  return map;
}

} // namespace rtts::api
