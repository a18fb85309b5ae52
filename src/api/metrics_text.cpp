#include "api/metrics_text.hpp"

#include "metrics/registry.hpp"

namespace rtts::api {

std::string metrics_text(std::size_t active_requests, std::size_t websockets, std::size_t connections, const std::map<std::string, synth::engine_pool::stats>& engines) {
  std::string out;
  using metrics::gauge_row;
  auto d = [](std::size_t n) { return static_cast<double>(n); };
  metrics::render_gauge(out, "rtts_active_requests", "HTTP requests being answered.", {}, {{{}, d(active_requests)}});
  metrics::render_gauge(out, "rtts_open_connections", "Open TCP connections of the HTTP listener (WebSockets included).", {}, {{{}, d(connections)}});
  metrics::render_gauge(out, "rtts_websocket_sessions", "Open WebSocket sessions.", {}, {{{}, d(websockets)}});
  std::vector<gauge_row> workers, queue, in_synthesis, load, in_flight;
  for (const auto& [engine, s] : engines) {
    workers.push_back({{engine, "ready"}, d(s.ready)});
    workers.push_back({{engine, "busy"}, d(s.busy)});
    queue.push_back({{engine}, d(s.waiting_streams)});
    in_synthesis.push_back({{engine}, d(s.streams_in_synthesis)});
    load.push_back({{engine}, s.realtime_load});
    in_flight.push_back({{engine}, d(s.streams_in_flight)});
  }
  metrics::render_gauge(out, "rtts_workers", "Worker processes per engine and state.", {"engine", "state"}, workers);
  metrics::render_gauge(out, "rtts_queue_depth", "Streams waiting for a worker, per engine.", {"engine"}, queue);
  metrics::render_gauge(out, "rtts_streams_in_synthesis", "Admitted streams with text left to synthesize, per engine.", {"engine"}, in_synthesis);
  metrics::render_gauge(out, "rtts_realtime_load",
                        "Share of the ready workers' time the streams in synthesis need to stay ahead of real-time listeners, per engine (measured speeds; --admission-load refuses above it).",
                        {"engine"}, load);
  metrics::render_gauge(out, "rtts_streams_in_flight", "Streams admitted and not yet finished, per engine (admission control counts these).", {"engine"}, in_flight);
  out += metrics::global().render();
  return out;
}

} // namespace rtts::api
