#include "audio/format.hpp"

#include <algorithm>
#include <array>

namespace rtts::audio {
namespace {

struct format_info {
  audio_format format;
  std::string_view name;
  std::string_view mime;
};

constexpr std::array<format_info, 8> formats = {{
    {audio_format::wav, "wav", "audio/wav"},
    {audio_format::pcm, "pcm", "audio/L16"},
    {audio_format::mp3, "mp3", "audio/mpeg"},
    {audio_format::opus, "opus", "audio/ogg; codecs=opus"},
    {audio_format::aac, "aac", "audio/aac"},
    {audio_format::flac, "flac", "audio/flac"},
    {audio_format::ulaw, "ulaw", "audio/basic"},
    {audio_format::alaw, "alaw", "audio/x-alaw-basic"},
}};

// The rates MPEG-1/2/2.5 layer III and ADTS AAC can signal, within our 8-48 kHz range.
constexpr std::array<int, 9> mpeg_rates = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};

const format_info& info(audio_format f) {
  return *std::find_if(formats.begin(), formats.end(), [f](const format_info& i) { return i.format == f; });
}

} // namespace

std::optional<audio_format> parse_format(std::string_view name) {
  for (const auto& i : formats)
    if (i.name == name) return i.format;
  return std::nullopt;
}

std::string_view format_name(audio_format f) { return info(f).name; }

std::string format_list() {
  std::string out;
  for (const auto& i : formats) out += (out.empty() ? "" : ", ") + std::string(i.name);
  return out;
}

std::string content_type(audio_format f, int sample_rate) {
  if (f == audio_format::pcm) return "audio/L16;rate=" + std::to_string(sample_rate) + ";channels=1";
  return std::string(info(f).mime);
}

result<int> output_rate(audio_format f, int requested, int fallback) {
  auto bad = [&](std::string message) { return make_error(error_kind::invalid_request, std::move(message), "invalid_sample_rate", "sample_rate"); };
  if (f == audio_format::ulaw || f == audio_format::alaw) {
    if (requested != 0 && requested != 8000) return bad(std::string(format_name(f)) + " is G.711 at 8000 Hz only");
    return 8000;
  }
  int rate = requested ? requested : fallback;
  if (rate < min_sample_rate || rate > max_sample_rate) return bad("sample_rate must be an integer from 8000 to 48000");
  if ((f == audio_format::mp3 || f == audio_format::aac) && std::find(mpeg_rates.begin(), mpeg_rates.end(), rate) == mpeg_rates.end())
    return bad(std::string(format_name(f)) + " supports sample rates 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100 and 48000");
  return rate;
}

} // namespace rtts::audio
