#include "api/metrics_text.hpp"

#include "metrics/registry.hpp"

namespace rtts::api {

std::string metrics_text(std::size_t active_requests, std::size_t websockets, std::size_t connections, const std::map<std::string, synth::engine_pool::stats>& engines) {
  std::string out;
  auto gauge = [&](const char* name, const char* help) { out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n"; };
  gauge("rtts_active_requests", "HTTP requests being answered.");
  out += "rtts_active_requests " + std::to_string(active_requests) + "\n";
  gauge("rtts_open_connections", "Open TCP connections of the HTTP listener (WebSockets included).");
  out += "rtts_open_connections " + std::to_string(connections) + "\n";
  gauge("rtts_websocket_sessions", "Open WebSocket sessions.");
  out += "rtts_websocket_sessions " + std::to_string(websockets) + "\n";
  gauge("rtts_workers", "Worker processes per engine and state.");
  for (const auto& [engine, s] : engines) {
    auto e = metrics::escape_label(engine);
    out += "rtts_workers{engine=\"" + e + "\",state=\"ready\"} " + std::to_string(s.ready) + "\n";
    out += "rtts_workers{engine=\"" + e + "\",state=\"busy\"} " + std::to_string(s.busy) + "\n";
  }
  gauge("rtts_queue_depth", "Streams waiting for a worker, per engine.");
  for (const auto& [engine, s] : engines) out += "rtts_queue_depth{engine=\"" + metrics::escape_label(engine) + "\"} " + std::to_string(s.waiting_streams) + "\n";
  gauge("rtts_streams_in_synthesis", "Admitted streams with text left to synthesize, per engine.");
  for (const auto& [engine, s] : engines)
    out += "rtts_streams_in_synthesis{engine=\"" + metrics::escape_label(engine) + "\"} " + std::to_string(s.streams_in_synthesis) + "\n";
  gauge("rtts_realtime_load", "Share of the ready workers' time the streams in synthesis need to stay ahead of real-time listeners, per engine (measured speeds; --admission-load refuses above it).");
  for (const auto& [engine, s] : engines)
    out += "rtts_realtime_load{engine=\"" + metrics::escape_label(engine) + "\"} " + std::to_string(s.realtime_load) + "\n";
  gauge("rtts_streams_in_flight", "Streams admitted and not yet finished, per engine (admission control counts these).");
  for (const auto& [engine, s] : engines)
    out += "rtts_streams_in_flight{engine=\"" + metrics::escape_label(engine) + "\"} " + std::to_string(s.streams_in_flight) + "\n";
  out += metrics::global().render();
  return out;
}

} // namespace rtts::api
