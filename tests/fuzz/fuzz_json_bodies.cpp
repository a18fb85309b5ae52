// The JSON bodies clients send: POST /v1/audio/speech (with several Content-Types) and the
// messages of the /v1/audio/speech-stream WebSocket. Accepted values must be sane: text valid
// UTF-8, numbers finite, rates in range (speed and pitch ranges are the synthesizer's to check).
#include "api/openai_speech.hpp"
#include "api/ws_messages.hpp"
#include "fuzz_input.hpp"
#include "text/utf8.hpp"

#include <cmath>
#include <variant>

namespace {

void check_voice(const rtts::voice_options& v) {
  rtts::fuzz::check(std::isfinite(v.speed) && std::isfinite(v.pitch), "a number is not finite");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtts::fuzz::input in(data, size);
  static const rtts::server_config config;
  static const std::vector<std::string> engines{"espeak", "flite"};
  static const char* content_types[] = {"application/json", "application/json; charset=utf-8", "text/plain", "", "APPLICATION/JSON"};
  auto content_type = content_types[in.byte() % std::size(content_types)];
  auto body = in.rest();

  if (auto speech = rtts::api::parse_speech_request(content_type, body, config, engines)) {
    rtts::fuzz::check(rtts::text::is_valid_utf8(speech->input), "input is not UTF-8");
    check_voice(speech->voice);
    rtts::fuzz::check(speech->sample_rate == 0 || (speech->sample_rate >= 8000 && speech->sample_rate <= 48000), "rate out of range");
  }
  if (auto message = rtts::api::parse_stream_message(body)) {
    if (auto* c = std::get_if<rtts::api::stream_config>(&*message)) {
      check_voice(c->voice);
      rtts::fuzz::check(c->sample_rate == 0 || (c->sample_rate >= 8000 && c->sample_rate <= 48000), "rate out of range");
    }
    if (auto* t = std::get_if<rtts::api::stream_text>(&*message))
      rtts::fuzz::check(rtts::text::is_valid_utf8(t->text), "text is not UTF-8");
  }
  return 0;
}
