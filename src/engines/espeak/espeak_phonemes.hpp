#pragma once
// IPA -> eSpeak NG's own phoneme names ("təmˈɑːtoʊ" -> "t@m'A:toU"), the only phoneme input eSpeak
// takes (text between [[ and ]]). The names differ by language (a flap is "t#" in English, "r" in
// Spanish, "*" in Portuguese), so the map is not a table written here: it is read from eSpeak
// itself for the voice loaded, by asking eSpeak for the IPA of each of its phoneme names.
#include "core/error.hpp"
#include "core/phoneme_span.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtts::engines {

class espeak_phoneme_map {
public:
  espeak_phoneme_map() = default;
  // From (IPA, eSpeak name) pairs; the first pair of an IPA wins.
  explicit espeak_phoneme_map(std::vector<std::pair<std::string, std::string>> pairs);

  // Probes the voice loaded in this process: every phoneme name in `phontab` (eSpeak's compiled
  // phoneme tables) that this voice knows, with the IPA eSpeak gives for it alone and between
  // vowels. Needs eSpeak initialised with a voice set.
  static espeak_phoneme_map probe(const std::string& phontab_path);

  // eSpeak names for an IPA transcription (text::canonical_ipa form): longest IPA first, stress
  // marks kept (eSpeak reads ' and , before a syllable as IPA does), ties and syllable dots
  // dropped, a diacritic or length mark the voice has no phoneme for dropped. Error: a symbol
  // the voice has no phoneme for at all (named).
  result<std::string> convert(std::string_view ipa) const;

  bool empty() const { return by_ipa_.empty(); }

private:
  std::vector<std::pair<std::string, std::string>> by_ipa_; // longest IPA first
};

// The bytes of a fragment's text that one code point of eSpeak's input stands for.
struct byte_range {
  std::size_t begin, end;
};

// eSpeak's input for a fragment: its text, each phoneme word replaced by [[its eSpeak names]].
// A client's own "[[" is broken up (its second bracket becomes a space): only rtts opens phoneme
// input. A word whose IPA the voice cannot say is read as written (and listed).
struct espeak_text {
  std::string text;
  std::vector<byte_range> origin; // per code point of `text`: the fragment bytes it stands for
  struct unsaid {
    std::string word, why;
  };
  std::vector<unsaid> read_as_written;
};
espeak_text espeak_input(std::string_view text, const std::vector<phoneme_span>& phonemes, const espeak_phoneme_map& map);

// The phoneme names in an eSpeak NG phontab file (all tables), or nothing if it is not one.
std::vector<std::string> phontab_names(const std::string& bytes);

} // namespace rtts::engines
