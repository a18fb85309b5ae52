// The Wyoming and MaryTTS listeners against the real binary. The Wyoming client here is written
// from the protocol description, independent of src/wyoming: it reads byte by byte.
#include "audio/wav.hpp"
#include "audio_check.hpp"
#include "direct_worker.hpp"
#include "server_fixture.hpp"
#include "wyoming_client.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <set>

using namespace rtts::testing;
namespace json = boost::json;

namespace {


class Wyoming : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    wy_port = free_port();
    mary_port = free_port();
    server = new rtts_server({"--wyoming", "127.0.0.1:" + std::to_string(wy_port), "--marytts", "127.0.0.1:" + std::to_string(mary_port)});
  }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static rtts_server* server;
  static unsigned wy_port, mary_port;
};
rtts_server* Wyoming::server = nullptr;
unsigned Wyoming::wy_port = 0, Wyoming::mary_port = 0;

} // namespace

TEST_F(Wyoming, DescribeListsEveryVoice) {
  wyoming_client c(wy_port);
  c.send("describe");
  auto info = c.read();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->type, "info");
  const auto& tts = info->data.at("tts").as_array().at(0).as_object();
  EXPECT_TRUE(tts.at("supports_synthesize_streaming").as_bool());
  const auto& voices = tts.at("voices").as_array();
  EXPECT_GT(voices.size(), 50u);
  std::set<std::string> names;
  for (const auto& v : voices) {
    EXPECT_TRUE(names.insert(std::string(v.at("name").as_string())).second) << "names are unique";
    EXPECT_FALSE(v.at("languages").as_array().empty());
    EXPECT_TRUE(v.as_object().contains("attribution"));
  }
  EXPECT_TRUE(names.contains("espeak:en-us"));
}

TEST_F(Wyoming, SynthesizeMatchesHttp) {
  wyoming_client c(wy_port);
  c.send("synthesize", {{"text", "Hello from Home Assistant."}, {"voice", json::object{{"name", "espeak:en-gb"}}}});
  auto events = c.read_until("audio-stop");
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.front().type, "audio-start");
  EXPECT_EQ(events.front().data.at("rate").as_int64(), 22050);
  EXPECT_EQ(events.front().data.at("width").as_int64(), 2);
  EXPECT_EQ(events.front().data.at("channels").as_int64(), 1);
  for (const auto& e : events) {
    if (e.type == "audio-chunk") {
      EXPECT_EQ(e.data.at("rate").as_int64(), 22050) << "format on every chunk";
    }
  }
  EXPECT_EQ(events.back().type, "audio-stop");
  EXPECT_TRUE(pcm_of(events) == server->get(tts_target("Hello from Home Assistant.", "voice=en-gb")).body.substr(44));
  // A second request on the same connection; a language alone picks a voice of it.
  c.send("synthesize", {{"text", "Guten Tag."}, {"voice", json::object{{"language", "de"}}}});
  EXPECT_TRUE(pcm_of(c.read_until("audio-stop")) == server->get(tts_target("Guten Tag.", "voice=de")).body.substr(44));
  // A text that is an SSML document is read as one, as on every route.
  const std::string doc = "<speak>Hello <break time=\"300ms\"/><prosody rate=\"slow\">there</prosody>.</speak>";
  c.send("synthesize", {{"text", doc}});
  EXPECT_TRUE(pcm_of(c.read_until("audio-stop")) == server->get(tts_target(doc)).body.substr(44));
}

TEST_F(Wyoming, StreamingSpeaksSentenceBySentence) {
  wyoming_client c(wy_port);
  c.send("synthesize-start", {{"voice", json::object{{"name", "espeak:en-us"}}}});
  for (std::string piece : {"The first sen", "tence is here. The sec", "ond one follows. And a th", "ird"}) c.send("synthesize-chunk", {{"text", piece}});
  // Home Assistant also sends the whole text as `synthesize` inside the stream: to be ignored.
  c.send("synthesize", {{"text", "The first sentence is here. The second one follows. And a third"}});
  c.send("synthesize-stop");
  auto events = c.read_until("synthesize-stopped");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().type, "audio-start");
  EXPECT_EQ(events.back().type, "synthesize-stopped") << "always last";
  EXPECT_EQ(events[events.size() - 2].type, "audio-stop");
  EXPECT_EQ(std::count_if(events.begin(), events.end(), [](const wy_event& e) { return e.type == "audio-start"; }), 1);
  // The sentences of one streamed text are said one after another in one job process, as one
  // text's fragments are (src/worker/job_process.hpp).
  auto expected = said_as_one_stream("espeak", {{"The first sentence is here.", "en-us"}, {"The second one follows.", "en-us"}, {"And a third", "en-us"}});
  EXPECT_TRUE(pcm_of(events) == expected) << "three sentences, once each (the synthesize copy ignored)";
}

TEST_F(Wyoming, PingUnknownAndMalformed) {
  wyoming_client c(wy_port);
  c.send("ping", {{"text", "hi"}});
  auto pong = c.read();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->type, "pong");
  c.send("run-satellite"); // not for a TTS service: ignored, connection stays
  c.send("describe");
  EXPECT_EQ(c.read()->type, "info");
  c.send_raw("this is not json\n");
  auto error = c.read();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->type, "error");
  EXPECT_FALSE(c.read()) << "then the server closes";
  EXPECT_TRUE(server->alive());
}

