#include "worker/protocol.hpp"

#include "core/json_fields.hpp"
#include "engines/neural/voice_blend.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace rtts::worker {
namespace json = boost::json;
namespace {

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
std::uint64_t get_le(std::string_view in, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(in[i]);
  return v;
}

error protocol_error(std::string message) { return make_error(error_kind::internal, "worker protocol: " + std::move(message)); }

result<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return protocol_error("payload is not a JSON object");
  return std::move(v.as_object());
}

double get_number(const json::object& o, std::string_view key, double fallback) {
  auto* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<double>() : fallback;
}

// A count (samples, bytes): a number clamped to what a u64 holds, 0 when absent or negative.
std::uint64_t get_count(const json::object& o, std::string_view key) {
  return static_cast<std::uint64_t>(std::clamp(get_number(o, key, 0), 0.0, 1e15));
}

const std::pair<error_kind, std::string_view> kind_names[] = {
    {error_kind::invalid_request, "invalid_request"}, {error_kind::not_found, "not_found"},
    {error_kind::engine_failure, "engine_failure"},   {error_kind::internal, "internal"},
    {error_kind::unavailable, "unavailable"},         {error_kind::overloaded, "overloaded"}};

} // namespace

std::string encode_frame(frame_type type, std::uint64_t job, std::string_view payload) {
  std::string out;
  out.reserve(frame_header_bytes + payload.size());
  put_le(out, 1 + 8 + payload.size(), 4);
  out.push_back(static_cast<char>(type));
  put_le(out, job, 8);
  out.append(payload);
  return out;
}

