// IPA transcriptions (see ipa.hpp).
#include "text/ipa.hpp"

#include "text/utf8.hpp"

#include <cstdio>

namespace rtts::text {

namespace {

// The IPA chart's symbols live in a few Unicode blocks; anything else (digits, punctuation that
// is no IPA boundary, markup, letters of other scripts) is a mistake worth naming.
bool is_ipa_character(char32_t c) {
  if (c >= U'a' && c <= U'z') return true;
  if (c == U' ' || c == U'.' || c == U'|') return true;                 // word, syllable, group boundaries
  if (c == U'æ' || c == U'ç' || c == U'ð' || c == U'ø' || c == U'ħ' || c == U'ŋ' || c == U'œ') return true;
  if (c >= 0x0250 && c <= 0x02AF) return true;                          // IPA Extensions (ə ɛ ʃ ʒ ...)
  if (c >= 0x02B0 && c <= 0x02FF) return true;                          // modifier letters (ˈ ˌ ː ʰ ʲ ...)
  if (c >= 0x0300 && c <= 0x036F) return true;                          // combining diacritics (̃ ̩ ͡ ...)
  if (c == U'β' || c == U'θ' || c == U'χ') return true;                 // the Greek letters of the chart
  if (c >= 0x1D00 && c <= 0x1DBF) return true;                          // phonetic extensions (ᵻ ᵊ ...)
  if (c == 0x2016 || c == 0x203F || c == 0x2191 || c == 0x2193) return true; // ‖ ‿ ↑ ↓
  return false;
}

std::string code_point_name(char32_t c) {
  char name[16];
  std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
  return name;
}

} // namespace

std::string canonical_ipa(std::string_view ipa) {
  std::string out;
  bool space = false;
  for (char c : ipa) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    switch (c) {
    case '\'': out += "ˈ"; break;
    case ',': out += "ˌ"; break;
    case ':': out += "ː"; break;
    case 'g': out += "ɡ"; break;
    default: out += c;
    }
  }
  return out;
}

std::optional<std::string> ipa_problem(std::string_view ipa) {
  if (!is_valid_utf8(ipa)) return "is not UTF-8";
  auto canonical = canonical_ipa(ipa);
  if (canonical.empty()) return "is empty";
  for (std::size_t at = 0; at < canonical.size();) {
    std::size_t begin = at;
    char32_t c = next_code_point(canonical, at);
    if (!is_ipa_character(c))
      return "has '" + canonical.substr(begin, at - begin) + "' (" + code_point_name(c) + "), which is not an IPA symbol";
  }
  return std::nullopt;
}

} // namespace rtts::text
