#pragma once
// Which voices a neural worker keeps loaded. A worker cannot hold every installed model (a
// Kokoro model is ~300 MB, a Piper medium voice ~60 MB), so it holds as many as its memory
// budget allows: the default voice from the start, the others from their first use, and when a
// new one does not fit, the least recently used ones leave (never the one about to be used).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rtts::engines::neural {

class voice_residency {
public:
  explicit voice_residency(std::uint64_t budget_bytes) : budget_(budget_bytes) {}

  bool holds(const std::string& id) const { return held_.contains(id); }
  // Marks `id` used now (it must be held).
  void touch(const std::string& id) { held_.at(id).last_used = ++clock_; }
  // The voices to unload so that `bytes` more fit the budget, least recently used first. A voice
  // larger than the whole budget still loads, alone.
  std::vector<std::string> make_room(std::uint64_t bytes) const;
  void add(const std::string& id, std::uint64_t bytes);
  void remove(const std::string& id);

  std::uint64_t held_bytes() const;
  std::vector<std::string> held() const; // most recently used first

private:
  struct entry {
    std::uint64_t bytes = 0;
    std::uint64_t last_used = 0;
  };
  std::uint64_t budget_;
  std::uint64_t clock_ = 0;
  std::map<std::string, entry> held_;
};

} // namespace rtts::engines::neural
