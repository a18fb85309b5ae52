#pragma once
// The real `rtts worker --engine NAME`, started as the server starts it and spoken to as the
// server speaks to it (worker::worker_connection): what an engine says for given fragments,
// without the server in between.
#include "worker/worker_launch.hpp"

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rtts::testing {

class direct_worker {
public:
  explicit direct_worker(const std::string& engine = "espeak", const std::vector<std::string>& extra_args = {});

  pid_t pid() const { return worker_->pid(); }
  const worker::worker_hello& hello() const { return worker_->hello(); }
  void send(worker::frame_type type, std::uint64_t job, const std::string& payload = {});
  // The worker's next frame; nothing once it is gone.
  std::optional<worker::frame> next() { return worker_->next(); }
  // Says `text` in `voice` as a fragment of `stream` (0: none; `last`: the stream's last) and
  // returns its native-rate PCM; a failed fragment is a test failure.
  std::string say(const std::string& text, const std::string& voice, std::uint64_t stream, bool last);

private:
  std::unique_ptr<worker::worker_connection> worker_;
  std::uint64_t jobs_ = 0;
};

// Fragments (text, voice) of one stream as the engine's worker says them, without the server: in
// one job process for engines with a process per stream, each from the warm worker otherwise.
// The native-rate PCM of all of them.
std::string said_as_one_stream(const std::string& engine, const std::vector<std::pair<std::string, std::string>>& fragments);

} // namespace rtts::testing
