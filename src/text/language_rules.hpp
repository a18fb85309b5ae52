#pragma once
// The words a language needs to read numbers, dates, times, money and abbreviations aloud.
// The normalizer's algorithm knows no words of its own: a language is one table (see
// language_rules_en.cpp), so adding one means adding a table.
#include <array>
#include <string_view>
#include <vector>

namespace rtts::text {

struct currency_words {
  std::string_view symbol;                 // "$"
  std::string_view one, many;              // "dollar", "dollars"
  std::string_view minor_one, minor_many;  // "cent", "cents"
};

struct abbreviation {
  std::string_view written;      // as written, period included: "Dr."
  std::string_view spoken;       // "Doctor"
  bool before_name = false;      // only when the next word is capitalised ("Dr. Smith", "St. Paul")
  std::string_view otherwise;    // what it means elsewhere ("Drive", "Street"); empty = leave as is
};

struct language_rules {
  std::array<std::string_view, 20> ones;      // zero .. nineteen
  std::array<std::string_view, 10> tens;      // "", "", twenty .. ninety
  std::string_view hundred;
  std::array<std::string_view, 5> scales;     // "", thousand, million, billion, trillion
  // Ordinals: exceptions for last words ("one" -> "first"), else the regular suffix rules below.
  std::vector<std::pair<std::string_view, std::string_view>> ordinal_words;
  std::string_view ordinal_y_suffix;          // "twenty" -> "twentieth": replace 'y' with this
  std::string_view ordinal_suffix;            // "four" -> "fourth"
  std::array<std::string_view, 4> ordinal_markers; // "st", "nd", "rd", "th" after digits
  std::string_view point, minus, percent, and_word;
  std::string_view oh;                        // "nine oh five" (minutes, years)
  std::string_view oclock;
  std::string_view am, pm;
  std::array<std::string_view, 12> months;
  std::vector<currency_words> currencies;
  std::vector<abbreviation> abbreviations;
  std::string_view at, dot;                   // emails and addresses
  std::vector<std::pair<char, std::string_view>> spoken_symbols; // in URLs: '/' -> "slash"
};

const language_rules& english_rules();

// The rules to read `language` (BCP 47-ish: "en-us", "en_GB", "de") with, or nullptr when rtts
// has none for it: then the text goes to the engine as written, never through another
// language's rules (eSpeak NG and the neural voices read digits in their own language). A voice
// that does not say its language ("") is read as English, as before languages were known.
const language_rules* rules_for(std::string_view language);

} // namespace rtts::text
