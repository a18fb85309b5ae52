#include "audio/audio_chain.hpp"

namespace rtts::audio {

audio_chain::audio_chain(int native_rate, const output_options& output)
    : output_rate_(output.sample_rate > 0 ? output.sample_rate : native_rate) {
  if (output_rate_ != native_rate) resampler_.emplace(native_rate, output_rate_);
  encoder_ = make_encoder(output.format, output_rate_);
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
