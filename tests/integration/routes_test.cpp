// The RealtimeTTS catalogue routes, against the real binary.
#include "audio_check.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace rtts::testing;
namespace json = boost::json;

namespace {

json::value body_json(const rtts::client::http_response& r) {
  EXPECT_EQ(r.header("content-type"), "application/json");
  return json::parse(r.body);
}

} // namespace

TEST(Routes, EnginesListsEspeak) {
  rtts_server server;
  auto r = server.get("/engines");
  EXPECT_EQ(r.status, 200u);
  auto engines = body_json(r).as_array();
  EXPECT_NE(std::find(engines.begin(), engines.end(), json::value("espeak")), engines.end());
}

TEST(Routes, VoicesPlainAndDetailed) {
  rtts_server server;
  auto plain = body_json(server.get("/voices")).as_array();
  EXPECT_GT(plain.size(), 50u);
  EXPECT_NE(std::find(plain.begin(), plain.end(), json::value("en-us")), plain.end());

  auto detail = body_json(server.get("/voices?detail=1")).as_array();
  ASSERT_EQ(detail.size(), plain.size());
  bool found = false;
  for (const auto& v : detail) {
    const auto& o = v.as_object();
    EXPECT_TRUE(o.contains("id") && o.contains("name") && o.contains("language") && o.contains("gender"));
    EXPECT_EQ(o.at("engine").as_string(), "espeak");
    EXPECT_EQ(o.at("sample_rate").as_int64(), 22050);
    if (o.at("id") == "en-us") {
      found = true;
      EXPECT_EQ(o.at("language").as_string(), "en-us");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(server.get("/voices?engine=espeak").body, server.get("/voices").body);
}

TEST(Routes, UnknownEngineForVoicesIs404WithNames) {
  rtts_server server;
  auto r = server.get("/voices?engine=nope");
  EXPECT_EQ(r.status, 404u);
  auto e = body_json(r).at("error");
  EXPECT_NE(std::string(e.at("message").as_string()).find("espeak"), std::string::npos);
  EXPECT_EQ(e.at("code").as_string(), "unknown_engine");
}

TEST(Routes, SetEngineChangesOnlyTheDefault) {
  rtts_server server;
  auto r = server.get("/set_engine?engine_name=espeak");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(body_json(r).at("message").as_string(), "Switched to espeak engine");
  auto bad = server.get("/set_engine?engine_name=festival9000");
  EXPECT_EQ(bad.status, 404u);
  EXPECT_NE(bad.body.find("espeak"), std::string::npos) << "lists the valid engines";
  EXPECT_EQ(server.get("/set_engine").status, 400u);
}

TEST(Routes, SetVoiceChangesDefaultButNotExplicitRequests) {
  rtts_server server;
  const std::string text = "Good morning.";
  auto english = server.get(tts_target(text)).body;
  auto explicit_german = server.get(tts_target(text, "voice=de")).body;
  ASSERT_NE(english, explicit_german);

  auto r = server.get("/setvoice?voice_name=de");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(body_json(r).at("message").as_string(), "Voice set to de successfully");
  EXPECT_EQ(server.get(tts_target(text)).body, explicit_german) << "default now German";
  EXPECT_EQ(server.get(tts_target(text, "voice=en-us")).body, english) << "explicit voice still wins";

  auto bad = server.get("/setvoice?voice_name=klingon");
  EXPECT_EQ(bad.status, 404u) << "an unknown voice is an error, not a silent success";
  EXPECT_EQ(body_json(bad).at("error").at("code").as_string(), "unknown_voice");
  EXPECT_EQ(server.get(tts_target(text)).body, explicit_german) << "a failed setvoice changes nothing";
}

TEST(Routes, DefaultVoiceIsAmericanEnglish) {
  rtts_server server;
  EXPECT_EQ(server.get(tts_target("Hello there.")).body, server.get(tts_target("Hello there.", "voice=en-us")).body);
}

TEST(Routes, VoiceFlagSetsTheStartupDefault) {
  rtts_server server({"--voice", "en-gb"});
  EXPECT_EQ(server.get(tts_target("Hello there.")).body, server.get(tts_target("Hello there.", "voice=en-gb")).body);
}

TEST(Routes, EnvironmentVariablesConfigure) {
  ::setenv("RTTS_VOICE", "fr-fr", 1);
  rtts_server server;
  ::unsetenv("RTTS_VOICE");
  EXPECT_EQ(server.get(tts_target("Bonjour.")).body, server.get(tts_target("Bonjour.", "voice=fr-fr")).body);
}

TEST(Routes, ReadyWhenEnginesAreUp) {
  rtts_server server({"--api-key", "secret"});
  auto r = server.get("/ready");
  EXPECT_EQ(r.status, 200u) << "exempt from auth, like /health";
  EXPECT_EQ(body_json(r).at("status").as_string(), "ready");
}

TEST(Routes, HealthAnswers) {
  rtts_server server;
  auto r = server.get("/health");
  EXPECT_EQ(r.status, 200u);
  auto health = body_json(r);
  EXPECT_EQ(health.at("status").as_string(), "ok");
  EXPECT_EQ(health.at("active_requests").as_int64(), 0) << "the health request itself is not counted";
  EXPECT_EQ(health.at("engines").at("espeak").at("ready_workers").as_int64(), 2);
}
