#include "text/incremental_segmenter.hpp"

#include <gtest/gtest.h>

using namespace rtts::text;
using strings = std::vector<std::string>;

TEST(IncrementalSegmenter, ReleasesASentenceOnceItsEndIsCertain) {
  incremental_segmenter s;
  s.push("Hello wor");
  EXPECT_TRUE(s.take_ready().empty());
  s.push("ld.");
  EXPECT_TRUE(s.take_ready().empty()) << "'world.' might still be 'world.com'";
  s.push(" How");
  EXPECT_EQ(s.take_ready(), strings{"Hello world."});
  s.push(" are you? ");
  EXPECT_EQ(s.take_ready(), strings{"How are you?"});
  EXPECT_TRUE(s.flush().empty());
}

TEST(IncrementalSegmenter, TokenByTokenGivesTheSameSentencesAsAllAtOnce) {
  std::string text = "The first sentence is here. Dr. Smith arrived at noon! Did anyone notice? The end.";
  incremental_segmenter s;
  strings got;
  for (char c : text) {
    s.push(std::string(1, c));
    for (auto& r : s.take_ready()) got.push_back(r);
  }
  for (auto& r : s.flush()) got.push_back(r);
  EXPECT_EQ(got, split_sentences(text));
}

TEST(IncrementalSegmenter, CutsLongUnpunctuatedRuns) {
  incremental_segmenter s({120, 24, 200});
  std::size_t released = 0;
  for (int i = 0; i < 200; ++i) {
    s.push("word ");
    for (auto& r : s.take_ready()) {
      EXPECT_LE(r.size(), 200u);
      EXPECT_EQ(r.back(), 'd') << "cut at a word boundary";
      released += r.size();
    }
    EXPECT_LE(s.buffered_bytes(), 210u) << "never waits for punctuation that does not come";
  }
  EXPECT_GT(released, 700u);
}

TEST(IncrementalSegmenter, FirstPieceIsCutEarlyAtAClause) {
  incremental_segmenter s;
  s.push("Well, this is a very long opening sentence that keeps going, and going, and going without a stop in sight, "
         "on and on across the page ");
  auto ready = s.take_ready();
  ASSERT_FALSE(ready.empty());
  EXPECT_LE(ready.front().size(), 120u);
  EXPECT_EQ(ready.front().back(), ',');
}

TEST(IncrementalSegmenter, FlushAndClear) {
  incremental_segmenter s;
  s.push("No punctuation here");
  EXPECT_EQ(s.flush(), strings{"No punctuation here"});
  s.push("Dropped text");
  s.clear();
  EXPECT_TRUE(s.flush().empty());
}
