#pragma once
// Pitch shifting without changing the length, for engines that have no pitch control of their
// own (the neural engines, the openai engine): Rubber Band in real-time mode, so audio still
// leaves as it is made. The output is exactly as long as the input and starts in step with it:
// the shifter's start delay is taken off the front and the tail is flushed at the end.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace RubberBand {
class RubberBandStretcher;
}

namespace rtts::audio {

class pitch_shifter {
public:
  // `scale` 2.0 = an octave up, 0.5 = an octave down.
  pitch_shifter(int sample_rate, double scale);
  ~pitch_shifter();
  pitch_shifter(const pitch_shifter&) = delete;
  pitch_shifter& operator=(const pitch_shifter&) = delete;

  // Shifted audio for `in`, appended to `out` (less than `in` at first: the shifter's latency).
  void process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out);
  // The rest, appended to `out`: after it, all output is exactly as long as all input.
  void finish(std::vector<std::int16_t>& out);

private:
  void feed(const float* samples, std::size_t n, bool final);
  void drain(std::vector<std::int16_t>& out);

  std::unique_ptr<RubberBand::RubberBandStretcher> stretcher_;
  std::size_t to_skip_ = 0;   // start delay still to drop from the output
  std::uint64_t taken_ = 0;   // input samples
  std::uint64_t given_ = 0;   // output samples
  std::vector<float> block_;
};

} // namespace rtts::audio
