// Neural voices (sherpa-onnx) on the real binary, with the voices tests/voices/make_test_voices.py
// generates: tone voices with the signatures of real Piper and Kokoro models. No network.
#include "audio_check.hpp"
#include "server_fixture.hpp"
#include "test_voices.hpp"
#include "wyoming_client.hpp"

#include "client/ws_client.hpp"

#include <boost/json.hpp>
#include <espeak-ng/speak_lib.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

using namespace rtts::testing;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const std::string tones = "en_US-tones-low"; // decodable, 16 kHz, 800 samples per token
const std::string alice = "en_US-duo-medium/alice", bob = "en_US-duo-medium/bob"; // upstream Piper layout, 22050 Hz, noise

std::vector<std::string> neural_args(std::vector<std::string> more = {}, const std::string& workers = "2", const std::string& engines = "piper,kokoro,kitten,matcha") {
  static const std::string cache = [] {
    char pattern[] = "/tmp/rtts-test-cache-XXXXXX";
    return std::string(::mkdtemp(pattern));
  }();
  std::vector<std::string> args{"--engine", "piper", "--engines", engines, "--workers", workers, "--voices-dir", test_voices() + "/voices",
                                "--voices-dir", test_voices() + "/broken", "--cache-dir", cache};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// eSpeak NG's own IPA for `text` (one clause), as Piper voices are fed.
std::string espeak_ipa(const std::string& text) {
  static bool ready = [] {
    espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
    return espeak_SetVoiceByName("en-us") == EE_OK;
  }();
  EXPECT_TRUE(ready);
  const void* p = text.c_str();
  const char* out = espeak_TextToPhonemes(&p, espeakCHARS_UTF8, 0x02 /* IPA */);
  return out ? out : "";
}

// How high a tone voice speaks: its zero crossings.
double crossings(const std::vector<std::int16_t>& x) {
  std::size_t n = 0;
  for (std::size_t i = 1; i < x.size(); ++i) n += (x[i - 1] < 0) != (x[i] < 0);
  return static_cast<double>(n);
}

// The strongest frequency in the middle half of each `n`-sample window (a tone voice's tokens).
std::vector<double> token_frequencies(const std::vector<std::int16_t>& x, int rate, std::size_t n) {
  std::vector<double> out;
  for (std::size_t at = 0; at + n <= x.size(); at += n) {
    double best = 0, best_f = 0;
    for (double f = 60; f < rate / 2.0 - 100; f += 5) {
      double w = 2 * M_PI * f / rate, c = 2 * std::cos(w), s1 = 0, s2 = 0;
      for (std::size_t i = at + n / 4; i < at + 3 * n / 4; ++i) {
        double s0 = x[i] + c * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      double power = s1 * s1 + s2 * s2 - c * s1 * s2;
      if (power > best) best = power, best_f = f;
    }
    out.push_back(best_f);
  }
  return out;
}

class NeuralVoices : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    wy_port = free_port();
    mary_port = free_port();
    server = new rtts_server(neural_args({"--wyoming", "127.0.0.1:" + std::to_string(wy_port), "--marytts", "127.0.0.1:" + std::to_string(mary_port)}));
  }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static std::vector<std::int16_t> pcm(const std::string& voice, const std::string& text, const std::string& extra = {}) {
    auto r = server->get(tts_target(text, "engine=piper&format=pcm&voice=" + voice + (extra.empty() ? "" : "&" + extra)));
    EXPECT_EQ(r.status, 200u) << r.body;
    return samples_of_pcm(r.body);
  }
  static rtts_server* server;
  static unsigned wy_port, mary_port;
};
rtts_server* NeuralVoices::server = nullptr;
unsigned NeuralVoices::wy_port = 0, NeuralVoices::mary_port = 0;

} // namespace

