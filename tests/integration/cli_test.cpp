// The command-line clients (`rtts say`, `rtts ws`, `rtts voices`, `rtts engines`) run as a user
// would, against the real server; their files are read back as audio.
#include "audio/wav.hpp"
#include "audio_check.hpp"
#include "run_rtts.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>

using namespace rtts::testing;

namespace {

run_result run(const std::string& args, const std::string& stdin_text = "") { return run_rtts(args, stdin_text); }

std::string slurp_and_remove(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string s{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::remove(path.c_str());
  return s;
}

class Cli : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server = new rtts_server(); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static std::string url() { return "--url http://" + server->endpoint().host + ":" + std::to_string(server->endpoint().port); }
  static std::string file(const char* ext) { return "/tmp/rtts-cli-out-" + std::to_string(::getpid()) + ext; }
  static rtts_server* server;
};
rtts_server* Cli::server = nullptr;

} // namespace

TEST_F(Cli, SayWritesAWavWithExactSizes) {
  auto path = file(".wav");
  auto r = run("say 'Hello from the command line.' " + url() + " -o " + path);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("first audio after"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("real time"), std::string::npos);
  auto wav = slurp_and_remove(path);
  auto header = rtts::audio::parse_wav_header(wav);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->data_size, wav.size() - 44) << "exact data size, not a streaming header";
  auto audio = decode_wav(wav);
  EXPECT_EQ(audio.sample_rate, 22050);
  EXPECT_GT(audio.seconds(), 1.0);
  EXPECT_GT(audio.rms(), 500.0);
  EXPECT_EQ(wav.substr(44), server->get(tts_target("Hello from the command line.")).body.substr(44));
}

TEST_F(Cli, SayWordsPrintsEachWordWithItsTimes) {
  for (const char* route : {"", " --openai --voice espeak:en-us --sample-rate 22050"}) {
    SCOPED_TRACE(route);
    auto path = file(".words.wav");
    auto r = run(std::string("say 'Hello there, on 2026-11-29.' ") + url() + route + " --words -o " + path);
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream lines(r.out);
    std::vector<std::string> words;
    double previous = -1;
    for (std::string line; std::getline(lines, line);) {
      double start = 0, end = 0;
      char word[64] = {};
      ASSERT_EQ(std::sscanf(line.c_str(), "%lf\t%lf\t%63[^\n]", &start, &end, word), 3) << line;
      EXPECT_GT(start, previous);
      EXPECT_LT(start, end);
      previous = start;
      words.emplace_back(word);
    }
    EXPECT_EQ(words, (std::vector<std::string>{"Hello", "there", "on", "2026-11-29"}));
    // The audio is the same as without timestamps.
    EXPECT_TRUE(slurp_and_remove(path).substr(44) == server->get(tts_target("Hello there, on 2026-11-29.")).body.substr(44));
  }
}

TEST_F(Cli, SayReadsStdinAndHonoursOptions) {
  auto normal = file(".a.wav"), fast = file(".b.wav");
  ASSERT_EQ(run("say " + url() + " -o " + normal, "Text from standard input, read to the end.").status, 0);
  auto r = run("say " + url() + " --voice en-gb --speed 2 --sample-rate 16000 -o " + fast, "Text from standard input, read to the end.");
  ASSERT_EQ(r.status, 0) << r.err;
  auto a = decode_wav(slurp_and_remove(normal)), b = decode_wav(slurp_and_remove(fast));
  EXPECT_EQ(b.sample_rate, 16000);
  EXPECT_LT(b.seconds(), a.seconds() * 0.7);
}

TEST_F(Cli, SayEncodedFormatsAndTheOpenAiRoute) {
  auto mp3 = file(".mp3");
  ASSERT_EQ(run("say 'An mp3 from the command line.' " + url() + " --format mp3 -o " + mp3).status, 0);
  auto decoded = ffmpeg_decode(slurp_and_remove(mp3), {}, 22050);
  EXPECT_TRUE(decoded.ok && decoded.errors.empty()) << decoded.errors;
  EXPECT_GT(decoded.audio.seconds(), 1.0);
  auto wav = file(".openai.wav");
  auto r = run("say 'Through the OpenAI route.' " + url() + " --openai --voice alloy -o " + wav);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(decode_wav(slurp_and_remove(wav)).sample_rate, 24000);
}

