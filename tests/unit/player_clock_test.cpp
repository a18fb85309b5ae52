// The listener benchmark's player: when it starts, when it runs dry, how long the gap was.
#include "app/player_clock.hpp"

#include <gtest/gtest.h>

using rtts::app::player_clock;
using namespace std::chrono_literals;

namespace {
const player_clock::time_point t0{};
player_clock::seconds s(double v) { return player_clock::seconds(v); }
}

TEST(PlayerClock, AudioAheadOfPlaybackNeverRunsDry) {
  player_clock p(s(0.3));
  p.arrived(t0, s(1.0));            // plays from 0.3 s to 1.3 s
  p.arrived(t0 + 1200ms, s(1.0));   // before 1.3 s: plays on to 2.3 s
  p.arrived(t0 + 2300ms, s(1.0));   // exactly when it would run out: no gap
  EXPECT_TRUE(p.started());
  EXPECT_EQ(p.first_audio(), t0);
  EXPECT_EQ(p.underruns(), 0u);
  EXPECT_EQ(p.worst_gap().count(), 0.0);
}

TEST(PlayerClock, LateAudioIsAnUnderrunAndPlayingResumesWhenItComes) {
  player_clock p(s(0.3));
  p.arrived(t0, s(0.5));            // runs out at 0.8 s
  p.arrived(t0 + 1000ms, s(0.5));   // 0.2 s gap; now runs out at 1.5 s
  p.arrived(t0 + 2000ms, s(1.0));   // 0.5 s gap
  p.arrived(t0 + 2500ms, s(1.0));   // still playing (until 3.0 s)
  EXPECT_EQ(p.underruns(), 2u);
  EXPECT_NEAR(p.worst_gap().count(), 0.5, 1e-9);
}

TEST(PlayerClock, TheBufferCountsFromTheFirstAudio) {
  player_clock p(s(0.3));
  p.arrived(t0 + 100ms, s(0.01)); // playback starts at 0.4 s, runs out at 0.41 s
  p.arrived(t0 + 400ms, s(1.0));  // before it started playing: no gap
  EXPECT_EQ(p.underruns(), 0u);
  EXPECT_EQ(p.first_audio(), t0 + 100ms);
  player_clock none(s(0));
  none.arrived(t0, s(0.1));
  none.arrived(t0 + 200ms, s(0.1)); // without a buffer, 0.1 s late
  EXPECT_EQ(none.underruns(), 1u);
  EXPECT_NEAR(none.worst_gap().count(), 0.1, 1e-9);
}
