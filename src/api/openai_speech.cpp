#include "api/openai_speech.hpp"

#include "api/timing_json.hpp"
#include "api/tts_query.hpp"
#include "audio/format.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

namespace rtts::api {
namespace json = boost::json;
namespace {

error bad(std::string message, std::string param, std::string code = "invalid_value") {
  return make_error(error_kind::invalid_request, std::move(message), std::move(code), std::move(param));
}

bool is_json_content_type(std::string_view type) {
  auto semicolon = type.find(';');
  auto media = type.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower(media);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "application/json";
}

result<std::string> string_field(const json::object& o, std::string_view key, bool required) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (required) return bad("'" + std::string(key) + "' is required", std::string(key), "missing_" + std::string(key));
    return std::string();
  }
  if (!v->is_string()) return bad("'" + std::string(key) + "' must be a string", std::string(key));
  return std::string(v->as_string());
}

result<double> number_field(const json::object& o, std::string_view key, double fallback) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_number()) return bad("'" + std::string(key) + "' must be a number", std::string(key), "invalid_" + std::string(key));
  return v->to_number<double>();
}

} // namespace

const std::vector<std::string>& openai_model_ids() {
  static const std::vector<std::string> ids = {"tts-1", "tts-1-hd", "gpt-4o-mini-tts", "gpt-4o-tts"};
  return ids;
}

result<speech_request> parse_speech_request(std::string_view content_type, std::string_view body, const server_config& config,
                                            const std::vector<std::string>& engines, const std::map<std::string, std::string>* aliases) {
  const auto& names = aliases ? *aliases : config.openai_voices;
  if (!is_json_content_type(content_type))
    return make_error(error_kind::unsupported_media_type, "Content-Type must be application/json", "unsupported_media_type");
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec) return bad("the body is not valid JSON: " + ec.message(), "", "invalid_json");
  if (!parsed.is_object()) return bad("the body must be a JSON object", "", "invalid_json");
  const auto& o = parsed.as_object();

  speech_request r;
  auto input = string_field(o, "input", true);
  if (!input) return input.error();
  r.input = std::move(*input);

  auto model = string_field(o, "model", false);
  if (!model) return model.error();
  auto is_engine = [&](const std::string& name) { return std::find(engines.begin(), engines.end(), name) != engines.end(); };
  const auto& ids = openai_model_ids();
  if (is_engine(*model)) r.voice.engine = *model;
  else if (!model->empty() && std::find(ids.begin(), ids.end(), *model) == ids.end())
    return bad("unknown model '" + *model + "'; GET /v1/models lists them", "model", "model_not_found");

  auto engine = string_field(o, "engine", false);
  if (!engine) return engine.error();
  if (!engine->empty()) {
    if (!is_engine(*engine)) return bad("unknown engine '" + *engine + "'", "engine", "unknown_engine");
    r.voice.engine = *engine;
  }

  // A voice name, or (as OpenAI's API now also takes) an object {"id": name}.
  auto voice_field = o.if_contains("voice");
  auto voice = voice_field && voice_field->is_object() ? string_field(voice_field->as_object(), "id", true) : string_field(o, "voice", false);
  if (!voice) return bad("'voice' must be a voice name or an object {\"id\": name}", "voice", "invalid_voice");
  std::string v = *voice;
  if (auto mapped = names.find(v); mapped != names.end()) v = mapped->second;
  if (auto colon = v.find(':'); colon != std::string::npos) {
    std::string voice_engine = v.substr(0, colon);
    if (!is_engine(voice_engine)) return bad("unknown engine '" + voice_engine + "' in voice '" + *voice + "'", "voice", "unknown_voice");
    if (!engine->empty() && *engine != voice_engine)
      return bad("voice '" + *voice + "' belongs to engine '" + voice_engine + "', not '" + *engine + "'", "voice", "unknown_voice");
    r.voice.engine = voice_engine; // a voice that names its engine decides the engine
    v = v.substr(colon + 1);
  }
  r.voice.voice = v;

  auto format = string_field(o, "response_format", false);
  if (!format) return format.error();
  if (!format->empty()) {
    auto f = audio::parse_format(*format);
    if (!f) return bad("response_format must be one of " + audio::format_list(), "response_format", "invalid_response_format");
    r.format = *f;
  }

  auto speed = number_field(o, "speed", 1.0);
  if (!speed) return speed.error();
  r.voice.speed = *speed;
  auto pitch = number_field(o, "pitch", 1.0);
  if (!pitch) return pitch.error();
  r.voice.pitch = *pitch;
  auto rate = number_field(o, "sample_rate", 0);
  if (!rate) return rate.error();
  if (*rate != std::floor(*rate) || *rate < 0 || *rate > max_sample_rate || (*rate > 0 && *rate < min_sample_rate)) return bad("sample_rate must be an integer from 8000 to 48000", "sample_rate", "invalid_sample_rate");
  r.sample_rate = static_cast<int>(*rate);

  auto stream_format = string_field(o, "stream_format", false);
  if (!stream_format) return stream_format.error();
  if (*stream_format == "sse") r.sse = true;
  else if (!stream_format->empty() && *stream_format != "audio")
    return bad("stream_format must be 'audio' or 'sse'", "stream_format", "invalid_stream_format");

  if (auto* n = o.if_contains("normalize"); n && !n->is_null()) { // rtts extension
    if (!n->is_bool()) return bad("normalize must be true or false", "normalize", "invalid_normalize");
    r.voice.normalize = n->as_bool();
  }

  r.ssml = looks_like_ssml(r.input);                         // a document unless "ssml" says otherwise
  if (auto* n = o.if_contains("ssml"); n && !n->is_null()) { // rtts extension
    if (!n->is_bool()) return bad("ssml must be true or false", "ssml", "invalid_ssml");
    r.ssml = n->as_bool();
  }
  auto timestamps = string_field(o, "timestamps", false); // rtts extension
  if (!timestamps) return timestamps.error();
  auto level = parse_timestamp_level(*timestamps);
  if (!level) return level.error();
  auto units = string_field(o, "offset_units", false);
  if (!units) return units.error();
  auto unit = parse_offset_unit(*units);
  if (!unit) return unit.error();
  r.timing = {*level, *unit};
  if (r.timing.level != timestamp_level::none && !r.sse)
    return bad("timestamps come as server-sent events: set stream_format to 'sse'", "timestamps", "timestamps_need_sse");

  auto instructions = string_field(o, "instructions", false);
  if (!instructions) return instructions.error();
  r.instructions_ignored = !instructions->empty();
  return r;
}

} // namespace rtts::api
