#pragma once
// The SSML subset rtts speaks, parsed by rtts itself (expat) into runs of plain text with their
// settings. Client markup never reaches an engine: eSpeak's SSML mode runs programs for
// <audio>, Flite's <voice> loads files, Pico obeys its own markup (../shared/NOTES.md).
//
//   speak, p, s        structure (p and s end a sentence)
//   break              time="500ms"|"2s" or strength=none..x-strong: silence inserted by rtts
//   prosody            rate, pitch (engine parameters), volume (a gain in rtts's audio chain)
//   emphasis           level=strong|moderate|reduced|none: slower/louder/higher (an approximation)
//   say-as             interpret-as=characters|spell-out|digits|cardinal|number|ordinal|date|time|telephone|currency
//   sub alias=         the alias is spoken; its words point at the written content
//   voice name=        a voice of the request's engine; lang xml:lang=: a voice of that language
//   mark name=         a timing event at that point
//   phoneme ph=        IPA (alphabet="ipa" or none): said by engines with phoneme input (eSpeak NG,
//                      in its own notation); others read the text, which word timestamps point at
//   lexicon uri=       first in <speak>: names a lexicon the server has (--lexicon, by file
//                      name); a document that names lexicons is read with those only
//   audio              refused (400): rtts fetches nothing
// DOCTYPE, entity declarations and external entities are refused before anything expands.
#include "core/error.hpp"
#include "core/phoneme_span.hpp"
#include "text/source_map.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rtts::ssml {

struct limits {
  std::size_t max_bytes = 256 * 1024; // of the document
  unsigned max_depth = 32;            // element nesting
  std::size_t max_elements = 10000;
  double max_break_s = 10.0;          // one <break>
};

struct mark {
  std::string name;
  std::size_t at = 0;            // byte of the run's text it stands before
  std::size_t source_offset = 0; // byte of the document where it is
};

struct run {
  std::string text;       // plain text to speak (may be empty: a pause or marks only)
  text::source_map map;   // text bytes -> document bytes
  std::string voice;      // <voice name>, as written ("" = the request's)
  std::string language;   // the innermost xml:lang ("" = none given)
  double rate = 1.0, pitch = 1.0, volume = 1.0; // multipliers
  double pause_before_s = 0;
  std::vector<mark> marks;
  std::vector<phoneme_span> phonemes; // <phoneme> words: bytes of `text`
};

// Runs in document order. Errors are 400s naming the line and column, or the element.
// `language` is what the document is read in where no xml:lang says otherwise (the voice's):
// <say-as> reads with that language's rules.
// The names of the lexicons the document names go to `lexicons`.
result<std::vector<run>> parse(std::string_view document, const limits& limits = {}, std::string_view language = "",
                               std::vector<std::string>* lexicons = nullptr);

// A <lexicon uri>'s lexicon name: its last path segment without the extension.
std::string lexicon_name(std::string_view uri);

} // namespace rtts::ssml
