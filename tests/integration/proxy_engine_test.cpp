// The `openai` engine against a real upstream: a second rtts on loopback, with an API key. What
// the proxy streams must be exactly the upstream's audio, and every upstream failure must come
// back as a clear rtts error.
#include "audio_check.hpp"
#include "server_fixture.hpp"
#include "tls_front.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

using namespace rtts::testing;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

std::string base_url(const rtts_server& s) { return "http://127.0.0.1:" + std::to_string(s.endpoint().port) + "/v1"; }

std::vector<std::string> proxy_args(const std::string& url, const std::string& key) {
  return {"--engines", "espeak,openai", "--workers", "1", "--proxy-url", url, "--proxy-key", key, "--proxy-voices", "alloy,echo,nosuch"};
}

class ProxyEngine : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    upstream = new rtts_server({"--engines", "espeak", "--workers", "1", "--api-key", "upstream-secret"});
    proxy = new rtts_server(proxy_args(base_url(*upstream), "upstream-secret"));
  }
  static void TearDownTestSuite() {
    delete proxy;
    delete upstream;
    proxy = upstream = nullptr;
  }
  static std::string upstream_pcm(const std::string& text, const std::string& voice) {
    auto body = json::serialize(json::object{{"input", text}, {"voice", voice}, {"response_format", "pcm"}});
    return upstream->post("/v1/audio/speech", body, {{"Authorization", "Bearer upstream-secret"}}).body;
  }
  static rtts_server* upstream;
  static rtts_server* proxy;
};
rtts_server* ProxyEngine::upstream = nullptr;
rtts_server* ProxyEngine::proxy = nullptr;

std::string error_code(const rtts::client::http_response& r) { return std::string(json::parse(r.body).at("error").at("code").as_string()); }

} // namespace

TEST_F(ProxyEngine, ListedWithItsConfiguredVoices) {
  EXPECT_EQ(proxy->get("/engines").body, R"(["espeak","openai"])");
  EXPECT_EQ(proxy->get("/voices?engine=openai").body, R"(["alloy","echo","nosuch"])");
  EXPECT_EQ(upstream->get("/engines").status, 401u) << "the upstream really wants its key";
}

