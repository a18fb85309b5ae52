// A stream's deadlines as the pool sees them: a fragment whose audio begins, or a paused
// fragment whose audio goes on, after a real-time listener would have run out is a deadline miss.
#include "synth/speech_stream.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

using namespace rtts;
using namespace std::chrono_literals;

namespace {

constexpr int rate = 22050;

// A stream of one fragment whose listener starts playing at the first audio (no buffer).
synth::speech_stream one_fragment_stream(boost::asio::io_context& io) {
  synth::speech_plan plan;
  plan.fragments.emplace_back();
  plan.fragments.back().text = "A fragment.";
  return synth::speech_stream(io.get_executor(), voice_options{"espeak", "en-us"}, std::move(plan), timing_options{}, rate, 1 << 20, 0ms);
}

// 10 ms of audio.
std::vector<std::int16_t> piece() { return std::vector<std::int16_t>(rate / 100, 1000); }

} // namespace

TEST(SpeechStreamDeadlines, AudioThatGoesOnAfterAPauseIsCheckedAgainstTheListener) {
  boost::asio::io_context io;
  auto paused = one_fragment_stream(io), running = one_fragment_stream(io);
  for (auto* s : {&paused, &running}) {
    s->take_fragment();
    s->push_audio(piece()); // the first audio: its listener plays these 10 ms, then needs more
  }
  paused.waiting_for_worker(); // its job paused after the first piece and waits for its turn
  std::this_thread::sleep_for(30ms); // past the moment both listeners ran out
  paused.resuming(); // the pool resumes it late
  paused.push_audio(piece());
  running.push_audio(piece()); // the same job's audio, never paused: checked when the fragment began
  EXPECT_EQ(paused.deadline_misses(), 1u) << "its audio went on after the listener's had run out";
  EXPECT_GT(paused.worst_lateness_s(), 0.015);
  EXPECT_EQ(running.deadline_misses(), 0u);
}

TEST(SpeechStreamDeadlines, AStreamHeldBackByItsOwnClientIsNotLate) {
  boost::asio::io_context io;
  auto stream = one_fragment_stream(io);
  stream.take_fragment();
  stream.push_audio(piece());
  std::this_thread::sleep_for(30ms);
  stream.waiting_for_worker(); // it began to wait only after its deadline: its client held it back
  stream.resuming();
  stream.push_audio(piece());
  EXPECT_EQ(stream.deadline_misses(), 0u);
}
