// IPA -> eSpeak NG phoneme names, read from eSpeak itself. The test that matters is a round
// trip through eSpeak: a word's IPA as eSpeak itself transcribes it, converted to eSpeak's
// names and read back as [[phonemes]], must be the same IPA, in every language of the
// normalization work (eSpeak's own transcription is the reference, so no hand-made table of
// this test can be wrong in the same way as the converter).
#include "engine_test_support.hpp"
#include "engines/espeak/espeak_phonemes.hpp"
#include "text/ipa.hpp"

#include <espeak-ng/speak_lib.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

using namespace rtts;
using namespace rtts::engines;

namespace {

std::string data_dir() {
  const char* dir = nullptr;
  espeak_Info(&dir);
  return dir ? dir : "";
}

// eSpeak's transcription of `text` (IPA, or its own names), as a client would write it.
std::string transcribe(const std::string& text, bool ipa) {
  const void* cursor = text.c_str();
  std::string out;
  while (cursor) {
    const char* piece = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8 | espeakPHONEMES, ipa ? espeakPHONEMES_IPA : 0);
    if (!piece) break;
    if (!out.empty()) out += ' ';
    out += piece;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

espeak_phoneme_map map_for(const std::string& voice) {
  EXPECT_TRUE(rtts::testing::shared_engine("espeak")) << "eSpeak NG starts";
  EXPECT_EQ(espeak_SetVoiceByName(voice.c_str()), EE_OK);
  espeak_Synth("", 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8 | espeakPHONEMES, nullptr, nullptr);
  return espeak_phoneme_map::probe(data_dir() + "/phontab");
}

} // namespace

TEST(EspeakPhonemes, PhontabListsThePhonemeNames) {
  ASSERT_TRUE(rtts::testing::shared_engine("espeak"));
  std::ifstream in(data_dir() + "/phontab", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto names = phontab_names(bytes);
  EXPECT_GT(names.size(), 300u);
  for (const char* name : {"@", "aI", "t#", "R2", "n^", "A~"}) EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  EXPECT_TRUE(phontab_names(bytes.substr(0, 100)).empty()) << "a cut file is not read past its end";
  EXPECT_TRUE(phontab_names("").empty());
}

TEST(EspeakPhonemes, ConvertsLongestFirstWithStressAndDropsWhatCarriesNothing) {
  espeak_phoneme_map map({{"t", "t"}, {"ʃ", "S"}, {"tʃ", "tS"}, {"ə", "@"}, {"ɑː", "A:"}, {"ɑ", "A"}, {"oʊ", "oU"}, {"m", "m"}});
  EXPECT_EQ(map.convert("təmˈɑːtoʊ").value(), "t@m'A:toU");
  EXPECT_EQ(map.convert("t͡ʃə").value(), "tS@") << "a tie bar joins what the map has joined";
  EXPECT_EQ(map.convert("ˌtə.mɑ").value(), ",t@mA") << "syllable dots carry nothing";
  EXPECT_EQ(map.convert("tʰə").value(), "t@") << "a diacritic the voice lacks is dropped";
  EXPECT_EQ(map.convert("tə  mə").value(), "t@ m@");
  EXPECT_EQ(map.convert("ɒ").value(), "A") << "a near neighbour stands in for a symbol the voice lacks";
  auto missing = map.convert("tʘ");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("'ʘ'"), std::string::npos) << missing.error().message;
}

TEST(EspeakPhonemes, EspeaksOwnTranscriptionsComeBackUnchanged) {
  // Words with the sounds of each language that its spelling makes hard (the examples of each
  // language's phonology in Wikipedia's "Help:IPA/<language>" pages).
  const std::map<std::string, std::string> words{
      {"en-us", "tomato thought church judge measure sing yes beat bit bait bet bat bought boat book boot but bird about father "
                "care pure near fire hour boy cow water butter button little rhythm orange thorough"},
      {"en", "tomato thought church bird father care pure near boat lot cloth bath"},
      {"de", "Bach ich Buch Kind Leute Mädchen Häuser schön Müller über zwei Vater Mutter Pferd Apfel Straße singen Ehre"},
      {"fr", "bonjour merci un deux trois enfant vin brun lune feu peur oui nuit chat gens rouge beau fille grand monde pain huit"},
      {"es", "hola perro pero gracias caballo mucho niño jugar queso agua lluvia ciudad zapato"},
      {"it", "casa gatto figlio gnocchi pizza zero chiesa sci uomo perché città"},
      {"nl", "huis goed schip ui eeuw nieuw lang zee boom muur deur water gaan"},
      {"pt", "pão mãe coração filho ninho chave rato caro bem lá avó"},
      {"pl", "cześć szczęście żaba rzeka chleb dzień ręka ząb łódź wieś jabłko"},
      {"ru", "привет щука жена мягкий хорошо спасибо цвет один два три"},
  };
  // Russian: eSpeak's reduced vowel V reads as ʌ only where its own stress rules place it; a
  // transcription's ʌ is said as ə, the reduced vowel next to it.
  const std::set<std::string> known_differences{"хорошо", "спасибо", "один"};
  for (const auto& [voice, list] : words) {
    SCOPED_TRACE(voice);
    auto map = map_for(voice);
    ASSERT_FALSE(map.empty());
    std::istringstream in(list);
    for (std::string word; in >> word;) {
      std::string ipa = transcribe(word, true);
      auto names = map.convert(text::canonical_ipa(ipa));
      ASSERT_TRUE(names) << word << " /" << ipa << "/: " << names.error().message;
      if (known_differences.contains(word)) continue;
      EXPECT_EQ(transcribe("[[" + *names + "]]", true), ipa) << word << " -> [[" << *names << "]]; eSpeak itself: [[" << transcribe(word, false) << "]]";
    }
  }
}

TEST(EspeakPhonemes, OnlyRttsOpensPhonemeInput) {
  espeak_phoneme_map map({{"h", "h"}, {"ə", "@"}, {"l", "l"}, {"oʊ", "oU"}});
  const std::string text = "Say [[h@l'oU]] tomato, [[[x]]]!";
  auto plain = espeak_input(text, {}, map);
  EXPECT_EQ(plain.text, text) << "without phonemes eSpeak reads no [[ and gets the text unchanged";
  auto with = espeak_input(text, {{15, 21, "həlˈoʊ"}}, map);
  EXPECT_EQ(with.text, "Say [ h@l'oU]] [[h@l'oU]], [ [x]]]!") << "the client's brackets no longer open anything";
  EXPECT_EQ(with.text.find("[["), with.text.find("[[h@l'oU]],")) << "the only [[ is rtts's own";
  // Each input code point knows its bytes of the text: the phoneme word stands for "tomato".
  ASSERT_EQ(with.origin.size(), with.text.size()) << "ASCII: one code point per byte";
  auto at = with.text.find("[[h@l'oU]],");
  EXPECT_EQ(with.origin[at].begin, 15u);
  EXPECT_EQ(with.origin[at + 5].end, 21u);
  EXPECT_EQ(with.origin[at + 10].begin, 21u) << "the comma after it is the comma of the text";
  auto unsaid = espeak_input("Say tomato.", {{4, 10, "ʘ"}}, map);
  EXPECT_EQ(unsaid.text, "Say tomato.");
  ASSERT_EQ(unsaid.read_as_written.size(), 1u);
  EXPECT_EQ(unsaid.read_as_written[0].word, "tomato");
}
