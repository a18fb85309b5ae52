// The status routes (see status_routes.hpp). The request asking is not counted as active.
#include "routes/status_routes.hpp"

#include "api/health_json.hpp"
#include "api/metrics_text.hpp"

namespace rtts::routes {
namespace asio = boost::asio;

asio::awaitable<bool> health(server::exchange& ex) {
  const auto& s = *ex.server;
  co_return co_await ex.reply(api::health_json(s.active - 1, s.websockets, s.synth.pool_stats()));
}

// For load balancers and orchestrators: 503 while an engine has no live worker or while
// draining after SIGTERM, so traffic moves elsewhere.
asio::awaitable<bool> ready(server::exchange& ex) {
  bool ready = !ex.server->stopping;
  for (const auto& [name, s] : ex.server->synth.pool_stats()) ready = ready && s.ready > 0;
  if (!ready)
    co_return co_await ex.reply(
        make_error(error_kind::unavailable, ex.server->stopping ? "shutting down" : "an engine has no live worker", "not_ready"));
  co_return co_await ex.reply(std::string(R"({"status":"ready"})"));
}

asio::awaitable<bool> metrics(server::exchange& ex) {
  const auto& s = *ex.server;
  std::string body = api::metrics_text(s.active - 1, s.websockets, s.connections, s.synth.pool_stats());
  co_return co_await ex.send(server::text_response("text/plain; version=0.0.4; charset=utf-8", std::move(body), ex.keep_alive));
}

} // namespace rtts::routes
