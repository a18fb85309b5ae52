// The opt-in engines from Debian contrib/non-free (scripts/install-deps --non-free, which CI
// runs): where their libraries and data are installed they must be listed and speak, every
// voice at its own rate; where they are not, they must not be listed.
#include "audio_check.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <future>

using namespace rtts::testing;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

bool pico_installed() { return fs::exists("/usr/share/pico/lang/en-US_ta.bin") && fs::exists("/usr/include/picoapi.h"); }
bool rhvoice_installed() { return fs::exists("/usr/share/RHVoice/voices") && fs::exists("/usr/include/RHVoice.h"); }
bool mbrola_installed() { return fs::exists("/usr/bin/mbrola") && fs::exists("/usr/share/mbrola/us1/us1"); }

class OptInEngines : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server = new rtts_server({"--workers", "1"}); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static bool listed(const std::string& engine) {
    auto engines = json::parse(server->get("/engines").body).as_array();
    return std::find(engines.begin(), engines.end(), json::value(engine)) != engines.end();
  }
  // Every voice of `engine` says a sentence: complete, non-silent, plausible length, its rate.
  static void every_voice_speaks(const std::string& engine) {
    auto voices = json::parse(server->get("/voices?detail=1&engine=" + engine).body).as_array();
    ASSERT_FALSE(voices.empty());
    for (const auto& v : voices) {
      std::string id(v.at("id").as_string());
      SCOPED_TRACE(engine + ":" + id);
      auto r = server->get(tts_target("Hello there, this voice is speaking a short sentence.", "engine=" + engine + "&voice=" + id));
      ASSERT_EQ(r.status, 200u) << r.body;
      auto audio = decode_wav(r.body);
      EXPECT_EQ(audio.sample_rate, v.at("sample_rate").as_int64());
      EXPECT_GT(audio.seconds(), 1.2);
      EXPECT_LT(audio.seconds(), 8.0);
      EXPECT_GT(audio.rms(), 300.0);
    }
  }
  static void concurrent_requests_match_alone(const std::string& engine, const std::vector<std::string>& voices) {
    std::vector<std::string> targets, alone;
    for (std::size_t i = 0; i < 6; ++i) {
      targets.push_back(tts_target("Request " + std::to_string(i) + " of the opt-in engine.", "engine=" + engine + "&voice=" + voices[i % voices.size()]));
      alone.push_back(server->get(targets.back()).body);
    }
    std::vector<std::future<std::string>> answers;
    for (const auto& t : targets) answers.push_back(std::async(std::launch::async, [t] { return server->get(t).body; }));
    for (std::size_t i = 0; i < answers.size(); ++i) EXPECT_TRUE(answers[i].get() == alone[i]) << i;
  }
  // Word events as the catalogue says (exact, quantized, estimated), before their audio, and
  // the SSML elements rtts applies itself: pauses, volume, rate.
  static void words_and_ssml_work(const std::string& engine, const std::string& voice, const std::string& timing) {
    SCOPED_TRACE(engine + ":" + voice);
    auto catalogue = json::parse(server->get("/voices?detail=1&engine=" + engine).body); // named: a range-for over a temporary's member dangles
    for (const auto& v : catalogue.as_array())
      if (v.at("id") == voice.c_str()) {
        EXPECT_EQ(v.at("word_timing"), timing.c_str());
      }
    const std::string text = "Hello world, how are you today?";
    auto r = server->get(tts_target(text, "timestamps=word&format=pcm&engine=" + engine + "&voice=" + voice));
    ASSERT_EQ(r.status, 200u) << r.body;
    auto answer = read_sse(r.body);
    int rate = std::stoi(r.header("x-audio-sample-rate"));
    double duration = static_cast<double>(answer.audio.size() / 2) / rate;
    std::vector<std::string> words;
    double previous = -1;
    for (std::size_t i = 0; i < answer.events.size(); ++i) {
      const auto& e = answer.events[i];
      if (e.at("type") != "speech.word") continue;
      words.emplace_back(e.at("text").as_string());
      double start = e.at("start").to_number<double>(), end = e.at("end").to_number<double>();
      EXPECT_EQ(e.at("offset").to_number<std::size_t>(), text.find(words.back()));
      EXPECT_GT(start, previous);
      EXPECT_LT(start, end);
      EXPECT_LE(end, duration + 0.001);
      EXPECT_LE(static_cast<double>(answer.audio_bytes_before[i] / 2) / rate, start + 0.001) << "before its audio";
      previous = start;
    }
    EXPECT_EQ(words, (std::vector<std::string>{"Hello", "world", "how", "are", "you", "today"}));
    auto pcm_of = [&](const std::string& doc) { return server->get(tts_target(doc, "format=pcm&engine=" + engine + "&voice=" + voice)).body; };
    auto short_break = pcm_of("<speak>One.<break time=\"200ms\"/>Two.</speak>");
    auto long_break = pcm_of("<speak>One.<break time=\"1200ms\"/>Two.</speak>");
    EXPECT_NEAR(static_cast<double>(long_break.size() - short_break.size()) / 2 / rate, 1.0, 1.0 / rate + 1e-9);
    auto plain = decode_wav(server->get(tts_target("The quick brown fox.", "engine=" + engine + "&voice=" + voice)).body);
    auto soft = decode_wav(server->get(tts_target("<speak><prosody volume=\"-6dB\">The quick brown fox.</prosody></speak>", "engine=" + engine + "&voice=" + voice)).body);
    auto slow = decode_wav(server->get(tts_target("<speak><prosody rate=\"x-slow\">The quick brown fox.</prosody></speak>", "engine=" + engine + "&voice=" + voice)).body);
    EXPECT_NEAR(soft.rms() / plain.rms(), 0.501, 0.01);
    EXPECT_GT(slow.seconds(), plain.seconds() * 1.3);
  }
  static rtts_server* server;
};
rtts_server* OptInEngines::server = nullptr;

} // namespace

