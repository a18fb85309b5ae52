#pragma once
// A word of a fragment's text that has a pronunciation given in IPA (SSML <phoneme>, or a PLS
// lexicon's <phoneme> entry). Engines that take phonemes say these; the others read the text,
// which stays as written so that word timestamps still point at it.
#include <cstddef>
#include <string>

namespace rtts {

struct phoneme_span {
  std::size_t begin = 0, end = 0; // bytes of the text the word occupies
  std::string ipa;                // checked by text::ipa_problem (src/text/ipa.hpp)

  bool operator==(const phoneme_span&) const = default;
};

} // namespace rtts
