// The WebSocket routes against the real binary: /ws (RealtimeTTS protocol, with the C++ client
// and an independent Python client) and /v1/audio/speech-stream (incremental text, barge-in).
#include "audio/wav.hpp"
#include "audio_check.hpp"
#include "client/ws_client.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <fstream>
#include <sstream>
#include <thread>

using namespace rtts::testing;
using rtts::client::ws_client;
namespace json = boost::json;

namespace {


// One /ws utterance as the RealtimeTTS protocol delivers it.
struct ws_utterance {
  std::string header;             // the WAV header of the isHeader message
  std::string pcm;                // the audio messages, decoded and joined
  std::size_t audio_messages = 0;
  std::size_t first_audio_bytes = 0;
  int sample_rate = 0;
  bool final = false;
  std::string wav() const { return header + pcm; }
};

ws_utterance read_utterance(ws_client& c) {
  ws_utterance u;
  for (;;) {
    auto m = c.read();
    if (!m) throw std::runtime_error("read: " + m.error().message);
    EXPECT_FALSE(m->binary);
    auto v = json::parse(m->data).as_object();
    if (v.contains("finalOutput")) {
      EXPECT_EQ(json::serialize(v), R"({"finalOutput":{"isFinal":true}})");
      u.final = true;
      return u;
    }
    if (v.contains("error")) throw std::runtime_error("server error: " + m->data);
    auto& a = v.at("audioOutput").as_object();
    EXPECT_EQ(a.at("format").as_string(), "wav");
    u.sample_rate = static_cast<int>(a.at("sampleRate").as_int64());
    auto bytes = base64_decode(a.at("audio").as_string());
    if (a.contains("isHeader")) {
      EXPECT_TRUE(a.at("isHeader").as_bool());
      EXPECT_TRUE(u.header.empty()) << "one header per utterance";
      EXPECT_EQ(u.audio_messages, 0u) << "the header comes first";
      u.header = bytes;
    } else {
      if (u.audio_messages++ == 0) u.first_audio_bytes = bytes.size();
      u.pcm += bytes;
    }
  }
}

const std::string paragraph =
    "The quick brown fox jumps over the lazy dog near the river bank. Meanwhile, a small bird sings from the "
    "top of an old oak tree. Children walk to school along the dusty road, laughing and talking. By noon, the "
    "whole village is busy with markets, music and the smell of fresh bread.";

class WebSocket : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server = new rtts_server({"--max-text", "2000", "--ws-max-queued", "4"}); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static rtts_server* server;
};
rtts_server* WebSocket::server = nullptr;

} // namespace

TEST_F(WebSocket, RealtimeTtsMessageSequence) {
  auto c = open_websocket(*server, "/ws");
  ASSERT_TRUE(c->send_text(paragraph));
  auto u = read_utterance(*c);
  ASSERT_TRUE(u.final);
  auto header = rtts::audio::parse_wav_header(u.header);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->sample_rate, 22050u);
  EXPECT_EQ(u.sample_rate, 22050);
  EXPECT_GE(u.audio_messages, 8u) << "audio goes out as the engine produces it";
  EXPECT_LT(u.first_audio_bytes, u.pcm.size() / 8);
  auto audio = decode_wav(u.wav());
  EXPECT_GT(audio.seconds(), 10.0);
  EXPECT_GT(audio.rms(), 500.0);
  EXPECT_EQ(u.wav(), server->get(tts_target(paragraph)).body) << "the same audio as /tts";
}

TEST_F(WebSocket, UtterancesOfOneConnectionComeInOrder) {
  auto c = open_websocket(*server, "/ws?voice=en-gb");
  std::vector<std::string> texts = {"First message.", "The second one is a little longer.", "Third."};
  for (const auto& t : texts) ASSERT_TRUE(c->send_text(t));
  for (const auto& t : texts) {
    auto u = read_utterance(*c);
    EXPECT_EQ(u.wav(), server->get(tts_target(t, "voice=en-gb")).body) << t;
  }
}

