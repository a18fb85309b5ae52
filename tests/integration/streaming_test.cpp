// /tts streams real audio, in order, per request, for many clients at once.
#include "audio/wav.hpp"
#include "audio_check.hpp"
#include "server_fixture.hpp"
#include "pitch.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

using namespace rtts::testing;

namespace {

const std::string paragraph =
    "The quick brown fox jumps over the lazy dog near the river bank. Meanwhile, a small bird sings from the "
    "top of an old oak tree, greeting the morning sun. Children walk to school along the dusty road, laughing "
    "and talking about their plans. By noon, the whole village is busy with markets, music and the smell of fresh bread.";

class Streaming : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server = new rtts_server(); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static rtts_server* server;
};
rtts_server* Streaming::server = nullptr;

} // namespace

TEST_F(Streaming, WavIsRealSpeech) {
  auto r = server->get(tts_target(paragraph));
  ASSERT_EQ(r.status, 200u);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.header("content-type"), "audio/wav");
  EXPECT_EQ(r.header("transfer-encoding"), "chunked");
  EXPECT_EQ(r.header("x-audio-sample-rate"), "22050");
  auto header = rtts::audio::parse_wav_header(r.body);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->data_size, rtts::audio::streaming_size) << "streaming WAV header";
  auto audio = decode_wav(r.body);
  EXPECT_EQ(audio.sample_rate, 22050);
  EXPECT_EQ(audio.channels, 1);
  // 62 words at eSpeak's 175 wpm is about 21 s; allow for pauses and rounding.
  EXPECT_GT(audio.seconds(), 14.0);
  EXPECT_LT(audio.seconds(), 32.0);
  EXPECT_GT(audio.rms(), 500.0) << "not silence";
}

TEST_F(Streaming, FirstAudioLeavesBeforeTheLast) {
  // Long enough (about ten minutes of speech, far more than the stream buffer and the sockets
  // hold) that synthesis cannot end while this client holds back. At its first bytes the client
  // stops reading and asks the server, on another connection, whether the stream is finished:
  // a buffering server would only have sent them after it was.
  std::string text;
  for (int i = 0; i < 12; ++i) text += paragraph + " ";
  auto completed = [] {
    const std::string sample = "rtts_streams_total{engine=\"espeak\",outcome=\"completed\"} ";
    auto metrics = server->get("/metrics").body;
    auto at = metrics.find(sample);
    return at == std::string::npos ? 0.0 : std::stod(metrics.substr(at + sample.size()));
  };
  double before = completed();
  double at_first_audio = -1;
  std::size_t received = 0;
  auto r = server->get(tts_target(text), [&](std::string_view piece) {
    if (at_first_audio < 0) at_first_audio = completed();
    received += piece.size();
    return true;
  });
  ASSERT_TRUE(r.complete);
  EXPECT_EQ(at_first_audio, before) << "the first audio left while its synthesis was still running";
  EXPECT_EQ(completed(), before + 1) << "and the stream completed after that";
  EXPECT_GT(received, 8u << 20) << "more than the buffers on the way hold";
  EXPECT_EQ(r.chunk_sizes.front() % 2, 0u);
}

TEST_F(Streaming, PcmFormatMatchesWavData) {
  auto wav = server->get(tts_target("Raw samples, please."));
  auto pcm = server->get(tts_target("Raw samples, please.", "format=pcm"));
  ASSERT_EQ(pcm.status, 200u);
  EXPECT_EQ(pcm.header("content-type"), "audio/L16;rate=22050;channels=1");
  EXPECT_EQ(pcm.header("x-audio-sample-rate"), "22050");
  EXPECT_EQ(pcm.body, wav.body.substr(rtts::audio::wav_header_bytes));
}

