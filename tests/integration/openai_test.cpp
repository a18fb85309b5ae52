// POST /v1/audio/speech and friends, against the real binary; audio checked with ffmpeg.
#include "audio_check.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdio>

using namespace rtts::testing;
namespace json = boost::json;

namespace {

const std::string text =
    "OpenAI compatible speech from rtts. Every format streams as it is produced, and each one decodes on its own.";

class OpenAi : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server = new rtts_server({"--max-text", "5000", "--max-body-bytes", "100000"}); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static rtts::client::http_response speech(json::object body) {
    if (!body.contains("input")) body["input"] = text;
    if (!body.contains("model")) body["model"] = "tts-1";
    if (!body.contains("voice")) body["voice"] = "alloy";
    return server->post("/v1/audio/speech", json::serialize(body));
  }
  static std::string expect_error(const rtts::client::http_response& r, unsigned status) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json");
    auto e = json::parse(r.body).at("error").as_object();
    EXPECT_TRUE(e.contains("message") && e.contains("type") && e.contains("param") && e.contains("code"));
    return std::string(e.at("code").as_string());
  }
  static rtts_server* server;
};
rtts_server* OpenAi::server = nullptr;


struct format_case {
  std::string name;
  std::string content_type;
  std::vector<std::string> raw_input; // ffmpeg flags for headerless formats
};

} // namespace

TEST_F(OpenAi, DefaultIsMp3At24kHz) {
  auto r = speech({});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("content-type"), "audio/mpeg");
  EXPECT_EQ(r.header("transfer-encoding"), "chunked");
  EXPECT_EQ(ffprobe_sample_rate(r.body), 24000);
}

TEST_F(OpenAi, EveryFormatDecodesToTheSameDuration) {
  auto wav = speech({{"response_format", "wav"}});
  ASSERT_EQ(wav.status, 200u);
  auto reference = decode_wav(wav.body);
  ASSERT_EQ(reference.sample_rate, 24000);
  ASSERT_GT(reference.seconds(), 4.0);

  const std::vector<format_case> cases = {
      {"mp3", "audio/mpeg", {}},
      {"opus", "audio/ogg; codecs=opus", {}},
      {"aac", "audio/aac", {}},
      {"flac", "audio/flac", {}},
      {"wav", "audio/wav", {}},
      {"pcm", "audio/L16;rate=24000;channels=1", {"-f", "s16le", "-ar", "24000", "-ac", "1"}},
      {"ulaw", "audio/basic", {"-f", "mulaw", "-ar", "8000", "-ac", "1"}},
      {"alaw", "audio/x-alaw-basic", {"-f", "alaw", "-ar", "8000", "-ac", "1"}},
  };
  for (const auto& c : cases) {
    auto r = speech({{"response_format", c.name}});
    ASSERT_EQ(r.status, 200u) << c.name << ": " << r.body;
    EXPECT_EQ(r.header("content-type"), c.content_type) << c.name;
    EXPECT_EQ(r.header("x-audio-sample-rate"), c.name == "ulaw" || c.name == "alaw" ? "8000" : "24000") << c.name;
    EXPECT_GT(r.chunk_sizes.size(), 1u) << c.name << " arrives in pieces";
    auto decoded = ffmpeg_decode(r.body, c.raw_input, 24000);
    EXPECT_TRUE(decoded.ok) << c.name;
    EXPECT_EQ(decoded.errors, "") << c.name << ": decode errors (bad seams?)";
    // Encoder delay and frame padding add a few frames; anything more is lost or invented audio.
    EXPECT_NEAR(decoded.audio.seconds(), reference.seconds(), reference.seconds() * 0.03) << c.name;
    EXPECT_GT(decoded.audio.rms(), 300.0) << c.name << " is not silence";
  }
}

TEST_F(OpenAi, SampleRateExtension) {
  for (auto [format, rate] : std::vector<std::pair<std::string, int>>{{"wav", 16000}, {"flac", 44100}, {"mp3", 16000}, {"aac", 48000}}) {
    auto r = speech({{"response_format", format}, {"sample_rate", rate}});
    ASSERT_EQ(r.status, 200u) << format << ": " << r.body;
    EXPECT_EQ(ffprobe_sample_rate(r.body), rate) << format;
  }
  EXPECT_EQ(expect_error(speech({{"response_format", "mp3"}, {"sample_rate", 23000}}), 400), "invalid_sample_rate");
  EXPECT_EQ(expect_error(speech({{"response_format", "ulaw"}, {"sample_rate", 16000}}), 400), "invalid_sample_rate");
}

