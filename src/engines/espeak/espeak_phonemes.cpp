// IPA -> eSpeak NG phoneme names (see espeak_phonemes.hpp).
#include "engines/espeak/espeak_phonemes.hpp"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

namespace rtts::engines {

namespace {

// A phoneme name usable between [[ ]]: printable ASCII, no brackets or spaces, and none of the
// pause and language-switch names (they start with '_') whose probing would change eSpeak's state.
bool probeable(const std::string& name) {
  if (name.empty() || name[0] == '_') return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c < 0x7F && c != '[' && c != ']'; });
}

// An IPA key worth matching: IPA letters and diacritics only (eSpeak's IPA for some names
// carries its own markers, such as "r." or "d-", which a client's "." would wrongly match).
bool matchable(const std::string& ipa) {
  return !ipa.empty() && std::none_of(ipa.begin(), ipa.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '^' || c == '\'' || c == ','; });
}

std::string without_stress(std::string s) {
  for (std::string_view mark : {"ˈ", "ˌ", "'", ","})
    for (auto at = s.find(mark); at != std::string::npos; at = s.find(mark)) s.erase(at, mark.size());
  return s;
}

// Phonemes come back with '_' between them and a space between words.
std::vector<std::string> phoneme_list(const std::string& s) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : s + '_') {
    if (c != '_' && c != ' ') {
      part += c;
      continue;
    }
    if (!part.empty()) parts.push_back(std::move(part));
    part.clear();
  }
  return parts;
}

// eSpeak's reading of `text` as phoneme names (or IPA), one '_' between phonemes. eSpeak reads
// [[ ]] here only once a synthesis with espeakPHONEMES has set its phoneme-input option.
std::string phonemes_of(const std::string& text, bool ipa) {
  const void* cursor = text.c_str();
  std::string out;
  int mode = (ipa ? espeakPHONEMES_IPA : 0) | ('_' << 8);
  while (cursor) {
    const char* piece = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8 | espeakPHONEMES, mode);
    if (!piece) break;
    if (!out.empty()) out += ' ';
    out += piece;
  }
  return out;
}

bool starts_combining(std::string_view s) {
  // U+0300..U+036F (CC 80 .. CD AF) and the modifier letters U+02B0..U+02FF (CA B0 .. CB BF).
  if (s.size() < 2) return false;
  auto a = static_cast<unsigned char>(s[0]), b = static_cast<unsigned char>(s[1]);
  return (a == 0xCC) || (a == 0xCD && b <= 0xAF) || (a == 0xCA && b >= 0xB0) || a == 0xCB;
}

// Whether `s` begins with a vowel (after any stress mark).
bool starts_vowel(std::string_view s) {
  while (s.starts_with("ˈ") || s.starts_with("ˌ")) s.remove_prefix(2);
  for (std::string_view v : {"a", "e", "i", "o", "u", "y", "æ", "ɑ", "ɒ", "ɐ", "ɔ", "ə", "ɘ", "ɛ", "ɜ", "ɞ", "ɤ", "ɨ", "ɪ", "ɯ", "ɵ", "ø", "œ", "ɶ",
                             "ʉ", "ʊ", "ʌ", "ʏ", "ɚ", "ɝ", "ᵻ"})
    if (s.starts_with(v)) return true;
  return false;
}

std::size_t code_point_size(std::string_view s) {
  auto c = static_cast<unsigned char>(s[0]);
  std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return std::min(n, s.size());
}

// Sounds to try, in order, for an IPA symbol a voice has no phoneme for: the symbol lengthened
// (a voice may have only the long vowel), then its common variant spellings. Chosen from the
// symbols English, German and French dictionaries use interchangeably.
std::vector<std::string> neighbours_of(const std::string& symbol) {
  static const std::map<std::string, std::vector<std::string>> variants{
      {"ɝ", {"ɜː", "ɚ"}}, {"ɚ", {"ə"}},       {"ɜ", {"ɜː", "ə"}}, {"ɐ", {"ə", "a"}},  {"ɘ", {"ə"}},  {"ɵ", {"o", "ə"}},
      {"ɫ", {"l"}},       {"ɹ", {"r"}},       {"r", {"ɹ", "ʁ"}},  {"ʁ", {"r", "ʀ"}},  {"ʀ", {"ʁ", "r"}}, {"ɾ", {"r", "d"}},
      {"ʍ", {"w"}},       {"ɒ", {"ɑ", "ɔ"}},  {"ɑ", {"a"}},       {"a", {"æ", "ɑ"}},  {"æ", {"a"}},  {"ä", {"a"}},
      {"ʉ", {"u"}},       {"ɨ", {"i", "ɪ"}},  {"ɪ", {"i"}},       {"ʊ", {"u"}},       {"ʏ", {"y"}},  {"e", {"ɛ"}},
      {"ɛ", {"e"}},       {"o", {"ɔ"}},       {"ɔ", {"o"}},       {"ʌ", {"ə"}},       {"ɡ", {"g"}},  {"χ", {"x"}},
      {"x", {"χ"}},       {"ʝ", {"j"}},       {"ɟ", {"j"}},       {"ɕ", {"ʃ"}},       {"ʑ", {"ʒ"}},
  };
  std::vector<std::string> out{symbol + "ː"};
  if (auto found = variants.find(symbol); found != variants.end()) out.insert(out.end(), found->second.begin(), found->second.end());
  return out;
}

} // namespace

