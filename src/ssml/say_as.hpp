#pragma once
// <say-as>: how a piece of text is read, turned into plain words by the normalizer's tables.
#include <string>
#include <string_view>

namespace rtts::ssml {

// The words for `text` read as `interpret_as` (characters, spell-out, digits, cardinal, number,
// ordinal, date, time, telephone); `format` orders dates ("mdy", "dmy", "ymd", "ym", ...).
// Anything it cannot read that way (or an unknown interpret-as) is returned as written.
std::string say_as(std::string_view text, std::string_view interpret_as, std::string_view format);

} // namespace rtts::ssml