TEST_F(NeuralVoices, EnginesAndVoicesAreListedFromTheVoiceFolders) {
  auto engines = json::parse(server->get("/engines").body).as_array();
  EXPECT_NE(std::find(engines.begin(), engines.end(), json::value("piper")), engines.end());
  EXPECT_NE(std::find(engines.begin(), engines.end(), json::value("kokoro")), engines.end());
  auto piper = json::parse(server->get("/voices?engine=piper").body).as_array();
  std::set<std::string> ids;
  for (const auto& v : piper) ids.insert(std::string(v.as_string()));
  ids.erase("unknown-operator"); // listed until a load shows it broken (a test below)
  EXPECT_EQ(ids, (std::set<std::string>{alice, bob, "en_US-heavy", tones})) << "speakers are voices, named from the voice's metadata";
  auto kokoro = json::parse(server->get("/voices?engine=kokoro").body).as_array();
  EXPECT_EQ(kokoro, json::parse(R"(["kokoro-tones/af_tone","kokoro-tones/am_tone"])").as_array());
  EXPECT_EQ(json::parse(server->get("/voices?engine=matcha").body).as_array(), json::parse(R"(["matcha-tones"])").as_array());
  auto kitten = json::parse(server->get("/voices?engine=kitten").body).as_array();
  EXPECT_EQ(kitten, json::parse(R"(["kitten-tones/expr-voice-2-m","kitten-tones/expr-voice-2-f"])").as_array()) << "in speaker id order";
  // RealtimeTTS's engine switch works for the neural engines too.
  EXPECT_EQ(server->get("/set_engine?engine_name=kokoro").status, 200u);
  auto r = server->get(tts_target("Hello there."));
  EXPECT_EQ(server->get("/set_engine?engine_name=piper").status, 200u);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(decode_wav(r.body).sample_rate, 24000) << "the Kokoro voice's own rate";
}

TEST_F(NeuralVoices, BrokenVoicesAreReportedAndTheOthersKeepWorking) {
  auto detail = json::parse(server->get("/voices?engine=piper&detail=1").body).as_array();
  std::map<std::string, json::object> by_id;
  for (const auto& v : detail) by_id[std::string(v.at("id").as_string())] = v.as_object();
  ASSERT_TRUE(by_id.contains("no-metadata") && by_id.contains("duplicate-tokens"));
  EXPECT_EQ(by_id["no-metadata"].at("status"), "broken");
  EXPECT_NE(std::string(by_id["no-metadata"].at("reason").as_string()).find("sample_rate"), std::string::npos);
  EXPECT_EQ(by_id["duplicate-tokens"].at("status"), "broken");
  EXPECT_NE(std::string(by_id["duplicate-tokens"].at("reason").as_string()).find("twice"), std::string::npos);
  EXPECT_EQ(by_id[tones].at("status"), "ok");
  auto refused = server->get(tts_target("Hello.", "engine=piper&voice=no-metadata"));
  EXPECT_EQ(refused.status, 503u);
  EXPECT_EQ(json::parse(refused.body).at("error").at("code"), "voice_broken");
  EXPECT_EQ(server->get(tts_target("Hello.", "engine=piper&voice=" + tones)).status, 200u);
  EXPECT_EQ(server->get(tts_target("Hello.", "engine=piper&voice=nonexistent")).status, 404u);
}

TEST_F(NeuralVoices, AVoiceThatKillsTheProcessLoadingItIsFoundInAThrowawayProcess) {
  // Its files pass every check; ONNX Runtime refuses its graph and sherpa-onnx ends the process.
  auto workers = server->worker_pids();
  auto first = server->get(tts_target("Hello.", "engine=piper&voice=unknown-operator"));
  EXPECT_EQ(first.status, 503u) << first.body;
  EXPECT_EQ(json::parse(first.body).at("error").at("code"), "voice_broken");
  EXPECT_NE(first.body.find("ends the process"), std::string::npos) << first.body;
  // From now on it is listed as broken, with the reason, and refused before any worker sees it.
  json::object entry;
  auto detail = json::parse(server->get("/voices?engine=piper&detail=1").body); // named: a range-for over a temporary's member dangles
  for (const auto& v : detail.as_array())
    if (v.at("id") == "unknown-operator") entry = v.as_object();
  EXPECT_EQ(entry["status"], "broken");
  auto plain = json::parse(server->get("/voices?engine=piper").body).as_array();
  EXPECT_EQ(std::find(plain.begin(), plain.end(), json::value("unknown-operator")), plain.end());
  EXPECT_EQ(server->get(tts_target("Hello.", "engine=piper&voice=unknown-operator")).status, 503u);
  // No worker died for it, and the other voices speak.
  EXPECT_EQ(server->worker_pids(), workers);
  EXPECT_EQ(server->get(tts_target("Hello.", "engine=piper&voice=" + tones)).status, 200u);
}

