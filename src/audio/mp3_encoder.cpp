// MP3 through LAME: constant bit rate, no Xing/LAME tag (a stream cannot go back to fill it in).
#include "audio/encoder.hpp"

#include <lame/lame.h>

#include <vector>

namespace rtts::audio {
namespace {

class mp3_encoder final : public encoder {
public:
  explicit mp3_encoder(lame_global_flags* lame) : lame_(lame) {}
  ~mp3_encoder() override { lame_close(lame_); }
  std::string header() override { return {}; }

  void encode(std::span<const std::int16_t> samples, std::string& out) override {
    if (samples.empty()) return;
    // LAME's documented worst case: 1.25 * samples + 7200 bytes.
    buffer_.resize(samples.size() * 5 / 4 + 7200);
    // LAME's API takes non-const pointers but does not write through them.
    auto* pcm = const_cast<short*>(samples.data());
    int n = lame_encode_buffer(lame_, pcm, pcm, static_cast<int>(samples.size()), buffer_.data(), static_cast<int>(buffer_.size()));
    if (n > 0) out.append(reinterpret_cast<const char*>(buffer_.data()), static_cast<std::size_t>(n));
  }

  void finish(std::string& out) override {
    buffer_.resize(7200);
    int n = lame_encode_flush(lame_, buffer_.data(), static_cast<int>(buffer_.size()));
    if (n > 0) out.append(reinterpret_cast<const char*>(buffer_.data()), static_cast<std::size_t>(n));
  }

private:
  lame_global_flags* lame_;
  std::vector<unsigned char> buffer_;
};

} // namespace

result<std::unique_ptr<encoder>> make_mp3_encoder(int sample_rate) {
  lame_global_flags* lame = lame_init();
  if (!lame) return make_error(error_kind::internal, "lame_init failed");
  lame_set_in_samplerate(lame, sample_rate);
  lame_set_out_samplerate(lame, sample_rate);
  lame_set_num_channels(lame, 1);
  lame_set_mode(lame, MONO);
  // Speech, mono: 64 kbit/s at 32 kHz and up, 48 kbit/s at 16-24 kHz, 24 kbit/s below.
  lame_set_brate(lame, sample_rate >= 32000 ? 64 : sample_rate >= 16000 ? 48 : 24);
  lame_set_quality(lame, 5);
  lame_set_bWriteVbrTag(lame, 0);
  if (lame_init_params(lame) < 0) {
    lame_close(lame);
    return make_error(error_kind::invalid_request, "mp3 cannot encode at " + std::to_string(sample_rate) + " Hz", "invalid_sample_rate", "sample_rate");
  }
  return std::unique_ptr<encoder>(new mp3_encoder(lame));
}

} // namespace rtts::audio