TEST_F(ProxyEngine, StreamsExactlyTheUpstreamsAudio) {
  const std::string sentence = "A sentence that travels through two servers.";
  auto r = proxy->get(tts_target(sentence, "engine=openai&voice=echo&format=pcm"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("x-audio-sample-rate"), "24000");
  auto direct = upstream_pcm(sentence, "echo");
  ASSERT_GT(direct.size(), 48000u);
  EXPECT_TRUE(r.body == direct) << "one fragment, one upstream request, the same bytes";
}

TEST_F(ProxyEngine, WordTimingIsEstimatedAndTheAudioUnchanged) {
  const std::string sentence = "A sentence that travels through two servers.";
  auto r = proxy->get(tts_target(sentence, "engine=openai&voice=echo&format=pcm&timestamps=word"));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto answer = read_sse(r.body);
  EXPECT_TRUE(answer.audio == upstream_pcm(sentence, "echo")) << "held back to place the words, never changed";
  auto words = answer.of_type("speech.word");
  ASSERT_EQ(words.size(), 7u);
  EXPECT_EQ(words[6].at("text"), "servers");
  EXPECT_EQ(words[6].at("offset").to_number<std::size_t>(), sentence.find("servers"));
  EXPECT_LE(words[6].at("end").to_number<double>(), static_cast<double>(answer.audio.size() / 2) / 24000 + 0.001);
  EXPECT_NE(proxy->get("/voices?engine=openai&detail=1").body.find("\"word_timing\":\"estimated\""), std::string::npos);
}

TEST_F(ProxyEngine, LongTextsAndOtherRoutesWork) {
  auto r = proxy->get(tts_target("First sentence through the proxy. And a second one, a little longer. Then a third.", "engine=openai&voice=alloy"));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto audio = decode_wav(r.body);
  EXPECT_EQ(audio.sample_rate, 24000);
  EXPECT_GT(audio.seconds(), 3.0);
  EXPECT_GT(audio.rms(), 500.0);
  auto openai = proxy->post("/v1/audio/speech", R"({"input":"Through the OpenAI route of the proxy.","voice":"openai:alloy","response_format":"wav","sample_rate":16000})");
  ASSERT_EQ(openai.status, 200u) << openai.body;
  EXPECT_EQ(decode_wav(openai.body).sample_rate, 16000) << "rtts's own pipeline resamples the upstream's audio";
}

TEST_F(ProxyEngine, ConcurrentRequestsGetTheirOwnAudio) {
  std::vector<std::string> texts, alone;
  for (int i = 0; i < 4; ++i) {
    texts.push_back("Proxy client " + std::to_string(i) + " asks for this.");
    alone.push_back(proxy->get(tts_target(texts.back(), "engine=openai&voice=alloy&format=pcm")).body);
  }
  std::vector<std::future<std::string>> answers;
  for (const auto& t : texts)
    answers.push_back(std::async(std::launch::async, [t] { return proxy->get(tts_target(t, "engine=openai&voice=alloy&format=pcm")).body; }));
  for (std::size_t i = 0; i < answers.size(); ++i) EXPECT_TRUE(answers[i].get() == alone[i]) << i;
}

TEST_F(ProxyEngine, UpstreamRefusalsBecomeClearErrors) {
  auto rejected = proxy->get(tts_target("Hello.", "engine=openai&voice=nosuch"));
  EXPECT_EQ(rejected.status, 400u) << rejected.body;
  EXPECT_EQ(error_code(rejected), "upstream_rejected");
  // The upstream's own words (its address, its view of the key) go to rtts's log, not to clients.
  const std::string upstream_port = std::to_string(upstream->endpoint().port);
  EXPECT_EQ(rejected.body.find(upstream_port), std::string::npos) << rejected.body;
  EXPECT_EQ(rejected.body.find("nosuch"), std::string::npos) << "the upstream's message is not relayed: " << rejected.body;

  std::string log = "/tmp/rtts-proxy-log-" + std::to_string(::getpid()) + ".txt";
  {
    rtts_server wrong_key(proxy_args(base_url(*upstream), "not-the-key"), log);
    auto refused = wrong_key.get(tts_target("Hello.", "engine=openai&voice=alloy"));
    EXPECT_EQ(refused.status, 500u) << refused.body;
    EXPECT_EQ(error_code(refused), "upstream_auth");
    EXPECT_EQ(refused.body.find(upstream_port), std::string::npos) << refused.body;
    EXPECT_EQ(refused.body.find("not-the-key"), std::string::npos) << refused.body;
  }
  std::ifstream in(log);
  std::string logged((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(log.c_str());
  EXPECT_NE(logged.find("127.0.0.1:" + upstream_port + " answered 401"), std::string::npos) << "the operator learns why:\n" << logged;

  auto nowhere_port = std::to_string(free_port());
  rtts_server nowhere(proxy_args("http://127.0.0.1:" + nowhere_port + "/v1", "x"));
  auto unreachable = nowhere.get(tts_target("Hello.", "engine=openai&voice=alloy"));
  EXPECT_EQ(unreachable.status, 503u) << unreachable.body;
  EXPECT_EQ(error_code(unreachable), "upstream_unreachable");
  EXPECT_EQ(unreachable.body.find(nowhere_port), std::string::npos) << unreachable.body;
  EXPECT_EQ(nowhere.get(tts_target("Hello.")).status, 200u) << "the other engines are unaffected";
}

TEST(ProxyEngineConfig, BadUrlsStopStartUp) {
  EXPECT_THROW(rtts_server(proxy_args("not a url", "x")), std::runtime_error);
  EXPECT_THROW(rtts_server(proxy_args("ftp://127.0.0.1/v1", "x")), std::runtime_error);
}


TEST_F(ProxyEngine, HttpsUpstreamWithCertificateVerification) {
  auto front = tls_front::proxy_to(upstream->endpoint().port);
  std::string url = "https://localhost:" + std::to_string(front.port()) + "/v1";
  const std::string sentence = "A sentence over a verified TLS connection.";

  ::setenv("SSL_CERT_FILE", front.ca_file().c_str(), 1); // the proxy's workers trust our CA
  rtts_server trusting(proxy_args(url, "upstream-secret"));
  rtts_server wrong_name(proxy_args("https://127.0.0.1:" + std::to_string(front.port()) + "/v1", "upstream-secret"));
  ::unsetenv("SSL_CERT_FILE");
  auto r = trusting.get(tts_target(sentence, "engine=openai&voice=echo&format=pcm"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.body == upstream_pcm(sentence, "echo")) << "the upstream's audio, through TLS";

  auto mismatch = wrong_name.get(tts_target(sentence, "engine=openai&voice=echo"));
  EXPECT_EQ(mismatch.status, 503u) << "the certificate names localhost, not 127.0.0.1";
  EXPECT_EQ(error_code(mismatch), "upstream_unreachable");

  std::string log = "/tmp/rtts-tls-log-" + std::to_string(::getpid()) + ".txt";
  {
    rtts_server default_store(proxy_args(url, "upstream-secret"), log);
    auto untrusted = default_store.get(tts_target(sentence, "engine=openai&voice=echo"));
    EXPECT_EQ(untrusted.status, 503u) << "the system CA store does not know our test CA";
    EXPECT_EQ(error_code(untrusted), "upstream_unreachable");
  }
  std::ifstream in(log);
  std::string logged((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(log.c_str());
  EXPECT_NE(logged.find("certificate verify failed"), std::string::npos) << "the log says why:\n" << logged;
}