TEST_F(OpenAi, SseCarriesTheSameAudioAsThePlainStream) {
  for (std::string format : {"pcm", "mp3"}) {
    auto plain = speech({{"response_format", format}});
    auto sse = speech({{"response_format", format}, {"stream_format", "sse"}});
    ASSERT_EQ(sse.status, 200u);
    EXPECT_EQ(sse.header("content-type"), "text/event-stream");
    std::string audio;
    bool done = false;
    std::size_t deltas = 0;
    std::size_t at = 0;
    while ((at = sse.body.find("data: ", at)) != std::string::npos) {
      auto end = sse.body.find("\n\n", at);
      ASSERT_NE(end, std::string::npos);
      auto event = json::parse(sse.body.substr(at + 6, end - at - 6)).as_object();
      at = end + 2;
      if (event.at("type") == "speech.audio.delta") {
        ++deltas;
        std::string bytes = base64_decode(std::string(event.at("audio").as_string()));
        audio += bytes;
      } else if (event.at("type") == "speech.audio.done") {
        done = true;
        EXPECT_GT(event.at("usage").at("input_tokens").as_int64(), 10);
      }
    }
    EXPECT_TRUE(done);
    EXPECT_GT(deltas, 1u);
    EXPECT_TRUE(audio == plain.body) << format << ": SSE audio differs from the plain stream";
  }
}

TEST_F(OpenAi, VoicesAndModels) {
  auto models = json::parse(server->get("/v1/models").body);
  EXPECT_EQ(models.at("object").as_string(), "list");
  std::vector<std::string> ids;
  for (const auto& m : models.at("data").as_array()) ids.emplace_back(m.at("id").as_string());
  for (const char* id : {"tts-1", "tts-1-hd", "gpt-4o-mini-tts", "espeak"})
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;

  auto voices = json::parse(server->get("/v1/audio/voices").body).at("data").as_array();
  bool alloy = false, native = false;
  for (const auto& v : voices) {
    if (v.at("id") == "alloy") alloy = v.at("engine") == "espeak" && v.at("voice") == "en-us";
    if (v.at("id") == "espeak:de") native = v.at("language") == "de";
  }
  EXPECT_TRUE(alloy);
  EXPECT_TRUE(native);
  // Aliases, native ids and model-as-engine all speak.
  EXPECT_EQ(speech({{"voice", "espeak:de"}, {"response_format", "pcm"}}).status, 200u);
  EXPECT_EQ(speech({{"voice", "fr-fr"}, {"model", "espeak"}, {"response_format", "pcm"}}).status, 200u);
  EXPECT_NE(speech({{"voice", "nova"}, {"response_format", "pcm"}}).body, speech({{"voice", "onyx"}, {"response_format", "pcm"}}).body);
  // A voice object means its id; instructions no engine here can follow are ignored, and said so.
  auto by_object = speech({{"voice", boost::json::object{{"id", "espeak:de"}}}, {"response_format", "pcm"}, {"instructions", "Speak cheerfully."}});
  EXPECT_EQ(by_object.status, 200u);
  EXPECT_EQ(by_object.body, speech({{"voice", "espeak:de"}, {"response_format", "pcm"}}).body);
  EXPECT_EQ(by_object.header("x-instructions-ignored"), "true");
  EXPECT_EQ(speech({{"voice", "espeak:de"}, {"response_format", "pcm"}}).header("x-instructions-ignored"), "");
}

