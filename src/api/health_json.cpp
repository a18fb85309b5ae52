#include "api/health_json.hpp"

#include <boost/json.hpp>

namespace rtts::api {

std::string health_json(std::size_t active_requests, std::size_t websockets, const std::map<std::string, synth::engine_pool::stats>& engines) {
  boost::json::object per_engine;
  bool all_ready = !engines.empty();
  for (const auto& [name, s] : engines) {
    all_ready = all_ready && s.ready > 0;
    boost::json::object e{{"workers", s.workers},
                          {"ready_workers", s.ready},
                          {"busy_workers", s.busy},
                          {"waiting_streams", s.waiting_streams},
                          {"streams_in_flight", s.streams_in_flight},
                          {"streams_in_synthesis", s.streams_in_synthesis},
                          {"realtime_load", s.realtime_load}};
    if (!s.resident_voices.empty()) {
      boost::json::array resident;
      for (const auto& voices : s.resident_voices) resident.emplace_back(boost::json::array(voices.begin(), voices.end()));
      e["resident_voices"] = std::move(resident);
      e["voice_loads"] = s.voice_loads;
    }
    per_engine[name] = std::move(e);
  }
  return boost::json::serialize(boost::json::object{
      {"status", all_ready ? "ok" : "degraded"},
      {"active_requests", active_requests},
      {"websockets", websockets},
      {"engines", std::move(per_engine)}});
}

} // namespace rtts::api
