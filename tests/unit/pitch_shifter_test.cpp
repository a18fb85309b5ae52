// Pitch shifting for engines without a pitch control: the pitch moves as asked, the length and
// the timing do not.
#include "audio/pitch_shifter.hpp"

#include <gtest/gtest.h>

#include <cmath>

using rtts::audio::pitch_shifter;

namespace {

std::vector<std::int16_t> tone(double f, int rate, double seconds) {
  std::vector<std::int16_t> out(static_cast<std::size_t>(rate * seconds));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * f * static_cast<double>(i) / rate));
  return out;
}

// The frequency of a pure tone, from its zero crossings.
double frequency(const std::vector<std::int16_t>& x, int rate) {
  std::size_t crossings = 0;
  for (std::size_t i = 1; i < x.size(); ++i) crossings += (x[i - 1] < 0) != (x[i] < 0);
  return static_cast<double>(crossings) / 2 / (static_cast<double>(x.size()) / rate);
}

std::vector<std::int16_t> shift(const std::vector<std::int16_t>& in, int rate, double scale, std::size_t piece) {
  pitch_shifter s(rate, scale);
  std::vector<std::int16_t> out;
  for (std::size_t at = 0; at < in.size(); at += piece) s.process(std::span(in).subspan(at, std::min(piece, in.size() - at)), out);
  s.finish(out);
  return out;
}

} // namespace

TEST(PitchShifter, MovesThePitchAndKeepsTheLength) {
  const int rate = 22050;
  auto in = tone(300, rate, 1.5);
  ASSERT_NEAR(frequency(in, rate), 300, 2);
  for (double scale : {2.0, 0.5, 1.25}) {
    SCOPED_TRACE(scale);
    auto out = shift(in, rate, scale, 4096);
    EXPECT_EQ(out.size(), in.size());
    // Measured where the shifter has settled (not the first and last 100 ms).
    std::vector<std::int16_t> middle(out.begin() + rate / 10, out.end() - rate / 10);
    EXPECT_NEAR(frequency(middle, rate), 300 * scale, 300 * scale * 0.03);
  }
}

TEST(PitchShifter, AudioStaysInStepWithTheInput) {
  // A tone that starts after 0.5 s of silence starts after 0.5 s in the output too (the
  // shifter's start delay is taken off), whatever the piece sizes.
  const int rate = 16000;
  std::vector<std::int16_t> in(rate / 2, 0);
  auto t = tone(200, rate, 1.0);
  in.insert(in.end(), t.begin(), t.end());
  for (std::size_t piece : {std::size_t{37}, std::size_t{1000}, in.size()}) {
    SCOPED_TRACE(piece);
    auto out = shift(in, rate, 1.5, piece);
    ASSERT_EQ(out.size(), in.size());
    std::size_t onset = 0;
    while (onset < out.size() && std::abs(out[onset]) < 1000) ++onset;
    EXPECT_NEAR(static_cast<double>(onset), rate / 2.0, rate * 0.005) << "onset at sample " << onset;
  }
}
