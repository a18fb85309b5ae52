#pragma once
// Everything between the engine's native PCM and the bytes a client receives, for one stream:
// resample (only if the client asked for another rate), then encode.
#include "audio/encoder.hpp"
#include "audio/resampler.hpp"
#include "core/speech_options.hpp"

#include <memory>
#include <optional>

namespace rtts::audio {

class audio_chain {
public:
  // output_rate must already be valid for the format (see format.hpp: output_rate()).
  static result<std::unique_ptr<audio_chain>> create(int native_rate, audio_format format, int output_rate);

  int output_rate() const { return output_rate_; }
  // True when push() does real work (resampling, compression) worth moving off the network thread.
  bool heavy() const { return resampler_.has_value() || encoder_->heavy(); }
  std::string header() { return encoder_->header(); }
  // Native-rate samples in, encoded bytes out (appended).
  void push(std::span<const std::int16_t> native, std::string& out);
  void finish(std::string& out);

private:
  audio_chain() = default;
  int output_rate_ = 0;
  std::optional<resampler> resampler_;
  std::unique_ptr<encoder> encoder_;
  std::vector<std::int16_t> scratch_;
};

} // namespace rtts::audio
