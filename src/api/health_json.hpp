#pragma once
// GET /health: liveness plus what the server is doing right now, for operators and tests.
#include "synth/engine_pool.hpp"

#include <map>
#include <string>

namespace rtts::api {

std::string health_json(std::size_t active_requests, std::size_t websockets, const std::map<std::string, synth::engine_pool::stats>& engines);

} // namespace rtts::api
