// The job-side word timer: every word goes out before the audio holding its start, with its
// end at the pause after it; units merge; engines without events get estimated words.
#include "worker/word_timer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace rtts::worker;

namespace {

struct recorder {
  std::vector<std::string> order; // "w:<begin>" or "a:<samples>"
  std::vector<timed_word> words;
  std::uint64_t audio = 0;
  word_timer::audio_out audio_out() {
    return [this](std::span<const std::int16_t> pcm) {
      order.push_back("a:" + std::to_string(audio));
      audio += pcm.size();
      return true;
    };
  }
  word_timer::word_out word_out() {
    return [this](const timed_word& w) {
      // A word's start must not be in audio already sent.
      EXPECT_GE(w.start_sample, audio);
      order.push_back("w:" + std::to_string(w.begin));
      words.push_back(w);
      return true;
    };
  }
};

std::vector<std::int16_t> tone(std::size_t n) { return std::vector<std::int16_t>(n, 5000); }
std::vector<std::int16_t> quiet(std::size_t n) { return std::vector<std::int16_t>(n, 0); }

// An engine that says each word (begin, length) followed by 100 samples of sound, then ends.
void speak_words(word_timer& t, std::initializer_list<std::pair<std::size_t, std::size_t>> words) {
  for (auto [begin, length] : words) {
    t.word(begin, length);
    t.audio(tone(100));
  }
  t.finish();
}

} // namespace

TEST(WordTimer, WordsPrecedeTheirAudioAndEndAtThePause) {
  recorder r;
  std::string text = "Hello, world";
  word_timer t(text, {}, false, 1000, r.audio_out(), r.word_out()); // 1000 Hz: 20-sample min gap
  EXPECT_TRUE(t.audio(quiet(50)));
  t.word(0, 5);
  EXPECT_TRUE(t.audio(quiet(10))); // the engine placed the word a little early
  EXPECT_TRUE(t.audio(tone(300)));
  EXPECT_TRUE(t.audio(quiet(100))); // the comma's pause
  t.word(7, 5);
  EXPECT_TRUE(t.audio(tone(200)));
  EXPECT_TRUE(t.audio(quiet(40)));
  EXPECT_TRUE(t.finish());
  ASSERT_EQ(r.words.size(), 2u);
  EXPECT_EQ(r.words[0].start_sample, 60u);  // first sound
  EXPECT_EQ(r.words[0].end_sample, 360u);   // where the pause begins
  EXPECT_EQ(r.words[1].start_sample, 460u);
  EXPECT_EQ(r.words[1].end_sample, 660u);   // last sound
  EXPECT_EQ(r.words[1].begin, 7u);
  EXPECT_EQ(r.audio, 700u);
  EXPECT_EQ(r.order.front(), "a:0");
  EXPECT_EQ(r.order[1], "w:0");
}

TEST(WordTimer, SpokenWordsOfOneUnitAreOneWord) {
  recorder r;
  std::string text = "on November twenty-ninth ok"; // [3, 24) is one rewrite
  word_timer t(text, {{3, 24}}, false, 1000, r.audio_out(), r.word_out());
  speak_words(t, {{0, 2}, {3, 8}, {12, 12}, {25, 2}});
  ASSERT_EQ(r.words.size(), 3u);
  EXPECT_EQ(r.words[1].begin, 3u);
  EXPECT_EQ(r.words[1].end, 24u);
  EXPECT_EQ(r.words[1].start_sample, 100u);
  EXPECT_EQ(r.words[1].end_sample, 300u);
}

TEST(WordTimer, AnEnginesExpansionOfOneWrittenWordIsOneWord) {
  recorder r;
  std::string text = "on 2026 ok"; // eSpeak, normalization off: "2026" at 3, then "026" at 4 twice
  word_timer t(text, {}, false, 1000, r.audio_out(), r.word_out());
  speak_words(t, {{0, 2}, {3, 4}, {4, 3}, {4, 3}, {8, 2}});
  ASSERT_EQ(r.words.size(), 3u);
  EXPECT_EQ(r.words[1].begin, 3u);
  EXPECT_EQ(r.words[1].end, 7u);
  EXPECT_EQ(r.words[1].end_sample, 400u);
}

TEST(WordTimer, EstimatesWordsWhenTheEngineReportsNone) {
  recorder r;
  std::string text = "aa bbbb, !! c";
  word_timer t(text, {}, true, 1000, r.audio_out(), r.word_out());
  t.word(0, 2); // ignored: estimating
  t.audio(quiet(100));
  t.audio(tone(1000));
  t.audio(quiet(100));
  EXPECT_EQ(r.audio, 0u) << "audio is held until the words are known";
  t.finish();
  ASSERT_EQ(r.words.size(), 3u) << "'!!' is no word";
  EXPECT_EQ(r.words[0].start_sample, 100u);
  EXPECT_EQ(r.words[2].end_sample, 1100u);
  EXPECT_EQ(r.words[1].begin, 3u);
  EXPECT_EQ(r.words[1].end, 7u) << "the comma is not part of the word";
  for (std::size_t i = 1; i < r.words.size(); ++i) EXPECT_GE(r.words[i].start_sample, r.words[i - 1].end_sample);
  EXPECT_EQ(r.audio, 1200u);
}

TEST(WordTimer, StopsWhenTheOutputRefuses) {
  std::string text = "a b";
  int calls = 0;
  word_timer t(text, {}, false, 1000, [&](std::span<const std::int16_t>) { return ++calls < 2; }, [](const timed_word&) { return true; });
  EXPECT_TRUE(t.audio(tone(10)));
  EXPECT_FALSE(t.audio(tone(10)));
  EXPECT_FALSE(t.audio(tone(10)));
  EXPECT_FALSE(t.finish());
}
