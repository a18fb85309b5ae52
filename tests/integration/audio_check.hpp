#pragma once
// Reads returned audio back as audio, with libsndfile (an independent WAV reader).
#include <cstdint>
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
