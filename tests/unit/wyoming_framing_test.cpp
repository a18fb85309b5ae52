#include "wyoming/framing.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace rtts::wyoming;
namespace json = boost::json;

TEST(WyomingFraming, RoundTripByteByByte) {
  event a{"audio-chunk", json::object{{"rate", 22050}, {"width", 2}, {"channels", 1}}, std::string("\x01\x00\xFF\x7F", 4)};
  event b{"describe", {}, {}};
  std::string wire = encode(a) + encode(b);
  decoder d;
  std::vector<event> got;
  for (char c : wire) {
    d.feed(std::string_view(&c, 1));
    for (;;) {
      auto e = d.next();
      ASSERT_TRUE(e);
      if (!*e) break;
      got.push_back(std::move(**e));
    }
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].type, "audio-chunk");
  EXPECT_EQ(got[0].data.at("rate").as_int64(), 22050);
  EXPECT_EQ(got[0].payload, a.payload);
  EXPECT_EQ(got[1].type, "describe");
  EXPECT_TRUE(got[1].data.empty());
}

TEST(WyomingFraming, DataGoesInItsOwnSegment) {
  json::array voices;
  for (int i = 0; i < 2000; ++i) voices.push_back(json::object{{"name", "voice-" + std::to_string(i)}, {"languages", json::array{"en"}}});
  std::string wire = encode({"info", json::object{{"tts", json::array{json::object{{"voices", voices}}}}}, {}});
  auto eol = wire.find('\n');
  EXPECT_LT(eol, 200u) << "the header line stays small however big the data";
  EXPECT_GT(wire.size(), 64u * 1024);
}

TEST(WyomingFraming, SegmentDataIsMergedOverInlineData) {
  std::string data = R"({"text":"from the segment"})";
  std::string wire = R"({"type":"synthesize","data":{"text":"inline","voice":{"name":"x"}},"data_length":)" + std::to_string(data.size()) + "}\n" + data;
  decoder d;
  d.feed(wire);
  auto e = d.next();
  ASSERT_TRUE(e && *e);
  EXPECT_EQ((*e)->data.at("text").as_string(), "from the segment");
  EXPECT_EQ((*e)->data.at("voice").at("name").as_string(), "x");
}

TEST(WyomingFraming, MalformedInputIsAnError) {
  for (std::string bad : {std::string("not json\n"), std::string("[1,2]\n"), std::string("{\"data\":{}}\n"),
                          std::string("{\"type\":\"x\",\"data_length\":-5}\n"), std::string("{\"type\":\"x\",\"payload_length\":99999999999}\n"),
                          std::string("{\"type\":\"x\",\"data_length\":3}\n[1]"),
                          // Above INT64_MAX: once an exception that would have ended the server (found by fuzzing).
                          std::string("{\"type\":\"x\",\"data_length\":16222222222222222222}\n"),
                          std::string("{\"type\":\"x\",\"data_length\":1e300}\n")}) {
    decoder d;
    d.feed(bad);
    EXPECT_FALSE(d.next()) << bad;
  }
  decoder endless;
  endless.feed(std::string(70 * 1024, 'x'));
  EXPECT_FALSE(endless.next()) << "a header line without end is capped at 64 KiB";
}
