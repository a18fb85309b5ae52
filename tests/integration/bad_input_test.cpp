// Every kind of bad input gets a JSON error with the right status, and the server keeps serving.
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace rtts::testing;
namespace json = boost::json;

namespace {

class BadInput : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server = new rtts_server({"--max-text", "2000"}); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  void TearDown() override {
    ASSERT_TRUE(server->alive()) << "bad input must never take the server down";
    EXPECT_EQ(server->get("/health").status, 200u);
  }
  static rtts_server* server;
};
rtts_server* BadInput::server = nullptr;

// Checks the envelope and returns error.code.
std::string expect_error(const rtts::client::http_response& r, unsigned status) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  auto v = json::parse(r.body);
  const auto& e = v.at("error").as_object();
  EXPECT_FALSE(e.at("message").as_string().empty());
  EXPECT_FALSE(e.at("type").as_string().empty());
  return std::string(e.at("code").as_string());
}

// Status and body of a raw HTTP answer.
std::pair<unsigned, std::string> split_raw(const std::string& answer) {
  if (answer.size() < 12) return {0, answer};
  auto body_at = answer.find("\r\n\r\n");
  return {static_cast<unsigned>(std::stoul(answer.substr(9, 3))), body_at == std::string::npos ? "" : answer.substr(body_at + 4)};
}

} // namespace

TEST_F(BadInput, MissingText) { EXPECT_EQ(expect_error(server->get("/tts"), 400), "missing_text"); }

TEST_F(BadInput, EmptyAndBlankText) {
  EXPECT_EQ(expect_error(server->get("/tts?text="), 400), "empty_text");
  EXPECT_EQ(expect_error(server->get("/tts?text=+%20%0A%09"), 400), "empty_text");
  EXPECT_EQ(expect_error(server->get("/tts?text=%C2%A0%E3%80%80"), 400), "empty_text");
}

TEST_F(BadInput, TextOverTheLimit) {
  EXPECT_EQ(expect_error(server->get(tts_target(std::string(2001, 'a'))), 413), "text_too_long");
  // Counted in characters, not bytes: 2000 three-byte characters are fine.
  std::string cjk;
  for (int i = 0; i < 2000; ++i) cjk += "語";
  auto r = server->get(tts_target(cjk, "voice=cmn"), [](std::string_view) { return false; });
  EXPECT_EQ(r.status, 200u);
}

