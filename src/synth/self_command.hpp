#pragma once
// This server's own binary run as a command (`rtts voices pull ...`, `rtts voices list
// --available`): downloads and catalogue reads happen in a child, so that a slow network, a full
// disk or a crash costs the server neither a thread nor its life. The child inherits none of the
// server's descriptors (listeners, client sockets, worker pipes); its stdout comes back on a pipe.
#include "core/error.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/thread_pool.hpp>

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtts::synth {

class self_command {
public:
  // Starts `rtts ARGS...`.
  static result<std::unique_ptr<self_command>> start(boost::asio::any_io_executor ex, std::vector<std::string> args);
  ~self_command(); // a child not waited for is killed and reaped
  self_command(const self_command&) = delete;
  self_command& operator=(const self_command&) = delete;

  // The next line it printed (without the '\n'); nullopt once its output ends.
  boost::asio::awaitable<std::optional<std::string>> next_line();
  // Asks it to stop (SIGTERM); a partial download stays for the next pull to continue.
  void stop();
  // Its exit status (closing its output first); waitpid blocks, so it runs on `compute`. -1 when
  // a signal ended it.
  boost::asio::awaitable<int> exit_status(boost::asio::thread_pool& compute);

private:
  self_command(boost::asio::any_io_executor ex, pid_t pid, int output);
  pid_t pid_;
  boost::asio::posix::stream_descriptor output_;
  std::string buffer_;
};

} // namespace rtts::synth
