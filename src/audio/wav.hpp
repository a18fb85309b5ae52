#pragma once
// RIFF/WAVE headers for 16-bit PCM. A streamed WAV cannot know its length when the header
// leaves, so streaming headers carry 0xFFFFFFFF in both size fields: what browsers, sox, ffmpeg
// and most players read as "until the end of the stream".
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rtts::audio {

inline constexpr std::uint32_t streaming_size = 0xFFFFFFFF;
inline constexpr std::size_t wav_header_bytes = 44;

// data_bytes empty = streaming header.
std::array<std::uint8_t, wav_header_bytes> make_wav_header(std::uint32_t sample_rate, std::uint16_t channels = 1,
                                                           std::optional<std::uint32_t> data_bytes = std::nullopt);

struct wav_info {
  std::uint32_t sample_rate = 0;
  std::uint16_t channels = 0;
  std::uint16_t bits_per_sample = 0;
  std::size_t data_offset = 0;     // where the samples start
  std::uint32_t data_size = 0;     // as written; streaming_size for streams
};

// Parses a PCM WAV header (skipping unknown chunks). Empty if the bytes are not one.
std::optional<wav_info> parse_wav_header(std::string_view bytes);

} // namespace rtts::audio
