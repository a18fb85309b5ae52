#include "api/timing_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>

namespace rtts::api {
namespace json = boost::json;
namespace {

// Milliseconds are enough for captions and lip-sync, and keep the events short.
std::string seconds(double s) {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%.3f", std::max(0.0, s));
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

} // namespace

result<timestamp_level> parse_timestamp_level(std::string_view value, std::string_view param) {
  if (value == "none" || value.empty()) return timestamp_level::none;
  if (value == "sentence") return timestamp_level::sentence;
  if (value == "word") return timestamp_level::word;
  return make_error(error_kind::invalid_request, std::string(param) + " must be 'word', 'sentence' or 'none', got '" + std::string(value) + "'",
                    "invalid_timestamps", std::string(param));
}

result<offset_unit> parse_offset_unit(std::string_view value, std::string_view param) {
  if (value == "code_point" || value == "codepoint" || value.empty()) return offset_unit::code_point;
  if (value == "utf16" || value == "utf-16") return offset_unit::utf16;
  if (value == "utf8" || value == "utf-8") return offset_unit::utf8;
  return make_error(error_kind::invalid_request, std::string(param) + " must be 'code_point', 'utf16' or 'utf8', got '" + std::string(value) + "'",
                    "invalid_offset_units", std::string(param));
}

std::string_view offset_unit_name(offset_unit u) {
  return u == offset_unit::utf16 ? "utf16" : u == offset_unit::utf8 ? "utf8" : "code_point";
}

std::string timing_json(const synth::timing_event& e, std::string_view type_prefix, double time_offset) {
  using kind = synth::timing_event::kind;
  // By hand: Boost.JSON writes doubles in exponent form ("2.97E-1"); times read better as 0.297.
  std::string out = "{\"type\":\"" + std::string(type_prefix);
  out += e.type == kind::word ? "word" : e.type == kind::sentence ? "sentence" : "mark";
  out += e.type == kind::mark ? "\",\"name\":" : "\",\"text\":";
  out += json::serialize(json::string(e.text));
  out += ",\"offset\":" + std::to_string(e.offset);
  if (e.type != kind::mark) out += ",\"length\":" + std::to_string(e.length);
  out += ",\"start\":" + seconds(e.start + time_offset);
  if (e.type == kind::word) out += ",\"end\":" + seconds(e.end + time_offset);
  return out + "}";
}

std::string sse_timing_event(const synth::timing_event& e) { return "data: " + timing_json(e, "speech.") + "\n\n"; }

} // namespace rtts::api
