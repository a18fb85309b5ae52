#include "api/api_keys.hpp"
#include "api/base64.hpp"
#include "api/openai_speech.hpp"
#include "api/sse_events.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace rtts;
using namespace rtts::api;

namespace {
const std::vector<std::string> engines = {"espeak"};
result<speech_request> parse(std::string_view body, std::string_view type = "application/json") {
  return parse_speech_request(type, body, server_config{}, engines);
}
} // namespace

TEST(OpenAiSpeech, MinimalRequestGetsOpenAiDefaults) {
  auto r = parse(R"({"model":"tts-1","input":"Hello","voice":"alloy"})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->input, "Hello");
  EXPECT_EQ(r->format, audio_format::mp3);
  EXPECT_EQ(r->voice.engine, "espeak");
  EXPECT_EQ(r->voice.voice, "en-us");
  EXPECT_FALSE(r->sse);
  EXPECT_EQ(r->sample_rate, 0);
}

TEST(OpenAiSpeech, NativeVoicesAndExtensions) {
  auto r = parse(R"({"model":"espeak","input":"x","voice":"de","response_format":"flac","speed":1.5,"pitch":0.8,
                     "sample_rate":16000,"stream_format":"sse","instructions":"cheerful"})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->voice.engine, "espeak");
  EXPECT_EQ(r->voice.voice, "de");
  EXPECT_EQ(r->format, audio_format::flac);
  EXPECT_DOUBLE_EQ(r->voice.speed, 1.5);
  EXPECT_DOUBLE_EQ(r->voice.pitch, 0.8);
  EXPECT_EQ(r->sample_rate, 16000);
  EXPECT_TRUE(r->sse);
  EXPECT_TRUE(r->instructions_ignored);
  EXPECT_FALSE(parse(R"({"input":"x"})")->instructions_ignored);
  auto qualified = parse(R"({"input":"x","voice":"espeak:fr-fr"})");
  ASSERT_TRUE(qualified);
  EXPECT_EQ(qualified->voice.engine, "espeak");
  EXPECT_EQ(qualified->voice.voice, "fr-fr");
}

TEST(OpenAiSpeech, VoiceMayBeAnObjectWithAnId) {
  // OpenAI's API takes {"id": ...} for a voice too (custom voices); it means what the name means.
  auto object = parse(R"({"input":"x","voice":{"id":"alloy"}})");
  ASSERT_TRUE(object) << object.error().message;
  EXPECT_EQ(object->voice.engine, "espeak");
  EXPECT_EQ(object->voice.voice, "en-us");
  auto native = parse(R"({"input":"x","voice":{"id":"espeak:de"}})");
  ASSERT_TRUE(native);
  EXPECT_EQ(native->voice.voice, "de");
  for (const char* body : {R"({"input":"x","voice":{}})", R"({"input":"x","voice":{"id":7}})", R"({"input":"x","voice":[1]})", R"({"input":"x","voice":3})"}) {
    auto bad = parse(body);
    ASSERT_FALSE(bad) << body;
    EXPECT_EQ(bad.error().code, "invalid_voice") << body;
    EXPECT_EQ(bad.error().param, "voice") << body;
  }
}

TEST(OpenAiSpeech, ContentTypeMustBeJson) {
  EXPECT_EQ(parse(R"({"input":"x"})", "text/plain").error().kind, error_kind::unsupported_media_type);
  EXPECT_EQ(parse(R"({"input":"x"})", "").error().kind, error_kind::unsupported_media_type);
  EXPECT_TRUE(parse(R"({"input":"x"})", "application/json; charset=utf-8"));
  EXPECT_TRUE(parse(R"({"input":"x"})", "Application/JSON"));
}

TEST(OpenAiSpeech, BadBodies) {
  EXPECT_EQ(parse("{not json").error().code, "invalid_json");
  EXPECT_EQ(parse("[1,2]").error().code, "invalid_json");
  EXPECT_EQ(parse(R"({"voice":"alloy"})").error().code, "missing_input");
  EXPECT_EQ(parse(R"({"input":42})").error().param, "input");
  EXPECT_EQ(parse(R"({"input":"x","model":"gpt-9"})").error().code, "model_not_found");
  EXPECT_EQ(parse(R"({"input":"x","response_format":"ogg"})").error().code, "invalid_response_format");
  EXPECT_EQ(parse(R"({"input":"x","speed":"fast"})").error().param, "speed");
  EXPECT_EQ(parse(R"({"input":"x","stream_format":"chunks"})").error().param, "stream_format");
  EXPECT_EQ(parse(R"({"input":"x","voice":"nope:en"})").error().code, "unknown_voice");
  EXPECT_EQ(parse(R"({"input":"x","sample_rate":1.5})").error().param, "sample_rate");
  EXPECT_EQ(parse(R"({"input":"x","sample_rate":22})").error().param, "sample_rate") << "found by fuzz_json_bodies: 1..7999 was accepted";
}

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xFF\x00\xFE", 3)), "/wD+");
  for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\xFF\x00\xFE\x01", 4)})
    EXPECT_EQ(base64_decode(base64_encode(s)), s);
}