TEST_F(NeuralVoices, TheModelReceivesEspeakPhonemesOfTheText) {
  // Piper's input: ^, then the pad _ after it and after every phoneme, then $.
  auto symbols = read_tokens(test_voices() + "/voices/" + tones + "/tokens.txt");
  auto ids = decode_tone_ids(pcm(tones, "Hello world."), 16000, 800);
  ASSERT_GT(ids.size(), 4u);
  ASSERT_EQ(ids.size() % 2, 1u);
  EXPECT_EQ(symbols[ids.front()], "^");
  EXPECT_EQ(symbols[ids.back()], "$");
  std::string phonemes;
  for (std::size_t i = 1; i + 1 < ids.size(); i += 2) {
    ASSERT_GE(ids[i + 1], 0) << "a clear tone at token " << i + 1;
    EXPECT_EQ(symbols[ids[i]], "_") << i;
    if (i + 2 < ids.size()) phonemes += symbols[ids[i + 1]];
  }
  EXPECT_EQ(phonemes, espeak_ipa("Hello world") + ".");
}

TEST_F(NeuralVoices, SpeedIsExact) {
  auto normal = pcm(tones, "Speed test.");
  auto slow = pcm(tones, "Speed test.", "speed=0.5");
  auto fast = pcm(tones, "Speed test.", "speed=2");
  ASSERT_FALSE(normal.empty());
  EXPECT_EQ(slow.size(), 2 * normal.size()) << "speed 0.5: each token twice as long";
  EXPECT_EQ(fast.size(), normal.size() / 2);
  EXPECT_EQ(normal.size() % 800, 0u);
}

TEST_F(NeuralVoices, PitchIsShiftedWithoutChangingTheLength) {
  // The models have no pitch control: rtts shifts their audio (Rubber Band) and says so.
  auto detail = json::parse(server->get("/engines?detail=1").body).as_array();
  for (const auto& e : detail)
    if (e.at("name") == "piper") {
      EXPECT_EQ(e.at("capabilities").at("pitch"), "shifted");
    }
  auto normal = pcm(tones, "Pitch test.");
  auto before = token_frequencies(normal, 16000, 800);
  for (double pitch : {1.5, 0.75}) {
    auto shifted = pcm(tones, "Pitch test.", "pitch=" + std::to_string(pitch));
    EXPECT_EQ(shifted.size(), normal.size()) << "the length stays";
    auto after = token_frequencies(shifted, 16000, 800);
    std::vector<double> ratios;
    for (std::size_t i = 0; i < before.size(); ++i) ratios.push_back(after[i] / before[i]);
    std::nth_element(ratios.begin(), ratios.begin() + static_cast<std::ptrdiff_t>(ratios.size() / 2), ratios.end());
    EXPECT_NEAR(ratios[ratios.size() / 2], pitch, pitch * 0.03) << "each token's tone moves by the pitch factor";
  }
}

TEST_F(NeuralVoices, SpeakersAreVoicesAndSoundDifferent) {
  auto a = pcm(alice, "Two speakers, one model.");
  auto b = pcm(bob, "Two speakers, one model.");
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a.size(), b.size());
  EXPECT_NE(a, b);
  // Bob speaks 1.5 times higher in this model: every token's tone moves up.
  EXPECT_NEAR(crossings(b) / crossings(a), 1.5, 0.1);
}

TEST_F(NeuralVoices, KokoroAndKittenSpeakWithEachSpeakerAndExactSpeed) {
  for (std::string engine : {"kokoro", "kitten"}) {
    SCOPED_TRACE(engine);
    auto voices = json::parse(server->get("/voices?engine=" + engine).body).as_array();
    ASSERT_EQ(voices.size(), 2u);
    std::vector<std::vector<std::int16_t>> spoken;
    for (const auto& v : voices) {
      auto r = server->get(tts_target("Two speakers.", "engine=" + engine + "&voice=" + std::string(v.as_string())));
      ASSERT_EQ(r.status, 200u) << r.body;
      auto audio = decode_wav(r.body);
      EXPECT_EQ(audio.sample_rate, 24000);
      EXPECT_GT(audio.rms(), 1000.0);
      spoken.push_back(audio.samples);
    }
    EXPECT_EQ(spoken[0].size(), spoken[1].size());
    EXPECT_NE(spoken[0], spoken[1]) << "each speaker's style vector reaches the model";
    auto slow = server->get(tts_target("Two speakers.", "format=pcm&speed=0.5&engine=" + engine + "&voice=" + std::string(voices[0].as_string())));
    EXPECT_EQ(samples_of_pcm(slow.body).size(), 2 * spoken[0].size());
  }
}

