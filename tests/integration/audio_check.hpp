#pragma once
// Reads returned audio back as audio, with libsndfile (an independent WAV reader).
#include <cstdint>
#include <string>
#include <string>
#include <vector>

namespace rtts::testing {

struct decoded_audio {
  int sample_rate = 0;
  int channels = 0;
  std::vector<std::int16_t> samples;
  double seconds() const { return sample_rate ? static_cast<double>(samples.size()) / sample_rate : 0; }
  double rms() const;
};

// Decodes WAV bytes (streaming headers included); throws if libsndfile cannot read them.
decoded_audio decode_wav(const std::string& bytes);
// Raw s16le bytes.
std::vector<std::int16_t> samples_of_pcm(const std::string& bytes);

} // namespace rtts::testing

namespace rtts::testing {

// Decodes any audio with ffmpeg (an independent decoder) to s16 mono at `out_rate`.
// `input_flags` describe headerless input (e.g. {"-f", "mulaw", "-ar", "8000"}).
struct ffmpeg_result {
  bool ok = false;
  std::string errors; // what ffmpeg printed at -v error: decode errors land here
  decoded_audio audio;
};
ffmpeg_result ffmpeg_decode(const std::string& bytes, const std::vector<std::string>& input_flags, int out_rate);
// The sample rate ffprobe reads from the stream's header (0 if none).
int ffprobe_sample_rate(const std::string& bytes);

} // namespace rtts::testing
