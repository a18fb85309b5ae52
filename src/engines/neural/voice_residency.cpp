#include "engines/neural/voice_residency.hpp"

#include <algorithm>

namespace rtts::engines::neural {

std::vector<std::string> voice_residency::make_room(std::uint64_t bytes) const {
  std::vector<std::pair<std::uint64_t, std::string>> by_age;
  for (const auto& [id, e] : held_) by_age.emplace_back(e.last_used, id);
  std::sort(by_age.begin(), by_age.end());
  std::vector<std::string> out;
  std::uint64_t total = held_bytes();
  for (const auto& [age, id] : by_age) {
    if (total + bytes <= budget_) break;
    total -= held_.at(id).bytes;
    out.push_back(id);
  }
  return out;
}

void voice_residency::add(const std::string& id, std::uint64_t bytes) { held_[id] = entry{bytes, ++clock_}; }

void voice_residency::remove(const std::string& id) { held_.erase(id); }

std::uint64_t voice_residency::held_bytes() const {
  std::uint64_t total = 0;
  for (const auto& [id, e] : held_) total += e.bytes;
  return total;
}

std::vector<std::string> voice_residency::held() const {
  std::vector<std::pair<std::uint64_t, std::string>> by_age;
  for (const auto& [id, e] : held_) by_age.emplace_back(e.last_used, id);
  std::sort(by_age.rbegin(), by_age.rend());
  std::vector<std::string> out;
  for (auto& [age, id] : by_age) out.push_back(std::move(id));
  return out;
}

} // namespace rtts::engines::neural
