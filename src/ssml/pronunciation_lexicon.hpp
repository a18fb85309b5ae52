#pragma once
// W3C Pronunciation Lexicon Specification (PLS 1.0) files, as `--lexicon FILE` configures them:
// each <lexeme> maps one or more <grapheme>s to an <alias> (a respelling), which rtts applies
// before normalization for every engine. A rewrite is one unit, so word timestamps point at the
// word as the client wrote it. <phoneme> entries are read but not applied (engines take
// phonemes in their own notations; rtts does not pass client-independent IPA through yet).
#include "core/error.hpp"
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
  std::size_t phoneme_only = 0;              // lexemes with no alias (not applied)
};

// Parses a PLS document (no DTDs or entity declarations; at most 4 MiB). Errors name the line.
result<pronunciation_lexicon> parse_lexicon(std::string_view document, std::string name);
// Reads and parses a file.
result<pronunciation_lexicon> read_lexicon(const std::string& path);

// The lexicons in use: read at start and again on SIGHUP (all or none: a file that fails keeps
// the previous set).
using lexicon_set = std::vector<pronunciation_lexicon>;
result<std::shared_ptr<const lexicon_set>> read_lexicons(const std::vector<std::string>& paths);

// Applies the aliases of every lexicon for `language` (same primary subtag) to whole tokens of
// `input` (the punctuation around a token stays). nullopt when no lexicon is for this language.
std::optional<text::normalized_text> apply_lexicons(std::string_view input, std::string_view language, const lexicon_set& lexicons);

} // namespace rtts::ssml