TEST_F(NeuralVoices, MatchaSpeaksItsPhonemes) {
  // Matcha's input: ^ and $ around the phonemes, the pad between (add_blank), as for Piper.
  auto r = server->get(tts_target("Hello world.", "format=pcm&engine=matcha&voice=matcha-tones"));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto audio = samples_of_pcm(r.body);
  EXPECT_EQ(audio.size() % 1102, 0u);
  EXPECT_GT(audio.size(), 22050u) << "a second or more";
  auto slow = samples_of_pcm(server->get(tts_target("Hello world.", "format=pcm&speed=0.5&engine=matcha&voice=matcha-tones")).body);
  EXPECT_EQ(slow.size(), 2 * audio.size());
}

TEST_F(NeuralVoices, EveryRouteSpeaksAtTheVoicesRate) {
  const std::string text = "Every route speaks.";
  auto reference = pcm(tones, text);
  ASSERT_GT(reference.size(), 16000u / 2);
  // /tts as WAV
  auto wav = decode_wav(server->get(tts_target(text, "engine=piper&voice=" + tones)).body);
  EXPECT_EQ(wav.sample_rate, 16000);
  EXPECT_EQ(wav.samples, reference);
  // OpenAI
  auto openai = server->post("/v1/audio/speech", json::serialize(json::object{{"model", "piper"}, {"voice", tones}, {"input", text}, {"response_format", "pcm"}}));
  ASSERT_EQ(openai.status, 200u) << openai.body;
  EXPECT_EQ(openai.header("x-audio-sample-rate"), "24000") << "OpenAI's pcm is 24 kHz: resampled from the voice's 16 kHz";
  EXPECT_NEAR(static_cast<double>(samples_of_pcm(openai.body).size()) * 16000 / 24000, static_cast<double>(reference.size()), 16.0);
  // /ws (RealtimeTTS)
  {
    auto c = rtts::client::ws_client::connect(server->endpoint(), "/ws?engine=piper&voice=" + tones).value();
    ASSERT_TRUE(c->send_text(text));
    std::string audio;
    for (;;) {
      auto m = c->read();
      ASSERT_TRUE(m);
      auto v = json::parse(m->data).as_object();
      if (v.contains("finalOutput")) break;
      const auto& a = v.at("audioOutput").as_object();
      EXPECT_EQ(a.at("sampleRate"), 16000);
      if (!a.contains("isHeader")) audio += base64_decode(a.at("audio").as_string());
    }
    EXPECT_EQ(samples_of_pcm(audio), reference);
  }
  // speech-stream
  {
    auto c = rtts::client::ws_client::connect(server->endpoint(), "/v1/audio/speech-stream").value();
    ASSERT_TRUE(c->send_text(R"({"type":"config","engine":"piper","voice":")" + tones + R"(","binary":true,"format":"pcm","sample_rate":16000})"));
    ASSERT_TRUE(c->send_text(json::serialize(json::object{{"type", "text"}, {"text", text}})));
    ASSERT_TRUE(c->send_text(R"({"type":"end"})"));
    std::string audio;
    for (;;) {
      auto m = c->read();
      if (!m) break;
      if (m->binary) audio += m->data;
    }
    EXPECT_EQ(samples_of_pcm(audio), reference);
  }
  // Wyoming
  {
    wyoming_client c(wy_port);
    c.send("synthesize", {{"text", text}, {"voice", json::object{{"name", "piper:" + tones}}}});
    auto events = c.read_until("audio-stop");
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().data.at("rate"), 16000);
    EXPECT_EQ(samples_of_pcm(pcm_of(events)), reference);
  }
  // MaryTTS (the default engine's voices)
  {
    rtts::client::http_request request;
    request.target = "/process?INPUT_TYPE=TEXT&OUTPUT_TYPE=AUDIO&AUDIO=WAVE_FILE&VOICE=" + tones + "&INPUT_TEXT=" + rtts::client::url_encode(text);
    auto r = rtts::client::fetch({"127.0.0.1", mary_port}, request);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200u) << r->body;
    auto m = decode_wav(r->body);
    EXPECT_EQ(m.sample_rate, 16000);
    EXPECT_EQ(m.samples, reference);
  }
}

