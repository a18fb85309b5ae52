#include "api/tts_query.hpp"

#include "api/timing_json.hpp"
#include "audio/format.hpp"
#include "text/utf8.hpp"

#include <boost/url/parse.hpp>

#include <charconv>
#include <cmath>

namespace rtts::api {

std::optional<std::string> parsed_target::get(std::string_view key) const {
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  return it->second;
}

result<parsed_target> parse_target(std::string_view target) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return make_error(error_kind::invalid_request, "malformed request target (bad percent-encoding?)", "invalid_url");
  parsed_target out;
  out.path = url->path();
  if (!text::is_valid_utf8(out.path)) return make_error(error_kind::invalid_request, "the path is not valid UTF-8", "invalid_utf8");
  // params() decodes percent-escapes and '+' as space, as HTML forms and Python's requests send them.
  for (auto param : url->params()) {
    if (!text::is_valid_utf8(param.key) || !text::is_valid_utf8(param.value))
      return make_error(error_kind::invalid_request, "query parameter '" + param.key + "' is not valid UTF-8", "invalid_utf8", param.key);
    out.params.emplace(param.key, param.value);
  }
  return out;
}

result<double> parse_number(std::string_view value, std::string_view param) {
  double d = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
  if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(d))
    return make_error(error_kind::invalid_request, std::string(param) + " must be a number, got '" + std::string(value) + "'",
                      "invalid_" + std::string(param), std::string(param));
  return d;
}

bool looks_like_ssml(std::string_view text) {
  auto skip_space = [&] {
    while (!text.empty() && (text.front() == ' ' || (text.front() >= '\t' && text.front() <= '\r'))) text.remove_prefix(1);
  };
  skip_space();
  if (text.starts_with("<?xml")) {
    auto end = text.find("?>");
    if (end == std::string_view::npos) return false;
    text.remove_prefix(end + 2);
    skip_space();
  }
  // A DOCTYPE counts too: such a document is refused as SSML rather than read out as text.
  return text.starts_with("<speak") || text.starts_with("<!DOCTYPE");
}

result<bool> parse_flag(std::string_view value, std::string_view param) {
  for (std::string_view yes : {"1", "true", "yes", "on"})
    if (value == yes) return true;
  for (std::string_view no : {"0", "false", "no", "off"})
    if (value == no) return false;
  return make_error(error_kind::invalid_request, std::string(param) + " must be true or false, got '" + std::string(value) + "'",
                    "invalid_" + std::string(param), std::string(param));
}

result<tts_request> parse_tts_request(const parsed_target& target) {
  tts_request r;
  auto text = target.get("text");
  if (!text) return make_error(error_kind::invalid_request, "the 'text' query parameter is required", "missing_text", "text");
  r.text = std::move(*text);
  r.voice.engine = target.get("engine").value_or("");
  r.voice.voice = target.get("voice").value_or("");
  if (auto s = target.get("speed")) {
    auto d = parse_number(*s, "speed");
    if (!d) return d.error();
    r.voice.speed = *d;
  }
  if (auto p = target.get("pitch")) {
    auto d = parse_number(*p, "pitch");
    if (!d) return d.error();
    r.voice.pitch = *d;
  }
  if (auto n = target.get("normalize")) {
    auto flag = parse_flag(*n, "normalize");
    if (!flag) return flag.error();
    r.voice.normalize = *flag;
  }
  // ssml=1/0 decides; without it, a text that starts like a document is one.
  r.ssml = looks_like_ssml(r.text);
  if (auto v = target.get("ssml")) {
    auto flag = parse_flag(*v, "ssml");
    if (!flag) return flag.error();
    r.ssml = *flag;
  }
  auto level = parse_timestamp_level(target.get("timestamps").value_or(""));
  if (!level) return level.error();
  auto unit = parse_offset_unit(target.get("offset_units").value_or(""));
  if (!unit) return unit.error();
  r.timing = {*level, *unit};
  if (auto f = target.get("format")) {
    auto format = audio::parse_format(*f);
    if (!format) return make_error(error_kind::invalid_request, "format must be one of " + audio::format_list() + ", got '" + *f + "'", "invalid_format", "format");
    r.output.format = *format;
  }
  if (auto sr = target.get("sample_rate")) {
    auto d = parse_number(*sr, "sample_rate");
    if (!d) return d.error();
    if (*d != std::floor(*d) || *d < min_sample_rate || *d > max_sample_rate)
      return make_error(error_kind::invalid_request, "sample_rate must be an integer from 8000 to 48000", "invalid_sample_rate", "sample_rate");
    r.output.sample_rate = static_cast<int>(*d);
  }
  return r;
}

} // namespace rtts::api