TEST_F(Streaming, ResamplesToRequestedRate) {
  auto native = decode_wav(server->get(tts_target("Resample this sentence, if you can.")).body);
  for (int rate : {8000, 16000, 24000, 48000}) {
    auto r = server->get(tts_target("Resample this sentence, if you can.", "sample_rate=" + std::to_string(rate)));
    ASSERT_EQ(r.status, 200u);
    EXPECT_EQ(r.header("x-audio-sample-rate"), std::to_string(rate));
    auto audio = decode_wav(r.body);
    EXPECT_EQ(audio.sample_rate, rate);
    EXPECT_NEAR(audio.seconds(), native.seconds(), native.seconds() * 0.02) << rate;
    EXPECT_GT(audio.rms(), 300.0);
  }
}

TEST_F(Streaming, SpeedChangesDuration) {
  auto normal = decode_wav(server->get(tts_target(paragraph)).body).seconds();
  auto fast = decode_wav(server->get(tts_target(paragraph, "speed=2")).body).seconds();
  auto slow = decode_wav(server->get(tts_target(paragraph, "speed=0.5")).body).seconds();
  EXPECT_LT(fast, normal * 0.7);
  EXPECT_GT(slow, normal * 1.5);
}

TEST_F(Streaming, PitchRaisesAndLowersTheVoice) {
  const std::string text = "The pitch of this sentence goes where it is told.";
  double low = median_f0(decode_wav(server->get(tts_target(text, "pitch=0.6")).body).samples, 22050);
  double normal = median_f0(decode_wav(server->get(tts_target(text)).body).samples, 22050);
  double high = median_f0(decode_wav(server->get(tts_target(text, "pitch=1.8")).body).samples, 22050);
  EXPECT_GT(low, 0);
  EXPECT_LT(low * 1.15, normal) << low << " Hz, " << normal << " Hz, " << high << " Hz";
  EXPECT_LT(normal * 1.15, high) << low << " Hz, " << normal << " Hz, " << high << " Hz";
}

TEST_F(Streaming, UnicodeTextIsSpoken) {
  auto r = server->get(tts_target("Grüße aus Köln, schöne Straße.", "voice=de"));
  ASSERT_EQ(r.status, 200u);
  EXPECT_GT(decode_wav(r.body).seconds(), 1.0);
}

TEST_F(Streaming, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto answer = raw_exchange(server->endpoint(), "GET /engines HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                                 "GET /tts?text=Hi HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                                 "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_NE(answer.find("[\"espeak\""), std::string::npos);
  EXPECT_NE(answer.find("audio/wav"), std::string::npos);
  EXPECT_NE(answer.find("\r\n0\r\n\r\n"), std::string::npos) << "the stream ends with the last chunk";
  EXPECT_NE(answer.find("{\"status\":\"ok\""), std::string::npos);
}

TEST_F(Streaming, ConcurrentRequestsEachGetTheirOwnAudio) {
  const std::vector<std::string> voices = {"en-us", "en-gb", "de", "fr-fr", "es", "it", "nl", "pl",
                                           "sv", "fi", "cs", "pt", "ro", "hu", "da", "nb"};
  auto target = [&](std::size_t i) {
    return tts_target("Request number " + std::to_string(i) + ". " + paragraph.substr(0, 100 + 10 * i), "voice=" + voices[i]);
  };
  std::vector<std::string> alone;
  for (std::size_t i = 0; i < voices.size(); ++i) {
    auto r = server->get(target(i));
    ASSERT_EQ(r.status, 200u) << voices[i];
    alone.push_back(r.body);
  }
  for (int round = 0; round < 2; ++round) {
    std::vector<std::future<rtts::client::http_response>> together;
    for (std::size_t i = 0; i < voices.size(); ++i)
      together.push_back(std::async(std::launch::async, [&, i] { return server->get(target(i)); }));
    for (std::size_t i = 0; i < voices.size(); ++i) {
      auto r = together[i].get();
      EXPECT_EQ(r.status, 200u);
      EXPECT_TRUE(r.complete);
      EXPECT_TRUE(r.body == alone[i]) << "request " << i << " (" << voices[i] << ") got other audio: " << r.body.size()
                                      << " bytes vs " << alone[i].size();
    }
  }
}