TEST_F(WebSocket, QueryParametersPerConnection) {
  auto c = open_websocket(*server, "/ws?voice=de&speed=1.5&pitch=1.2&sample_rate=16000");
  ASSERT_TRUE(c->send_text("Guten Morgen, wie geht es dir?"));
  auto u = read_utterance(*c);
  EXPECT_EQ(u.sample_rate, 16000);
  EXPECT_EQ(rtts::audio::parse_wav_header(u.header)->sample_rate, 16000u);
  EXPECT_EQ(u.wav(), server->get(tts_target("Guten Morgen, wie geht es dir?", "voice=de&speed=1.5&pitch=1.2&sample_rate=16000")).body);
}

TEST_F(WebSocket, StopClosesCleanly) {
  auto c = open_websocket(*server, "/ws");
  ASSERT_TRUE(c->send_text(paragraph + paragraph));
  ASSERT_TRUE(c->read()); // the header: speech has started
  ASSERT_TRUE(c->send_text("stop"));
  for (int i = 0; i < 10000; ++i) {
    auto m = c->read();
    if (!m) break;
    EXPECT_EQ(m->data.find("finalOutput"), std::string::npos) << "stop finishes nothing more";
  }
  EXPECT_EQ(c->close_code(), 1000);
  auto empty = open_websocket(*server, "/ws");
  ASSERT_TRUE(empty->send_text(""));
  EXPECT_FALSE(empty->read());
  EXPECT_EQ(empty->close_code(), 1000) << "an empty message ends the session too";
}

TEST_F(WebSocket, ConcurrentSessionsEachGetTheirOwnAudio) {
  const std::vector<std::string> voices = {"en-us", "en-gb", "de", "fr-fr", "es", "it", "nl", "pl"};
  constexpr std::size_t sessions = 32;
  auto text_of = [&](std::size_t i) { return "Session " + std::to_string(i) + " speaks. " + paragraph.substr(0, 60 + 7 * i); };
  std::vector<std::string> alone;
  for (std::size_t i = 0; i < sessions; ++i) alone.push_back(server->get(tts_target(text_of(i), "voice=" + voices[i % voices.size()])).body);
  std::vector<std::future<std::string>> together;
  for (std::size_t i = 0; i < sessions; ++i)
    together.push_back(std::async(std::launch::async, [&, i] {
      auto c = open_websocket(*server, "/ws?voice=" + voices[i % voices.size()]);
      c->send_text(text_of(i));
      auto wav = read_utterance(*c).wav();
      c->send_text("stop");
      return wav;
    }));
  for (std::size_t i = 0; i < sessions; ++i) EXPECT_TRUE(together[i].get() == alone[i]) << "session " << i << " got other audio";
}

TEST_F(WebSocket, BadInputGetsErrorMessagesAndTheSessionGoesOn) {
  auto c = open_websocket(*server, "/ws");
  ASSERT_TRUE(c->send_binary("\x01\x02\x03"));
  auto m = c->read();
  ASSERT_TRUE(m);
  auto e = json::parse(m->data);
  EXPECT_EQ(e.at("error").at("code").as_string(), "binary_message");
  EXPECT_FALSE(e.at("error").at("message").as_string().empty());
  ASSERT_TRUE(c->send_text("   "));
  EXPECT_EQ(json::parse(c->read()->data).at("error").at("code").as_string(), "empty_text");
  ASSERT_TRUE(c->send_text(std::string(2001, 'a')));
  EXPECT_EQ(json::parse(c->read()->data).at("error").at("code").as_string(), "text_too_long");
  ASSERT_TRUE(c->send_text("Still here."));
  EXPECT_TRUE(read_utterance(*c).final);
}

TEST_F(WebSocket, TooManyQueuedUtterancesIsAnError) {
  auto c = open_websocket(*server, "/ws");
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(c->send_text(paragraph));
  bool queue_full = false;
  int finals = 0;
  while (finals + (queue_full ? 1 : 0) < 8) {
    auto m = c->read();
    ASSERT_TRUE(m);
    if (m->data.find("queue_full") != std::string::npos) queue_full = true;
    if (m->data.find("finalOutput") != std::string::npos) ++finals;
    if (queue_full && finals >= 4) break;
  }
  EXPECT_TRUE(queue_full);
}

