#include "audio/encoder.hpp"

#include "audio/wav.hpp"

#include <bit>
#include <cstring>

namespace rtts::audio {
namespace {

static_assert(std::endian::native == std::endian::little, "s16le output assumes a little-endian host");

void append_s16le(std::span<const std::int16_t> samples, std::string& out) {
  if (samples.empty()) return;
  auto base = out.size();
  out.resize(base + samples.size_bytes());
  std::memcpy(out.data() + base, samples.data(), samples.size_bytes());
}

class pcm_encoder final : public encoder {
public:
  std::string header() override { return {}; }
  void encode(std::span<const std::int16_t> s, std::string& out) override { append_s16le(s, out); }
  void finish(std::string&) override {}
};

class wav_encoder final : public encoder {
public:
  explicit wav_encoder(int rate) : rate_(rate) {}
  std::string header() override {
    auto h = make_wav_header(static_cast<std::uint32_t>(rate_));
    return {reinterpret_cast<const char*>(h.data()), h.size()};
  }
  void encode(std::span<const std::int16_t> s, std::string& out) override { append_s16le(s, out); }
  void finish(std::string&) override {}

private:
  int rate_;
};

} // namespace

std::unique_ptr<encoder> make_encoder(audio_format format, int sample_rate) {
  switch (format) {
  case audio_format::pcm: return std::make_unique<pcm_encoder>();
  case audio_format::wav: return std::make_unique<wav_encoder>(sample_rate);
  }
  return nullptr;
}

std::string content_type(audio_format format, int sample_rate) {
  switch (format) {
  case audio_format::pcm: return "audio/L16;rate=" + std::to_string(sample_rate) + ";channels=1";
  case audio_format::wav: return "audio/wav";
  }
  return "application/octet-stream";
}

} // namespace rtts::audio
