#pragma once
// The HTTP front door. The only module that includes Beast (in its .cpp files); this header
// keeps it out of everyone else's compile.
#include "server/server_context.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <memory>
#include <span>

namespace rtts::server {

struct route;

class http_server {
public:
  // The routes this listener serves (routes::rtts_routes, marytts::marytts_routes).
  using route_table = std::span<const route> (*)();

  http_server(boost::asio::io_context& io, boost::asio::thread_pool& compute, const server_config& config,
              synth::synthesizer& synthesizer, route_table routes);
  ~http_server();

  // Binds and listens (config.host:port unless given); returns the bound port (useful with 0).
  result<unsigned> listen();
  result<unsigned> listen(const std::string& host, unsigned port);
  // Accepts connections until stop_accepting().
  void start();
  void stop_accepting();
  // Streams and requests being served right now.
  std::size_t active_requests() const;

private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace rtts::server
