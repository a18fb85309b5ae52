#include "audio/pitch_shifter.hpp"

#include <rubberband/RubberBandStretcher.h>

#include <algorithm>
#include <cmath>

namespace rtts::audio {

namespace {
constexpr std::size_t block_size = 1024;
using RubberBand::RubberBandStretcher;
} // namespace

pitch_shifter::pitch_shifter(int sample_rate, double scale)
    : stretcher_(std::make_unique<RubberBandStretcher>(static_cast<std::size_t>(sample_rate), 1,
                                                       RubberBandStretcher::OptionProcessRealTime | RubberBandStretcher::OptionEngineFaster |
                                                           RubberBandStretcher::OptionPitchHighConsistency | RubberBandStretcher::OptionFormantPreserved,
                                                       1.0, scale)) {
  stretcher_->setMaxProcessSize(block_size);
  // Silence in front lets the shifter settle before the speech; its delay is dropped again.
  std::vector<float> pad(stretcher_->getPreferredStartPad(), 0.0f);
  for (std::size_t at = 0; at < pad.size(); at += block_size) feed(pad.data() + at, std::min(block_size, pad.size() - at), false);
  to_skip_ = stretcher_->getStartDelay();
}

pitch_shifter::~pitch_shifter() = default;

void pitch_shifter::feed(const float* samples, std::size_t n, bool final) {
  const float* channels[1] = {samples};
  stretcher_->process(channels, n, final);
}

void pitch_shifter::drain(std::vector<std::int16_t>& out) {
  for (;;) {
    int available = stretcher_->available();
    if (available <= 0) return;
    block_.resize(static_cast<std::size_t>(available));
    float* channels[1] = {block_.data()};
    std::size_t got = stretcher_->retrieve(channels, block_.size());
    for (std::size_t i = 0; i < got; ++i) {
      if (to_skip_ > 0) {
        --to_skip_;
        continue;
      }
      if (given_ >= taken_) break; // never longer than the input
      out.push_back(static_cast<std::int16_t>(std::lround(std::clamp(block_[i], -1.0f, 1.0f) * 32767.0f)));
      ++given_;
    }
  }
}

void pitch_shifter::process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out) {
  std::vector<float> samples(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) samples[i] = static_cast<float>(in[i]) / 32768.0f;
  taken_ += in.size();
  for (std::size_t at = 0; at < samples.size(); at += block_size) {
    feed(samples.data() + at, std::min(block_size, samples.size() - at), false);
    drain(out);
  }
}

void pitch_shifter::finish(std::vector<std::int16_t>& out) {
  // Silence after the end pushes the last of the speech out of the shifter.
  std::vector<float> silence(block_size, 0.0f);
  for (std::size_t fed = 0; given_ < taken_ && fed < to_skip_ + taken_ + 8 * block_size; fed += block_size) {
    feed(silence.data(), silence.size(), false);
    drain(out);
  }
  feed(silence.data(), 0, true);
  drain(out);
  while (given_ < taken_) { // what the shifter kept: silence, so the length is exact
    out.push_back(0);
    ++given_;
  }
}

} // namespace rtts::audio
