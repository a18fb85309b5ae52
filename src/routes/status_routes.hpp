#pragma once
// How the server is doing, for people, orchestrators and Prometheus: open routes except /metrics.
#include "server/route.hpp"

namespace rtts::routes {

boost::asio::awaitable<bool> health(server::exchange& ex);  // GET /health
boost::asio::awaitable<bool> ready(server::exchange& ex);   // GET /ready: 503 while draining or an engine has no live worker
boost::asio::awaitable<bool> metrics(server::exchange& ex); // GET /metrics (Prometheus text)

} // namespace rtts::routes
