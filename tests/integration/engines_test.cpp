// Every engine the server lists, through the real server: each voice speaks at its own rate,
// concurrent requests get exactly their own audio, and every route can pick the engine.
#include "audio_check.hpp"
#include "client/ws_client.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cmath>

#include <future>
#include <thread>

using namespace rtts::testing;
namespace json = boost::json;

namespace {

class Engines : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server = new rtts_server(); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static rtts_server* server;
};
rtts_server* Engines::server = nullptr;

json::value body_json(const rtts::client::http_response& r) { return json::parse(r.body); }

} // namespace

TEST_F(Engines, FliteIsListedWithItsVoicesAndRates) {
  auto engines = body_json(server->get("/engines")).as_array();
  EXPECT_NE(std::find(engines.begin(), engines.end(), json::value("flite")), engines.end());
  auto voices = body_json(server->get("/voices?engine=flite&detail=1")).as_array();
  ASSERT_EQ(voices.size(), 5u);
  for (const auto& v : voices) {
    EXPECT_EQ(v.at("engine").as_string(), "flite");
    EXPECT_EQ(v.at("sample_rate").as_int64(), v.at("id") == "kal" ? 8000 : 16000) << v;
  }
  auto openai = body_json(server->get("/v1/audio/voices")).at("data").as_array();
  bool listed = false;
  for (const auto& v : openai) listed = listed || v.at("id") == "flite:slt";
  EXPECT_TRUE(listed) << "every engine's voices are offered as engine:voice";
}

TEST_F(Engines, DetailedListSaysWhatEachEngineIs) {
  auto engines = body_json(server->get("/engines?detail=1")).as_array();
  ASSERT_GE(engines.size(), 3u) << "eSpeak NG, Festival and Flite, plus any opt-in engine installed";
  for (const auto& e : engines) {
    if (e.at("name") != "espeak" && e.at("name") != "flite" && e.at("name") != "festival") continue; // opt_in_engines_test
    std::string name(e.at("name").as_string());
    SCOPED_TRACE(name);
    const auto& c = e.at("capabilities");
    for (const char* field : {"thread_safe", "repeatable_in_process", "may_exit_process", "streams_within_sentence", "ssml", "stream_process"})
      EXPECT_TRUE(c.at(field).is_bool()) << field;
    // A process per stream where the fork costs more than the synthesis (job_process_test.cpp).
    EXPECT_EQ(c.at("stream_process").as_bool(), name != "festival");
    EXPECT_EQ(c.at("word_timing").as_string(), "exact") << "measured below (ExactWordTimesMarkWhereWordsBegin)";
    if (name != "espeak") {
      EXPECT_EQ(json::serialize(e.at("languages")), R"(["en-us"])");
    }
    EXPECT_GT(e.at("voices").as_int64(), 1);
  }
  EXPECT_EQ(engines[0].at("name"), "espeak");
  EXPECT_GT(engines[0].at("languages").as_array().size(), 50u);
}

// "exact" word timing is measured, not restated: after each sentence's pause the next word's
// event must fall where its sound begins (quiet just before, speech just after).
TEST_F(Engines, ExactWordTimesMarkWhereWordsBegin) {
  auto engines = body_json(server->get("/engines?detail=1")).as_array();
  int measured = 0;
  for (const auto& e : engines) {
    if (e.at("capabilities").at("word_timing") != "exact") continue;
    std::string name(e.at("name").as_string());
    SCOPED_TRACE(name);
    auto r = server->get(tts_target("Alpha. Bravo. Charlie.", "engine=" + name + "&format=pcm&timestamps=word"));
    ASSERT_EQ(r.status, 200u) << r.body.substr(0, 200);
    auto answer = read_sse(r.body);
    auto samples = samples_of_pcm(answer.audio);
    const int rate = std::stoi(r.header("x-audio-sample-rate"));
    auto loudness = [&](double from_s, double to_s) {
      auto a = static_cast<std::size_t>(std::max(0.0, from_s) * rate), b = std::min(samples.size(), static_cast<std::size_t>(to_s * rate));
      double sum = 0;
      for (auto i = a; i < b; ++i) sum += static_cast<double>(samples[i]) * samples[i];
      return b > a ? std::sqrt(sum / static_cast<double>(b - a)) : 0.0;
    };
    auto words = answer.of_type("speech.word");
    ASSERT_EQ(words.size(), 3u);
    for (std::size_t i = 1; i < words.size(); ++i) {
      double start = words[i].at("start").to_number<double>();
      // The gap between the sentences lies at the word's start (eSpeak NG's is only ~20 ms):
      // some 10 ms just around it is near silence, and the word's first 150 ms are speech.
      double quietest = 1e9;
      for (double t = start - 0.04; t <= start + 0.01; t += 0.005) quietest = std::min(quietest, loudness(t, t + 0.01));
      double speech = loudness(start, start + 0.15);
      EXPECT_LT(quietest * 8, speech) << words[i].at("text").as_string() << " at " << start << " s: " << quietest << " in the gap, "
                                      << speech << " in the word";
    }
    ++measured;
  }
  EXPECT_GE(measured, 3) << "eSpeak NG, Flite and Festival claim exact timing";
}

