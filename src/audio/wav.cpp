#include "audio/wav.hpp"

#include <cstring>

namespace rtts::audio {
namespace {

void put_u32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put_u16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
}
std::uint32_t get_u32(std::string_view b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(b[at + i]);
  return v;
}
std::uint16_t get_u16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<std::uint8_t>(b[at]) | (static_cast<std::uint8_t>(b[at + 1]) << 8));
}

} // namespace

std::array<std::uint8_t, wav_header_bytes> make_wav_header(std::uint32_t sample_rate, std::uint16_t channels,
                                                           std::optional<std::uint32_t> data_bytes) {
  constexpr std::uint16_t bits = 16;
  const std::uint16_t block_align = static_cast<std::uint16_t>(channels * bits / 8);
  std::array<std::uint8_t, wav_header_bytes> h{};
  std::memcpy(h.data(), "RIFF", 4);
  put_u32(h.data() + 4, data_bytes ? 36 + *data_bytes : streaming_size);
  std::memcpy(h.data() + 8, "WAVEfmt ", 8);
  put_u32(h.data() + 16, 16);
  put_u16(h.data() + 20, 1); // PCM
  put_u16(h.data() + 22, channels);
  put_u32(h.data() + 24, sample_rate);
  put_u32(h.data() + 28, sample_rate * block_align);
  put_u16(h.data() + 32, block_align);
  put_u16(h.data() + 34, bits);
  std::memcpy(h.data() + 36, "data", 4);
  put_u32(h.data() + 40, data_bytes ? *data_bytes : streaming_size);
  return h;
}

std::optional<wav_info> parse_wav_header(std::string_view b) {
  if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WAVE") return std::nullopt;
  wav_info info;
  bool have_fmt = false;
  std::size_t at = 12;
  while (at + 8 <= b.size()) {
    auto id = b.substr(at, 4);
    std::uint32_t size = get_u32(b, at + 4);
    if (id == "fmt ") {
      if (size < 16 || at + 8 + 16 > b.size() || get_u16(b, at + 8) != 1) return std::nullopt;
      info.channels = get_u16(b, at + 10);
      info.sample_rate = get_u32(b, at + 12);
      info.bits_per_sample = get_u16(b, at + 22);
      have_fmt = true;
    } else if (id == "data") {
      if (!have_fmt) return std::nullopt;
      info.data_offset = at + 8;
      info.data_size = size;
      return info;
    }
    if (size == streaming_size) return std::nullopt;
    at += std::size_t{8} + size + (size & 1); // in size_t: a chunk size near 4 GiB must not wrap to 0 (found by fuzz_writers)
  }
  return std::nullopt;
}

} // namespace rtts::audio
