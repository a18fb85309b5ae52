#pragma once
// Reads what engines read badly: ISO dates, clock times, ordinals, money, percentages, numbers
// with separators or decimals, common abbreviations, web addresses and e-mail addresses. No
// engine here reads "2026-11-29" as a date (eSpeak says "dash", Flite and Festival read digits).
//
// Rewrites whole whitespace-separated tokens only, keeps everything else (and the white space)
// byte for byte, and never drops a word: a token it does not understand is left as written.
// Each rewrite is one unit whose spoken words all map back to the whole original span, so word
// timings can point at the text the client sent.
#include "text/language_rules.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtts::text {

// One piece of output and the bytes of the input it came from.
struct text_span {
  std::size_t out_begin, out_end; // in normalized_text::text
  std::size_t in_begin, in_end;   // in the original input
  bool rewritten;                 // false: copied as is
};

struct normalized_text {
  std::string text;
  std::vector<text_span> spans; // in order, covering the output without gaps
};

normalized_text normalize(std::string_view input, const language_rules& rules = english_rules());

// Normalized with the rules of `language` (BCP 47-ish): English by its table (rules_for), the
// languages ICU spells by icu_normalizer.hpp; nullopt when rtts has no rules for it, and the
// text goes to the engine as written.
std::optional<normalized_text> normalize_in(std::string_view input, std::string_view language);

// Building blocks, also used by SSML's say-as.
std::string cardinal_words(unsigned long long n, const language_rules& rules = english_rules());
std::string ordinal_words(unsigned long long n, const language_rules& rules = english_rules());
std::string year_words(unsigned n, const language_rules& rules = english_rules());

} // namespace rtts::text
