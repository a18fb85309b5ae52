#include "audio/audio_chain.hpp"

namespace rtts::audio {

result<std::unique_ptr<audio_chain>> audio_chain::create(int native_rate, audio_format format, int output_rate) {
  auto encoder = make_encoder(format, output_rate);
  if (!encoder) return encoder.error();
  std::unique_ptr<audio_chain> chain(new audio_chain());
  chain->output_rate_ = output_rate;
  chain->encoder_ = std::move(*encoder);
  if (output_rate != native_rate) chain->resampler_.emplace(native_rate, output_rate);
  return chain;
}

void audio_chain::push(std::span<const std::int16_t> native, std::string& out) {
  if (!resampler_) return encoder_->encode(native, out);
  scratch_.clear();
  resampler_->process(native, scratch_);
  encoder_->encode(scratch_, out);
}

void audio_chain::finish(std::string& out) {
  if (resampler_) {
    scratch_.clear();
    resampler_->finish(scratch_);
    encoder_->encode(scratch_, out);
  }
  encoder_->finish(out);
}

} // namespace rtts::audio