namespace {

// Every stream complete and byte for byte the same request made alone.
void concurrent_streams_match_alone(const rtts_server& server, const std::vector<std::string>& voices, int streams) {
  std::vector<std::string> targets, alone;
  for (int i = 0; i < streams; ++i) {
    const auto& voice = voices[static_cast<std::size_t>(i) % voices.size()];
    auto engine = voice.starts_with("kokoro") ? "kokoro" : "piper";
    targets.push_back(tts_target("Stream " + std::to_string(i) + " of many. It has two sentences.", std::string("format=pcm&engine=") + engine + "&voice=" + voice));
    alone.push_back(server.get(targets.back()).body);
  }
  std::vector<std::future<rtts::client::http_response>> answers;
  for (const auto& t : targets) answers.push_back(std::async(std::launch::async, [&server, t] { return server.get(t); }));
  for (std::size_t i = 0; i < answers.size(); ++i) {
    auto r = answers[i].get();
    EXPECT_EQ(r.status, 200u);
    EXPECT_GT(r.body.size(), 16000u);
    EXPECT_TRUE(r.body == alone[i]) << "stream " << i << " differs from the same request alone";
  }
}

} // namespace

TEST_F(NeuralVoices, ConcurrentStreamsMatchTheSameRequestAlone) {
  concurrent_streams_match_alone(*server, {tones, "en_US-heavy", "kokoro-tones/am_tone"}, 32);
}

TEST(NeuralNoise, AVoiceThatSamplesNoiseRepeatsWithinAWorker) {
  // VITS samples noise (Piper voices do): each job forks from the warm worker, so it starts from
  // the same random state. ONNX Runtime seeds that state from the clock when a process loads it,
  // so two workers differ: here one worker serves them all.
  rtts_server server(neural_args({}, "1", "piper"));
  concurrent_streams_match_alone(server, {alice, bob}, 12);
}

TEST_F(NeuralVoices, AWorkerKilledMidStreamCostsOneRequest) {
  rtts_server server(neural_args({}, "1", "piper"));
  auto workers = server.worker_pids();
  ASSERT_EQ(workers.size(), 1u);
  std::string text;
  for (int i = 0; i < 40; ++i) text += "Sentence " + std::to_string(i) + " of a long text for the heavy voice. ";
  std::atomic<bool> killed{false};
  auto r = server.get(tts_target(text, "engine=piper&format=pcm&voice=en_US-heavy"), [&](std::string_view) {
    if (!killed.exchange(true)) ::kill(workers[0], SIGKILL);
    return true;
  });
  EXPECT_TRUE(killed);
  // The answer ended early (or in error), and the replacement worker serves the next one.
  auto next = server.get(tts_target("After the crash.", "engine=piper&format=pcm&voice=" + tones));
  for (int i = 0; i < 100 && next.status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    next = server.get(tts_target("After the crash.", "engine=piper&format=pcm&voice=" + tones));
  }
  EXPECT_EQ(next.status, 200u) << next.body;
  EXPECT_GT(samples_of_pcm(next.body).size(), 8000u);
}

TEST_F(NeuralVoices, CancelStopsWithinOneFragment) {
  auto c = rtts::client::ws_client::connect(server->endpoint(), "/v1/audio/speech-stream").value();
  ASSERT_TRUE(c->send_text(R"({"type":"config","engine":"piper","voice":")" + tones + R"(","binary":true,"format":"pcm"})"));
  std::string text;
  for (int i = 0; i < 30; ++i) text += "Sentence number " + std::to_string(i) + " is here. ";
  ASSERT_TRUE(c->send_text(json::serialize(json::object{{"type", "text"}, {"text", text}})));
  ASSERT_TRUE(c->send_text(R"({"type":"flush"})"));
  auto first = c->read();
  ASSERT_TRUE(first);
  ASSERT_TRUE(c->send_text(R"({"type":"cancel"})"));
  std::size_t after = 0;
  bool cancelled = false;
  for (int i = 0; i < 100000 && !cancelled; ++i) {
    auto m = c->read();
    ASSERT_TRUE(m);
    if (m->binary) after += m->data.size();
    else cancelled = m->data.find("\"cancelled\"") != std::string::npos;
  }
  EXPECT_TRUE(cancelled);
  // One sentence of this voice is ~40 tokens x 800 samples x 2 bytes: what was in flight (two
  // workers' fragments and the stream's buffer) at most, never the 30 sentences.
  EXPECT_LT(after, 30u * 64000u / 4) << "audio after the cancel";
}

