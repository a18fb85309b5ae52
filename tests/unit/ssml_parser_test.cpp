// The SSML subset: what each element turns into, where its text came from, and every malformed
// or hostile document refused with a 400 that says where.
#include "ssml/say_as.hpp"
#include "ssml/ssml_parser.hpp"

#include <gtest/gtest.h>

using namespace rtts;

namespace {

std::vector<ssml::run> parse_ok(std::string_view doc) {
  auto runs = ssml::parse(doc);
  EXPECT_TRUE(runs) << (runs ? "" : runs.error().message);
  return runs ? *runs : std::vector<ssml::run>{};
}

std::string refusal(std::string_view doc, const ssml::limits& limits = {}) {
  auto runs = ssml::parse(doc, limits);
  EXPECT_FALSE(runs) << doc;
  if (runs) return {};
  EXPECT_TRUE(runs.error().kind == error_kind::invalid_request || runs.error().kind == error_kind::payload_too_large);
  return runs.error().message;
}

std::string source_of(std::string_view doc, const ssml::run& r, std::string_view word) {
  auto at = r.text.find(word);
  EXPECT_NE(at, std::string::npos) << word;
  auto [b, e] = r.map.origin(at, at + word.size());
  return std::string(doc.substr(b, e - b));
}

} // namespace

TEST(Ssml, PlainTextMapsIntoTheDocument) {
  std::string doc = "<speak>Tom &amp; Jerry.</speak>";
  auto runs = parse_ok(doc);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].text, "Tom & Jerry.");
  EXPECT_EQ(source_of(doc, runs[0], "Jerry"), "Jerry");
  EXPECT_EQ(source_of(doc, runs[0], "&"), "&amp;");
}

TEST(Ssml, BreaksBecomePausesBeforeTheNextRun) {
  auto runs = parse_ok(R"(<speak>One.<break time="750ms"/>Two.<break strength="x-strong"/>Three.<break/>Four.<break time="2s"/></speak>)");
  ASSERT_EQ(runs.size(), 5u);
  EXPECT_EQ(runs[1].text, "Two.");
  EXPECT_DOUBLE_EQ(runs[1].pause_before_s, 0.75);
  EXPECT_DOUBLE_EQ(runs[2].pause_before_s, 1.2);
  EXPECT_DOUBLE_EQ(runs[3].pause_before_s, 0.4);
  EXPECT_TRUE(runs[4].text.empty());
  EXPECT_DOUBLE_EQ(runs[4].pause_before_s, 2.0);
}

TEST(Ssml, ProsodyAndEmphasisMultiplyDownTheTree) {
  auto runs = parse_ok(R"(<speak><prosody rate="50%" volume="+6dB"><prosody rate="x-fast" pitch="+12st">Inner.</prosody>Outer.</prosody><emphasis level="strong">Yes.</emphasis></speak>)");
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_DOUBLE_EQ(runs[0].rate, 0.5 * 1.75);
  EXPECT_NEAR(runs[0].pitch, 2.0, 1e-9);
  EXPECT_NEAR(runs[0].volume, 1.995, 0.001);
  EXPECT_DOUBLE_EQ(runs[1].rate, 0.5);
  EXPECT_DOUBLE_EQ(runs[1].pitch, 1.0);
  EXPECT_LT(runs[2].rate, 1.0);
  EXPECT_GT(runs[2].volume, 1.0);
}

TEST(Ssml, VoiceLangAndStructureStartNewRuns) {
  auto runs = parse_ok(R"(<speak xml:lang="en-US"><p><s>First</s><s>second</s></p><voice name="en-gb">Hi.</voice><lang xml:lang="fr">Bonjour.</lang></speak>)");
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs[0].text, "First");
  EXPECT_EQ(runs[0].language, "en-US");
  EXPECT_EQ(runs[2].voice, "en-gb");
  EXPECT_EQ(runs[3].language, "fr");
}

TEST(Ssml, MarksStandWhereTheyAre) {
  std::string doc = R"(<speak>Hello <mark name="here"/>world.</speak>)";
  auto runs = parse_ok(doc);
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_EQ(runs[0].marks.size(), 1u);
  EXPECT_EQ(runs[0].marks[0].name, "here");
  EXPECT_EQ(runs[0].marks[0].at, 6u);
  EXPECT_EQ(doc.substr(runs[0].marks[0].source_offset, 5), "<mark");
}