TEST_F(Engines, EveryFliteVoiceSpeaksThroughTheServer) {
  for (const char* voice : {"slt", "rms", "awb", "kal16", "kal"}) {
    SCOPED_TRACE(voice);
    auto r = server->get(tts_target("Hello there. This is the Flite engine speaking.", std::string("engine=flite&voice=") + voice));
    ASSERT_EQ(r.status, 200u) << r.body;
    auto audio = decode_wav(r.body);
    EXPECT_EQ(audio.sample_rate, std::string(voice) == "kal" ? 8000 : 16000);
    EXPECT_GT(audio.seconds(), 1.5);
    EXPECT_LT(audio.seconds(), 6.0);
    EXPECT_GT(audio.rms(), 500.0);
  }
}

TEST_F(Engines, ConcurrentFliteRequestsGetExactlyTheirOwnAudio) {
  std::vector<std::string> targets;
  std::vector<std::string> alone;
  const char* voices[] = {"slt", "rms", "kal16", "awb"};
  for (int i = 0; i < 8; ++i) {
    targets.push_back(tts_target("Request " + std::to_string(i) + " wants its own words. Nothing else will do.",
                                 std::string("engine=flite&voice=") + voices[i % 4]));
    alone.push_back(server->get(targets.back()).body);
  }
  for (int round = 0; round < 2; ++round) {
    std::vector<std::future<std::string>> answers;
    for (const auto& t : targets) answers.push_back(std::async(std::launch::async, [&, t] { return server->get(t).body; }));
    for (std::size_t i = 0; i < answers.size(); ++i) EXPECT_EQ(answers[i].get(), alone[i]) << "request " << i << ", round " << round;
  }
}