TEST(NeuralResidency, VoicesSettleOnTheirOwnWorkers) {
  // Half a MiB holds the heavy voice (0.6 MB, alone) or the small ones, not both: without voice
  // affinity, alternating requests would load and unload them again and again in one worker.
  rtts_server server(neural_args({"--neural-memory", "0.5"}, "2", "piper"));
  auto loads = [&] { return json::parse(server.get("/health").body).at("engines").at("piper").at("voice_loads").as_int64(); };
  // Each worker's default voice, once both have said what they hold (a worker reports it just
  // after its hello, so the first /health may not have both yet).
  std::int64_t at_start = loads();
  for (int i = 0; i < 100 && at_start < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    at_start = loads();
  }
  EXPECT_EQ(at_start, 2);
  for (int i = 0; i < 8; ++i)
    for (const auto& voice : {std::string("en_US-heavy"), tones}) {
      auto r = server.get(tts_target("Round " + std::to_string(i) + ".", "engine=piper&format=pcm&voice=" + voice));
      ASSERT_EQ(r.status, 200u) << r.body;
    }
  auto health = json::parse(server.get("/health").body);
  const auto& piper = health.at("engines").at("piper");
  EXPECT_EQ(piper.at("voice_loads").as_int64(), at_start + 2) << "each voice loaded once: " << json::serialize(piper);
  std::vector<std::string> holders;
  for (const auto& worker : piper.at("resident_voices").as_array()) {
    std::string held;
    for (const auto& v : worker.as_array()) held += std::string(v.as_string()) + " ";
    holders.push_back(held);
  }
  ASSERT_EQ(holders.size(), 2u);
  EXPECT_NE(holders[0].find("en_US-heavy") != std::string::npos, holders[1].find("en_US-heavy") != std::string::npos) << holders[0] << "| " << holders[1];
  EXPECT_NE(holders[0].find(tones) != std::string::npos, holders[1].find(tones) != std::string::npos) << holders[0] << "| " << holders[1];
}

