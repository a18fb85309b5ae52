#pragma once
// JSON bodies of the catalogue routes (/engines, /voices) and plain messages.
#include "worker/protocol.hpp"

#include <map>
#include <string>
#include <vector>

namespace rtts::api {

std::string engines_json(const std::vector<std::string>& engines);
// GET /engines?detail=1: each engine's rate, default voice, voice count, languages and capabilities.
std::string engines_detail_json(const std::vector<worker::worker_hello>& engines);
// ["en-us", ...] as the RealtimeTTS example returns, or, with detail, objects with id, name,
// language, gender, engine and sample_rate.
// With `detail`, each voice's fields and status; broken voices (detail only) say why.
std::string voices_json(const worker::worker_hello& engine, bool detail, const std::vector<engines::voice_info>& broken = {});
std::string message_json(const std::string& message);

// GET /v1/models: OpenAI's list shape; the OpenAI model ids plus one model per engine.
std::string models_json(const std::vector<std::string>& engines);
// GET /v1/audio/voices: the OpenAI voice names with what they map to, then every native voice
// as "engine:voice".
std::string openai_voices_json(const std::map<std::string, std::string>& aliases, const std::vector<worker::worker_hello>& engines);

} // namespace rtts::api
