#pragma once
// Work handed from a coroutine to a thread pool (file walks, waitpid, planning), its result back
// on the caller's executor: `co_await on_pool(compute, [folders] { return state_of(folders); })`.
//
// The one place for a g++ 12 work-around: a coroutine lambda that captures is miscompiled (its
// captures can be gone while it still runs), so the work is an ordinary function object moved
// into the frame of a named coroutine template, whose by-value parameters live as long as it.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>
#include <utility>

namespace rtts {

template <typename Work>
boost::asio::awaitable<std::invoke_result_t<Work&>> run_work(Work work) {
  co_return work();
}

template <typename Work>
boost::asio::awaitable<std::invoke_result_t<Work&>> on_pool(boost::asio::thread_pool& pool, Work work) {
  return boost::asio::co_spawn(pool, run_work(std::move(work)), boost::asio::use_awaitable);
}

} // namespace rtts