TEST_F(WebSocket, OversizedMessageClosesWith1009) {
  auto c = open_websocket(*server, "/ws");
  ASSERT_TRUE(c->send_text(std::string(20000, 'a')));
  EXPECT_FALSE(c->read());
  EXPECT_EQ(c->close_code(), 1009);
  EXPECT_TRUE(server->alive());
}

TEST_F(WebSocket, BadUpgradesAreHttpErrors) {
  auto unknown_voice = ws_client::connect(server->endpoint(), "/ws?voice=klingon");
  ASSERT_FALSE(unknown_voice);
  EXPECT_EQ(unknown_voice.error().message.substr(0, 3), "404");
  EXPECT_NE(unknown_voice.error().message.find("unknown_voice"), std::string::npos);
  auto bad_speed = ws_client::connect(server->endpoint(), "/ws?speed=9");
  ASSERT_FALSE(bad_speed);
  EXPECT_EQ(bad_speed.error().message.substr(0, 3), "400");
  EXPECT_EQ(server->get("/ws").status, 400u) << "a plain GET is told to upgrade";
}

TEST_F(WebSocket, ClientThatVanishesCancelsItsWork) {
  {
    auto c = open_websocket(*server, "/ws?voice=en-us");
    std::string long_text;
    for (int i = 0; i < 25; ++i) long_text += paragraph + " ";
    ASSERT_TRUE(c->send_text(long_text));
    ASSERT_TRUE(c->read());
    c->abort();
  }
  json::value health;
  for (int i = 0; i < 100; ++i) {
    health = json::parse(server->get("/health").body);
    if (health.at("websockets").as_int64() == 0 && health.at("engines").at("espeak").at("busy_workers").as_int64() == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(health.at("websockets").as_int64(), 0);
  EXPECT_EQ(health.at("engines").at("espeak").at("busy_workers").as_int64(), 0);
}

TEST(WebSocketLogs, EachUtteranceAndTheSessionGetALine) {
  std::string log = "/tmp/rtts-ws-log-" + std::to_string(::getpid()) + ".txt";
  {
    rtts_server server({"--log-format", "json", "--workers", "1"}, log);
    auto c = open_websocket(server, "/ws?voice=en-gb");
    ASSERT_TRUE(c->send_text("The first private utterance."));
    read_utterance(*c);
    ASSERT_TRUE(c->send_text("The second one."));
    read_utterance(*c);
    ASSERT_TRUE(c->send_text("stop"));
    while (c->read()) {
    }
    EXPECT_FALSE(ws_client::connect(server.endpoint(), "/ws?speed=9")) << "refused upgrade";
  }
  auto lines = read_json_log(log);
  ASSERT_EQ(lines.size(), 4u);
  std::string session = std::string(lines[2].at("request_id").as_string());
  EXPECT_EQ(lines[0].at("request_id").as_string(), session + "-1");
  EXPECT_EQ(lines[1].at("request_id").as_string(), session + "-2");
  for (int i : {0, 1}) {
    EXPECT_EQ(lines[i].at("method").as_string(), "WS");
    EXPECT_EQ(lines[i].at("route").as_string(), "/ws");
    EXPECT_EQ(lines[i].at("status").as_int64(), 200);
    EXPECT_EQ(lines[i].at("voice").as_string(), "en-gb");
    EXPECT_GT(lines[i].at("first_audio_ms").to_number<double>(), 0);
    EXPECT_GT(lines[i].at("bytes").to_number<double>(), 10000);
    EXPECT_FALSE(lines[i].contains("text")) << "no text below debug level";
  }
  EXPECT_EQ(lines[0].at("text_chars").as_int64(), 28);
  EXPECT_EQ(lines[2].at("status").as_int64(), 101);
  EXPECT_GT(lines[2].at("bytes").to_number<double>(), lines[0].at("bytes").to_number<double>());
  EXPECT_EQ(lines[3].at("status").as_int64(), 400);
}

TEST(WebSocketLimits, MaxConnectionsAnswers503) {
  rtts_server server({"--ws-max-connections", "2"});
  auto a = ws_client::connect(server.endpoint(), "/ws");
  auto b = ws_client::connect(server.endpoint(), "/ws");
  ASSERT_TRUE(a && b);
  auto c = ws_client::connect(server.endpoint(), "/ws");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message.substr(0, 3), "503");
}

TEST(WebSocketCompat, PythonRealtimeTtsClient) {
  rtts_server server;
  std::string out = "/tmp/rtts-ws-" + std::to_string(::getpid()) + ".wav";
  std::vector<std::string> texts = {"Hello from Python.", "A second message follows the first one."};
  // Debian's interpreter, which has python3-websockets (a pyenv or venv python on PATH may not).
  std::string command = "/usr/bin/python3 " RTTS_SOURCE_DIR "/tests/clients/realtimetts_ws_client.py ws://" + server.endpoint().host + ":" +
                        std::to_string(server.endpoint().port) + "/ws " + out;
  for (const auto& t : texts) command += " '" + t + "'";
  ASSERT_EQ(std::system((command + " > /dev/null").c_str()), 0) << command;
  std::ifstream in(out, std::ios::binary);
  std::string wav{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::remove(out.c_str());
  auto audio = decode_wav(wav);
  EXPECT_EQ(audio.sample_rate, 22050);
  std::string expected_pcm;
  for (const auto& t : texts) expected_pcm += server.get(tts_target(t)).body.substr(rtts::audio::wav_header_bytes);
  EXPECT_TRUE(wav.substr(rtts::audio::wav_header_bytes) == expected_pcm) << "the Python client saved exactly the server's audio";
  EXPECT_GT(audio.rms(), 500.0);
}

// --- /v1/audio/speech-stream ---

namespace {

struct stream_event {
  bool binary = false;
  std::string type; // JSON "type" for text messages
  json::object body;
  std::string bytes;
};

stream_event next_event(ws_client& c) {
  auto m = c.read();
  if (!m) throw std::runtime_error("read: " + m.error().message);
  stream_event e;
  e.binary = m->binary;
  if (m->binary) e.bytes = std::move(m->data);
  else {
    e.body = json::parse(m->data).as_object();
    e.type = std::string(e.body.at("type").as_string());
  }
  return e;
}

std::string text_message(const std::string& t) { return json::serialize(json::object{{"type", "text"}, {"text", t}}); }

} // namespace

TEST_F(WebSocket, StreamSpeaksBeforeTheTextIsComplete) {
  auto c = open_websocket(*server, "/v1/audio/speech-stream");
  ASSERT_TRUE(c->send_text(R"({"type":"config","voice":"en-us","format":"pcm","sample_rate":24000,"binary":true})"));
  auto ready = next_event(*c);
  ASSERT_EQ(ready.type, "ready");
  EXPECT_EQ(ready.body.at("sample_rate").as_int64(), 24000);

  // An LLM: one word per message. One thread reads and writes the connection (a WebSocket is
  // not for two threads at once): once the first sentence and the word after it are sent, the
  // client waits for audio before it sends any more. A server that waited for the whole text
  // would never send it, and the read would fail.
  std::vector<stream_event> events;
  std::istringstream words(paragraph);
  bool sentence_sent = false, heard = false;
  for (std::string w; words >> w;) {
    ASSERT_TRUE(c->send_text(text_message(w + " ")));
    if (sentence_sent && !heard) {
      while (!heard) {
        events.push_back(next_event(*c));
        heard = events.back().binary;
      }
    }
    sentence_sent = sentence_sent || w.back() == '.';
  }
  EXPECT_TRUE(heard) << "the first sentence was heard before the text ended";
  ASSERT_TRUE(c->send_text(R"({"type":"end"})"));
  for (;;) {
    events.push_back(next_event(*c));
    if (events.back().type == "done") break;
  }

  std::vector<std::string> order;
  std::string pcm;
  for (const auto& e : events) {
    if (e.binary) pcm += e.bytes;
    else order.push_back(e.type);
  }
  ASSERT_GE(order.size(), 4u);
  EXPECT_EQ(order[0], "audio_start");
  EXPECT_EQ(order[1], "sentence");
  EXPECT_NE(std::find(order.begin(), order.end(), "first_audio"), order.end());
  EXPECT_EQ(order.back(), "done");
  EXPECT_EQ(std::count(order.begin(), order.end(), "sentence"), 4) << "four sentences";
  auto samples = pcm.size() / 2;
  EXPECT_EQ(events.back().body.at("samples_sent").as_int64(), static_cast<std::int64_t>(samples));
  EXPECT_GT(samples / 24000.0, 10.0);
  decoded_audio received{24000, 1, samples_of_pcm(pcm)};
  EXPECT_GT(received.rms(), 500.0);
  EXPECT_FALSE(c->read()) << "the server closes after done";
  EXPECT_EQ(c->close_code(), 1000);
}

TEST_F(WebSocket, StreamCancelStopsSpeechAndTheSessionGoesOn) {
  auto c = open_websocket(*server, "/v1/audio/speech-stream");
  ASSERT_TRUE(c->send_text(R"({"type":"config","binary":false})"));
  ASSERT_EQ(next_event(*c).type, "ready");
  std::string long_text;
  for (int i = 0; i < 10; ++i) long_text += paragraph + " ";
  ASSERT_TRUE(c->send_text(text_message(long_text)));
  ASSERT_TRUE(c->send_text(R"({"type":"flush"})"));
  // Wait for audio (JSON base64 frames: binary is false), then barge in.
  for (;;) {
    auto e = next_event(*c);
    ASSERT_FALSE(e.binary);
    if (e.type == "audio") break;
  }
  ASSERT_TRUE(c->send_text(R"({"type":"cancel"})"));
  for (;;) {
    auto e = next_event(*c);
    if (e.type == "cancelled") {
      EXPECT_GT(e.body.at("samples_sent").as_int64(), 0);
      break;
    }
    ASSERT_TRUE(e.type == "audio" || e.type == "sentence" || e.type == "first_audio") << e.type;
  }
  // Nothing of the cancelled speech follows; new text speaks in the same session.
  ASSERT_TRUE(c->send_text(text_message("After the interruption, a new sentence. ")));
  ASSERT_TRUE(c->send_text(R"({"type":"end"})"));
  auto e = next_event(*c);
  ASSERT_EQ(e.type, "sentence") << "the first thing after cancelled is the new speech";
  EXPECT_EQ(e.body.at("text").as_string(), "After the interruption, a new sentence.");
  std::size_t audio = 0;
  for (e = next_event(*c); e.type != "done"; e = next_event(*c)) audio += e.type == "audio";
  EXPECT_GT(audio, 0u);
}

TEST_F(WebSocket, StreamProtocolErrors) {
  auto c = open_websocket(*server, "/v1/audio/speech-stream");
  auto expect_error = [&](const std::string& message, const std::string& code) {
    ASSERT_TRUE(c->send_text(message));
    auto e = next_event(*c);
    ASSERT_EQ(e.type, "error") << message;
    EXPECT_EQ(e.body.at("error").at("code").as_string(), code) << message;
  };
  expect_error("{not json", "invalid_json");
  expect_error(R"({"type":"sing"})", "unknown_type");
  expect_error(R"({"type":"config","voice":"klingon"})", "unknown_voice");
  expect_error(R"({"type":"config","format":"mp3"})", "invalid_format");
  expect_error(R"({"type":"config","speed":"fast"})", "invalid_speed");
  ASSERT_TRUE(c->send_binary("abc"));
  EXPECT_EQ(next_event(*c).body.at("error").at("code").as_string(), "binary_message");
  ASSERT_TRUE(c->send_text(text_message("Now some text")));
  EXPECT_EQ(next_event(*c).type, "ready") << "text without config uses the defaults";
  expect_error(R"({"type":"config"})", "config_after_text");
  ASSERT_TRUE(c->send_text(R"({"type":"end"})"));
  std::string last;
  for (auto e = next_event(*c); e.type != "done"; e = next_event(*c)) last = e.type;
  EXPECT_TRUE(server->alive());
}