TEST(NeuralLoading, LoadingAVoiceIsNotAHungFragment) {
  // A large model takes seconds to load (its throwaway check, then the worker's own load); the
  // fragment watchdog must not take that for a hung engine. The throwaway load is held stopped
  // for longer than the watchdog's limit to make the load slow.
  rtts_server server(neural_args({"--fragment-timeout-ms", "1000"}, "1", "piper"));
  auto workers = server.worker_pids();
  ASSERT_EQ(workers.size(), 1u);
  auto answer = std::async(std::launch::async, [&] { return server.get(tts_target("Hi.", "engine=piper&format=pcm&voice=en_US-heavy")); });
  pid_t frozen = 0;
  for (int i = 0; i < 5000 && frozen == 0; ++i) {
    frozen = freeze_a_job(workers[0], 1);
    if (frozen == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_NE(frozen, 0) << "the throwaway load was not seen";
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  ::kill(frozen, SIGCONT);
  auto r = answer.get();
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_GT(samples_of_pcm(r.body).size(), 1000u);
  EXPECT_EQ(server.worker_pids(), workers) << "the worker was not replaced";
}

TEST(NeuralLoading, ADefaultVoiceThatTurnsOutBrokenGivesWayToTheNext) {
  // The first English voice (the default) kills the process that loads it: found when the
  // worker prepares it at start, so the server starts with the next voice as the default.
  char pattern[] = "/tmp/rtts-neural-voices-XXXXXX";
  std::string dir = ::mkdtemp(pattern);
  fs::copy(test_voices() + "/broken/unknown-operator", dir + "/aa-first");
  fs::copy(test_voices() + "/voices/" + tones, dir + "/" + tones);
  {
    rtts_server server({"--workers", "1", "--engines", "piper", "--engine", "piper", "--voices-dir", dir});
    auto r = server.get(tts_target("Hello.", "format=pcm"));
    EXPECT_EQ(r.status, 200u) << r.body;
    auto detail = json::parse(server.get("/voices?detail=1").body);
    std::map<std::string, std::string> status;
    for (const auto& v : detail.as_array()) status[std::string(v.at("id").as_string())] = v.at("status").as_string();
    EXPECT_EQ(status["aa-first"], "broken");
    EXPECT_EQ(status[tones], "ok");
  }
  fs::remove_all(dir);
}

TEST(NeuralRuntime, MissingLibraryMeansNoNeuralEnginesAndAHealthyServer) {
  char pattern[] = "/tmp/rtts-neural-log-XXXXXX";
  int fd = ::mkstemp(pattern);
  ::close(fd);
  std::string log = pattern;
  {
    // Every engine (named ones must start: --engines piper would refuse to start without it).
    rtts_server server({"--workers", "1", "--voices-dir", test_voices() + "/voices", "--neural-runtime",
                        "/nonexistent/libsherpa-onnx-c-api.so"},
                       log);
    auto engines = json::parse(server.get("/engines").body).as_array();
    for (const char* family : {"piper", "kokoro"}) EXPECT_EQ(std::find(engines.begin(), engines.end(), json::value(family)), engines.end());
    EXPECT_NE(std::find(engines.begin(), engines.end(), json::value("espeak")), engines.end());
    EXPECT_EQ(server.get("/health").status, 200u);
    EXPECT_EQ(server.get(tts_target("Still speaking.")).status, 200u);
  }
  std::ifstream in(log);
  std::string all((std::istreambuf_iterator<char>(in)), {});
  fs::remove(log);
  EXPECT_NE(all.find("engine piper unavailable: the neural runtime"), std::string::npos) << all;
  EXPECT_EQ(all.find("rtts worker:"), std::string::npos) << "one line from the server, not one per worker: " << all;
}

TEST(NeuralRuntime, AnotherVersionIsRefused) {
  char pattern[] = "/tmp/rtts-neural-log-XXXXXX";
  ::close(::mkstemp(pattern));
  std::string log = pattern;
  {
    rtts_server server({"--workers", "1", "--voices-dir", test_voices() + "/voices", "--neural-runtime", RTTS_FAKE_SHERPA_ONNX}, log);
    auto engines = json::parse(server.get("/engines").body).as_array();
    EXPECT_EQ(std::find(engines.begin(), engines.end(), json::value("piper")), engines.end());
    EXPECT_EQ(server.get(tts_target("Still speaking.")).status, 200u);
  }
  std::ifstream in(log);
  std::string all((std::istreambuf_iterator<char>(in)), {});
  fs::remove(log);
  EXPECT_NE(all.find("is version 1.12.0; rtts is built against exactly 1.13.8"), std::string::npos) << all;
}

TEST(NeuralRuntime, NoVoicesMeansNoNeuralEngines) {
  rtts_server server({"--workers", "1", "--engines", "espeak,flite", "--voices-dir", "/nonexistent"});
  auto engines = json::parse(server.get("/engines").body).as_array();
  EXPECT_EQ(std::find(engines.begin(), engines.end(), json::value("piper")), engines.end());
  rtts_server all({"--workers", "1", "--voices-dir", "/nonexistent"});
  auto every = json::parse(all.get("/engines").body).as_array();
  for (const char* family : {"piper", "kokoro", "matcha", "kitten"}) EXPECT_EQ(std::find(every.begin(), every.end(), json::value(family)), every.end());
}

TEST_F(NeuralVoices, OpenAiVoiceNamesGoToTheNeuralEnglishVoices) {
  // Kokoro first, then Piper: what alloy speaks with is listed, and it is what alloy says.
  auto listed = json::parse(server->get("/v1/audio/voices").body).at("data").as_array();
  std::string alloy;
  for (const auto& v : listed)
    if (v.at("id") == "alloy") alloy = std::string(v.at("engine").as_string()) + ":" + std::string(v.at("voice").as_string());
  EXPECT_TRUE(alloy.starts_with("kokoro:kokoro-tones/")) << alloy;
  auto speak = [&](const std::string& voice) {
    auto r = server->post("/v1/audio/speech", json::serialize(json::object{{"voice", voice}, {"input", "Hello there."}, {"response_format", "pcm"}}));
    EXPECT_EQ(r.status, 200u) << r.body;
    return r.body;
  };
  EXPECT_EQ(speak("alloy"), speak(alloy));
}
