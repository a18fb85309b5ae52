// Text normalization through the server: on by default on every route, off per request. The
// engine is deterministic, so "said as words" is checked byte for byte against the words.
#include "client/ws_client.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace rtts::testing;

namespace {

class Normalization : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server = new rtts_server({"--workers", "1"}); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static rtts_server* server;
};
rtts_server* Normalization::server = nullptr;

} // namespace

TEST_F(Normalization, DatesMoneyAndTimesAreSpokenAsWordsOnEveryEngine) {
  for (const char* engine : {"espeak", "flite", "festival"}) {
    SCOPED_TRACE(engine);
    std::string e = std::string("engine=") + engine;
    auto written = server->get(tts_target("It is due on 2026-11-29 at 9:30 pm and costs $5.99.", e)).body;
    auto spoken = server->get(tts_target("It is due on November twenty-ninth, twenty twenty-six at nine thirty p m and costs five dollars and ninety-nine cents.", e)).body;
    EXPECT_TRUE(written == spoken) << "the written forms are read as the words";
    auto raw = server->get(tts_target("It is due on 2026-11-29 at 9:30 pm and costs $5.99.", e + "&normalize=0")).body;
    EXPECT_TRUE(raw != spoken) << "normalize=0 hands the text to the engine as written";
  }
}

TEST_F(Normalization, OpenAiBodyAndStreamConfigCanSwitchItOff) {
  auto body = [](bool normalize) {
    return std::string(R"({"input":"Call me on 2026-11-29.","voice":"alloy","response_format":"pcm")") + (normalize ? "" : R"(,"normalize":false)") + "}";
  };
  auto on = server->post("/v1/audio/speech", body(true));
  auto off = server->post("/v1/audio/speech", body(false));
  auto words = server->post("/v1/audio/speech", R"({"input":"Call me on November twenty-ninth, twenty twenty-six.","voice":"alloy","response_format":"pcm"})");
  ASSERT_EQ(on.status, 200u);
  EXPECT_TRUE(on.body == words.body);
  EXPECT_TRUE(off.body != words.body);
  EXPECT_EQ(server->post("/v1/audio/speech", R"({"input":"x","normalize":"no"})").status, 400u);
  EXPECT_EQ(server->get(tts_target("x", "normalize=maybe")).status, 400u);
}

// A German voice reads German text: no English rules on the way (before, "2026-11-29" became
// "November twenty-ninth, ..." in the middle of a German sentence). A language rtts has no rules
// for reaches the engine as written, so the audio is the same with normalization on and off;
// SSML's xml:lang picks the rules of each part.
TEST_F(Normalization, OnlyEnglishIsReadWithEnglishRules) {
  const std::string german = "Am 2026-11-29 zahlt Dr. Müller 5,99 € und 1.234 Euro.";
  for (const char* voice : {"de", "fr-fr"}) {
    SCOPED_TRACE(voice);
    auto on = server->get(tts_target(german, std::string("voice=") + voice));
    auto off = server->get(tts_target(german, std::string("voice=") + voice + "&normalize=0"));
    ASSERT_EQ(on.status, 200u);
    EXPECT_GT(on.body.size(), 44u + 22050u) << "over half a second of speech";
    EXPECT_TRUE(on.body == off.body) << "the German text reaches the engine as written";
  }
  auto english = server->get(tts_target("On 2026-11-29 we met.", "voice=en-us"));
  auto english_raw = server->get(tts_target("On 2026-11-29 we met.", "voice=en-us&normalize=0"));
  EXPECT_TRUE(english.body != english_raw.body) << "English is still normalized";

  // One document, two languages: the English sentence normalized, the German one as written.
  const std::string mixed = "<speak>On 2026-11-29 we met. <lang xml:lang='de'>Am 2026-11-29 zahlt er.</lang></speak>";
  const std::string mixed_words = "<speak>On November twenty-ninth, twenty twenty-six we met. <lang xml:lang='de'>Am 2026-11-29 zahlt er.</lang></speak>";
  auto a = server->get(tts_target(mixed, "ssml=1&voice=en-us"));
  auto b = server->get(tts_target(mixed_words, "ssml=1&voice=en-us&normalize=0"));
  ASSERT_EQ(a.status, 200u);
  EXPECT_TRUE(a.body == b.body) << "xml:lang='de' keeps its date as written; the English one is read as words";
}
