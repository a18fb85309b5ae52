// Admission by real-time capacity: the demand-bound test of earliest-deadline-first scheduling,
// worked by hand for each case (capacity in worker-seconds per second).
#include "synth/realtime_admission.hpp"

#include <gtest/gtest.h>

using rtts::synth::fits_in_real_time;
using rtts::synth::seconds_until_it_fits;
using rtts::synth::stream_demand;

TEST(RealtimeAdmission, LongStreamsFitWhileTheirCostsSumToTheCapacity) {
  // Ten minutes each at 0.25 worker-seconds per second of audio: four fit in one worker, five do not.
  std::vector<stream_demand> streams(4, {0.25, 600, 0});
  EXPECT_TRUE(fits_in_real_time(streams, 1.0));
  streams.push_back({0.25, 600, 0});
  EXPECT_FALSE(fits_in_real_time(streams, 1.0));
  EXPECT_TRUE(fits_in_real_time(streams, 1.25)) << "a second worker at a quarter";
}

TEST(RealtimeAdmission, ABurstOfShortUtterancesFitsWhereTheSameCountOfLongOnesDoesNot) {
  // 16 utterances of 2 s at 0.25: 8 worker-seconds due within 2 s, on 2 workers = 4 by then:
  // too much at once...
  std::vector<stream_demand> burst(16, {0.25, 2, 0});
  EXPECT_FALSE(fits_in_real_time(burst, 2.0));
  // ...but at 0.05 (a fast engine) 1.6 worker-seconds within 2 s fit, where 16 ten-minute
  // streams at 0.2 each (3.2 per second) never would.
  EXPECT_TRUE(fits_in_real_time(std::vector<stream_demand>(16, {0.05, 2, 0}), 2.0));
  EXPECT_FALSE(fits_in_real_time(std::vector<stream_demand>(16, {0.2, 600, 0}), 2.0));
}

TEST(RealtimeAdmission, StreamsAheadOfTheirListenersAskForNothingUntilLater) {
  // One worker busy all along with a stream due now, and a second one 10 s ahead with 5 s left:
  // by T = 15 the work due is 15 * 0.8 + 5 * 0.8 = 16 > 15: it does not fit...
  std::vector<stream_demand> s{{0.8, 1000, 0}, {0.8, 5, 10}};
  EXPECT_FALSE(fits_in_real_time(s, 1.0));
  // ...with 0.1 per second of it: 15 * 0.1 + 5 * 0.8 = 5.5 <= 15, and at T = 10: 1 <= 10.
  s[0].cost = 0.1;
  EXPECT_TRUE(fits_in_real_time(s, 1.0));
  // Nothing left to make costs nothing, whatever its cost per second.
  EXPECT_TRUE(fits_in_real_time({{5.0, 0, 0}}, 1.0));
}

TEST(RealtimeAdmission, FirstJobsComeFirstButHaveNoDeadlineOfTheirOwn) {
  // Four listeners need 0.8 of one worker from 0.5 s on (their buffers last that long). New
  // streams' first jobs run before their next fragments: 0.4 s of them fits before the
  // listeners need more, 0.6 s does not.
  std::vector<stream_demand> streams(4, {0.2, 600, 0.5});
  EXPECT_TRUE(fits_in_real_time(streams, 1.0, 0.4));
  EXPECT_FALSE(fits_in_real_time(streams, 1.0, 0.6));
  // Listeners with nothing buffered that take the whole worker (0.25 each): no first job fits.
  EXPECT_FALSE(fits_in_real_time(std::vector<stream_demand>(4, {0.25, 600, 0}), 1.0, 0.1));
  // Without listeners, any number of first jobs only wait longer for their first audio; and
  // one-fragment utterances have nothing left that could be late.
  EXPECT_TRUE(fits_in_real_time({}, 2.0, 50));
  EXPECT_TRUE(fits_in_real_time({{0.5, 0, 0}, {0.5, 0, 3}}, 1.0, 10));
}

TEST(RealtimeAdmission, RetryAfterIsWhenEnoughStreamsHaveFinished) {
  // One worker, full with four streams at 0.25: one ends in 20 s of audio (its share, 1 s of
  // audio per second, is real time), the others last longer. A fifth fits once the first is done.
  std::vector<stream_demand> others{{0.25, 600, 0}, {0.25, 20, 0}, {0.25, 300, 0}, {0.25, 900, 0}};
  EXPECT_DOUBLE_EQ(seconds_until_it_fits(others, {0.25, 60, 0}, 1.0, 0), 20);
  // Two workers for the same four: each gets 2 audio-seconds per second, so the short one is done
  // after 10 s; a newcomer costing 1.25 fits once it is.
  EXPECT_DOUBLE_EQ(seconds_until_it_fits(others, {1.25, 60, 0}, 2.0, 0), 10);
  EXPECT_DOUBLE_EQ(seconds_until_it_fits({{0.25, 20, 0}}, {0.25, 60, 0}, 2.0, 0), 1) << "never less than a second";
}
