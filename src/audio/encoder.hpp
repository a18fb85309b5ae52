#pragma once
// Encoders turn s16 mono samples into the bytes of one output format, as a stream: a header
// (possibly empty), then bytes per pushed chunk (possibly none until a frame is full), then the
// rest at the end. Every prefix of the output is a valid stream a decoder can start on. Each
// instance serves one stream.
#include "core/error.hpp"
#include "core/speech_options.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace rtts::audio {

class encoder {
public:
  virtual ~encoder() = default;
  // Bytes that open the stream (WAV header, Ogg Opus headers, FLAC STREAMINFO).
  virtual std::string header() = 0;
  virtual void encode(std::span<const std::int16_t> samples, std::string& out) = 0;
  // Flushes buffered samples and closes the stream.
  virtual void finish(std::string& out) = 0;
  // True if encoding costs real CPU (worth moving off the network thread).
  virtual bool heavy() const { return true; }
};

result<std::unique_ptr<encoder>> make_encoder(audio_format format, int sample_rate);

// Appends samples as s16le bytes.
void append_s16le(std::span<const std::int16_t> samples, std::string& out);

// One per format, in their own files.
std::unique_ptr<encoder> make_pcm_encoder();
std::unique_ptr<encoder> make_wav_encoder(int sample_rate);
std::unique_ptr<encoder> make_g711_encoder(bool mu_law);
result<std::unique_ptr<encoder>> make_mp3_encoder(int sample_rate);
result<std::unique_ptr<encoder>> make_opus_encoder(int sample_rate);
result<std::unique_ptr<encoder>> make_flac_encoder(int sample_rate);
result<std::unique_ptr<encoder>> make_aac_encoder(int sample_rate);

} // namespace rtts::audio
