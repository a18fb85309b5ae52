#pragma once
// The MaryTTS HTTP API (port 59125 by convention), for Home Assistant's `marytts` integration
// and OpenTTS-era clients: /process, /voices, /locales, /version, /audioformats.
#include "api/tts_query.hpp"
#include "worker/protocol.hpp"

#include <string>
#include <vector>

namespace rtts::marytts {

struct process_request {
  std::string text;
  voice_options voice;
  bool ssml = false; // INPUT_TYPE=SSML
};

// INPUT_TEXT (required), INPUT_TYPE (TEXT or SSML), OUTPUT_TYPE (AUDIO), LOCALE (en_US), VOICE,
// AUDIO (WAVE_FILE or WAVE). A voice name this server does not have (clients send
// cmu-slt-hsmm by default) falls back to a voice of the LOCALE, then to the default voice;
// effects and other parameters are ignored.
result<process_request> parse_process_request(const api::parsed_target& params, const std::vector<worker::worker_hello>& engines,
                                              const std::string& default_engine);

// The plain-text listings, one item per line.
std::string voices_text(const std::vector<worker::worker_hello>& engines);
std::string locales_text(const std::vector<worker::worker_hello>& engines);
std::string version_text();
std::string audioformats_text();

} // namespace rtts::marytts
