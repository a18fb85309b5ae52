// The RealtimeTTS catalogue routes, against the real binary.
#include "audio_check.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

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
    // MBROLA voices (opt-in, where installed) speak at their databases' 16 kHz.
    EXPECT_EQ(o.at("sample_rate").as_int64(), o.at("id").as_string().starts_with("mb-") ? 16000 : 22050) << o;
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

TEST(Routes, OneLogLinePerRequestWithItsId) {
  std::string log = "/tmp/rtts-log-" + std::to_string(::getpid()) + ".txt";
  {
    rtts_server server({"--log-format", "json"}, log);
    rtts::client::http_request req;
    req.target = tts_target("A private sentence that must not be logged.");
    req.headers["X-Request-ID"] = "client-id-42";
    auto r = rtts::client::fetch(server.endpoint(), req);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("x-request-id"), "client-id-42") << "echoed";
    auto other = server.get("/no-such-route");
    EXPECT_EQ(other.header("x-request-id").size(), 16u) << "a fresh id when the client sends none";
    req.headers["X-Request-ID"] = "bad id with spaces\r";
    req.target = "/engines";
    EXPECT_NE(rtts::client::fetch(server.endpoint(), req)->header("x-request-id"), "bad id with spaces\r");
  }
  std::string text;
  {
    std::ifstream in(log);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  EXPECT_EQ(text.find("private sentence"), std::string::npos) << "the text is never logged";
  auto lines = read_json_log(log);
  ASSERT_EQ(lines.size(), 3u);
  const auto& tts = lines[0];
  EXPECT_EQ(tts.at("request_id").as_string(), "client-id-42");
  EXPECT_EQ(tts.at("route").as_string(), "/tts");
  EXPECT_EQ(tts.at("status").as_int64(), 200);
  EXPECT_EQ(tts.at("engine").as_string(), "espeak");
  EXPECT_EQ(tts.at("voice").as_string(), "en-us");
  EXPECT_EQ(tts.at("text_chars").as_int64(), 43);
  EXPECT_GT(tts.at("first_audio_ms").to_number<double>(), 0);
  EXPECT_GT(tts.at("bytes").to_number<double>(), 10000);
  EXPECT_EQ(lines[1].at("status").as_int64(), 404);
}

TEST(Routes, DebugLevelLogsTheTextQuoted) {
  std::string log = "/tmp/rtts-debug-log-" + std::to_string(::getpid()) + ".txt";
  {
    rtts_server server({"--log-level", "debug"}, log);
    EXPECT_EQ(server.get(tts_target("A \"quoted\" line.\nfake=field")).status, 200u);
  }
  std::ifstream in(log);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::remove(log.c_str());
  EXPECT_NE(text.find(R"( text="A \"quoted\" line.\nfake=field")"), std::string::npos) << text;
}

TEST(Routes, CorsForLocalhostAndListedOrigins) {
  rtts_server server({"--cors-origin", "https://app.example.com"});
  auto with_origin = [&](const std::string& method, const std::string& origin) {
    rtts::client::http_request req;
    req.method = method;
    req.target = "/voices";
    req.headers["Origin"] = origin;
    if (method == "OPTIONS") req.headers["Access-Control-Request-Method"] = "GET";
    return rtts::client::fetch(server.endpoint(), req).value();
  };
  auto local = with_origin("GET", "http://localhost:5173");
  EXPECT_EQ(local.status, 200u);
  EXPECT_EQ(local.header("access-control-allow-origin"), "http://localhost:5173");
  EXPECT_EQ(local.header("vary"), "Origin");
  EXPECT_EQ(with_origin("GET", "https://app.example.com").header("access-control-allow-origin"), "https://app.example.com");
  auto evil = with_origin("GET", "https://evil.example");
  EXPECT_EQ(evil.status, 200u) << "same answer, but the browser will not hand it to the page";
  EXPECT_EQ(evil.header("access-control-allow-origin"), "");
  auto preflight = with_origin("OPTIONS", "https://app.example.com");
  EXPECT_EQ(preflight.status, 204u);
  EXPECT_NE(preflight.header("access-control-allow-headers").find("Authorization"), std::string::npos);
  EXPECT_EQ(with_origin("OPTIONS", "https://evil.example").status, 403u);
  EXPECT_EQ(with_origin("GET", "https://app.example.com").header("access-control-allow-credentials"), "") << "never credentials";
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
