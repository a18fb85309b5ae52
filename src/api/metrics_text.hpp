#pragma once
// GET /metrics: the Prometheus text format. Counters and histograms come from the registry;
// gauges (sessions, workers, queues) are read from live state at scrape time.
#include "synth/engine_pool.hpp"

#include <map>
#include <string>

namespace rtts::api {

std::string metrics_text(std::size_t active_requests, std::size_t websockets, std::size_t connections, const std::map<std::string, synth::engine_pool::stats>& engines);

} // namespace rtts::api
