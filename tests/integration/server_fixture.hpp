#pragma once
// Starts the real `rtts serve` binary on a free port and talks to it over real sockets.
#include "client/http_client.hpp"

#include <string>
#include <sys/types.h>
#include <vector>

namespace rtts::testing {

class rtts_server {
public:
  explicit rtts_server(std::vector<std::string> extra_args = {});
  ~rtts_server();
  rtts_server(const rtts_server&) = delete;
  rtts_server& operator=(const rtts_server&) = delete;

  const client::endpoint& endpoint() const { return endpoint_; }
  pid_t pid() const { return pid_; }
  // The `rtts worker` processes this server runs right now.
  std::vector<pid_t> worker_pids() const;
  bool alive() const;

  client::http_response get(const std::string& target, const client::body_callback& on_body = {}) const;
  // SIGTERM, then wait; returns the exit status (or -1 if it had to be killed).
  int terminate();

private:
  pid_t pid_ = -1;
  client::endpoint endpoint_;
};

// Sends raw bytes and returns whatever the server answers until it closes (or 10 s pass).
std::string raw_exchange(const client::endpoint& to, const std::string& bytes);

std::string tts_target(const std::string& text, const std::string& extra = {});

} // namespace rtts::testing
