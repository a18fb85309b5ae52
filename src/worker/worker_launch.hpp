#pragma once
// Starting a worker program, the one way: the server's supervisor (worker_process), the
// benchmark's engine-only mode and the tests all start `PROGRAM worker --engine NAME --fd 3`
// with the same environment. worker_connection speaks to one directly and blocking, frame by
// frame, without the server (the engine-only benchmark, the tests).
#include "core/error.hpp"
#include "worker/protocol.hpp"

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtts::worker {

// The environment a worker of `engine` starts with: this process's minus the secrets this engine
// has no use for (the server's own API keys never, the upstream's key (--proxy-key) only for the
// openai engine: an engine crash dump or a library that logs its environment leaks nothing it
// did not need), with every symbol bound at start-up (LD_BIND_NOW).
std::vector<std::string> worker_environment(const std::string& engine);

struct launched_worker {
  pid_t pid = -1;
  int fd = -1; // this side of the socketpair; the worker has the other on its fd 3
};

// Starts `program worker --engine ENGINE --fd 3 EXTRA...` with worker_environment(engine) and
// nothing else of this process's open descriptors.
result<launched_worker> launch_worker(const std::string& program, const std::string& engine, const std::vector<std::string>& extra_args = {});

class worker_connection {
public:
  // Launches the worker and waits for its hello.
  static result<std::unique_ptr<worker_connection>> start(const std::string& program, const std::string& engine,
                                                          const std::vector<std::string>& extra_args = {});
  ~worker_connection(); // closes the socket (the worker exits on EOF) and reaps it
  worker_connection(const worker_connection&) = delete;
  worker_connection& operator=(const worker_connection&) = delete;

  pid_t pid() const { return worker_.pid; }
  const worker_hello& hello() const { return hello_; }
  bool send(frame_type type, std::uint64_t job, std::string_view payload = {});
  // The next frame (blocking); nothing once the worker is gone or speaks garbage.
  std::optional<frame> next();

private:
  explicit worker_connection(launched_worker w) : worker_(w) {}
  launched_worker worker_;
  frame_decoder decoder_;
  worker_hello hello_;
};

} // namespace rtts::worker
