#pragma once
// A Wyoming protocol listener (TTS side), so Home Assistant can use rtts as its local speech
// service: describe/info, one-shot synthesize, and streaming synthesize-start/chunk/stop.
// The protocol has no authentication: bind it to a trusted network only.
#include "core/config.hpp"
#include "synth/synthesizer.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <memory>
#include <string>

namespace rtts::wyoming {

class wyoming_server {
public:
  // Limits from `config`, the same as on the WebSocket routes: --max-connections sessions,
  // --ws-max-queued utterances waiting per session, --max-text characters per streamed text,
  // --ws-idle-timeout seconds of silence, --ws-stalled-ms for a client that takes no audio.
  wyoming_server(boost::asio::io_context& io, boost::asio::thread_pool& compute, const server_config& config, synth::synthesizer& synth);
  ~wyoming_server();
  // Binds HOST:PORT; returns the bound port.
  result<unsigned> listen(const std::string& host, unsigned port);
  void start();
  // Stops accepting; idle sessions close now, busy ones once their queued speech is sent
  // (SIGTERM drain). New synthesis requests are refused meanwhile.
  void stop();
  // Closes every session at once (the drain's grace period is over).
  void close_all();
  std::size_t active_connections() const;
  // Sessions with speech queued or in progress: what a drain waits for.
  std::size_t busy_sessions() const;

private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace rtts::wyoming