TEST_F(Wyoming, ConcurrentConnectionsEachGetTheirOwnAudio) {
  std::vector<std::future<bool>> clients;
  for (int i = 0; i < 16; ++i)
    clients.push_back(std::async(std::launch::async, [i] {
      std::string text = "Connection number " + std::to_string(i) + " speaks.";
      wyoming_client c(wy_port);
      c.send("synthesize", {{"text", text}});
      return pcm_of(c.read_until("audio-stop")) == server->get(tts_target(text)).body.substr(44);
    }));
  int correct = 0;
  for (auto& c : clients) correct += c.get();
  EXPECT_EQ(correct, 16);
}

TEST(WyomingLogs, EachSynthesisGetsALine) {
  std::string log = "/tmp/rtts-wy-log-" + std::to_string(::getpid()) + ".txt";
  {
    unsigned port = free_port();
    rtts_server server({"--log-format", "json", "--log-level", "debug", "--wyoming", "127.0.0.1:" + std::to_string(port)}, log);
    wyoming_client c(port);
    c.send("synthesize", {{"text", "Logged at debug level."}});
    EXPECT_FALSE(pcm_of(c.read_until("audio-stop")).empty());
    c.send("synthesize", {{"text", "An unknown voice."}, {"voice", {{"name", "klingon"}}}});
    EXPECT_EQ(c.read_until("error").back().type, "error");
  }
  auto lines = read_json_log(log);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].at("method").as_string(), "WYOMING");
  EXPECT_EQ(lines[0].at("route").as_string(), "synthesize");
  EXPECT_EQ(lines[0].at("status").as_int64(), 200);
  EXPECT_EQ(lines[0].at("text").as_string(), "Logged at debug level.");
  EXPECT_GT(lines[0].at("bytes").to_number<double>(), 10000);
  EXPECT_EQ(lines[1].at("status").as_int64(), 404);
  std::string first = std::string(lines[0].at("request_id").as_string());
  EXPECT_EQ(first.substr(first.size() - 2), "-1");
  EXPECT_EQ(lines[1].at("request_id").as_string(), first.substr(0, first.size() - 1) + "2");
}

TEST_F(Wyoming, MaryTtsRoutes) {
  rtts::client::endpoint mary{"127.0.0.1", mary_port};
  auto get = [&](const std::string& target) {
    rtts::client::http_request r;
    r.target = target;
    return rtts::client::fetch(mary, r).value();
  };
  EXPECT_NE(get("/voices").body.find("en-us en_US"), std::string::npos);
  EXPECT_NE(get("/locales").body.find("en_US\n"), std::string::npos);
  EXPECT_NE(get("/version").body.find("Mary TTS server"), std::string::npos);
  EXPECT_EQ(get("/audioformats").body, "WAVE_FILE\n");

  // As Home Assistant's marytts integration asks: GET with its default voice name.
  auto r = get("/process?INPUT_TEXT=Hello+Mary&INPUT_TYPE=TEXT&OUTPUT_TYPE=AUDIO&LOCALE=en_US&VOICE=cmu-slt-hsmm&AUDIO=WAVE_FILE");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("content-type"), "audio/x-wav");
  auto header = rtts::audio::parse_wav_header(r.body);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->data_size, r.body.size() - 44) << "a whole file with exact sizes";
  auto audio = decode_wav(r.body);
  EXPECT_GT(audio.seconds(), 0.5);
  EXPECT_GT(audio.rms(), 500.0);
  EXPECT_TRUE(r.body.substr(44) == server->get(tts_target("Hello Mary", "voice=en-us")).body.substr(44)) << "en_US -> en-us";

  // INPUT_TYPE=SSML: the same document as on /tts, the same audio.
  const std::string doc = "<speak>Hello <break time=\"500ms\"/>Mary</speak>";
  auto ssml = get("/process?INPUT_TYPE=SSML&LOCALE=en_US&INPUT_TEXT=" + rtts::client::url_encode(doc));
  ASSERT_EQ(ssml.status, 200u) << ssml.body;
  EXPECT_TRUE(ssml.body.substr(44) == server->get(tts_target(doc, "voice=en-us")).body.substr(44));
  EXPECT_GT(decode_wav(ssml.body).seconds(), audio.seconds() + 0.45);
  EXPECT_EQ(get("/process?INPUT_TYPE=SSML&INPUT_TEXT=" + rtts::client::url_encode("<speak><audio src='x'/></speak>")).status, 400u);

  // POST with a form body and no Content-Type at all.
  auto post = raw_exchange(mary, "POST /process HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 53\r\nConnection: close\r\n\r\n"
                                 "INPUT_TEXT=Guten+Tag&LOCALE=de&AUDIO=WAVE&OUTPUT_TYPE=AUD");
  EXPECT_NE(post.find("400"), std::string::npos) << "a cut-off OUTPUT_TYPE is refused";
  std::string body = "INPUT_TEXT=Guten+Tag&LOCALE=de&AUDIO=WAVE&OUTPUT_TYPE=AUDIO";
  post = raw_exchange(mary, "POST /process HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(body.size()) +
                                "\r\nConnection: close\r\n\r\n" + body);
  ASSERT_NE(post.find("200 OK"), std::string::npos) << post.substr(0, 300);
  auto wav = post.substr(post.find("\r\n\r\n") + 4);
  EXPECT_TRUE(wav.substr(44) == server->get(tts_target("Guten Tag", "voice=de")).body.substr(44));
  EXPECT_EQ(get("/process").status, 400u) << "INPUT_TEXT is required";
}
