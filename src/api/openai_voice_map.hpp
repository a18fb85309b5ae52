#pragma once
// Which voice each OpenAI voice name (alloy, nova, ...) speaks with, now. Names given with
// --openai-voice keep what they were given. The others go to the installed neural English
// voices, best first (Kokoro, then Piper by quality, then Kitten and Matcha), one name per voice
// as far as they go and round again after; with no neural English voice installed they keep the
// eSpeak NG English accents of server_config. Computed per request: voices come and go.
#include "core/config.hpp"
#include "worker/protocol.hpp"

#include <map>
#include <string>
#include <vector>

namespace rtts::api {

std::map<std::string, std::string> openai_voice_map(const server_config& config, const std::vector<const worker::worker_hello*>& engines);

} // namespace rtts::api
