#pragma once
// Encoders turn s16 mono samples into the bytes of one output format, as a stream: a header
// (possibly empty), then bytes per pushed chunk, then a trailer at the end. Each instance
// serves one stream.
#include "core/speech_options.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace rtts::audio {

class encoder {
public:
  virtual ~encoder() = default;
  // Bytes that open the stream (e.g. a WAV header).
  virtual std::string header() = 0;
  virtual void encode(std::span<const std::int16_t> samples, std::string& out) = 0;
  virtual void finish(std::string& out) = 0;
};

std::unique_ptr<encoder> make_encoder(audio_format format, int sample_rate);

// MIME type of the stream, e.g. "audio/wav" or "audio/L16;rate=24000;channels=1" for pcm.
std::string content_type(audio_format format, int sample_rate);

} // namespace rtts::audio