TEST_F(BadInput, InvalidUtf8PercentEncodedAndRaw) {
  EXPECT_EQ(expect_error(server->get("/tts?text=%FF%FE%FD"), 400), "invalid_utf8");
  EXPECT_EQ(expect_error(server->get("/tts?text=%ED%A0%80"), 400), "invalid_utf8"); // a surrogate
  auto [status, body] = split_raw(raw_exchange(server->endpoint(), "GET /tts?text=\xC3\x28 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(status, 400u);
  EXPECT_NE(body.find("\"error\""), std::string::npos);
}

TEST_F(BadInput, MalformedPercentEncoding) { EXPECT_EQ(expect_error(server->get("/tts?text=%zz"), 400), "invalid_url"); }

TEST_F(BadInput, UnknownEngineListsValidOnes) {
  auto r = server->get(tts_target("hi", "engine=nope"));
  EXPECT_EQ(expect_error(r, 404), "unknown_engine");
  EXPECT_NE(r.body.find("espeak"), std::string::npos);
}

TEST_F(BadInput, UnknownVoicePointsToTheList) {
  auto r = server->get(tts_target("hi", "voice=klingon"));
  EXPECT_EQ(expect_error(r, 404), "unknown_voice");
  EXPECT_NE(r.body.find("/voices"), std::string::npos);
}

TEST_F(BadInput, BadSpeedPitchFormatRate) {
  for (const char* bad : {"speed=0", "speed=0.2", "speed=4.5", "speed=abc", "speed=", "speed=inf"})
    EXPECT_EQ(expect_error(server->get(tts_target("hi", bad)), 400), "invalid_speed") << bad;
  for (const char* bad : {"pitch=0.1", "pitch=3", "pitch=x"})
    EXPECT_EQ(expect_error(server->get(tts_target("hi", bad)), 400), "invalid_pitch") << bad;
  for (const char* bad : {"format=mp4", "format=", "format=WAV"})
    EXPECT_EQ(expect_error(server->get(tts_target("hi", bad)), 400), "invalid_format") << bad;
  for (const char* bad : {"sample_rate=100", "sample_rate=96000", "sample_rate=x", "sample_rate=-16000"})
    EXPECT_EQ(expect_error(server->get(tts_target("hi", bad)), 400), "invalid_sample_rate") << bad;
  EXPECT_EQ(server->get(tts_target("hi", "speed=0.25&pitch=2&sample_rate=8000")).status, 200u) << "edges are valid";
}

TEST_F(BadInput, WrongMethod) {
  rtts::client::http_request post;
  post.method = "POST";
  post.target = "/tts?text=hi";
  auto r = rtts::client::fetch(server->endpoint(), post);
  ASSERT_TRUE(r);
  EXPECT_EQ(expect_error(*r, 405), "method_not_allowed");
  EXPECT_EQ(r->header("allow"), "GET");
  post.method = "DELETE";
  post.target = "/voices";
  EXPECT_EQ(rtts::client::fetch(server->endpoint(), post)->status, 405u);
}

TEST_F(BadInput, UnknownRoute) {
  EXPECT_EQ(expect_error(server->get("/nope"), 404), "unknown_route");
  EXPECT_EQ(expect_error(server->get("/tts/extra?text=hi"), 404), "unknown_route");
}

TEST_F(BadInput, RequestLineOverTheLimit) {
  std::string target = "/tts?text=" + std::string(1100 * 1024, 'a');
  auto [status, body] = split_raw(raw_exchange(server->endpoint(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  EXPECT_EQ(status, 414u);
  EXPECT_NE(body.find("\"error\""), std::string::npos);
}

TEST_F(BadInput, HeaderBlockOverTheLimit) {
  std::string headers;
  for (int i = 0; i < 40; ++i) headers += "X-Filler-" + std::to_string(i) + ": " + std::string(1000, 'x') + "\r\n";
  auto [status, body] = split_raw(raw_exchange(server->endpoint(), "GET /engines HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n"));
  EXPECT_EQ(status, 431u);
  EXPECT_NE(body.find("\"error\""), std::string::npos);
}

TEST_F(BadInput, GarbageIsABadRequest) {
  auto [status, body] = split_raw(raw_exchange(server->endpoint(), "HELLO THERE\r\n\r\n"));
  EXPECT_EQ(status, 400u);
  auto [status2, body2] = split_raw(raw_exchange(server->endpoint(), std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)));
  EXPECT_EQ(status2, 400u) << "a TLS hello on the plain port";
}

// The words a server spoke for a text, from its word events (as written in the text).
std::vector<std::string> spoken_words(const rtts_server& server, const std::string& target) {
  auto r = server.get(target);
  EXPECT_EQ(r.status, 200u) << r.body.substr(0, 300);
  std::vector<std::string> words;
  for (const auto& e : read_sse(r.body).of_type("speech.word")) words.emplace_back(e.at("text").as_string());
  return words;
}

TEST_F(BadInput, ControlCharactersAndMarkupAreJustText) {
  // Markup in plain text is read out, not obeyed: the words inside the tags are heard.
  auto words = spoken_words(*server, tts_target("Say <b>hello</b> <audio src=\"x.wav\"/>\x01\x02 & done", "timestamps=word"));
  std::string all;
  for (const auto& w : words) all += w + "|";
  for (const char* heard : {"Say", "hello", "audio", "src", "done"}) EXPECT_NE(all.find(heard), std::string::npos) << heard << " in " << all;
  // A text that starts like an SSML document is one (and <audio> is refused), unless ssml=0.
  auto document = "<speak><audio src=\"x.wav\"/>hello</speak>\x01\x02 & done";
  EXPECT_EQ(server->get(tts_target(document)).status, 400u);
  words = spoken_words(*server, tts_target(document, "ssml=0&timestamps=word"));
  all.clear();
  for (const auto& w : words) all += w + "|";
  for (const char* heard : {"speak", "audio", "src", "hello", "done"}) EXPECT_NE(all.find(heard), std::string::npos) << heard << " in " << all;
}

TEST(BadInputDefaults, HundredThousandCharactersAccepted) {
  rtts_server server;
  std::string text;
  while (text.size() < 100'000) text += "Lorem ipsum dolor sit amet. ";
  text.resize(100'000);
  std::size_t received = 0;
  auto r = server.get(tts_target(text), [&](std::string_view piece) {
    received += piece.size();
    return received < 200'000; // a streaming server answers long before it could finish
  });
  EXPECT_EQ(r.status, 200u);
  EXPECT_GE(received, 200'000u);
  auto over = server.get(tts_target(text + "x"));
  EXPECT_EQ(over.status, 413u);
}
