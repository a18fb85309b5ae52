// What each in-process engine says of itself (engine_capabilities, shown in /engines?detail=1)
// is measured here, not restated: repeatable in one process, audio within a sentence, several
// syntheses at once. Festival runs only in its own program (its claims are measured through the
// server in tests/integration/engines_test.cpp, like every engine's word timing).
#include "engine_test_support.hpp"
#include "engines/registry.hpp"

#include <gtest/gtest.h>

#include <future>

using namespace rtts;
using namespace rtts::engines;

namespace {

class Capabilities : public ::testing::TestWithParam<const char*> {
protected:
  void SetUp() override {
    auto shared = rtts::testing::shared_engine(GetParam());
    // Pico and RHVoice come from Debian non-free; CI installs them (scripts/install-deps --non-free).
    if (!shared) GTEST_SKIP() << GetParam() << " is not installed here: " << shared.error().message;
    engine_ = *shared;
  }
  std::vector<std::int16_t> say(std::string_view text, const std::string& voice = {}) {
    return rtts::testing::synthesize_all(*engine_, text, {voice.empty() ? engine_->default_voice() : voice, 1.0, 1.0, {}});
  }
  engine* engine_ = nullptr;
};

} // namespace

// One test per engine, all its claims in turn: eSpeak NG stops working in a process where
// RHVoice or Pico ran (in rtts each engine has processes of its own), so engines go one by one.
TEST_P(Capabilities, MeasuredAsClaimed) {
  const auto claims = engine_->capabilities();
  {
    SCOPED_TRACE("repeatable_in_process");
    auto first = say("The same sentence, said twice in one process.");
    say("Something else in between, to move any state along.");
    auto second = say("The same sentence, said twice in one process.");
    ASSERT_FALSE(first.empty());
    EXPECT_EQ(first == second, claims.repeatable_in_process);
  }
  {
    SCOPED_TRACE("streams_within_sentence");
    std::size_t calls = 0;
    auto ok = engine_->synthesize("this one sentence has no punctuation at all and goes on for quite a number of words so that an "
                                  "engine which streams would hand its audio over in several pieces before it ends",
                                  {engine_->default_voice(), 1.0, 1.0, {}}, [&](std::span<const std::int16_t>) { return ++calls, true; });
    ASSERT_TRUE(ok);
    EXPECT_EQ(calls > 1, claims.streams_within_sentence) << calls << " pieces";
  }
  if (claims.thread_safe) { // not claimed: trying it could crash the test
    SCOPED_TRACE("thread_safe");
    // A voice without randomness, so that every thread's audio must equal the one made alone.
    std::string voice = std::string(GetParam()) == "flite" ? "kal16" : engine_->default_voice();
    const std::string text = "Four threads say this at the same time.";
    auto alone = say(text, voice);
    std::vector<std::future<bool>> threads;
    for (int t = 0; t < 4; ++t)
      threads.push_back(std::async(std::launch::async, [&] {
        bool same = true;
        for (int i = 0; i < 5; ++i) same = same && say(text, voice) == alone;
        return same;
      }));
    for (auto& t : threads) EXPECT_TRUE(t.get());
  }
}

INSTANTIATE_TEST_SUITE_P(InProcessEngines, Capabilities, ::testing::Values("espeak", "flite", "pico", "rhvoice"));
