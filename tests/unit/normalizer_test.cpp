// The English normalization table: input -> what the engine is given. Unknown tokens stay as
// written; no word is ever dropped; every rewrite maps back to its whole original span.
#include "text/normalizer.hpp"

#include <gtest/gtest.h>

using rtts::text::normalize;

TEST(Normalizer, TableOfSpokenForms) {
  const std::pair<const char*, const char*> table[] = {
      // dates, years
      {"Due 2026-11-29.", "Due November twenty-ninth, twenty twenty-six."},
      {"(1999-01-01)", "(January first, nineteen ninety-nine)"},
      {"2005-07-04", "July fourth, two thousand five"},
      {"1905-12-31", "December thirty-first, nineteen oh five"},
      {"2026-13-01", "2026-13-01"}, // not a date
      // times
      {"at 9:05 today", "at nine oh five today"},
      {"at 14:30.", "at fourteen thirty."},
      {"at 9:00", "at nine o'clock"},
      {"at 9:30 pm, then", "at nine thirty p m, then"},
      {"at 7:15 a.m. sharp", "at seven fifteen a m sharp"},
      {"23:59:10", "twenty-three fifty-nine and ten seconds"},
      {"25:00", "25:00"},
      // ordinals
      {"the 1st, 2nd, 3rd and 4th", "the first, second, third and fourth"},
      {"11th 12th 13th 21st 22nd 101st", "eleventh twelfth thirteenth twenty-first twenty-second one hundred first"},
      {"the 20th and 90th", "the twentieth and ninetieth"},
      {"1th", "1th"}, // wrong marker: not an ordinal
      // money
      {"$5", "five dollars"},
      {"$1 each", "one dollar each"},
      {"$5.99!", "five dollars and ninety-nine cents!"},
      {"£3.50", "three pounds and fifty pence"},
      {"€1,200", "one thousand two hundred euros"},
      {"$1.5 million", "one point five million dollars"},
      {"$2 billion.", "two billion dollars."},
      // percentages and numbers
      {"50% off", "fifty percent off"},
      {"3.5%", "three point five percent"},
      {"-2%", "minus two percent"},
      {"1,234,567 people", "one million two hundred thirty-four thousand five hundred sixty-seven people"},
      {"pi is 3.14", "pi is three point one four"},
      {"-40 degrees", "minus forty degrees"},
      {"42 and 1999", "42 and 1999"}, // engines read plain integers well
      {"1,23", "1,23"},                // not a thousands separator
      // abbreviations
      {"Dr. Smith lives on Elm Dr. now", "Doctor Smith lives on Elm Drive now"},
      {"Mr. and Mrs. Jones", "Mister and Missus Jones"},
      {"St. Paul on Main St.", "Saint Paul on Main Street."},
      {"fruit, e.g. apples, etc.", "fruit, for example apples, et cetera."},
      {"Nov. 5", "November 5"},
      // addresses
      {"see https://www.example.com/docs/api-guide/", "see example dot com slash docs slash api dash guide"},
      {"www.rtts.dev.", "rtts dot dev."},
      {"mail jane.doe@example.org today", "mail jane dot doe at example dot org today"},
      {"a@b", "a@b"},
      {"www.\x08", "www.\x08"}, // nothing speakable: left as is, never dropped (found by fuzz_normalizer)
      // untouched
      {"Hello, world!", "Hello, world!"},
      {"  spaced\tout\n", "  spaced\tout\n"},
      {"", ""},
  };
  for (const auto& [in, expected] : table) EXPECT_EQ(normalize(in).text, expected) << "input: " << in;
}

TEST(Normalizer, NumbersAndYearsInWords) {
  using namespace rtts::text;
  EXPECT_EQ(cardinal_words(0), "zero");
  EXPECT_EQ(cardinal_words(15), "fifteen");
  EXPECT_EQ(cardinal_words(100), "one hundred");
  EXPECT_EQ(cardinal_words(1000001), "one million one");
  EXPECT_EQ(cardinal_words(999999999999999ULL),
            "nine hundred ninety-nine trillion nine hundred ninety-nine billion nine hundred ninety-nine million nine hundred ninety-nine "
            "thousand nine hundred ninety-nine");
  EXPECT_EQ(ordinal_words(12), "twelfth");
  EXPECT_EQ(ordinal_words(1000), "one thousandth");
  EXPECT_EQ(year_words(2026), "twenty twenty-six");
  EXPECT_EQ(year_words(1900), "nineteen hundred");
  EXPECT_EQ(year_words(2000), "two thousand");
  EXPECT_EQ(year_words(2010), "twenty ten");
}

TEST(Normalizer, SpansMapEveryRewriteToItsWholeOriginal) {
  std::string input = "On 2026-11-29 at 9:30 pm we pay $5.";
  auto n = normalize(input);
  std::size_t out_at = 0;
  std::vector<std::string> rewritten;
  for (const auto& s : n.spans) {
    EXPECT_EQ(s.out_begin, out_at) << "spans cover the output without gaps";
    out_at = s.out_end;
    if (s.rewritten) rewritten.push_back(input.substr(s.in_begin, s.in_end - s.in_begin));
    else EXPECT_EQ(n.text.substr(s.out_begin, s.out_end - s.out_begin), input.substr(s.in_begin, s.in_end - s.in_begin));
  }
  EXPECT_EQ(out_at, n.text.size());
  EXPECT_EQ(rewritten, (std::vector<std::string>{"2026-11-29", "9:30 pm", "$5"}));
}
