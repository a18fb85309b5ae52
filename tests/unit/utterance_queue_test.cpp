// The queue every speech-queuing session shares (both WebSockets, Wyoming): its bound, its order,
// and a speaker waiting on it waking for what it must look at.
#include "synth/utterance_queue.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <string>

using rtts::synth::utterance_queue;
namespace asio = boost::asio;

TEST(UtteranceQueue, KeepsOrderUpToItsBoundAndRefusesBeyondIt) {
  utterance_queue<std::string> q(2);
  ASSERT_TRUE(q.push("one"));
  ASSERT_TRUE(q.push("two"));
  auto full = q.push("three");
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, "queue_full");
  EXPECT_EQ(full.error().kind, rtts::error_kind::overloaded);
  q.push_anyway("end"); // what ends a stream is always queued
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.pop(), "one");
  EXPECT_EQ(q.pop(), "two");
  EXPECT_EQ(q.pop(), "end");
  EXPECT_TRUE(q.empty());
}

namespace {

asio::awaitable<void> speaker(utterance_queue<std::string>* q, int* wakes, std::string* heard) {
  for (;;) {
    while (q->empty()) {
      co_await q->wait();
      ++*wakes;
      if (*wakes == 3) co_return; // the third wake is the session closing
    }
    *heard += q->pop();
  }
}

} // namespace

TEST(UtteranceQueue, AWaitingSpeakerWakesForAPushAClearAndAWake) {
  asio::io_context io;
  utterance_queue<std::string> q(4);
  int wakes = 0;
  std::string heard;
  asio::co_spawn(io, speaker(&q, &wakes, &heard), asio::detached);
  io.poll();
  EXPECT_EQ(wakes, 0) << "nothing queued: it waits";
  ASSERT_TRUE(q.push("a"));
  io.poll();
  EXPECT_EQ(wakes, 1);
  EXPECT_EQ(heard, "a");
  q.clear(); // a barge-in with nothing queued still wakes it, to look at the session
  io.poll();
  EXPECT_EQ(wakes, 2);
  q.wake();
  io.poll();
  EXPECT_EQ(wakes, 3);
  EXPECT_TRUE(io.stopped() || io.poll() == 0) << "the speaker ended";
}
