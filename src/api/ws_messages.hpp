#pragma once
// Messages of the two WebSocket protocols (no transport here; see src/server/ws_session.cpp).
//
// /ws (RealtimeTTS): client sends plain text, one utterance per message; the server answers
//   {"audioOutput":{"audio":B64,"format":"wav","sampleRate":N,"isHeader":true}}   (WAV header)
//   {"audioOutput":{"audio":B64,"format":"wav","sampleRate":N}}                   (PCM, repeated)
//   {"finalOutput":{"isFinal":true}}
//
// /v1/audio/speech-stream: JSON messages both ways, documented in docs/api.md.
#include "core/error.hpp"
#include "core/speech_options.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace rtts::api {

// --- /ws ---
std::string ws_audio_output(std::string_view bytes, int sample_rate, bool is_header);
std::string ws_final_output();

// --- /v1/audio/speech-stream, client -> server ---
struct stream_config {
  voice_options voice;
  audio_format format = audio_format::pcm; // pcm or wav
  int sample_rate = 0;                     // 0 = 24000
  bool binary = true;                      // audio as binary frames (else base64 JSON)
  bool ssml = false;                       // each text message is one SSML document (/ws: any message starting with <speak is)
  timing_options timing;                   // word/sentence/mark events
};
struct stream_text {
  std::string text;
};
struct stream_flush {};
struct stream_end {};
struct stream_cancel {};
using stream_message = std::variant<stream_config, stream_text, stream_flush, stream_end, stream_cancel>;

result<stream_message> parse_stream_message(std::string_view json);

// --- /v1/audio/speech-stream, server -> client ---
std::string stream_ready(const stream_config& config, const std::string& engine, const std::string& voice);
std::string stream_audio_start(int sample_rate, audio_format format);
std::string stream_first_audio(double latency_ms);
std::string stream_sentence(std::string_view text);
std::string stream_audio_json(std::string_view bytes);
// `last_word`: the timing JSON of the last word whose audio was all sent (empty: none or not asked).
std::string stream_cancelled(std::uint64_t samples_sent, std::string_view last_word = {});
std::string stream_done(std::uint64_t samples_sent);
// {"type":"error","error":{"message","type","code"}}; also used on /ws as {"error":{...}}.
std::string stream_error(const error& e);
std::string ws_error(const error& e);

} // namespace rtts::api
