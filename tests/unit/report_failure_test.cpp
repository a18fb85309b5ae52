// A coroutine nobody waits for that throws leaves one line naming it and the exception
// (asio::detached would drop it silently).
#include "core/report_failure.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

boost::asio::awaitable<void> fails() {
  throw std::runtime_error("the socket vanished");
  co_return;
}

boost::asio::awaitable<int> succeeds() { co_return 7; }

} // namespace

TEST(ReportFailure, AnEscapedExceptionIsLoggedWithItsCoroutine) {
  boost::asio::io_context io;
  boost::asio::co_spawn(io, fails(), rtts::report_failure{"the test session"});
  boost::asio::co_spawn(io, succeeds(), rtts::report_failure{"the quiet one"});
  testing::internal::CaptureStderr();
  io.run();
  std::string logged = testing::internal::GetCapturedStderr();
  EXPECT_EQ(logged, "rtts: the test session failed: the socket vanished\n") << "one line, and none for a coroutine that ends well";
}
