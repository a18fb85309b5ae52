// IPA as clients write it: what is accepted, what is refused (named), and the one spelling
// rtts hands on.
#include "text/ipa.hpp"

#include <gtest/gtest.h>

using namespace rtts::text;

TEST(Ipa, AcceptsTheChartsSymbolsDiacriticsAndMarks) {
  for (const char* ok : {"təˈmɑːtoʊ", "ˈʃtʁaːsə", "ɑ̃ bʁœ̃", "t͡ʃ", "ˌɪntɚˈnæʃənəl", "βeˈθa", "n̩", "ᵻ", "kʰæt‿ɪz", "ka.sa"})
    EXPECT_FALSE(ipa_problem(ok)) << ok << ": " << ipa_problem(ok).value_or("");
}

TEST(Ipa, RefusesWhatIsNotIpaNamingTheCharacter) {
  auto problem = ipa_problem("ta<break/>");
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("'<'"), std::string::npos) << *problem;
  EXPECT_NE(problem->find("U+003C"), std::string::npos) << *problem;
  EXPECT_TRUE(ipa_problem("[[t@m'A:toU]]")) << "eSpeak's own notation is not IPA: no client opens its phoneme input";
  EXPECT_TRUE(ipa_problem("TOMATO")) << "capitals are not IPA letters";
  EXPECT_TRUE(ipa_problem("t3"));
  EXPECT_TRUE(ipa_problem("дом"));
  EXPECT_TRUE(ipa_problem("  "));
  EXPECT_TRUE(ipa_problem(""));
  EXPECT_TRUE(ipa_problem("\xff"));
}

TEST(Ipa, CanonicalSpellingOfTheAsciiStandIns) {
  EXPECT_EQ(canonical_ipa("t@'mA:"), "t@ˈmAː") << "only the stand-ins change";
  EXPECT_EQ(canonical_ipa("  ˈɡoʊ   ,ɡoʊ \n"), "ˈɡoʊ ˌɡoʊ");
  EXPECT_EQ(canonical_ipa("gɑː"), "ɡɑː");
}