result<std::optional<frame>> frame_decoder::next() {
  std::string_view rest = std::string_view(buffer_).substr(consumed_);
  if (rest.size() < 4) return std::optional<frame>();
  std::uint64_t length = get_le(rest, 4);
  if (length < 9 || length > max_frame_bytes) return protocol_error("bad frame length " + std::to_string(length));
  if (rest.size() < 4 + length) return std::optional<frame>();
  frame f;
  f.type = static_cast<frame_type>(static_cast<std::uint8_t>(rest[4]));
  f.job = get_le(rest.substr(5), 8);
  f.payload.assign(rest.substr(frame_header_bytes, length - 9));
  consumed_ += 4 + length;
  // Compact once the consumed prefix dominates, so the buffer stays small and copies stay rare.
  if (consumed_ > 65536 && consumed_ * 2 > buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  return std::optional<frame>(std::move(f));
}

std::string to_json(const synthesize_request& r) {
  json::object o{{"text", r.text}, {"voice", r.params.voice}, {"speed", r.params.speed}, {"pitch", r.params.pitch}};
  if (r.stream != 0) {
    o["stream"] = r.stream;
    o["last"] = r.last;
    if (r.pause_after != 0) o["pause_after"] = r.pause_after;
  }
  if (r.words) {
    o["words"] = true;
    json::array units;
    for (auto [b, e] : r.units) units.push_back(json::array{b, e});
    o["units"] = std::move(units);
  }
  if (!r.params.phonemes.empty()) {
    json::array phonemes;
    for (const auto& p : r.params.phonemes) phonemes.push_back(json::object{{"begin", p.begin}, {"end", p.end}, {"ipa", p.ipa}});
    o["phonemes"] = std::move(phonemes);
  }
  return json::serialize(o);
}

std::string resume_payload(std::uint64_t pause_after) { return json::serialize(json::object{{"pause_after", pause_after}}); }

std::uint64_t pause_after_from_resume(std::string_view payload) {
  auto o = parse_object(payload);
  return o ? get_count(*o, "pause_after") : 0;
}

std::string to_json(const timed_word& w) {
  return json::serialize(json::object{{"begin", w.begin}, {"end", w.end}, {"start", w.start_sample}, {"stop", w.end_sample}});
}

result<timed_word> timed_word_from_json(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return o.error();
  timed_word w{get_count(*o, "begin"), get_count(*o, "end"), get_count(*o, "start"), get_count(*o, "stop")};
  if (w.end < w.begin || w.end_sample < w.start_sample) return protocol_error("malformed word event");
  return w;
}

result<synthesize_request> synthesize_request_from_json(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return o.error();
  synthesize_request r;
  r.text = json_text(*o, "text");
  r.params.voice = json_text(*o, "voice");
  r.params.speed = get_number(*o, "speed", 1.0);
  r.params.pitch = get_number(*o, "pitch", 1.0);
  if (auto* words = o->if_contains("words"); words && words->is_bool()) r.words = words->as_bool();
  if (auto* stream = o->if_contains("stream"); stream && stream->is_int64() && stream->as_int64() > 0)
    r.stream = static_cast<std::uint64_t>(stream->as_int64());
  if (auto* last = o->if_contains("last"); last && last->is_bool()) r.last = last->as_bool();
  if (r.stream != 0) r.pause_after = get_count(*o, "pause_after");
  if (auto* units = o->if_contains("units"); units && units->is_array())
    for (const auto& u : units->as_array()) {
      if (!u.is_array() || u.as_array().size() != 2 || !u.as_array()[0].is_number() || !u.as_array()[1].is_number()) continue;
      auto b = u.as_array()[0].to_number<double>(), e = u.as_array()[1].to_number<double>();
      if (b >= 0 && e >= b && e <= static_cast<double>(r.text.size())) r.units.emplace_back(static_cast<std::size_t>(b), static_cast<std::size_t>(e));
    }
  if (auto* phonemes = o->if_contains("phonemes"); phonemes && phonemes->is_array())
    for (const auto& p : phonemes->as_array()) {
      if (!p.is_object()) continue;
      auto b = get_number(p.as_object(), "begin", -1), e = get_number(p.as_object(), "end", -1);
      // In order and inside the text: the engines rely on it.
      std::size_t after = r.params.phonemes.empty() ? 0 : r.params.phonemes.back().end;
      if (b >= static_cast<double>(after) && e > b && e <= static_cast<double>(r.text.size()))
        r.params.phonemes.push_back({static_cast<std::size_t>(b), static_cast<std::size_t>(e), json_text(p.as_object(), "ipa")});
    }
  return r;
}

std::string to_json(const worker_hello& h) {
  json::array voices;
  for (const auto& v : h.voices)
    voices.push_back(json::object{
        {"id", v.id}, {"name", v.name}, {"language", v.language}, {"gender", v.gender}, {"sample_rate", v.sample_rate}, {"word_timing", v.word_timing},
        {"broken", v.broken}});
  const auto& c = h.capabilities;
  json::object capabilities{{"thread_safe", c.thread_safe},
                            {"repeatable_in_process", c.repeatable_in_process},
                            {"may_exit_process", c.may_exit_process},
                            {"streams_within_sentence", c.streams_within_sentence},
                            {"ssml", c.ssml},
                            {"word_timing", c.word_timing},
                            {"pitch", c.pitch},
                            {"phonemes", c.phonemes},
                            {"stream_process", c.stream_process}};
  return json::serialize(json::object{{"engine", h.engine},
                                      {"sample_rate", h.sample_rate},
                                      {"default_voice", h.default_voice},
                                      {"voices", std::move(voices)},
                                      {"capabilities", std::move(capabilities)}});
}

result<worker_hello> worker_hello_from_json(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return o.error();
  worker_hello h;
  h.engine = json_text(*o, "engine");
  h.sample_rate = static_cast<int>(get_number(*o, "sample_rate", 0));
  h.default_voice = json_text(*o, "default_voice");
  if (auto* voices = o->if_contains("voices"); voices && voices->is_array()) {
    for (const auto& v : voices->as_array()) {
      if (!v.is_object()) continue;
      const auto& vo = v.as_object();
      auto rate = get_number(vo, "sample_rate", 0);
      h.voices.push_back({json_text(vo, "id"), json_text(vo, "name"), json_text(vo, "language"), json_text(vo, "gender"),
                          rate >= 0 && rate <= 384000 ? static_cast<int>(rate) : 0, json_text(vo, "word_timing"), json_text(vo, "broken")});
    }
  }
  if (auto* c = o->if_contains("capabilities"); c && c->is_object()) {
    const auto& co = c->as_object();
    auto flag = [&](std::string_view key) {
      auto* v = co.if_contains(key);
      return v && v->is_bool() && v->as_bool();
    };
    h.capabilities = {flag("thread_safe"), flag("repeatable_in_process"), flag("may_exit_process"), flag("streams_within_sentence"),
                      flag("ssml"), json_text(co, "word_timing"), flag("pitch"), flag("phonemes"), flag("stream_process")};
  }
  if (h.engine.empty() || h.sample_rate <= 0 || h.voices.empty()) return protocol_error("incomplete hello");
  return h;
}

namespace {

// A blended voice (engines/neural/voice_blend.hpp) speaks with its first part's rate and language.
std::string_view first_of_blend(std::string_view voice, std::string& storage) {
  if (!engines::neural::looks_like_blend(voice)) return voice;
  auto parts = engines::neural::parse_blend(voice);
  if (!parts) return voice;
  storage = parts->front().voice;
  return storage;
}

} // namespace

int worker_hello::rate_of(std::string_view blend_or_voice) const {
  std::string storage;
  auto voice = first_of_blend(blend_or_voice, storage);
  for (const auto& v : voices)
    if (v.id == voice && v.sample_rate > 0) return v.sample_rate;
  return sample_rate;
}

std::string worker_hello::word_timing_of(std::string_view voice) const {
  for (const auto& v : voices)
    if (v.id == voice && !v.word_timing.empty()) return v.word_timing;
  return capabilities.word_timing.empty() ? "estimated" : capabilities.word_timing;
}

std::string worker_hello::language_of(std::string_view blend_or_voice) const {
  std::string storage;
  auto voice = first_of_blend(blend_or_voice, storage);
  for (const auto& v : voices)
    if (v.id == voice) return v.language;
  return {};
}

std::string to_json(const error& e) {
  std::string_view kind = "internal";
  for (const auto& [k, name] : kind_names)
    if (k == e.kind) kind = name;
  return json::serialize(json::object{{"kind", kind}, {"message", e.message}, {"code", e.code}, {"param", e.param}});
}

error error_from_json(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return make_error(error_kind::engine_failure, "engine failed");
  error e{error_kind::engine_failure, json_text(*o, "message"), json_text(*o, "code"), json_text(*o, "param")};
  auto kind = json_text(*o, "kind");
  for (const auto& [k, name] : kind_names)
    if (name == kind) e.kind = k;
  return e;
}

std::string voices_to_json(const std::vector<std::string>& voices) {
  json::array a;
  for (const auto& v : voices) a.emplace_back(v);
  return json::serialize(a);
}

std::vector<std::string> voices_from_json(std::string_view text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array())
    if (e.is_string()) out.emplace_back(e.as_string());
  return out;
}

} // namespace rtts::worker
