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
  wyoming_server(boost::asio::io_context& io, boost::asio::thread_pool& compute, synth::synthesizer& synth);
  ~wyoming_server();
  // Binds HOST:PORT; returns the bound port.
  result<unsigned> listen(const std::string& host, unsigned port);
  void start();
  void stop();
  std::size_t active_connections() const;

private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace rtts::wyoming
