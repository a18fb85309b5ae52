#include "audio/audio_chain.hpp"
#include "audio/resampler.hpp"
#include "audio/wav.hpp"

#include <cstring>

#include <gtest/gtest.h>

#include <cmath>

using namespace rtts::audio;

namespace {

std::vector<std::int16_t> sine(double hz, int rate, double seconds) {
  std::vector<std::int16_t> s(static_cast<std::size_t>(rate * seconds));
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<std::int16_t>(10000 * std::sin(2 * M_PI * hz * i / rate));
  return s;
}

// Frequency estimate from zero crossings: good enough to tell a pitch shift.
double zero_crossing_hz(const std::vector<std::int16_t>& s, int rate) {
  int crossings = 0;
  for (std::size_t i = 1; i < s.size(); ++i) crossings += (s[i - 1] < 0) != (s[i] < 0);
  return crossings / 2.0 / (static_cast<double>(s.size()) / rate);
}

} // namespace

TEST(Resampler, ConvertsLengthAndKeepsPitchAcrossChunks) {
  auto in = sine(440, 22050, 1.0);
  resampler r(22050, 16000);
  std::vector<std::int16_t> out;
  for (std::size_t at = 0; at < in.size(); at += 1000) // uneven chunks, as an engine sends them
    r.process(std::span(in).subspan(at, std::min<std::size_t>(1000, in.size() - at)), out);
  r.finish(out);
  EXPECT_NEAR(static_cast<double>(out.size()), 16000.0, 16.0);
  EXPECT_NEAR(zero_crossing_hz(out, 16000), 440.0, 5.0);
}

TEST(Resampler, OutputIsIndependentOfChunking) {
  // The same audio must come out whatever chunks the engine and the scheduler happened to
  // deliver: clients compare responses byte for byte.
  auto in = sine(440, 22050, 1.0);
  auto run = [&](std::size_t chunk) {
    resampler r(22050, 24000);
    std::vector<std::int16_t> out;
    for (std::size_t at = 0; at < in.size(); at += chunk) r.process(std::span(in).subspan(at, std::min(chunk, in.size() - at)), out);
    r.finish(out);
    return out;
  };
  auto a = run(1103);
  EXPECT_EQ(a, run(1103));
  EXPECT_EQ(a, run(4096));
  EXPECT_EQ(a, run(17));
}

TEST(Resampler, Upsamples) {
  auto in = sine(300, 22050, 0.5);
  resampler r(22050, 48000);
  std::vector<std::int16_t> out;
  r.process(in, out);
  r.finish(out);
  EXPECT_NEAR(static_cast<double>(out.size()), 24000.0, 24.0);
  EXPECT_NEAR(zero_crossing_hz(out, 48000), 300.0, 5.0);
}

TEST(AudioChain, PassesNativeRateThroughUntouched) {
  auto chain = audio_chain::create(22050, rtts::audio_format::pcm, 22050).value();
  EXPECT_FALSE(chain->heavy());
  EXPECT_EQ(chain->output_rate(), 22050);
  std::vector<std::int16_t> in{1, -2, 300};
  std::string out;
  chain->push(in, out);
  chain->finish(out);
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(std::memcmp(out.data(), in.data(), 6), 0);
}

TEST(AudioChain, WavHeaderCarriesOutputRate) {
  auto chain = audio_chain::create(22050, rtts::audio_format::wav, 24000).value();
  EXPECT_TRUE(chain->heavy());
  auto info = parse_wav_header(chain->header());
  ASSERT_TRUE(info);
  EXPECT_EQ(info->sample_rate, 24000u);
}
