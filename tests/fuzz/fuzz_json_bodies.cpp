// The JSON bodies clients send: POST /v1/audio/speech (with several Content-Types) and the
// messages of the /v1/audio/speech-stream WebSocket. Accepted values must be sane: text valid
// UTF-8, numbers finite, rates in range (speed and pitch ranges are the synthesizer's to check).
// Also what comes from elsewhere as JSON or names: a voice catalogue (fetched from the network)
// and blended voice names; what they accept must be safe to use as paths and weights.
#include "api/openai_speech.hpp"
#include "api/ws_messages.hpp"
#include "engines/neural/piper_catalogue.hpp"
#include "engines/neural/sherpa_release_catalogue.hpp"
#include "engines/neural/voice_blend.hpp"
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
    if (auto parts = rtts::engines::neural::parse_blend(speech->voice.voice)) {
      double total = 0;
      for (const auto& p : *parts) total += p.weight;
      rtts::fuzz::check(parts->size() >= 2 && std::abs(total - 1) < 1e-9, "a blend's weights do not sum to 1");
    }
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
  if (auto catalogue = rtts::engines::neural::parse_piper_catalogue(body)) {
    for (const auto& v : *catalogue) {
      rtts::fuzz::check(v.files.size() == 2 && v.id.find('/') == std::string::npos && !v.id.starts_with("."), "an unsafe voice id");
      for (const auto& f : v.files) {
        // Every segment a plain name: nothing that climbs out or starts at the root.
        bool safe = !f.path.empty() && f.path.front() != '/';
        std::size_t at = 0;
        while (safe) {
          auto slash = f.path.find('/', at);
          auto part = f.path.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
          safe = !part.empty() && part != "." && part != "..";
          if (slash == std::string::npos) break;
          at = slash + 1;
        }
        rtts::fuzz::check(safe, "a path leaves the catalogue");
      }
    }
  }
  if (auto packages = rtts::engines::neural::parse_sherpa_release(body)) {
    for (const auto& v : *packages) {
      // The id becomes a folder name in the voices folder; the file is fetched over HTTPS only.
      bool plain = !v.id.empty() && v.id.front() != '.' && v.id.find('/') == std::string::npos;
      rtts::fuzz::check(plain, "an unsafe package id");
      rtts::fuzz::check(v.files.size() == 1 && v.files[0].sha256.size() == 64 && v.files[0].url.starts_with("https://"), "an unverifiable package");
    }
  }
  return 0;
}
