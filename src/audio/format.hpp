#pragma once
// Facts about each output format: its name on the wire, MIME type and the sample rates it can
// carry. One table, used by every route.
#include "core/error.hpp"
#include "core/speech_options.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace rtts::audio {

std::optional<audio_format> parse_format(std::string_view name);
std::string_view format_name(audio_format f);
// The formats a route accepts, for error messages: "wav, pcm, mp3, ...".
std::string format_list();

// MIME type of the stream, e.g. "audio/mpeg", or "audio/L16;rate=24000;channels=1" for pcm.
std::string content_type(audio_format f, int sample_rate);

// Resolves the output rate: the requested one (0 = `fallback`), checked against what the format
// can carry (G.711 is 8 kHz only; MP3 and AAC have fixed rate tables). 400 on a mismatch.
result<int> output_rate(audio_format f, int requested, int fallback);

} // namespace rtts::audio
