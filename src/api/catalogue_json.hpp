#pragma once
// JSON bodies of the catalogue routes (/engines, /voices) and plain messages.
#include "worker/protocol.hpp"

#include <string>
#include <vector>

namespace rtts::api {

std::string engines_json(const std::vector<std::string>& engines);
// ["en-us", ...] as the RealtimeTTS example returns, or, with detail, objects with id, name,
// language, gender, engine and sample_rate.
std::string voices_json(const worker::worker_hello& engine, bool detail);
std::string message_json(const std::string& message);

} // namespace rtts::api