TEST(Ssml, SayAsAndSubAreOneUnitOverTheirContent) {
  std::string doc = R"(<speak>Call <say-as interpret-as="telephone">555-0100</say-as> at <sub alias="World Wide Web">WWW</sub>.</speak>)";
  auto runs = parse_ok(doc);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].text, "Call five five five, zero one zero zero at World Wide Web.");
  EXPECT_EQ(source_of(doc, runs[0], "zero one"), "555-0100");
  EXPECT_EQ(source_of(doc, runs[0], "Wide"), "WWW");
  EXPECT_EQ(runs[0].map.units().size(), 2u);
}

TEST(Ssml, SayAsReadsEachKind) {
  EXPECT_EQ(ssml::say_as("AB1", "characters", ""), "A B one");
  EXPECT_EQ(ssml::say_as("2026", "digits", ""), "two zero two six");
  EXPECT_EQ(ssml::say_as("2026", "cardinal", ""), "two thousand twenty-six");
  EXPECT_EQ(ssml::say_as("-1,200", "number", ""), "minus one thousand two hundred");
  EXPECT_EQ(ssml::say_as("21st", "ordinal", ""), "twenty-first");
  EXPECT_EQ(ssml::say_as("11/29/2026", "date", "mdy"), "November twenty-ninth, twenty twenty-six");
  EXPECT_EQ(ssml::say_as("29.11.2026", "date", "dmy"), "November twenty-ninth, twenty twenty-six");
  EXPECT_EQ(ssml::say_as("2026-11", "date", "ym"), "November twenty twenty-six");
  EXPECT_EQ(ssml::say_as("9:05", "time", ""), "nine oh five");
  EXPECT_EQ(ssml::say_as("+1 555", "telephone", ""), "plus one, five five five");
  EXPECT_EQ(ssml::say_as("13/45/2026", "date", "mdy"), "13/45/2026") << "not a date: read as written";
  EXPECT_EQ(ssml::say_as("hello", "unknown-kind", ""), "hello");
}

