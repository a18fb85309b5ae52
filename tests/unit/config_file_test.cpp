#include "core/config_file.hpp"

#include <gtest/gtest.h>

using namespace rtts;

TEST(ConfigFile, FlattensScalarsListsAndMaps) {
  auto entries = parse_config_text(R"({
    // comments are allowed, and so are trailing commas
    "port": 9000,
    "host": "0.0.0.0",
    "api-key": ["one", "two"],
    "openai-voice": {"alloy": "espeak:en-gb", "nova": "espeak:en-us"},
    "speedy": true,
    "ratio": 0.5,
  })");
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), 6u);
  EXPECT_EQ((*entries)[0].key, "port");
  EXPECT_EQ((*entries)[0].values, std::vector<std::string>{"9000"});
  EXPECT_EQ((*entries)[1].values, std::vector<std::string>{"0.0.0.0"});
  EXPECT_EQ((*entries)[2].values, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ((*entries)[3].values, (std::vector<std::string>{"alloy=espeak:en-gb", "nova=espeak:en-us"}));
  EXPECT_EQ((*entries)[4].values, std::vector<std::string>{"true"});
  EXPECT_EQ((*entries)[5].values, std::vector<std::string>{"0.5"});
}

TEST(ConfigFile, SyntaxErrorsSayWhere) {
  auto r = parse_config_text("{\n  \"port\": 9000\n  \"host\": \"x\"\n}");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("line 3, column 3"), std::string::npos) << r.error().message;
  auto truncated = parse_config_text("{\"port\": ");
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().message.find("line 1"), std::string::npos) << truncated.error().message;
}

TEST(ConfigFile, RejectsShapesNoFlagTakes) {
  for (const char* text : {"[1, 2]", "42", "\"port\"", R"({"port": null})", R"({"api-key": [["nested"]]})",
                           R"({"openai-voice": {"alloy": {"deep": 1}}})", R"({"port": 1} trailing)"}) {
    auto r = parse_config_text(text);
    EXPECT_FALSE(r) << text;
  }
  auto named = parse_config_text(R"({"api-key": [{"x": 1}]})");
  ASSERT_FALSE(named);
  EXPECT_NE(named.error().message.find("'api-key'"), std::string::npos) << named.error().message;
}

TEST(ConfigFile, MissingFileIsAnError) {
  auto r = read_config_file("/nonexistent/rtts.json");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("/nonexistent/rtts.json"), std::string::npos);
}
