#pragma once
// W3C Pronunciation Lexicon Specification (PLS 1.0) files, as `--lexicon FILE` configures them:
// each <lexeme> maps one or more <grapheme>s to an <alias> (a respelling), which rtts applies
// before normalization for every engine, or to a <phoneme> in IPA, which engines with phoneme
// input say (eSpeak NG converts it to its own notation) and the others read as written. A
// lexeme with both is respelled by its alias everywhere. A rewrite is one unit, so word
// timestamps point at the word as the client wrote it.
#include "core/error.hpp"
#include "core/phoneme_span.hpp"
#include "text/normalizer.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtts::ssml {

struct pronunciation_lexicon {
  std::string name;                          // the file's name without folders and extension
  std::string language;                      // its xml:lang ("en-US"); applies to that language's text
  std::map<std::string, std::string, std::less<>> alias; // grapheme -> alias (the first lexeme for a grapheme wins)
  std::map<std::string, std::string, std::less<>> phoneme; // grapheme -> IPA, for lexemes without an alias
  std::size_t unapplied = 0; // lexemes with neither an alias nor an IPA phoneme (another alphabet)
};

// Parses a PLS document (no DTDs or entity declarations; at most 4 MiB). Errors name the line;
// an IPA <phoneme> that is not IPA is one.
result<pronunciation_lexicon> parse_lexicon(std::string_view document, std::string name);
// Reads and parses a file.
result<pronunciation_lexicon> read_lexicon(const std::string& path);

// The lexicons in use: read at start and again on SIGHUP (all or none: a file that fails keeps
// the previous set).
using lexicon_set = std::vector<pronunciation_lexicon>;
result<std::shared_ptr<const lexicon_set>> read_lexicons(const std::vector<std::string>& paths);

// Applies the aliases of every lexicon for `language` (same primary subtag) to whole tokens of
// `input` (the punctuation around a token stays), and adds the words with an IPA entry to
// `phonemes` (bytes of `input`, in order). nullopt when no lexicon is for this language.
// `only`: the names of the lexicons to use (an SSML document's <lexicon>s); nullptr = all.
std::optional<text::normalized_text> apply_lexicons(std::string_view input, std::string_view language, const lexicon_set& lexicons,
                                                    std::vector<phoneme_span>* phonemes = nullptr, const std::vector<std::string>* only = nullptr);

} // namespace rtts::ssml
