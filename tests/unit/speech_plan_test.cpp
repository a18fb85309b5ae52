// Planning an utterance: fragments, their maps back to the client's text, pauses and marks.
#include "synth/speech_plan.hpp"

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
  auto plan = plan_text("First one.\n\nThen   on 2026-11-29 we met.", true, {});
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
