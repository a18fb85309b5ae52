#pragma once
// Coroutines of one thread waiting until another coroutine there says something changed (a pull
// ended, a catalogue arrived): each waits on a timer of its own, which wake_all cancels. One
// shared timer would not do: re-arming it for a second waiter cancels the first's wait.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <memory>
#include <vector>

namespace rtts::synth {

class wake_list {
public:
  // Returns when woken or at `until`; callers check what they wait for again.
  boost::asio::awaitable<void> wait(boost::asio::steady_timer::time_point until = boost::asio::steady_timer::time_point::max()) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, until);
    waiting_->push_back(&timer);
    // Also when the coroutine is dropped while waiting (shutdown), perhaps after the list's owner.
    struct leave {
      std::shared_ptr<std::vector<boost::asio::steady_timer*>> list;
      boost::asio::steady_timer* timer;
      ~leave() { std::erase(*list, timer); }
    } registered{waiting_, &timer};
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
  void wake_all() {
    for (auto* timer : *waiting_) timer->cancel();
  }

private:
  std::shared_ptr<std::vector<boost::asio::steady_timer*>> waiting_ = std::make_shared<std::vector<boost::asio::steady_timer*>>();
};

} // namespace rtts::synth
