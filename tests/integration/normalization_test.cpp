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

// Each language is read with its own rules: a German voice hears German words for a German
// date and number (before, "2026-11-29" became "November twenty-ninth, ..." in the middle of a
// German sentence); a language rtts has no rules for reaches the engine as written, so its audio
// is the same with normalization on and off; SSML's xml:lang picks the rules of each part.
TEST_F(Normalization, EachLanguageIsReadWithItsOwnRules) {
  const std::string german = "Am 2026-11-29 zahlt er 1.234 Euro.";
  auto on = server->get(tts_target(german, "voice=de"));
  auto words = server->get(tts_target("Am neunundzwanzigsten November zweitausendsechsundzwanzig zahlt er eintausendzweihundertvierunddreißig Euro.",
                                      "voice=de&normalize=0"));
  ASSERT_EQ(on.status, 200u);
  EXPECT_GT(on.body.size(), 44u + 22050u) << "over half a second of speech";
  EXPECT_TRUE(on.body == words.body) << "the German date and number are read as German words";

  const std::string swedish = "Den 2026-11-29 betalar han 1.234 kronor.";
  auto sv_on = server->get(tts_target(swedish, "voice=sv"));
  auto sv_off = server->get(tts_target(swedish, "voice=sv&normalize=0"));
  ASSERT_EQ(sv_on.status, 200u);
  EXPECT_TRUE(sv_on.body == sv_off.body) << "Swedish has no rules: the text reaches the engine as written";

  auto english = server->get(tts_target("On 2026-11-29 we met.", "voice=en-us"));
  auto english_raw = server->get(tts_target("On 2026-11-29 we met.", "voice=en-us&normalize=0"));
  EXPECT_TRUE(english.body != english_raw.body) << "English is still normalized";

  // One document, two languages: the English sentence normalized, the Swedish one as written.
  const std::string mixed = "<speak>On 2026-11-29 we met. <lang xml:lang='sv'>Den 2026-11-29 betalar han.</lang></speak>";
  const std::string mixed_words = "<speak>On November twenty-ninth, twenty twenty-six we met. <lang xml:lang='sv'>Den 2026-11-29 betalar han.</lang></speak>";
  auto a = server->get(tts_target(mixed, "ssml=1&voice=en-us"));
  auto b = server->get(tts_target(mixed_words, "ssml=1&voice=en-us&normalize=0"));
  ASSERT_EQ(a.status, 200u);
  EXPECT_TRUE(a.body == b.body) << "xml:lang='sv' keeps its date as written; the English one is read as words";
}

namespace {

boost::json::object parse_object(const std::string& body) {
  boost::json::value v = boost::json::parse(body);
  return v.as_object();
}

std::string normalize_target(const std::string& text, const std::string& extra = {}) {
  return "/normalize?text=" + rtts::client::url_encode(text) + (extra.empty() ? "" : "&" + extra);
}

} // namespace

// /normalize shows the exact text each engine call receives, piece by piece with its span in
// the text sent; speaking that text as written gives the same audio as the original request.
TEST_F(Normalization, NormalizeShowsWhatEachEngineCallReceives) {
  auto english = server->post("/normalize", R"({"input":"On 2026-11-29 we met Dr. Smith. Then we left.","voice":"en-us","offset_units":"utf16"})");
  ASSERT_EQ(english.status, 200u) << english.body;
  auto plan = parse_object(english.body);
  EXPECT_EQ(plan.at("engine").as_string(), "espeak");
  const auto fragments = plan.at("fragments").as_array();
  ASSERT_EQ(fragments.size(), 2u);
  const auto& first = fragments[0].as_object();
  EXPECT_EQ(first.at("text").as_string(), "On November twenty-ninth, twenty twenty-six we met Doctor Smith.");
  EXPECT_EQ(first.at("written").as_string(), "On 2026-11-29 we met Dr. Smith.");
  EXPECT_EQ(first.at("language").as_string(), "en-us");
  const auto pieces = first.at("pieces").as_array();
  ASSERT_GE(pieces.size(), 4u);
  EXPECT_EQ(pieces[1].at("text").as_string(), "November twenty-ninth, twenty twenty-six");
  EXPECT_EQ(pieces[1].at("offset").as_int64(), 3);
  EXPECT_EQ(pieces[1].at("length").as_int64(), 10);
  EXPECT_TRUE(pieces[1].at("rewritten").as_bool());
  EXPECT_EQ(fragments[1].at("offset").as_int64(), 32);

  // The engine's text, spoken as written, is the same audio.
  std::string said;
  for (const auto& f : fragments) said += std::string(f.at("text").as_string()) + " ";
  auto original = server->get(tts_target("On 2026-11-29 we met Dr. Smith. Then we left.", "voice=en-us"));
  auto as_shown = server->get(tts_target(said, "voice=en-us&normalize=0"));
  EXPECT_TRUE(original.body == as_shown.body) << "the text shown is what the engine reads";

  // German with German rules; offsets in code points by default (ü and € are one each).
  auto german = server->get(normalize_target("Dr. Müller zahlt 5,99 € am 2026-11-29.", "voice=de"));
  ASSERT_EQ(german.status, 200u);
  auto g = parse_object(german.body).at("fragments").as_array();
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].at("text").as_string(), "Dr. Müller zahlt fünf Euro neunundneunzig am neunundzwanzigsten November zweitausendsechsundzwanzig.");
  EXPECT_EQ(g[0].at("language").as_string(), "de");
  EXPECT_EQ(g[0].at("length").as_int64(), 38);
  const auto german_pieces = g[0].at("pieces").as_array();
  ASSERT_EQ(german_pieces.size(), 5u);
  EXPECT_EQ(german_pieces[1].at("offset").as_int64(), 17) << "5,99 € starts at code point 17";
  EXPECT_EQ(german_pieces[1].at("length").as_int64(), 6);

  // SSML: each run in its language.
  auto ssml = server->get(normalize_target("<speak>On 2026-11-29. <lang xml:lang='de'>Am 2026-11-29.</lang></speak>", "voice=en-us"));
  ASSERT_EQ(ssml.status, 200u) << ssml.body;
  auto s = parse_object(ssml.body).at("fragments").as_array();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].at("text").as_string(), "On November twenty-ninth, twenty twenty-six.");
  EXPECT_EQ(s[1].at("text").as_string(), "Am neunundzwanzigsten November zweitausendsechsundzwanzig.");
  EXPECT_EQ(s[1].at("language").as_string(), "de");
}

TEST_F(Normalization, NormalizeRefusesWhatTtsRefuses) {
  EXPECT_EQ(server->get("/normalize").status, 400u) << "no text";
  EXPECT_EQ(server->get(normalize_target("Hello.", "voice=no-such-voice")).status, 404u);
  EXPECT_EQ(server->get(normalize_target(std::string(120000, 'a'))).status, 413u);
  auto bad_json = server->post("/normalize", "{not json");
  EXPECT_EQ(bad_json.status, 400u);
  EXPECT_NE(bad_json.body.find("\"error\""), std::string::npos);
  EXPECT_EQ(server->post("/normalize", R"({"text":["a list"]})").status, 400u);
  auto deleted = raw_exchange(server->endpoint(), "DELETE /normalize?text=a HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_NE(deleted.find(" 405 "), std::string::npos) << deleted;
  EXPECT_NE(deleted.find("Allow: GET, POST"), std::string::npos) << deleted;
}
