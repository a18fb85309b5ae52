#include "text/utf8.hpp"

#include <gtest/gtest.h>

using namespace rtts::text;

TEST(Utf8, AcceptsValidText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("Grüße, 日本語, emoji \xF0\x9F\x98\x80"));
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF")); // U+10FFFF
}

TEST(Utf8, RejectsMalformedText) {
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));             // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));         // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));     // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));     // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80")); // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("ok\x80"));           // stray continuation byte
}

TEST(Utf8, CountsCodePoints) {
  EXPECT_EQ(count_code_points("abc"), 3u);
  EXPECT_EQ(count_code_points("Grüße"), 5u);
  EXPECT_EQ(count_code_points("\xF0\x9F\x98\x80"), 1u);
}

TEST(Utf8, BlankMeansOnlyWhitespace) {
  EXPECT_TRUE(is_blank(""));
  EXPECT_TRUE(is_blank(" \t\r\n"));
  EXPECT_TRUE(is_blank("\xC2\xA0\xE2\x80\x83\xE3\x80\x80")); // NBSP, em space, ideographic space
  EXPECT_FALSE(is_blank(" a "));
  EXPECT_FALSE(is_blank("\xE2\x80\x8B" "x"));
}
