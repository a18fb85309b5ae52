#pragma once
// <say-as>: how a piece of text is read, turned into plain words by the normalizer's tables.
#include <string>
#include <string_view>

namespace rtts::ssml {

// The words for `text` read as `interpret_as` (characters, spell-out, digits, cardinal, number,
// ordinal, date, time, telephone); `format` orders dates ("mdy", "dmy", "ymd", "ym", ...).
// Anything it cannot read that way (or an unknown interpret-as) is returned as written.
// `language` is the language the text is read in: English by rtts's table, the languages ICU
// spells (text/icu_normalizer.hpp) with ICU's words, any other language with `characters`
// spaced out and everything else as written, never English words.
std::string say_as(std::string_view text, std::string_view interpret_as, std::string_view format, std::string_view language = "en");

} // namespace rtts::ssml
