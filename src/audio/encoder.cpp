#include "audio/encoder.hpp"

#include "audio/wav.hpp"

#include <bit>
#include <cstring>

namespace rtts::audio {
namespace {

static_assert(std::endian::native == std::endian::little, "s16le output assumes a little-endian host");

class pcm_encoder final : public encoder {
public:
  std::string header() override { return {}; }
  void encode(std::span<const std::int16_t> s, std::string& out) override { append_s16le(s, out); }
  void finish(std::string&) override {}
  bool heavy() const override { return false; }
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
  bool heavy() const override { return false; }

private:
  int rate_;
};

} // namespace

void append_s16le(std::span<const std::int16_t> samples, std::string& out) {
  if (samples.empty()) return;
  auto base = out.size();
  out.resize(base + samples.size_bytes());
  std::memcpy(out.data() + base, samples.data(), samples.size_bytes());
}

std::unique_ptr<encoder> make_pcm_encoder() { return std::make_unique<pcm_encoder>(); }
std::unique_ptr<encoder> make_wav_encoder(int sample_rate) { return std::make_unique<wav_encoder>(sample_rate); }

result<std::unique_ptr<encoder>> make_encoder(audio_format format, int sample_rate) {
  switch (format) {
  case audio_format::pcm: return make_pcm_encoder();
  case audio_format::wav: return make_wav_encoder(sample_rate);
  case audio_format::ulaw: return make_g711_encoder(true);
  case audio_format::alaw: return make_g711_encoder(false);
  case audio_format::mp3: return make_mp3_encoder(sample_rate);
  case audio_format::opus: return make_opus_encoder(sample_rate);
  case audio_format::flac: return make_flac_encoder(sample_rate);
  case audio_format::aac: return make_aac_encoder(sample_rate);
  }
  return make_error(error_kind::internal, "unknown format");
}

} // namespace rtts::audio