TEST_F(Cli, ClearErrors) {
  auto r = run("say hello " + url() + " --voice klingon -o " + file(".x.wav"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("404"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("klingon"), std::string::npos) << r.err;
  r = run("say hello --url http://127.0.0.1:1 -o " + file(".x.wav"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("Connection refused"), std::string::npos) << r.err;
  r = run("say hello --url htp:/nowhere -o " + file(".x.wav"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("bad URL"), std::string::npos) << r.err;
  r = run("ws hello " + url() + " --voice klingon -o " + file(".x.wav"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("404"), std::string::npos) << r.err;
  std::remove(file(".x.wav").c_str());
}

// Whether this machine has a sound card, read from the kernel (not from the program under test).
bool has_sound_card() {
  std::ifstream cards("/proc/asound/cards");
  std::string first;
  return cards && std::getline(cards, first) && first.find("no soundcards") == std::string::npos && !first.empty();
}

TEST_F(Cli, PlayWithoutASoundCardSaysSo) {
  // What --play must do depends on a fact the kernel tells: with a sound card it plays and
  // succeeds; without one (CI) it says so plainly and fails, never crashes or pretends.
  auto r = run("say 'Can you hear me?' " + url() + " --play");
  if (has_sound_card()) {
    EXPECT_EQ(r.status, 0) << r.err;
  } else {
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("cannot play"), std::string::npos) << r.err;
  }
  EXPECT_EQ(r.err.find("ALSA lib"), std::string::npos) << "the sound system's probing noise is hidden";
}

TEST_F(Cli, WsSavesAllUtterancesIntoOneWav) {
  auto path = file(".ws.wav");
  auto r = run("ws 'The first message.' 'And the second one.' " + url() + " -o " + path);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("utterance 1: first audio after"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("utterance 2: first audio after"), std::string::npos) << r.err;
  auto wav = slurp_and_remove(path);
  std::string expected = server->get(tts_target("The first message.")).body.substr(44) + server->get(tts_target("And the second one.")).body.substr(44);
  EXPECT_TRUE(wav.substr(44) == expected) << "both utterances, in order, exactly";
  EXPECT_EQ(rtts::audio::parse_wav_header(wav)->data_size, wav.size() - 44);
}

TEST_F(Cli, WsStreamSendsWordsAndSavesTheAudio) {
  auto path = file(".stream.wav");
  auto r = run("ws --stream 'Streamed word by word. Like a language model would.' " + url() + " -o " + path);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("server: first audio"), std::string::npos) << r.err;
  auto audio = decode_wav(slurp_and_remove(path));
  EXPECT_EQ(audio.sample_rate, 24000);
  EXPECT_GT(audio.seconds(), 2.0);
  EXPECT_GT(audio.rms(), 500.0);
}

TEST_F(Cli, VoicesAndEngines) {
  auto r = run("voices " + url());
  ASSERT_EQ(r.status, 0);
  EXPECT_EQ(r.out.substr(0, 2), "ID");
  EXPECT_NE(r.out.find("en-us"), std::string::npos);
  r = run("voices --json " + url());
  EXPECT_GT(boost::json::parse(r.out).as_array().size(), 50u);
  r = run("engines " + url());
  std::string listed;
  auto engines = boost::json::parse(server->get("/engines").body); // a named value: the loop must not outlive it
  for (const auto& name : engines.as_array()) listed += std::string(name.as_string()) + "\n";
  EXPECT_EQ(r.out, listed);
  EXPECT_EQ(boost::json::parse(run("engines --json " + url()).out).as_array().at(0).as_string(), "espeak");
}
