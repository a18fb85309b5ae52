#pragma once
// Streaming sample-rate conversion of mono s16 audio with libsoxr. One instance per stream:
// it keeps filter state between chunks so seams are inaudible.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace rtts::audio {

class resampler {
public:
  resampler(int input_rate, int output_rate);
  ~resampler();
  resampler(const resampler&) = delete;
  resampler& operator=(const resampler&) = delete;

  // Appends the converted samples of `in` to `out` (may be fewer than in/ratio: filter delay).
  void process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out);
  // Drains the filter at the end of the stream.
  void finish(std::vector<std::int16_t>& out);

private:
  struct state;
  std::unique_ptr<state> state_;
  double ratio_;
};

} // namespace rtts::audio
