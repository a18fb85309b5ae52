#pragma once
// The utterances a session's client has asked for and its speaker has not begun, in order: the
// one queue of every listener that queues speech (both WebSockets, Wyoming), so that its bound
// (--ws-max-queued: a client may not pile up more speech than that ahead of what it hears) and
// its refusal are written once. Network thread only; one speaker waits on it.
#include "core/error.hpp"
#include "synth/wake_list.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <deque>
#include <utility>

namespace rtts::synth {

template <typename Utterance>
class utterance_queue {
public:
  explicit utterance_queue(std::size_t limit) : limit_(limit) {}

  // Queued, or refused (queue_full) with `limit` utterances waiting.
  result<void> push(Utterance u) {
    if (items_.size() >= limit_)
      return make_error(error_kind::overloaded, "too much text queued; wait for speech to catch up", "queue_full");
    push_anyway(std::move(u));
    return {};
  }
  // Past the bound: what ends a client's stream is always queued, so that it hears the end.
  void push_anyway(Utterance u) {
    items_.push_back(std::move(u));
    waiting_.wake_all();
  }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  // The oldest; the queue must not be empty.
  Utterance pop() {
    Utterance u = std::move(items_.front());
    items_.pop_front();
    return u;
  }
  // Everything waiting dropped (barge-in, stop, the client gone); the speaker wakes.
  void clear() {
    items_.clear();
    waiting_.wake_all();
  }
  // The speaker waits here with nothing to say: until something is queued or wake() is called
  // (the session is closing, the client ended its stream); it then looks again.
  boost::asio::awaitable<void> wait() { return waiting_.wait(); }
  void wake() { waiting_.wake_all(); }

private:
  std::size_t limit_;
  std::deque<Utterance> items_;
  wake_list waiting_;
};

} // namespace rtts::synth
