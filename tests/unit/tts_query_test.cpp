#include "api/tts_query.hpp"

#include <gtest/gtest.h>

using namespace rtts;
using namespace rtts::api;

namespace {
result<tts_request> parse(std::string_view target) {
  auto t = parse_target(target);
  if (!t) return t.error();
  return parse_tts_request(*t);
}
} // namespace

TEST(TtsQuery, DecodesPlusAndPercent) {
  auto r = parse("/tts?text=Hello+w%C3%B6rld%21&voice=en-gb");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text, "Hello wörld!");
  EXPECT_EQ(r->voice.voice, "en-gb");
  EXPECT_EQ(r->voice.engine, "");
  EXPECT_EQ(r->output.format, audio_format::wav);
  EXPECT_EQ(r->output.sample_rate, 0);
}

TEST(TtsQuery, ParsesAllOptions) {
  auto r = parse("/tts?text=x&engine=espeak&speed=1.5&pitch=0.8&format=pcm&sample_rate=16000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->voice.engine, "espeak");
  EXPECT_DOUBLE_EQ(r->voice.speed, 1.5);
  EXPECT_DOUBLE_EQ(r->voice.pitch, 0.8);
  EXPECT_EQ(r->output.format, audio_format::pcm);
  EXPECT_EQ(r->output.sample_rate, 16000);
}

TEST(TtsQuery, FirstDuplicateWins) {
  auto r = parse("/tts?text=one&text=two");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text, "one");
}

TEST(TtsQuery, MissingTextIsAnError) {
  auto r = parse("/tts?voice=en-us");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "missing_text");
}

TEST(TtsQuery, RejectsBadValues) {
  EXPECT_EQ(parse("/tts?text=x&speed=fast").error().param, "speed");
  EXPECT_EQ(parse("/tts?text=x&speed=nan").error().param, "speed");
  EXPECT_EQ(parse("/tts?text=x&speed=1.0x").error().param, "speed");
  EXPECT_EQ(parse("/tts?text=x&format=mp4").error().param, "format");
  EXPECT_EQ(parse("/tts?text=x&sample_rate=7999").error().param, "sample_rate");
  EXPECT_EQ(parse("/tts?text=x&sample_rate=48001").error().param, "sample_rate");
  EXPECT_EQ(parse("/tts?text=x&sample_rate=16000.5").error().param, "sample_rate");
  EXPECT_TRUE(parse("/tts?text=x&sample_rate=48000"));
}

TEST(TtsQuery, RejectsBrokenEncoding) {
  auto bad_escape = parse_target("/tts?text=%zz");
  ASSERT_FALSE(bad_escape);
  EXPECT_EQ(bad_escape.error().kind, error_kind::invalid_request);
  auto not_utf8 = parse_target("/tts?text=%FF%FE");
  ASSERT_FALSE(not_utf8);
  EXPECT_EQ(not_utf8.error().code, "invalid_utf8");
  EXPECT_FALSE(parse_target("/tts?text=\xC3"));
}

TEST(TtsQuery, SeparatesPath) {
  auto t = parse_target("/voices?engine=espeak&detail=1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/voices");
  EXPECT_EQ(t->get("detail"), "1");
  EXPECT_FALSE(t->get("missing"));
}

TEST(TtsQuery, NormalizeIsOnUnlessSwitchedOff) {
  EXPECT_TRUE(parse("/tts?text=x")->voice.normalize);
  for (const char* off : {"0", "false", "no", "off"}) EXPECT_FALSE(parse(std::string("/tts?text=x&normalize=") + off)->voice.normalize) << off;
  EXPECT_TRUE(parse("/tts?text=x&normalize=true")->voice.normalize);
  EXPECT_EQ(parse("/tts?text=x&normalize=maybe").error().param, "normalize");
}

TEST(TtsQuery, TimestampsOffsetUnitsAndSsml) {
  auto r = parse("/tts?text=Hi&timestamps=word&offset_units=utf16");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->timing.level, timestamp_level::word);
  EXPECT_EQ(r->timing.units, offset_unit::utf16);
  EXPECT_FALSE(r->ssml);
  EXPECT_EQ(parse("/tts?text=Hi")->timing.level, timestamp_level::none);
  EXPECT_EQ(parse("/tts?text=Hi&timestamps=sentence")->timing.level, timestamp_level::sentence);
  EXPECT_FALSE(parse("/tts?text=Hi&timestamps=phonemes"));
  EXPECT_FALSE(parse("/tts?text=Hi&offset_units=bytes"));
  // A document is recognized by its start; ssml= decides either way.
  EXPECT_TRUE(parse("/tts?text=%3Cspeak%3EHi%3C%2Fspeak%3E")->ssml);
  EXPECT_TRUE(parse("/tts?text=%20%3C%3Fxml%20version%3D%221.0%22%3F%3E%3Cspeak%3EHi%3C%2Fspeak%3E")->ssml);
  EXPECT_FALSE(parse("/tts?text=%3Cspeak%3EHi%3C%2Fspeak%3E&ssml=0")->ssml);
  EXPECT_TRUE(parse("/tts?text=Hi&ssml=1")->ssml);
  EXPECT_FALSE(parse("/tts?text=Say%20%3Cspeak%3E")->ssml);
}