// say-as reads with the rules of the language the text is in: English by rtts's table, the ICU
// languages with ICU's words (conventions cited in icu_normalizer_test.cpp), any other language
// as written, with characters spaced out.
TEST(Ssml, SayAsFollowsTheLanguage) {
  EXPECT_EQ(ssml::say_as("AB1", "characters", "", "sv"), "A B 1");
  EXPECT_EQ(ssml::say_as("2026", "cardinal", "", "sv"), "2026");
  EXPECT_EQ(ssml::say_as("2026", "cardinal", "", "en-gb"), "two thousand twenty-six");

  EXPECT_EQ(ssml::say_as("AB1", "characters", "", "de"), "A B eins");
  EXPECT_EQ(ssml::say_as("1.234,5", "cardinal", "", "de"), "eintausendzweihundertvierunddreißig Komma fünf");
  EXPECT_EQ(ssml::say_as("2026", "cardinal", "", "de-de"), "zweitausendsechsundzwanzig");
  EXPECT_EQ(ssml::say_as("3.", "ordinal", "", "de"), "dritte");
  EXPECT_EQ(ssml::say_as("29.11.2026", "date", "dmy", "de"), "neunundzwanzigster November zweitausendsechsundzwanzig");
  EXPECT_EQ(ssml::say_as("3e", "ordinal", "", "fr"), "troisième");
  EXPECT_EQ(ssml::say_as("29/11/2026", "date", "dmy", "fr"), "vingt-neuf novembre deux mille vingt-six");
  EXPECT_EQ(ssml::say_as("3º", "ordinal", "", "es"), "tercero");
  EXPECT_EQ(ssml::say_as("+34 91", "telephone", "", "es"), "más tres cuatro, nueve uno");
  EXPECT_EQ(ssml::say_as("3°", "ordinal", "", "it"), "terzo");
  EXPECT_EQ(ssml::say_as("3e", "ordinal", "", "nl"), "derde");
  EXPECT_EQ(ssml::say_as("042", "digits", "", "pt"), "zero quatro dois");
  EXPECT_EQ(ssml::say_as("3-й", "ordinal", "", "ru"), "третий");
  EXPECT_EQ(ssml::say_as("3.", "ordinal", "", "pl"), "trzeci") << "rtts's own Polish ordinals";
  EXPECT_EQ(ssml::say_as("122.", "ordinal", "", "pl"), "sto dwudziesty drugi");
  EXPECT_EQ(ssml::say_as("29.11.2026", "date", "dmy", "pl"), "dwudziestego dziewiątego listopada dwa tysiące dwudziestego szóstego roku");
  // time and currency with the language's rules
  EXPECT_EQ(ssml::say_as("9:30", "time", "", "de"), "neun Uhr dreißig");
  EXPECT_EQ(ssml::say_as("21:05", "time", "", "pl"), "dwudziesta pierwsza zero pięć");
  EXPECT_EQ(ssml::say_as("5,99 €", "currency", "", "fr"), "cinq euros quatre-vingt-dix-neuf");
  EXPECT_EQ(ssml::say_as("EUR 2,03", "currency", "", "ru"), "два евро три цента");
  EXPECT_EQ(ssml::say_as("$5.99", "currency", "", "en-us"), "five dollars and ninety-nine cents");
  EXPECT_EQ(ssml::say_as("5,99 $", "currency", "", "de"), "5,99 $") << "a currency rtts has no words for: as written";
  EXPECT_EQ(ssml::say_as("11/2026", "date", "my", "de"), "11/2026") << "a date without its day is left as written";

  const std::string doc = R"(<speak><say-as interpret-as="cardinal">42</say-as> <lang xml:lang="sv"><say-as interpret-as="cardinal">42</say-as></lang> <lang xml:lang="de"><say-as interpret-as="cardinal">42</say-as></lang></speak>)";
  auto english = ssml::parse(doc, {}, "en-us");
  ASSERT_TRUE(english);
  std::string said;
  for (const auto& r : *english) said += r.text + "|";
  EXPECT_EQ(said, "forty-two |42| |zweiundvierzig|");
  // A German voice: the document is German where no xml:lang says otherwise.
  auto german = ssml::parse(R"(<speak><say-as interpret-as="cardinal">42</say-as></speak>)", {}, "de");
  ASSERT_TRUE(german);
  EXPECT_EQ((*german)[0].text, "zweiundvierzig");
}

TEST(Ssml, PhonemeIsSpokenAsItsText) {
  auto runs = parse_ok(R"(<speak>A <phoneme alphabet="ipa" ph="təmɑːtəʊ">tomato</phoneme>.</speak>)");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].text, "A tomato.");
}

TEST(Ssml, MalformedDocumentsSayWhere) {
  EXPECT_NE(refusal("<speak>unclosed").find("line 1, column"), std::string::npos);
  EXPECT_NE(refusal("<speak>\n  <s>bad</p>\n</speak>").find("line 2"), std::string::npos);
  EXPECT_NE(refusal("<voice>no speak</voice>").find("root element must be <speak>"), std::string::npos);
  EXPECT_NE(refusal("<speak><b>bold</b></speak>").find("<b> is not an SSML element"), std::string::npos);
  EXPECT_NE(refusal(R"(<speak><break time="forever"/></speak>)").find("break"), std::string::npos);
  EXPECT_NE(refusal(R"(<speak><break time="11s"/></speak>)").find("more than 10 s"), std::string::npos);
  EXPECT_NE(refusal(R"(<speak><prosody rate="warp">x</prosody></speak>)").find("rate"), std::string::npos);
  EXPECT_NE(refusal(R"(<speak><prosody pitch="200Hz">x</prosody></speak>)").find("pitch"), std::string::npos);
  EXPECT_NE(refusal("<speak><mark/></speak>").find("<mark> needs a name"), std::string::npos);
  EXPECT_NE(refusal(R"(<speak><say-as interpret-as="digits"><s>1</s></say-as></speak>)").find("text only"), std::string::npos);
  EXPECT_NE(refusal("<speak>\xff</speak>").find("line 1"), std::string::npos);
}

