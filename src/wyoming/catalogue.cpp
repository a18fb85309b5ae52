#include "wyoming/catalogue.hpp"

#include "core/ascii.hpp"
#include "core/json_fields.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace rtts::wyoming {
namespace json = boost::json;

voice_options pick_voice(const synth::synthesizer& synth, const json::object& data) {
  voice_options v;
  auto* voice = data.if_contains("voice");
  if (!voice || !voice->is_object()) return v;
  std::string name = json_text(voice->as_object(), "name");
  std::string language = language_key(json_text(voice->as_object(), "language"));
  if (auto colon = name.find(':'); colon != std::string::npos) {
    v.engine = name.substr(0, colon);
    v.voice = name.substr(colon + 1);
  } else {
    v.voice = name;
  }
  if (v.voice.empty() && !language.empty()) {
    if (auto info = synth.engine_info(v.engine)) {
      for (const auto& candidate : (*info)->voices)
        if (candidate.language == language || (v.voice.empty() && candidate.language.starts_with(language))) v.voice = candidate.id;
    }
  }
  return v;
}

event info_event(const synth::synthesizer& synth) {
  json::array voices;
  for (const auto& engine : synth.engine_names()) {
    auto info = synth.engine_info(engine);
    if (!info) continue;
    for (const auto& v : (*info)->voices)
      voices.push_back(json::object{{"name", engine + ":" + v.id},
                                    {"description", v.name},
                                    {"attribution", json::object{{"name", engine == "espeak" ? "eSpeak NG" : engine}, {"url", ""}}},
                                    {"installed", true},
                                    {"version", nullptr},
                                    {"languages", json::array{json::value(v.language)}},
                                    {"speakers", nullptr}});
  }
  // With --auto-pull, what the catalogues offer is listed too, not installed (Home Assistant shows
  // those as voices it can pick; the first request for one installs it).
  for (const auto& v : synth.pullable_voices())
    voices.push_back(json::object{{"name", v.engine + ":" + v.id},
                                  {"description", v.id + " (installed on first use)"},
                                  {"attribution", json::object{{"name", v.engine}, {"url", ""}}},
                                  {"installed", false},
                                  {"version", nullptr},
                                  {"languages", json::array{json::value(v.language)}},
                                  {"speakers", nullptr}});
  json::object program{{"name", "rtts"},
                       {"description", "rtts real-time text-to-speech"},
                       {"attribution", json::object{{"name", "rtts"}, {"url", ""}}},
                       {"installed", true},
                       {"version", "0.1.0"},
                       {"supports_synthesize_streaming", true},
                       {"voices", std::move(voices)}};
  return {"info", json::object{{"tts", json::array{std::move(program)}}, {"asr", json::array{}}, {"wake", json::array{}},
                               {"handle", json::array{}}, {"intent", json::array{}}}, {}};
}

} // namespace rtts::wyoming
