// How eSpeak NG reads digits per language (see bench_digits.hpp).
#include "app/bench_digits.hpp"

#include <boost/json.hpp>
#include <espeak-ng/speak_lib.h>
#include <unicode/locid.h>
#include <unicode/rbnf.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <map>
#include <memory>
#include <set>

namespace rtts::app {

namespace json = boost::json;

namespace {

// eSpeak's phoneme names for `text`, without stress, length, pause and word-break marks (a
// hyphen or a space between ICU's words is no difference in speech).
std::string phonemes(const std::string& text) {
  const void* cursor = text.c_str();
  std::string out;
  while (cursor) {
    const char* piece = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, 0);
    if (!piece) break;
    for (const char* c = piece; *c; ++c)
      if (std::string_view("',_- |!:").find(*c) == std::string_view::npos) out += *c;
  }
  return out;
}

// 1 - edit distance / the longer length: how much of one reading the other shares.
double similarity(const std::string& a, const std::string& b) {
  if (a.empty() && b.empty()) return 1;
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return 1.0 - static_cast<double>(row[b.size()]) / static_cast<double>(std::max(a.size(), b.size()));
}

// ICU's words for `n` in `language`, or "" when ICU has no spelling rules of that language
// (its spell-out then falls back to another locale's).
std::string icu_words(const std::string& language, long long n) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale(language.c_str());
  icu::RuleBasedNumberFormat spellout(icu::URBNF_SPELLOUT, locale, status);
  if (U_FAILURE(status)) return {};
  if (std::string(spellout.getLocale(ULOC_ACTUAL_LOCALE, status).getLanguage()) != locale.getLanguage()) return {};
  icu::UnicodeString words;
  spellout.format(static_cast<int64_t>(n), words);
  std::string out;
  words.toUTF8String(out);
  for (std::size_t at; (at = out.find("\u00AD")) != std::string::npos;) out.erase(at, 2); // soft hyphens
  return out;
}

} // namespace

const std::vector<long long>& digit_reading_numbers() {
  static const std::vector<long long> numbers{7, 13, 21, 42, 99, 101, 115, 999, 1000, 2026, 12345, 1000000};
  return numbers;
}

std::vector<digit_reading> measure_digit_reading() {
  std::vector<digit_reading> out;
  if (espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT) <= 0) return out;
  struct listed {
    std::string identifier, language;
  };
  std::vector<listed> voices;
  for (const espeak_VOICE** v = espeak_ListVoices(nullptr); v && *v; ++v)
    if ((*v)->identifier && (*v)->languages) voices.push_back({(*v)->identifier, (*v)->languages + 1});
  std::set<std::string> seen;
  for (const auto& v : voices) {
    if (!seen.insert(v.language).second) continue;
    if (icu_words(v.language, 1).empty()) continue;
    if (espeak_SetVoiceByName(v.identifier.c_str()) != EE_OK) continue;
    digit_reading r{v.identifier, v.language, 0, 0, 0, {}};
    for (long long n : digit_reading_numbers()) {
      std::string digits = std::to_string(n), words = icu_words(v.language, n);
      std::string from_digits = phonemes(digits), from_words = phonemes(words);
      ++r.total;
      r.similarity += similarity(from_digits, from_words) / static_cast<double>(digit_reading_numbers().size());
      if (from_digits == from_words) ++r.agree;
      else r.differences.push_back(digits + ": [[" + from_digits + "]] / " + words + " [[" + from_words + "]]");
    }
    out.push_back(std::move(r));
  }
  espeak_Terminate();
  return out;
}

int bench_digits(bool as_json) {
  auto readings = measure_digit_reading();
  if (readings.empty()) {
    std::fprintf(stderr, "rtts bench: eSpeak NG did not start, or no voice language has ICU words\n");
    return 1;
  }
  if (as_json) {
    json::array rows;
    for (const auto& r : readings) {
      json::array differences;
      for (const auto& d : r.differences) differences.emplace_back(d);
      rows.push_back(json::object{{"voice", r.voice},
                                  {"language", r.language},
                                  {"agree", r.agree},
                                  {"total", r.total},
                                  {"similarity", std::round(r.similarity * 1000) / 1000},
                                  {"differences", std::move(differences)}});
    }
    std::printf("%s\n", json::serialize(json::object{{"digits", std::move(rows)}}).c_str());
    return 0;
  }
  std::printf("| language | eSpeak voice | digits read as ICU's words | phoneme similarity | where they differ (digits: eSpeak's phonemes / ICU's words) |\n|---|---|---|---|---|\n");
  for (const auto& r : readings) {
    std::string where;
    for (const auto& d : r.differences) where += (where.empty() ? "" : "; ") + d;
    std::printf("| %s | %s | %u/%u | %.2f | %s |\n", r.language.c_str(), r.voice.c_str(), r.agree, r.total, r.similarity, where.c_str());
  }
  return 0;
}

} // namespace rtts::app
