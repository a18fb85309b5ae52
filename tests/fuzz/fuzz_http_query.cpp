// Query strings of the GET routes: parse_target and parse_tts_request on any bytes. Whatever is
// accepted must be sane: decoded values are valid UTF-8, numbers finite, the rate in range (speed
// and pitch ranges are the synthesizer's to check, for every route at once).
#include "api/tts_query.hpp"
#include "fuzz_input.hpp"
#include "text/utf8.hpp"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view target(reinterpret_cast<const char*>(data), size);
  auto parsed = rtts::api::parse_target(target);
  if (!parsed) return 0;
  for (const auto& [name, value] : parsed->params) {
    rtts::fuzz::check(rtts::text::is_valid_utf8(name), "parameter name is not UTF-8");
    rtts::fuzz::check(rtts::text::is_valid_utf8(value), "parameter value is not UTF-8");
  }
  auto request = rtts::api::parse_tts_request(*parsed);
  if (!request) return 0;
  rtts::fuzz::check(rtts::text::is_valid_utf8(request->text), "text is not UTF-8");
  rtts::fuzz::check(std::isfinite(request->voice.speed) && std::isfinite(request->voice.pitch), "a number is not finite");
  auto rate = request->output.sample_rate;
  rtts::fuzz::check(rate == 0 || (rate >= 8000 && rate <= 48000), "sample_rate out of range");
  return 0;
}
