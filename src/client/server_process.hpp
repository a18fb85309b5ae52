#pragma once
// Starts `rtts serve` as a child process on a free port and stops it again: for the benchmark
// and the black-box tests, which measure and test the real binary.
#include "client/http_client.hpp"

#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace rtts::client {

class server_process {
public:
  // Runs `executable serve --port 0 ARGS...` and waits for its "listening on" line.
  // Throws std::runtime_error if it does not come up.
  server_process(const std::string& executable, const std::vector<std::string>& args, const std::string& stderr_path = {});
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  const endpoint& at() const { return endpoint_; }
  pid_t pid() const { return pid_; }
  // Time from spawn to the "listening on" line.
  std::chrono::microseconds startup() const { return startup_; }
  bool alive() const;
  // The server's direct children (its engine workers).
  std::vector<pid_t> children() const;
  // SIGTERM and wait (SIGKILL after 20 s). Returns the exit code, or -1 if killed or gone.
  int terminate();
  // Waits (up to 20 s) for the process to exit by itself; the exit code, or -1.
  int wait_exit();

private:
  pid_t pid_ = -1;
  endpoint endpoint_;
  std::chrono::microseconds startup_{0};
};

// Resident set size of a process, in KiB (0 if it is gone).
long rss_kib(pid_t pid);
// CPU time (user + system) of a process and its reaped children, in clock ticks (0 if gone).
long long cpu_ticks(pid_t pid);
// The same for a server and its direct children (its engine workers); 0 for pid <= 0.
long long tree_cpu_ticks(pid_t server);
// Ticks over a wall time, as a percentage of one core.
double cpu_percent(long long ticks, double wall_seconds);

} // namespace rtts::client