std::vector<std::string> phontab_names(const std::string& bytes) {
  // Layout (espeak-ng's LoadPhData): a table count in the first byte of a 4-byte header; per
  // table a 4-byte header (its phoneme count first), a 32-byte name, then 16 bytes per phoneme
  // whose first 4 are its name (zero-padded).
  std::set<std::string> names;
  if (bytes.size() < 4) return {};
  std::size_t tables = static_cast<unsigned char>(bytes[0]), at = 4;
  for (std::size_t t = 0; t < tables; ++t) {
    if (at + 36 > bytes.size()) return {};
    std::size_t count = static_cast<unsigned char>(bytes[at]);
    at += 36;
    if (at + 16 * count > bytes.size()) return {};
    for (std::size_t i = 0; i < count; ++i) {
      std::string name(bytes.data() + at + 16 * i, 4);
      name.resize(name.find('\0') == std::string::npos ? 4 : name.find('\0'));
      names.insert(std::move(name));
    }
    at += 16 * count;
  }
  return {names.begin(), names.end()};
}

espeak_phoneme_map::espeak_phoneme_map(std::vector<std::pair<std::string, std::string>> pairs) {
  std::set<std::string> seen;
  for (auto& [ipa, name] : pairs)
    if (matchable(ipa) && seen.insert(ipa).second) by_ipa_.emplace_back(std::move(ipa), std::move(name));
  std::stable_sort(by_ipa_.begin(), by_ipa_.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

espeak_phoneme_map espeak_phoneme_map::probe(const std::string& phontab_path) {
  std::ifstream in(phontab_path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Alone and between other phonemes: some names read differently in context (English "r" is ɹ
  // before a vowel; German devoices a word's last consonant, so "b" alone is p), and stressed as
  // well as not (unstressed vowels reduce: Italian ɛ to e, English ɪ to ᵻ). A frame that merges
  // with the name ("a" + "I" reads as "aI") is recognised by the names coming back, and skipped.
  static const std::pair<const char*, const char*> frames[] = {{"", ""},   {"'", ""},   {"a ", " a"}, {"t ", " t"},  {"a", "a"},
                                                               {"@", "@"}, {"t", "a"},  {"a", "t"},   {"t'", "t"},  {"t", "'a"},
                                                               {"'a", "a"}, {"'a", "t"}, {"", "t'a"}, {"t", "t'a"}};
  std::map<std::string, std::set<std::string>> sounds_of; // name -> every IPA it was read as
  for (const auto& name : phontab_names(bytes)) {
    if (!probeable(name)) continue;
    for (const auto& [before, after] : frames) {
      std::string input = std::string("[[") + before + name + after + "]]";
      auto names = phoneme_list(without_stress(phonemes_of(input, false)));
      auto expected = phoneme_list(without_stress(std::string(before) + "_" + name + "_" + after));
      if (names != expected || std::find(names.begin(), names.end(), name) == names.end()) continue;
      auto sounds = phoneme_list(without_stress(phonemes_of(input, true)));
      if (sounds.size() == names.size()) sounds_of[name].insert(sounds[phoneme_list(without_stress(before)).size()]);
    }
  }
  // Several names may sound the same (English "0" and "A:" are both ɑː). The one used: a name
  // read the same way in every frame (Polish "r" becomes ɹ between vowels, "R" stays r), then
  // one spelled as its IPA, then the shortest, then the first in ASCII order.
  std::map<std::string, std::string> chosen;
  std::map<std::string, std::tuple<bool, bool, std::size_t, std::string>> best;
  for (const auto& [name, sounds] : sounds_of)
    for (const auto& ipa : sounds) {
      std::tuple<bool, bool, std::size_t, std::string> rank{sounds.size() > 1, name != ipa, name.size(), name};
      if (auto it = best.find(ipa); it == best.end() || rank < it->second) {
        best[ipa] = rank;
        chosen[ipa] = name;
      }
    }
  std::vector<std::pair<std::string, std::string>> pairs(chosen.begin(), chosen.end());
  return espeak_phoneme_map(std::move(pairs));
}

result<std::string> espeak_phoneme_map::convert(std::string_view ipa) const {
  std::string out;
  std::size_t at = 0;
  while (at < ipa.size()) {
    auto rest = ipa.substr(at);
    if (rest.starts_with("ˈ") || rest.starts_with("ˌ")) {
      out += rest.starts_with("ˈ") ? '\'' : ',';
      at += 2;
      continue;
    }
    if (rest.starts_with(" ")) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      ++at;
      continue;
    }
    // Syllable dots, group marks and ties carry nothing eSpeak takes.
    if (rest.starts_with(".") || rest.starts_with("|") || rest.starts_with("‖") || rest.starts_with("͡") || rest.starts_with("‿")) {
      at += code_point_size(rest);
      continue;
    }
    // The longest IPA key that matches here, with ties removed from what follows.
    std::string tieless;
    for (std::size_t i = 0; i < rest.size() && tieless.size() < 16;) {
      auto c = rest.substr(i, code_point_size(rest.substr(i)));
      if (c != "͡" && c != "‿") tieless += c;
      i += c.size();
    }
    const std::pair<std::string, std::string>* match = nullptr;
    for (const auto& entry : by_ipa_)
      if (tieless.starts_with(entry.first) &&
          // An r-coloured vowel ("ʌɹ") before a vowel: the ɹ begins the next syllable.
          !(entry.first.size() > 2 && entry.first.ends_with("ɹ") && starts_vowel(std::string_view(tieless).substr(entry.first.size())))) {
        match = &entry;
        break;
      }
    if (match) {
      // Advance over the matched IPA in the original (ties included).
      std::size_t consumed = 0, i = 0;
      while (consumed < match->first.size()) {
        auto c = rest.substr(i, code_point_size(rest.substr(i)));
        if (c != "͡" && c != "‿") consumed += c.size();
        i += c.size();
      }
      out += match->second;
      at += i;
      continue;
    }
    // A length mark no long phoneme of the voice took: eSpeak's own length mark (Italian
    // geminates: "tː" is "t:"); eSpeak reads it after any phoneme.
    if (rest.starts_with("ː")) {
      out += ':';
      at += 2;
      continue;
    }
    // Likewise palatalization (Russian "tʲ" is "t;").
    if (rest.starts_with("ʲ")) {
      out += ';';
      at += 2;
      continue;
    }
    // A diacritic this voice has no phoneme with: the sound without it.
    if (starts_combining(rest)) {
      at += code_point_size(rest);
      continue;
    }
    // A symbol this voice lacks but whose near neighbour it has: dictionaries spell the same
    // sound differently (ɝ for ɜː, short ɑ where the voice has only ɑː, ...).
    auto symbol = std::string(rest.substr(0, code_point_size(rest)));
    bool substituted = false;
    for (const auto& candidate : neighbours_of(symbol))
      if (auto found = std::find_if(by_ipa_.begin(), by_ipa_.end(), [&](const auto& e) { return e.first == candidate; }); found != by_ipa_.end()) {
        out += found->second;
        at += symbol.size();
        substituted = true;
        break;
      }
    if (substituted) continue;
    return make_error(error_kind::invalid_request, "eSpeak NG's voice has no phoneme for '" + std::string(rest.substr(0, code_point_size(rest))) + "'",
                      "unknown_phoneme");
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

espeak_text espeak_input(std::string_view text, const std::vector<phoneme_span>& phonemes, const espeak_phoneme_map& map) {
  espeak_text out;
  auto copy = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      // Only when phoneme input is on does "[[" mean anything to eSpeak.
      bool opens = !phonemes.empty() && text[i] == '[' && !out.text.empty() && out.text.back() == '[';
      out.text += opens ? ' ' : text[i];
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 || out.origin.empty()) out.origin.push_back({i, i + 1});
      else out.origin.back().end = i + 1;
    }
  };
  std::size_t at = 0;
  for (const auto& p : phonemes) {
    if (p.begin < at || p.end > text.size() || p.begin >= p.end) continue;
    auto names = map.convert(p.ipa);
    if (!names) {
      out.read_as_written.push_back({std::string(text.substr(p.begin, p.end - p.begin)), "/" + p.ipa + "/: " + names.error().message});
      continue;
    }
    copy(at, p.begin);
    std::string word = "[[" + *names + "]]";
    out.text += word;
    out.origin.insert(out.origin.end(), word.size(), byte_range{p.begin, p.end});
    at = p.end;
  }
  copy(at, text.size());
  return out;
}

} // namespace rtts::engines
