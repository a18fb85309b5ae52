#include "api/ws_messages.hpp"

#include "api/base64.hpp"
#include "api/timing_json.hpp"
#include "api/error_body.hpp"
#include "api/openai_speech.hpp"
#include "audio/format.hpp"

#include <boost/json.hpp>

#include <cmath>

namespace rtts::api {
namespace json = boost::json;
namespace {

error bad(std::string message, std::string code = "invalid_message") {
  return make_error(error_kind::invalid_request, std::move(message), std::move(code));
}

std::string type_event(std::string_view type, json::object fields = {}) {
  fields["type"] = type;
  return json::serialize(fields);
}

json::object error_object(const error& e) {
  return json::parse(error_json(e)).as_object().at("error").as_object();
}

} // namespace

std::string ws_audio_output(std::string_view bytes, int sample_rate, bool is_header) {
  // Hand-built (this runs per chunk); key order as the RealtimeTTS example sends it.
  std::string out = "{\"audioOutput\":{\"audio\":\"" + base64_encode(bytes) + "\",\"format\":\"wav\",\"sampleRate\":" +
                    std::to_string(sample_rate);
  out += is_header ? ",\"isHeader\":true}}" : "}}";
  return out;
}

std::string ws_final_output() { return R"({"finalOutput":{"isFinal":true}})"; }

result<stream_message> parse_stream_message(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return bad("messages are JSON objects with a \"type\"", "invalid_json");
  const auto& o = v.as_object();
  auto* type = o.if_contains("type");
  if (!type || !type->is_string()) return bad("the message has no \"type\"");
  std::string_view t = type->as_string();
  if (t == "text") {
    auto* s = o.if_contains("text");
    if (!s || !s->is_string()) return bad("a text message needs a string \"text\"");
    return stream_message{stream_text{std::string(s->as_string())}};
  }
  if (t == "flush") return stream_message{stream_flush{}};
  if (t == "end") return stream_message{stream_end{}};
  if (t == "cancel") return stream_message{stream_cancel{}};
  if (t != "config") return bad("unknown message type '" + std::string(t) + "'", "unknown_type");

  stream_config c;
  auto get_string = [&](std::string_view key, std::string& out) -> result<void> {
    auto* f = o.if_contains(key);
    if (!f || f->is_null()) return {};
    if (!f->is_string()) return bad("\"" + std::string(key) + "\" must be a string", "invalid_" + std::string(key));
    out = std::string(f->as_string());
    return {};
  };
  auto get_number = [&](std::string_view key, double& out) -> result<void> {
    auto* f = o.if_contains(key);
    if (!f || f->is_null()) return {};
    if (!f->is_number()) return bad("\"" + std::string(key) + "\" must be a number", "invalid_" + std::string(key));
    out = f->to_number<double>();
    return {};
  };
  std::string format = "pcm";
  double rate = 0;
  for (auto r : {get_string("engine", c.voice.engine), get_string("voice", c.voice.voice), get_string("format", format),
                 get_number("speed", c.voice.speed), get_number("pitch", c.voice.pitch), get_number("sample_rate", rate)})
    if (!r) return r.error();
  if (auto colon = c.voice.voice.find(':'); colon != std::string::npos && c.voice.engine.empty()) {
    c.voice.engine = c.voice.voice.substr(0, colon);
    c.voice.voice = c.voice.voice.substr(colon + 1);
  }
  if (format == "pcm") c.format = audio_format::pcm;
  else if (format == "wav") c.format = audio_format::wav;
  else return bad("format must be \"pcm\" or \"wav\"", "invalid_format");
  if (rate != std::floor(rate) || rate < 0 || rate > max_sample_rate || (rate > 0 && rate < min_sample_rate))
    return bad("sample_rate must be an integer from 8000 to 48000", "invalid_sample_rate");
  c.sample_rate = static_cast<int>(rate);
  if (auto* b = o.if_contains("binary"); b && !b->is_null()) {
    if (!b->is_bool()) return bad("\"binary\" must be true or false", "invalid_binary");
    c.binary = b->as_bool();
  }
  for (auto [key, out] : {std::pair{"normalize", &c.voice.normalize}, std::pair{"ssml", &c.ssml}})
    if (auto* n = o.if_contains(key); n && !n->is_null()) {
      if (!n->is_bool()) return bad("\"" + std::string(key) + "\" must be true or false", "invalid_" + std::string(key));
      *out = n->as_bool();
    }
  std::string timestamps, units;
  for (auto r : {get_string("timestamps", timestamps), get_string("offset_units", units)})
    if (!r) return r.error();
  auto level = parse_timestamp_level(timestamps);
  if (!level) return level.error();
  auto unit = parse_offset_unit(units);
  if (!unit) return unit.error();
  c.timing = {*level, *unit};
  return stream_message{c};
}

std::string stream_ready(const stream_config& c, const std::string& engine, const std::string& voice) {
  return type_event("ready", {{"engine", engine},
                              {"voice", voice},
                              {"speed", c.voice.speed},
                              {"pitch", c.voice.pitch},
                              {"format", audio::format_name(c.format)},
                              {"sample_rate", c.sample_rate ? c.sample_rate : openai_default_rate},
                              {"binary", c.binary}});
}

std::string stream_audio_start(int sample_rate, audio_format format) {
  return type_event("audio_start", {{"sample_rate", sample_rate}, {"format", audio::format_name(format)}, {"channels", 1}});
}

std::string stream_first_audio(double latency_ms) { return type_event("first_audio", {{"latency_ms", latency_ms}}); }
std::string stream_sentence(std::string_view text) { return type_event("sentence", {{"text", text}}); }
std::string stream_audio_json(std::string_view bytes) { return "{\"type\":\"audio\",\"audio\":\"" + base64_encode(bytes) + "\"}"; }
std::string stream_cancelled(std::uint64_t samples_sent, std::string_view last_word) {
  json::object o{{"type", "cancelled"}, {"samples_sent", samples_sent}};
  if (!last_word.empty()) o["last_word"] = json::parse(last_word);
  return json::serialize(o);
}
std::string stream_done(std::uint64_t samples_sent) { return type_event("done", {{"samples_sent", samples_sent}}); }

std::string stream_error(const error& e) { return type_event("error", {{"error", error_object(e)}}); }
std::string ws_error(const error& e) { return json::serialize(json::object{{"error", error_object(e)}}); }

} // namespace rtts::api
