#include "text/segmenter.hpp"

#include <gtest/gtest.h>

using namespace rtts::text;
using strings = std::vector<std::string>;

TEST(Segmenter, SplitsSentences) {
  EXPECT_EQ(split_sentences("Hello world. How are you? I am fine!"), (strings{"Hello world.", "How are you?", "I am fine!"}));
}

TEST(Segmenter, CollapsesWhitespace) {
  EXPECT_EQ(collapse_whitespace("  a \n\t b  "), "a b");
  EXPECT_EQ(split_sentences("  One.\n\nTwo.  "), (strings{"One.", "Two."}));
  EXPECT_TRUE(split_sentences(" \n ").empty());
}

TEST(Segmenter, KeepsAbbreviationsInsideSentences) {
  EXPECT_EQ(split_sentences("Dr. Smith met Mr. Jones. They talked."), (strings{"Dr. Smith met Mr. Jones.", "They talked."}));
}

TEST(Segmenter, DoesNotSplitBeforeLowercase) {
  EXPECT_EQ(split_sentences("\"Hello!\" she said. Then left."), (strings{"\"Hello!\" she said.", "Then left."}));
}

TEST(Segmenter, ShortFirstFragment) {
  std::string first = "This opening sentence is deliberately long, so that the segmenter has to cut it at a "
                      "clause boundary to get the first audio out early.";
  auto fragments = split_into_fragments(first + " Second sentence.");
  ASSERT_GE(fragments.size(), 3u);
  EXPECT_LE(fragments[0].size(), segmenter_policy{}.first_fragment_max_bytes);
  EXPECT_EQ(fragments[0], "This opening sentence is deliberately long,");
  EXPECT_EQ(fragments.back(), "Second sentence.");
}

TEST(Segmenter, FragmentsCoverAllText) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "Sentence number " + std::to_string(i) + " has a few words in it. ";
  std::string joined;
  for (const auto& f : split_into_fragments(text)) joined += (joined.empty() ? "" : " ") + f;
  EXPECT_EQ(joined, collapse_whitespace(text));
}

TEST(Segmenter, CutsLongSentencesWithoutPunctuationAtWords) {
  std::string text;
  for (int i = 0; i < 400; ++i) text += "word ";
  segmenter_policy policy;
  auto fragments = split_into_fragments(text, policy);
  ASSERT_GT(fragments.size(), 3u);
  for (const auto& f : fragments) {
    EXPECT_LE(f.size(), policy.max_fragment_bytes);
    EXPECT_EQ(f.front(), 'w');
    EXPECT_EQ(f.back(), 'd');
  }
}

TEST(Segmenter, CutsTextWithoutSpacesAtCodePointBoundaries) {
  std::string text;
  for (int i = 0; i < 600; ++i) text += "語";
  auto fragments = split_into_fragments(text);
  ASSERT_GT(fragments.size(), 1u);
  std::string joined;
  for (const auto& f : fragments) {
    EXPECT_EQ(f.size() % 3, 0u) << "cut inside a code point";
    joined += f;
  }
  EXPECT_EQ(joined, text);
}
