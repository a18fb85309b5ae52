// The eSpeak NG engine in-process (one thread: eSpeak is not thread-safe).
#include "engine_test_support.hpp"
#include "pitch.hpp"
#include "engines/registry.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

using namespace rtts;
using namespace rtts::engines;
using rtts::testing::rms;
using rtts::testing::median_f0;

namespace {

engine& espeak() {
  return *rtts::testing::shared_engine("espeak").value();
}

std::vector<std::int16_t> say(std::string_view text, synthesis_params p) { return rtts::testing::synthesize_all(espeak(), text, p); }

} // namespace

TEST(EspeakEngine, CatalogueHasEnglishDefaultAndUniqueIds) {
  EXPECT_EQ(espeak().sample_rate(), 22050);
  EXPECT_EQ(espeak().default_voice(), "en-us");
  auto voices = espeak().voices();
  EXPECT_GT(voices.size(), 50u);
  std::set<std::string> ids;
  for (const auto& v : voices) EXPECT_TRUE(ids.insert(v.id).second) << v.id;
  EXPECT_TRUE(ids.contains("en-us"));
  EXPECT_TRUE(ids.contains("de"));
}

TEST(EspeakEngine, SpeaksRealAudio) {
  auto pcm = say("Hello world, this is a test.", {"en-us", 1.0, 1.0, {}});
  double seconds = pcm.size() / 22050.0;
  EXPECT_GT(seconds, 1.0);
  EXPECT_LT(seconds, 4.0);
  EXPECT_GT(rms(pcm), 500.0);
}

TEST(EspeakEngine, HonoursSpeed) {
  auto normal = say("The quick brown fox jumps over the lazy dog.", {"en-us", 1.0, 1.0, {}}).size();
  auto fast = say("The quick brown fox jumps over the lazy dog.", {"en-us", 2.0, 1.0, {}}).size();
  auto fastest = say("The quick brown fox jumps over the lazy dog.", {"en-us", 4.0, 1.0, {}}).size();
  EXPECT_LT(fast, normal * 0.65);
  EXPECT_LT(fastest, fast * 0.75);
}

TEST(EspeakEngine, HonoursPitch) {
  const char* text = "The pitch of this sentence goes where it is told.";
  double low = median_f0(say(text, {"en-us", 1.0, 0.5, {}}), 22050);
  double normal = median_f0(say(text, {"en-us", 1.0, 1.0, {}}), 22050);
  double high = median_f0(say(text, {"en-us", 1.0, 2.0, {}}), 22050);
  EXPECT_GT(low, 0);
  EXPECT_LT(low * 1.15, normal) << low << " Hz, " << normal << " Hz, " << high << " Hz";
  EXPECT_LT(normal * 1.15, high) << low << " Hz, " << normal << " Hz, " << high << " Hz";
}

TEST(EspeakEngine, SinkCanStopAtOnce) {
  int calls = 0;
  auto ok = espeak().synthesize("This is a long sentence that would produce many chunks of audio if nobody stopped it.",
                                {"en-us", 1.0, 1.0, {}}, [&](std::span<const std::int16_t>) { return ++calls < 2; });
  EXPECT_TRUE(ok);
  EXPECT_EQ(calls, 2);
}

TEST(EspeakEngine, UnknownVoiceIsNotFound) {
  auto r = espeak().synthesize("x", {"klingon", 1.0, 1.0, {}}, [](auto) { return true; });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, error_kind::not_found);
}

TEST(EspeakEngine, MarkupIsSpokenNotObeyed) {
  // Client text never reaches eSpeak in SSML mode: an <audio> tag must not run anything, and its
  // words are read out like any other (in SSML mode only "hi" would be heard).
  auto markup = say("<speak><audio src=\"/etc/passwd\"/>hi</speak>", {"en-us", 1.0, 1.0, {}});
  auto hi = say("hi", {"en-us", 1.0, 1.0, {}});
  auto words = say("speak audio source etc password hi speak", {"en-us", 1.0, 1.0, {}});
  EXPECT_GT(markup.size(), hi.size() * 4) << "the markup's words were spoken";
  EXPECT_GT(static_cast<double>(markup.size()), words.size() * 0.6);
}

TEST(EspeakEngine, SaysPhonemesAndTimesThemAsTheWordWritten) {
  std::vector<std::string> words;
  auto run = [&](const std::string& text, const std::vector<phoneme_span>& phonemes) {
    words.clear();
    std::vector<std::int16_t> pcm;
    auto ok = espeak().synthesize(
        text, {"en-us", 1.0, 1.0, phonemes},
        [&](std::span<const std::int16_t> s) {
          pcm.insert(pcm.end(), s.begin(), s.end());
          return true;
        },
        [&](std::size_t begin, std::size_t length) { words.push_back(text.substr(begin, length)); });
    EXPECT_TRUE(ok);
    return pcm.size() / 22050.0;
  };
  // "tomato" said as eSpeak's own transcription of "hello": as long as "hello", not "tomato".
  double as_hello = run("Say tomato now.", {{4, 10, "həlˈoʊ"}});
  EXPECT_EQ(words, (std::vector<std::string>{"Say", "tomato", "now"}));
  double hello = run("Say hello now.", {});
  double tomato = run("Say tomato now.", {});
  EXPECT_NEAR(as_hello, hello, 0.03 * hello);
  EXPECT_GT(std::abs(as_hello - tomato), 0.05 * tomato);
  // A transcription with a sound the voice lacks: the word is read as written.
  double unknown = run("Say tomato now.", {{4, 10, "ʘʘʘ"}});
  EXPECT_NEAR(unknown, tomato, 0.03 * tomato);

}
