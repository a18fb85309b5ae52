#pragma once
// The completion for a coroutine nobody waits for (co_spawn's last argument). asio::detached
// drops an exception that escapes such a coroutine without a trace: a session, accept loop or
// start-up that dies that way would leave no reason behind. This writes one line to stderr
// naming the coroutine and the exception instead.
#include <cstdio>
#include <exception>

namespace rtts {

struct report_failure {
  const char* what; // names the coroutine in the log line: "the HTTP accept loop"

  template <typename... Result>
  void operator()(std::exception_ptr failure, Result&&...) const {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "rtts: %s failed: %s\n", what, e.what());
    } catch (...) {
      std::fprintf(stderr, "rtts: %s failed: an exception that is not a std::exception\n", what);
    }
  }
};

} // namespace rtts