TEST_F(OptInEngines, PicoWhereInstalled) {
  ASSERT_EQ(listed("pico"), pico_installed());
  if (!pico_installed()) GTEST_SKIP() << "SVOX Pico not installed (scripts/install-deps --non-free)";
  auto ids = json::parse(server->get("/voices?engine=pico").body);
  EXPECT_EQ(json::serialize(ids), R"(["en-us","en-gb","de-de","es-es","fr-fr","it-it"])");
  every_voice_speaks("pico");
  concurrent_requests_match_alone("pico", {"en-us", "en-gb", "de-de"});
  // Pico's own markup from a client is read as text, never obeyed.
  auto plain = decode_wav(server->get(tts_target("Hello there.", "engine=pico")).body);
  auto marked = decode_wav(server->get(tts_target("<speed level=\"500\">Hello there.", "engine=pico")).body);
  EXPECT_GT(marked.seconds(), plain.seconds()) << "the tag's words are spoken, not applied";
  words_and_ssml_work("pico", "en-us", "estimated");
}

TEST_F(OptInEngines, RhvoiceWhereInstalled) {
  ASSERT_EQ(listed("rhvoice"), rhvoice_installed());
  if (!rhvoice_installed()) GTEST_SKIP() << "RHVoice not installed (scripts/install-deps --non-free)";
  every_voice_speaks("rhvoice");
  concurrent_requests_match_alone("rhvoice", {"alan", "slt", "clb"});
  words_and_ssml_work("rhvoice", "alan", "quantized");
}

TEST_F(OptInEngines, MbrolaVoicesOfEspeakWhereInstalled) {
  auto voices = json::parse(server->get("/voices?engine=espeak&detail=1").body).as_array();
  std::vector<std::string> mbrola;
  for (const auto& v : voices)
    if (v.at("id").as_string().starts_with("mb-")) mbrola.emplace_back(v.at("id").as_string());
  if (!mbrola_installed()) {
    EXPECT_TRUE(mbrola.empty()) << "MBROLA voices only where their databases are installed";
    GTEST_SKIP() << "MBROLA not installed (scripts/install-deps --non-free)";
  }
  EXPECT_NE(std::find(mbrola.begin(), mbrola.end(), "mb-us1"), mbrola.end());
  for (const auto& id : mbrola) {
    SCOPED_TRACE(id);
    auto r = server->get(tts_target("Hello there, this voice is speaking a short sentence.", "voice=" + id));
    ASSERT_EQ(r.status, 200u) << r.body;
    auto audio = decode_wav(r.body);
    EXPECT_EQ(audio.sample_rate, 16000);
    EXPECT_GT(audio.seconds(), 1.2);
    EXPECT_GT(audio.rms(), 300.0);
  }
  concurrent_requests_match_alone("espeak", mbrola);
  words_and_ssml_work("espeak", "mb-us1", "estimated");
}
