// Planning an utterance: fragments, their maps back to the client's text, pauses and marks.
#include "synth/speech_plan.hpp"
#include "synth/ssml_plan.hpp"

#include <gtest/gtest.h>

using namespace rtts::synth;

namespace {
std::string origin_of(const speech_plan& p, const speech_fragment& f, std::string_view word) {
  auto at = f.text.find(word);
  EXPECT_NE(at, std::string::npos) << word;
  auto [b, e] = f.map.origin(at, at + word.size());
  return p.source->substr(b, e - b);
}
} // namespace

TEST(SpeechPlan, PlainTextFragmentsMapToTheOriginal) {
  auto plan = plan_text("First one.\n\nThen   on 2026-11-29 we met.", true, {}, "en-us");
  ASSERT_EQ(plan.fragments.size(), 2u);
  EXPECT_EQ(plan.fragments[1].text, "Then on November twenty-ninth, twenty twenty-six we met.");
  EXPECT_EQ(origin_of(plan, plan.fragments[1], "November"), "2026-11-29");
  EXPECT_EQ(origin_of(plan, plan.fragments[1], "met"), "met");
  auto [b, e] = plan.fragments[1].map.origin(0, plan.fragments[1].text.size());
  EXPECT_EQ(plan.source->substr(b, e - b), "Then   on 2026-11-29 we met.");
}

TEST(SpeechPlan, RunsKeepTheirSettingsPausesAndMarks) {
  auto source = std::make_shared<const std::string>("<speak>Hello <mark name='m'/>there.<break/>Again.</speak>");
  std::vector<text_run> runs(2);
  runs[0].text = "Hello there.";
  runs[0].map = rtts::text::source_map::identity(12, 7); // simplified: as if contiguous
  runs[0].settings.gain = 2.0;
  runs[0].settings.marks.push_back({"m", 6, 13, false});
  runs[1].text = "Again.";
  runs[1].map = rtts::text::source_map::identity(6, 47);
  runs[1].settings.pause_before_s = 0.5;
  runs[1].settings.voice = "en-gb";
  auto plan = plan_runs(std::move(runs), source, true, {});
  ASSERT_EQ(plan.fragments.size(), 2u);
  EXPECT_EQ(plan.fragments[0].gain, 2.0);
  ASSERT_EQ(plan.fragments[0].marks.size(), 1u);
  EXPECT_EQ(plan.fragments[0].marks[0].at, 6u) << "before 'there'";
  EXPECT_EQ(plan.fragments[1].pause_before_s, 0.5);
  EXPECT_EQ(plan.fragments[1].voice, "en-gb");
}

TEST(SpeechPlan, PausesAndMarksWithNothingToSayAreKept) {
  auto source = std::make_shared<const std::string>("x");
  std::vector<text_run> runs(1);
  runs[0].settings.pause_before_s = 1.0;
  runs[0].settings.marks.push_back({"end", 0, 0, false});
  auto plan = plan_runs(std::move(runs), source, true, {});
  EXPECT_TRUE(plan.fragments.empty());
  EXPECT_EQ(plan.pause_after_s, 1.0);
  ASSERT_EQ(plan.trailing_marks.size(), 1u);
}

// Normalization follows the language a fragment is read in: English rules for English, and no
// rewriting for a language rtts has no rules for, never English words in a German sentence.
TEST(SpeechPlan, EachLanguageIsReadWithItsOwnRulesOrAsWritten) {
  const std::string german = "Am 2026-11-29 zahlt Dr. Müller 5,99 € und 1.234 Euro.";
  for (const char* language : {"sv", "fi", "cmn", "ja"}) {
    auto plan = plan_text(german, true, {}, language);
    ASSERT_EQ(plan.fragments.size(), 1u) << language;
    EXPECT_EQ(plan.fragments[0].text, german) << language;
    EXPECT_EQ(plan.fragments[0].language, language);
  }
  EXPECT_EQ(plan_text(german, true, {}, "de-de").fragments[0].text,
            "Am neunundzwanzigsten November zweitausendsechsundzwanzig zahlt Dr. Müller fünf Euro neunundneunzig und eintausendzweihundertvierunddreißig Euro.");
  for (const char* language : {"en-us", "en", "en_GB", "EN-gb-scotland", ""}) {
    auto plan = plan_text("On 2026-11-29 we met.", true, {}, language);
    ASSERT_EQ(plan.fragments.size(), 1u) << language;
    EXPECT_EQ(plan.fragments[0].text, "On November twenty-ninth, twenty twenty-six we met.") << language;
  }
  // "eng" or "enx" are not English: only the primary subtag "en" is.
  EXPECT_EQ(plan_text("On 2026-11-29 we met.", true, {}, "enx").fragments[0].text, "On 2026-11-29 we met.");
}

TEST(SpeechPlan, SsmlLanguagePicksTheRulesOfEachRun) {
  rtts::worker::worker_hello info;
  info.engine = "espeak";
  info.sample_rate = 22050;
  info.default_voice = "en-us";
  info.voices = {{"en-us", "English (America)", "en-us", "", 0, {}, {}}, {"de", "German", "de", "", 0, {}, {}}};
  rtts::voice_options voice;
  voice.engine = "espeak";
  voice.voice = "en-us";
  auto plan = plan_ssml("<speak>On 2026-11-29 we met. <lang xml:lang='sv'>Den 2026-11-29 betalar han.</lang></speak>", voice, info, {},
                        rtts::ssml::limits{4096});
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->fragments.size(), 2u);
  EXPECT_EQ(plan->fragments[0].text, "On November twenty-ninth, twenty twenty-six we met.");
  EXPECT_EQ(plan->fragments[1].text, "Den 2026-11-29 betalar han.");
  EXPECT_EQ(plan->fragments[1].language, "sv");
  // A German voice: the voice's language decides where no xml:lang says.
  voice.voice = "de";
  auto spoken = plan_ssml("<speak>Am 2026-11-29.</speak>", voice, info, {}, rtts::ssml::limits{4096});
  ASSERT_TRUE(spoken);
  EXPECT_EQ(spoken->fragments[0].text, "Am neunundzwanzigsten November zweitausendsechsundzwanzig.");
}
