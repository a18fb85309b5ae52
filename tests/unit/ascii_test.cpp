// The ASCII helpers every module shares (core/ascii.hpp).
#include "core/ascii.hpp"

#include <gtest/gtest.h>

using namespace rtts;

TEST(Ascii, ListsSplitTrimmedWithTheirEmptyItems) {
  EXPECT_EQ(split_list("a, b,,c ", ','), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(split_list("128,1,256", ','), (std::vector<std::string>{"128", "1", "256"}));
  EXPECT_EQ(split_list("one", ','), std::vector<std::string>{"one"});
  EXPECT_EQ(split_list("a,", ','), (std::vector<std::string>{"a", ""}));
  EXPECT_TRUE(split_list("", ',').empty());
}

TEST(Ascii, LowerCaseSpaceAndLanguageKeysLeaveUtf8Alone) {
  EXPECT_EQ(ascii_lower("Ünïcode ABC"), "Ünïcode abc");
  EXPECT_EQ(trim_ascii_space("\t x y \r\n"), "x y");
  EXPECT_EQ(language_key("en_US"), "en-us");
}