TEST(Sse, EventsAreDataLinesOfJson) {
  auto delta = sse_audio_delta("foo");
  EXPECT_EQ(delta, "data: {\"type\":\"speech.audio.delta\",\"audio\":\"Zm9v\"}\n\n");
  auto done = boost::json::parse(sse_audio_done("three little words").substr(6));
  EXPECT_EQ(done.at("type").as_string(), "speech.audio.done");
  EXPECT_EQ(done.at("usage").at("input_tokens").as_int64(), 3);
}

TEST(ApiKeys, BearerCheck) {
  std::vector<std::string> keys = {"alpha", "beta-key"};
  EXPECT_TRUE(check_api_key("", {}));
  EXPECT_TRUE(check_api_key("Bearer alpha", keys));
  EXPECT_TRUE(check_api_key("Bearer beta-key", keys));
  EXPECT_EQ(check_api_key("", keys).error().kind, error_kind::unauthorized);
  EXPECT_FALSE(check_api_key("Bearer alph", keys));
  EXPECT_FALSE(check_api_key("Bearer alphaa", keys));
  EXPECT_FALSE(check_api_key("Basic alpha", keys));
  EXPECT_EQ(split_keys(" a, b ,,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(check_api_key("bearer alpha", keys)) << "the scheme is case-insensitive (RFC 9110)";
  EXPECT_TRUE(check_api_key("BEARER alpha", keys));
  EXPECT_FALSE(check_api_key("bearer", keys));
}

TEST(OpenAiSpeech, NormalizeExtension) {
  EXPECT_TRUE(parse(R"({"input":"x"})")->voice.normalize);
  EXPECT_FALSE(parse(R"({"input":"x","normalize":false})")->voice.normalize);
  EXPECT_EQ(parse(R"({"input":"x","normalize":"no"})").error().param, "normalize");
}

TEST(OpenAiSpeech, TimestampsNeedSseAndSsmlIsDetected) {
  auto r = parse(R"({"input":"Hi","stream_format":"sse","timestamps":"word","offset_units":"utf8"})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->timing.level, timestamp_level::word);
  EXPECT_EQ(r->timing.units, offset_unit::utf8);
  auto no_sse = parse(R"({"input":"Hi","timestamps":"word"})");
  ASSERT_FALSE(no_sse);
  EXPECT_EQ(no_sse.error().code, "timestamps_need_sse");
  EXPECT_FALSE(parse(R"({"input":"Hi","stream_format":"sse","timestamps":1})"));
  EXPECT_TRUE(parse(R"({"input":"<speak>Hi</speak>"})")->ssml);
  EXPECT_FALSE(parse(R"({"input":"<speak>Hi</speak>","ssml":false})")->ssml);
  EXPECT_TRUE(parse(R"({"input":"Hi","ssml":true})")->ssml);
  EXPECT_FALSE(parse(R"({"input":"Hi","ssml":"yes"})"));
}

TEST(ApiKeys, KeyFromWebSocketSubprotocols) {
  EXPECT_EQ(key_from_subprotocols("rtts, bearer.k-123"), "k-123");
  EXPECT_EQ(key_from_subprotocols("bearer.abc,rtts"), "abc");
  EXPECT_EQ(key_from_subprotocols("rtts"), "");
  EXPECT_EQ(key_from_subprotocols("bearer."), "");
  EXPECT_EQ(key_from_subprotocols(""), "");
}

TEST(ApiKeys, SubprotocolAnswerNeverEchoesTheKey) {
  EXPECT_EQ(subprotocol_answer("bearer.k, rtts"), "rtts");
  EXPECT_EQ(subprotocol_answer("bearer.k, chat"), "chat");
  EXPECT_EQ(subprotocol_answer("bearer.k"), "");
  EXPECT_EQ(subprotocol_answer(""), "");
}
