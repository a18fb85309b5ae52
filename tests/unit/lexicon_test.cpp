// PLS lexicons: what is read from a file, what is refused, and how aliases respell whole words
// of their language only, each rewrite mapping back to the word as written.
#include "ssml/pronunciation_lexicon.hpp"

#include <gtest/gtest.h>

using namespace rtts;

namespace {

const char* pls = R"(<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en-US">
  <lexeme><grapheme>W3C</grapheme><alias>World Wide Web Consortium</alias></lexeme>
  <lexeme><grapheme>rtts</grapheme><grapheme>RTTS</grapheme><alias>real time text to speech</alias></lexeme>
  <lexeme><grapheme>tomato</grapheme><phoneme>təmɑːtəʊ</phoneme></lexeme>
</lexicon>)";

} // namespace

TEST(Lexicon, ReadsAliasesGraphemesAndLanguage) {
  auto l = ssml::parse_lexicon(pls, "names");
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->name, "names");
  EXPECT_EQ(l->language, "en-US");
  EXPECT_EQ(l->alias.size(), 3u);
  EXPECT_EQ(l->alias.at("RTTS"), "real time text to speech");
  EXPECT_EQ(l->phoneme.at("tomato"), "təmɑːtəʊ");
  EXPECT_EQ(l->unapplied, 0u);
}

TEST(Lexicon, PhonemesInIpaAreCheckedAndOtherAlphabetsCounted) {
  auto l = ssml::parse_lexicon(R"(<lexicon xml:lang="en" alphabet="ipa">
  <lexeme><grapheme>GIF</grapheme><phoneme>'dʒɪf</phoneme></lexeme>
  <lexeme><grapheme>both</grapheme><alias>bowth</alias><phoneme>boʊθ</phoneme></lexeme>
  <lexeme><grapheme>xs</grapheme><phoneme alphabet="x-sampa">E k s</phoneme></lexeme>
</lexicon>)", "x");
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->phoneme.at("GIF"), "ˈdʒɪf") << "the ASCII stress stand-in in its IPA form";
  EXPECT_FALSE(l->phoneme.contains("both")) << "an alias respells the word for every engine";
  EXPECT_EQ(l->unapplied, 1u) << "X-SAMPA is counted, not read as IPA";
  auto bad = ssml::parse_lexicon("<lexicon xml:lang='en' alphabet='ipa'>\n<lexeme><grapheme>a</grapheme>\n<phoneme>t@m</phoneme></lexeme></lexicon>", "bad");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("'@'"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("line 3"), std::string::npos) << bad.error().message;
}

TEST(Lexicon, PhonemeEntriesMarkTheirWordsAsWritten) {
  auto l = ssml::parse_lexicon(pls, "names");
  ASSERT_TRUE(l);
  ssml::lexicon_set set{*l};
  const std::string text = "A tomato, W3C and (tomato).";
  std::vector<phoneme_span> phonemes;
  auto n = ssml::apply_lexicons(text, "en", set, &phonemes);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->text, "A tomato, World Wide Web Consortium and (tomato).") << "the word stays as written";
  ASSERT_EQ(phonemes.size(), 2u);
  EXPECT_EQ(text.substr(phonemes[0].begin, phonemes[0].end - phonemes[0].begin), "tomato");
  EXPECT_EQ(phonemes[1].begin, text.find("tomato)")) << "bytes of the input, punctuation outside";
  EXPECT_EQ(phonemes[1].ipa, "təmɑːtəʊ");
}

TEST(Lexicon, RefusesWhatIsNotAPlsLexicon) {
  auto refused = [](std::string_view doc) {
    auto l = ssml::parse_lexicon(doc, "x");
    EXPECT_FALSE(l) << doc;
    return l ? std::string() : l.error().message;
  };
  EXPECT_NE(refused("<lexicon").find("line 1"), std::string::npos);
  EXPECT_NE(refused("<speak xml:lang='en'/>").find("<lexicon>"), std::string::npos);
  EXPECT_NE(refused("<lexicon/>").find("xml:lang"), std::string::npos);
  EXPECT_NE(refused("<!DOCTYPE lexicon [<!ENTITY a 'aaaa'>]><lexicon xml:lang='en'/>").find("DOCTYPE"), std::string::npos);
  EXPECT_NE(refused("<lexicon xml:lang='en'><lexeme><grapheme> </grapheme><alias>x</alias></lexeme></lexicon>").find("empty"), std::string::npos);
  EXPECT_NE(refused("<lexicon xml:lang='en'><lexeme><alias>x</alias></lexeme></lexicon>").find("without <grapheme>"), std::string::npos);
  EXPECT_NE(refused(std::string(5u << 20, ' ')).find("4 MiB"), std::string::npos);
}

TEST(Lexicon, AliasesRespellWholeWordsOfTheirLanguage) {
  auto l = ssml::parse_lexicon(pls, "names");
  ASSERT_TRUE(l);
  ssml::lexicon_set set{*l};
  const std::string text = "The W3C likes (RTTS), not W3Cx or rtts-like. W3C.";
  auto n = ssml::apply_lexicons(text, "en-gb", set);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->text, "The World Wide Web Consortium likes (real time text to speech), not W3Cx or rtts-like. World Wide Web Consortium.");
  std::vector<std::string> written;
  for (const auto& s : n->spans)
    if (s.rewritten) written.push_back(text.substr(s.in_begin, s.in_end - s.in_begin));
  EXPECT_EQ(written, (std::vector<std::string>{"W3C", "RTTS", "W3C"}));
  EXPECT_FALSE(ssml::apply_lexicons(text, "de", set)) << "an English lexicon is not applied to German";
  EXPECT_TRUE(ssml::apply_lexicons(text, "", set)) << "a voice without a language is read as English";
}
