#pragma once
// The open sessions of one listener, so that a shutdown reaches each of them: drain (speak what
// is queued, then close) and, after the grace period, close. Network thread only.
#include "session/speech_session.hpp"

#include <memory>
#include <vector>

namespace rtts::session {

class session_registry {
public:
  void add(const std::shared_ptr<speech_session>& s) {
    std::erase_if(sessions_, [](const std::weak_ptr<speech_session>& w) { return w.expired(); });
    sessions_.push_back(s);
  }
  void drain_all() {
    for (auto& w : sessions_)
      if (auto s = w.lock()) s->drain();
  }
  void close_all() {
    for (auto& w : sessions_)
      if (auto s = w.lock()) s->fail();
  }
  // Sessions not yet ended.
  std::size_t open() const {
    std::size_t n = 0;
    for (const auto& w : sessions_)
      if (!w.expired()) ++n;
    return n;
  }
  // Sessions with speech in progress or asked for.
  std::size_t busy() const {
    std::size_t n = 0;
    for (const auto& w : sessions_)
      if (auto s = w.lock(); s && s->busy()) ++n;
    return n;
  }

private:
  std::vector<std::weak_ptr<speech_session>> sessions_;
};

} // namespace rtts::session
