// The Flite engine in-process: every voice speaks at its declared rate; speed, pitch and stop
// work; unknown voices are refused.
#include "engine_test_support.hpp"
#include "pitch.hpp"
#include "engines/registry.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

using namespace rtts;
using namespace rtts::engines;
using rtts::testing::rms;
using rtts::testing::median_f0;

namespace {

engine& flite() {
  return *rtts::testing::shared_engine("flite").value();
}

std::vector<std::int16_t> say(std::string_view text, synthesis_params p) { return rtts::testing::synthesize_all(flite(), text, p); }

} // namespace

TEST(FliteEngine, EveryVoiceSpeaksAtItsDeclaredRate) {
  auto voices = flite().voices();
  ASSERT_EQ(voices.size(), 5u) << "flite1-dev ships slt, rms, awb, kal16 and kal";
  EXPECT_EQ(flite().default_voice(), "slt");
  for (const auto& v : voices) {
    SCOPED_TRACE(v.id);
    EXPECT_EQ(v.language, "en-us");
    EXPECT_EQ(v.sample_rate, v.id == "kal" ? 8000 : 16000);
    auto pcm = say("Hello world, this is a test of the voice.", {v.id, 1.0, 1.0, {}});
    double seconds = static_cast<double>(pcm.size()) / v.sample_rate;
    EXPECT_GT(seconds, 1.2);
    EXPECT_LT(seconds, 5.0);
    EXPECT_GT(rms(pcm), 500.0);
  }
}

TEST(FliteEngine, RepeatsItselfFromTheSameRandomState) {
  // Flite's clustergen voices draw their unvoiced excitation from rand(): the same text differs
  // from call to call in one process, but not from the same generator state. Workers fork each
  // job from one pristine state, so through the server the same request gives the same audio.
  std::srand(7);
  auto first = say("The same sentence twice.", {"slt", 1.0, 1.0, {}});
  say("Something else in between.", {"slt", 1.3, 1.2, {}});
  std::srand(7);
  EXPECT_EQ(first, say("The same sentence twice.", {"slt", 1.0, 1.0, {}}));
}

TEST(FliteEngine, HonoursSpeedAndPitch) {
  // rms is left out of the pitch check: measured here, it keeps its F0 (~101 Hz) whatever
  // f0_shift or int_f0_target_mean say (its clustergen F0 model ignores both).
  for (const char* voice : {"slt", "kal16", "awb"}) {
    SCOPED_TRACE(voice);
    auto normal = say("The quick brown fox jumps over the lazy dog.", {voice, 1.0, 1.0, {}}).size();
    auto fast = say("The quick brown fox jumps over the lazy dog.", {voice, 2.0, 1.0, {}}).size();
    auto slow = say("The quick brown fox jumps over the lazy dog.", {voice, 0.5, 1.0, {}}).size();
    EXPECT_LT(fast, normal * 0.65);
    EXPECT_GT(slow, normal * 1.6);
    constexpr int rate = 16000; // slt and kal16 alike
    double low = median_f0(say("The pitch of this sentence goes where it is told.", {voice, 1.0, 0.6, {}}), rate);
    double high = median_f0(say("The pitch of this sentence goes where it is told.", {voice, 1.0, 1.6, {}}), rate);
    EXPECT_GT(low, 0);
    EXPECT_LT(low * 1.3, high) << low << " Hz -> " << high << " Hz";
  }
}

TEST(FliteEngine, SinkCanStop) {
  int calls = 0;
  auto ok = flite().synthesize("This is a long sentence that would produce many chunks of audio if nobody stopped it. And another one.",
                               {"kal16", 1.0, 1.0, {}}, [&](std::span<const std::int16_t>) { return ++calls < 2; });
  EXPECT_TRUE(ok);
  EXPECT_EQ(calls, 2);
}

TEST(FliteEngine, UnknownVoiceIsNotFound) {
  auto r = flite().synthesize("x", {"en-us", 1.0, 1.0, {}}, [](auto) { return true; });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, error_kind::not_found);
}