TEST_F(Engines, OpenAiAndWebSocketRoutesPickTheEngine) {
  auto r = server->post("/v1/audio/speech", R"({"model":"flite","input":"Speaking through the OpenAI route.","voice":"flite:rms","response_format":"wav"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto audio = decode_wav(r.body);
  EXPECT_EQ(audio.sample_rate, 24000) << "OpenAI's rate, resampled from Flite's 16 kHz";
  EXPECT_GT(audio.rms(), 500.0);

  auto ws = rtts::client::ws_client::connect(server->endpoint(), "/ws?engine=flite&voice=kal");
  ASSERT_TRUE(ws);
  ASSERT_TRUE((*ws)->send_text("Hello over the WebSocket."));
  auto first = (*ws)->read();
  ASSERT_TRUE(first);
  EXPECT_EQ(json::parse(first->data).at("audioOutput").at("sampleRate").as_int64(), 8000);
}

TEST_F(Engines, UnknownFliteVoiceNamesTheEngine) {
  auto r = server->get(tts_target("x", "engine=flite&voice=en-us"));
  EXPECT_EQ(r.status, 404u);
  EXPECT_NE(r.body.find("flite"), std::string::npos) << r.body;
}

TEST_F(Engines, FestivalVoicesSpeakAtTheirRates) {
  auto voices = body_json(server->get("/voices?engine=festival&detail=1")).as_array();
  ASSERT_EQ(voices.size(), 2u) << "festvox-us-slt-hts and festvox-kallpc16k";
  for (const auto& [voice, rate] : {std::pair{"slt", 32000}, std::pair{"kal", 16000}}) {
    SCOPED_TRACE(voice);
    std::string params = std::string("engine=festival&voice=") + voice;
    auto r = server->get(tts_target("Hello there. This is the Festival engine speaking.", params));
    ASSERT_EQ(r.status, 200u) << r.body;
    auto audio = decode_wav(r.body);
    EXPECT_EQ(audio.sample_rate, rate);
    EXPECT_GT(audio.seconds(), 1.5);
    EXPECT_LT(audio.seconds(), 7.0);
    EXPECT_GT(audio.rms(), 500.0);
    auto fast = decode_wav(server->get(tts_target("Hello there. This is the Festival engine speaking.", params + "&speed=2")).body);
    EXPECT_LT(fast.seconds(), audio.seconds() * 0.7) << "speed reaches the engine";
  }
}

TEST_F(Engines, ConcurrentFestivalRequestsGetExactlyTheirOwnAudio) {
  std::vector<std::string> targets, alone;
  for (int i = 0; i < 6; ++i) {
    targets.push_back(tts_target("Festival request " + std::to_string(i) + " speaks.", i % 2 ? "engine=festival&voice=kal" : "engine=festival&voice=slt"));
    alone.push_back(server->get(targets.back()).body);
  }
  std::vector<std::future<std::string>> answers;
  for (const auto& t : targets) answers.push_back(std::async(std::launch::async, [&, t] { return server->get(t).body; }));
  for (std::size_t i = 0; i < answers.size(); ++i) EXPECT_TRUE(answers[i].get() == alone[i]) << "request " << i;
}

TEST_F(Engines, AFestivalCrashCostsOneRequest) {
  // Festival's diphone voice dereferences a null pointer on text made only of punctuation
  // (targets_to_f0): the job process dies, that request fails, the worker and server go on.
  auto before = server->get(tts_target("Still speaking after a crash.", "engine=festival&voice=kal")).body;
  auto crash = server->get(tts_target("((((( ))))) \"'\"", "engine=festival&voice=kal&normalize=0"));
  EXPECT_EQ(crash.status, 500u);
  EXPECT_EQ(body_json(crash).at("error").at("type").as_string(), "engine_error") << crash.body;
  auto after = server->get(tts_target("Still speaking after a crash.", "engine=festival&voice=kal"));
  ASSERT_EQ(after.status, 200u);
  EXPECT_TRUE(after.body == before) << "the same audio as before the crash";
}

TEST(EngineSelection, OnlyTheEnginesAskedForStart) {
  rtts_server only_flite({"--engines", "flite", "--engine", "flite", "--workers", "1"});
  EXPECT_EQ(only_flite.get("/engines").body, R"(["flite"])");
  EXPECT_EQ(only_flite.worker_pids().size(), 1u);
  auto r = only_flite.get(tts_target("Flite alone."));
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(decode_wav(r.body).sample_rate, 16000) << "the default engine's default voice, slt";
  EXPECT_EQ(only_flite.get(tts_target("x", "engine=espeak")).status, 404u);
  EXPECT_THROW(rtts_server({"--engines", "espeak,nope"}), std::runtime_error) << "an unknown engine stops start-up";
  EXPECT_THROW(rtts_server({"--engines", "flite"}), std::runtime_error) << "the default engine (espeak) must be started";
}

TEST(EngineCancellation, EveryEngineFreesItsWorkerWhenTheClientLeaves) {
  rtts_server server({"--workers", "1"});
  std::string text;
  for (int i = 0; i < 60; ++i) text += "This is sentence number " + std::to_string(i) + " of a story nobody will hear to its end. ";
  auto engines = json::parse(server.get("/engines").body);
  for (const auto& name_value : engines.as_array()) {
    std::string engine(name_value.as_string());
    SCOPED_TRACE(engine);
    std::size_t received = 0;
    auto r = server.get(tts_target(text, "engine=" + engine), [&](std::string_view piece) {
      received += piece.size();
      return received < 20'000; // hang up mid-utterance
    });
    EXPECT_EQ(r.status, 200u);
    EXPECT_FALSE(r.complete);
    // The job process is killed and the single worker is free again (polled, no timing bound).
    json::value health;
    for (int i = 0; i < 200; ++i) {
      health = json::parse(server.get("/health").body);
      if (health.at("engines").at(engine).at("busy_workers").as_int64() == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(health.at("engines").at(engine).at("busy_workers").as_int64(), 0);
    EXPECT_EQ(health.at("engines").at(engine).at("waiting_streams").as_int64(), 0);
    auto next = server.get(tts_target("The worker is free again.", "engine=" + engine));
    EXPECT_EQ(next.status, 200u);
    EXPECT_TRUE(next.complete);
  }
}
