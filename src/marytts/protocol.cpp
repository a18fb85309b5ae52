// The MaryTTS protocol: request parsing and the plain-text listings (see protocol.hpp).
#include "marytts/protocol.hpp"

#include <algorithm>
#include <set>

namespace rtts::marytts {
namespace {

// "en_US" -> "en-us"
std::string from_locale(std::string locale) {
  for (auto& c : locale) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return locale;
}

// "en-us" -> "en_US"
std::string to_locale(const std::string& language) {
  auto dash = language.find('-');
  if (dash == std::string::npos) return language;
  std::string region = language.substr(dash + 1);
  if (region.size() != 2) return language.substr(0, dash); // "en-gb-scotland" -> "en"
  for (auto& c : region) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return language.substr(0, dash) + "_" + region;
}

} // namespace

result<process_request> parse_process_request(const api::parsed_target& params, const std::vector<worker::worker_hello>& engines,
                                              const std::string& default_engine) {
  process_request r;
  auto text = params.get("INPUT_TEXT");
  if (!text) return make_error(error_kind::invalid_request, "INPUT_TEXT is required", "missing_text", "INPUT_TEXT");
  r.text = *text;
  auto input_type = params.get("INPUT_TYPE").value_or("TEXT");
  if (input_type != "TEXT" && input_type != "SSML")
    return make_error(error_kind::invalid_request, "INPUT_TYPE must be TEXT or SSML", "invalid_input_type", "INPUT_TYPE");
  r.ssml = input_type == "SSML";
  if (auto output = params.get("OUTPUT_TYPE"); output && *output != "AUDIO")
    return make_error(error_kind::invalid_request, "OUTPUT_TYPE must be AUDIO", "invalid_output_type", "OUTPUT_TYPE");
  if (auto audio = params.get("AUDIO"); audio && *audio != "WAVE_FILE" && *audio != "WAVE")
    return make_error(error_kind::invalid_request, "AUDIO must be WAVE_FILE or WAVE", "invalid_audio", "AUDIO");

  std::string voice = params.get("VOICE").value_or("");
  std::string language = from_locale(params.get("LOCALE").value_or(""));
  auto find = [&](auto matches) -> std::optional<std::pair<std::string, std::string>> {
    for (const auto& e : engines) {
      if (e.engine != default_engine) continue;
      for (const auto& v : e.voices)
        if (matches(v)) return std::pair{e.engine, v.id};
    }
    return std::nullopt;
  };
  std::optional<std::pair<std::string, std::string>> chosen;
  if (!voice.empty()) chosen = find([&](const engines::voice_info& v) { return v.id == voice; });
  if (!chosen && !language.empty()) chosen = find([&](const engines::voice_info& v) { return v.language == language; });
  if (!chosen && !language.empty()) {
    auto base = language.substr(0, language.find('-'));
    chosen = find([&](const engines::voice_info& v) { return v.language == base || v.language.starts_with(base + "-"); });
  }
  if (chosen) {
    r.voice.engine = chosen->first;
    r.voice.voice = chosen->second;
  }
  return r;
}

std::string voices_text(const std::vector<worker::worker_hello>& engines) {
  std::string out;
  for (const auto& e : engines)
    for (const auto& v : e.voices) out += v.id + " " + to_locale(v.language) + " " + (v.gender.empty() ? "unknown" : v.gender) + " " + e.engine + "\n";
  return out;
}

std::string locales_text(const std::vector<worker::worker_hello>& engines) {
  std::set<std::string> locales;
  for (const auto& e : engines)
    for (const auto& v : e.voices) locales.insert(to_locale(v.language));
  std::string out;
  for (const auto& l : locales) out += l + "\n";
  return out;
}

std::string version_text() { return "Mary TTS server 5.2 (rtts 0.1.0)\n"; }
std::string audioformats_text() { return "WAVE_FILE\n"; }

} // namespace rtts::marytts
