#pragma once
// POST /v1/audio/speech: OpenAI's request body, decoded and validated, mapped onto rtts.
//
// model: "tts-1", "tts-1-hd", "gpt-4o-mini-tts", "gpt-4o-tts" use the server's default engine; an
//        engine name ("espeak") uses that engine. The `engine` extension field wins over both.
// voice: an OpenAI voice name (mapped through config.openai_voices), "engine:voice", or a voice
//        id of the chosen engine.
#include "core/config.hpp"
#include "core/speech_options.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace rtts::api {

struct speech_request {
  std::string input;
  voice_options voice;
  audio_format format = audio_format::mp3;
  int sample_rate = 0; // 0 = 24000 (OpenAI's rate; 8000 for G.711)
  bool sse = false;
  bool ssml = false;     // rtts extension: `ssml: true`, or an input that starts with "<speak"
  timing_options timing; // rtts extension: `timestamps` ("word", "sentence"), `offset_units`; needs SSE
  // OpenAI's `instructions` (a style prompt): no engine here can follow one, so it is ignored
  // and the answer says so (header X-Instructions-Ignored).
  bool instructions_ignored = false;
};

inline constexpr int openai_default_rate = 24000;

// Parses and validates the body (voice existence is checked later, by the synthesizer).
// Errors: 415 for a non-JSON Content-Type, 400 for malformed JSON or bad fields.
// `aliases`: the OpenAI voice names as they map now (openai_voice_map.hpp); null = config's.
result<speech_request> parse_speech_request(std::string_view content_type, std::string_view body, const server_config& config,
                                            const std::vector<std::string>& engines,
                                            const std::map<std::string, std::string>* aliases = nullptr);

// OpenAI model ids rtts accepts besides engine names.
const std::vector<std::string>& openai_model_ids();

} // namespace rtts::api
