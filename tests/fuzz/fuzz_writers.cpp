// The writers, with random sizes and contents: WAV headers read back as written; base64 and the
// SSE audio events carry the bytes exactly; the WAV header reader survives any bytes.
#include "api/base64.hpp"
#include "api/sse_events.hpp"
#include "audio/wav.hpp"
#include "fuzz_input.hpp"

#include <boost/json/parse.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtts::fuzz::input in(data, size);
  std::uint32_t rate = 0, data_bytes = 0;
  for (int i = 0; i < 4; ++i) rate = rate << 8 | in.byte();
  for (int i = 0; i < 4; ++i) data_bytes = data_bytes << 8 | in.byte();
  auto channels = static_cast<std::uint16_t>(1 + in.byte() % 8);
  bool streaming = in.byte() & 1;
  auto bytes = in.rest();

  if (rate > 0) {
    auto header = rtts::audio::make_wav_header(rate, channels, streaming ? std::nullopt : std::optional<std::uint32_t>(data_bytes));
    auto info = rtts::audio::parse_wav_header({reinterpret_cast<const char*>(header.data()), header.size()});
    rtts::fuzz::check(info.has_value(), "own WAV header unreadable");
    rtts::fuzz::check(info->sample_rate == rate && info->channels == channels && info->bits_per_sample == 16, "WAV header fields changed");
    rtts::fuzz::check(info->data_offset == rtts::audio::wav_header_bytes, "WAV data offset");
    rtts::fuzz::check(info->data_size == (streaming ? rtts::audio::streaming_size : data_bytes), "WAV data size changed");
  }
  (void)rtts::audio::parse_wav_header(bytes);

  auto encoded = rtts::api::base64_encode(bytes);
  rtts::fuzz::check(encoded.size() % 4 == 0, "base64 not padded");
  rtts::fuzz::check(rtts::api::base64_decode(encoded) == bytes, "base64 round trip");

  auto sse = rtts::api::sse_audio_delta(bytes);
  rtts::fuzz::check(sse.starts_with("data: ") && sse.ends_with("\n\n"), "SSE framing");
  rtts::fuzz::check(sse.find('\n') == sse.size() - 2, "SSE event split over lines");
  auto event = boost::json::parse(std::string_view(sse).substr(6, sse.size() - 8)).as_object();
  rtts::fuzz::check(rtts::api::base64_decode(event.at("audio").as_string()) == bytes, "SSE audio bytes changed");
  return 0;
}