TEST_F(OpenAi, Errors) {
  EXPECT_EQ(expect_error(speech({{"input", ""}}), 400), "empty_text");
  EXPECT_EQ(expect_error(speech({{"input", "   "}}), 400), "empty_text");
  EXPECT_EQ(expect_error(server->post("/v1/audio/speech", R"({"model":"tts-1","voice":"alloy"})"), 400), "missing_input");
  EXPECT_EQ(expect_error(speech({{"input", std::string(5001, 'a')}}), 413), "text_too_long");
  EXPECT_EQ(expect_error(speech({{"voice", "klingon"}}), 400), "unknown_voice");
  EXPECT_EQ(expect_error(speech({{"response_format", "wma"}}), 400), "invalid_response_format");
  EXPECT_EQ(expect_error(speech({{"speed", 5}}), 400), "invalid_speed");
  EXPECT_EQ(expect_error(speech({{"speed", 0.1}}), 400), "invalid_speed");
  EXPECT_EQ(expect_error(speech({{"model", "gpt-99"}}), 400), "model_not_found");
  EXPECT_EQ(expect_error(server->post("/v1/audio/speech", "{\"input\": \"x\""), 400), "invalid_json");
  EXPECT_EQ(expect_error(server->post("/v1/audio/speech", R"({"input":"x"})", {{"Content-Type", "text/plain"}}), 415), "unsupported_media_type");
  EXPECT_EQ(expect_error(server->post("/v1/audio/speech", std::string(200'000, ' ')), 413), "payload_too_large");
  EXPECT_EQ(expect_error(server->get("/v1/audio/speech"), 405), "method_not_allowed");
  EXPECT_EQ(expect_error(server->post("/v1/audio/speech", "{\"input\":\"\xFF\"}"), 400), "invalid_json");
  EXPECT_TRUE(server->alive());
}

TEST(OpenAiAuth, KeysGuardEveryRouteButHealth) {
  rtts_server server({"--api-key", "first-key", "--api-key", "second-key"});
  std::string body = R"({"model":"tts-1","input":"Hello.","voice":"alloy","response_format":"wav"})";
  auto none = server.post("/v1/audio/speech", body);
  EXPECT_EQ(none.status, 401u);
  EXPECT_EQ(none.header("www-authenticate"), "Bearer");
  EXPECT_EQ(json::parse(none.body).at("error").at("type").as_string(), "authentication_error");
  EXPECT_EQ(server.post("/v1/audio/speech", body, {{"Authorization", "Bearer wrong"}}).status, 401u);
  EXPECT_EQ(server.post("/v1/audio/speech", body, {{"Authorization", "Bearer second-key"}}).status, 200u);
  EXPECT_EQ(server.get("/tts?text=hi").status, 401u);
  EXPECT_EQ(server.get("/voices").status, 401u);
  EXPECT_EQ(server.get("/health").status, 200u);
}

TEST(OpenAiAuth, KeysFromEnvironmentAndFile) {
  char path[] = "/tmp/rtts-keys-XXXXXX";
  int fd = ::mkstemp(path);
  std::string keys = "# keys\nfile-key\n";
  ASSERT_EQ(::write(fd, keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
  ::close(fd);
  ::setenv("RTTS_API_KEYS", "env-a,env-b", 1);
  rtts_server server({"--api-key-file", path});
  ::unsetenv("RTTS_API_KEYS");
  ::unlink(path);
  rtts::client::http_request req;
  req.target = "/engines";
  for (const char* key : {"env-a", "env-b", "file-key"}) {
    req.headers["Authorization"] = std::string("Bearer ") + key;
    EXPECT_EQ(rtts::client::fetch(server.endpoint(), req)->status, 200u) << key;
  }
  req.headers["Authorization"] = "Bearer nope";
  EXPECT_EQ(rtts::client::fetch(server.endpoint(), req)->status, 401u);
}

TEST(OpenAiSdk, OfficialNodeClientWorks) {
  // The official `openai` npm package, installed by scripts/install-deps from the lock file.
  rtts_server server({"--api-key", "sdk-key"});
  std::string command = "node " RTTS_SOURCE_DIR "/tests/clients/openai_sdk_check.js http://" + server.endpoint().host + ":" +
                        std::to_string(server.endpoint().port) + "/v1 sdk-key 2>&1";
  FILE* p = ::popen(command.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string output;
  char buf[4096];
  while (auto n = std::fread(buf, 1, sizeof buf, p)) output.append(buf, n);
  int status = ::pclose(p);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("all checks passed"), std::string::npos) << output;
}