TEST(Ssml, HostileDocumentsAreRefusedBeforeAnythingExpands) {
  EXPECT_NE(refusal(R"(<speak><audio src="file:///etc/passwd"/></speak>)").find("<audio> is not supported"), std::string::npos);
  EXPECT_NE(refusal(R"(<speak><audio src="https://example.com/a.wav">fallback</audio></speak>)").find("<audio>"), std::string::npos);
  // External entity (XXE).
  EXPECT_NE(refusal(R"(<!DOCTYPE speak [<!ENTITY x SYSTEM "file:///etc/passwd">]><speak>&x;</speak>)").find("DOCTYPE"), std::string::npos);
  // Billion laughs.
  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE speak [<!ENTITY a \"haha\">";
  for (char c = 'b'; c <= 'k'; ++c) {
    laughs += "<!ENTITY ";
    laughs += c;
    laughs += " \"";
    for (int i = 0; i < 10; ++i) laughs += std::string("&") + static_cast<char>(c - 1) + ";";
    laughs += "\">";
  }
  laughs += "]><speak>&k;</speak>";
  EXPECT_NE(refusal(laughs).find("DOCTYPE"), std::string::npos);
  // An undeclared entity is an XML error, not a lookup.
  EXPECT_NE(refusal("<speak>&nbsp;</speak>").find("undefined entity"), std::string::npos);
  // Deep nesting, many elements, a huge document.
  std::string deep = "<speak>";
  for (int i = 0; i < 40; ++i) deep += "<p>";
  EXPECT_NE(refusal(deep).find("nested deeper than 32"), std::string::npos);
  std::string many = "<speak>";
  for (int i = 0; i < 200; ++i) many += "<mark name=\"m\"/>";
  many += "</speak>";
  EXPECT_NE(refusal(many, {1 << 20, 32, 100, 10}).find("more than 100 elements"), std::string::npos);
  EXPECT_NE(refusal("<speak>" + std::string(300000, 'a') + "</speak>").find("limit"), std::string::npos);
}

TEST(Ssml, LexiconsAreNamedFirstInSpeak) {
  std::vector<std::string> named;
  auto runs = ssml::parse(R"(<speak> <lexicon uri="medical"/><lexicon uri="https://example.com/lex/names.pls?v=2" xml:id="n"/> Hi.</speak>)", {}, "",
                          &named);
  ASSERT_TRUE(runs) << runs.error().message;
  EXPECT_EQ(named, (std::vector<std::string>{"medical", "names"})) << "by file name, nothing fetched";
  EXPECT_NE((*runs)[0].text.find("Hi."), std::string::npos);
  EXPECT_NE(refusal(R"(<speak>Hi. <lexicon uri="medical"/></speak>)").find("at the start of <speak>"), std::string::npos);
  EXPECT_NE(refusal(R"(<speak><p><lexicon uri="medical"/></p></speak>)").find("at the start of <speak>"), std::string::npos);
  EXPECT_NE(refusal(R"(<speak><lexicon/></speak>)").find("needs a uri"), std::string::npos);
  EXPECT_NE(refusal(R"(<speak><lexicon uri="a"><s/></lexicon></speak>)").find("inside <lexicon>"), std::string::npos);
}

TEST(Ssml, PhonemeMarksItsWordsInIpa) {
  auto runs = parse_ok(R"(<speak>A <phoneme alphabet="ipa" ph="tə'mɑːtəʊ">tomato</phoneme> and <phoneme ph="ˈhɛloʊ">hi</phoneme>.</speak>)");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].text, "A tomato and hi.") << "the text stays as written";
  ASSERT_EQ(runs[0].phonemes.size(), 2u);
  EXPECT_EQ(runs[0].phonemes[0], (phoneme_span{2, 8, "təˈmɑːtəʊ"})) << "the ASCII stress stand-in in its IPA form";
  EXPECT_EQ(runs[0].phonemes[1], (phoneme_span{13, 15, "ˈhɛloʊ"}));
  EXPECT_NE(refusal(R"(<speak><phoneme alphabet="x-sampa" ph="t@">x</phoneme></speak>)").find("IPA only"), std::string::npos);
  EXPECT_NE(refusal(R"(<speak><phoneme>x</phoneme></speak>)").find("needs ph"), std::string::npos);
  EXPECT_NE(refusal(R"(<speak><phoneme ph="[[t@]]">x</phoneme></speak>)").find("'['"), std::string::npos);
  EXPECT_NE(refusal(R"(<speak><phoneme ph="ta"><break/>x</phoneme></speak>)").find("inside <phoneme>"), std::string::npos);
}
