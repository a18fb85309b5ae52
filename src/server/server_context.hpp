#pragma once
// What every connection of the server shares: the executors, the configuration and the
// synthesizer, plus counters for health and graceful shutdown. Lives on the network thread.
#include "core/config.hpp"
#include "session/session_registry.hpp"
#include "synth/synthesizer.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <vector>

namespace rtts::server {

struct server_context {
  boost::asio::io_context& io;
  boost::asio::thread_pool& compute;
  server_config config;
  synth::synthesizer& synth;
  std::size_t active = 0;     // HTTP requests being answered
  std::size_t websockets = 0; // open WebSocket sessions
  std::size_t connections = 0; // open TCP connections of the HTTP listener (WebSockets included)
  bool stopping = false;
  session::session_registry sessions = {}; // the WebSocket sessions, for the drain

  // Every engine's hello (voices, rates, capabilities), in the synthesizer's order.
  std::vector<worker::worker_hello> engine_infos() const {
    std::vector<worker::worker_hello> engines;
    for (const auto& name : synth.engine_names()) engines.push_back(**synth.engine_info(name));
    return engines;
  }
  // The same without copying them (per-request lookups on the network thread).
  std::vector<const worker::worker_hello*> engine_info_views() const {
    std::vector<const worker::worker_hello*> engines;
    for (const auto& name : synth.engine_names()) engines.push_back(*synth.engine_info(name));
    return engines;
  }

  // RAII count of HTTP requests in flight.
  struct in_flight {
    server_context* s;
    explicit in_flight(server_context* s_) : s(s_) { ++s->active; }
    ~in_flight() { --s->active; }
  };
  struct open_connection {
    server_context* s;
    explicit open_connection(server_context* s_) : s(s_) { ++s->connections; }
    ~open_connection() { --s->connections; }
  };
};

} // namespace rtts::server
