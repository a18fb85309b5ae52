// Polish ordinals (see polish_ordinals.hpp).
#include "text/polish_ordinals.hpp"

#include <array>
#include <string_view>

namespace rtts::text {

namespace {

// Nominative masculine forms, the dictionary forms.
constexpr std::array<std::string_view, 20> below_twenty{"",          "pierwszy",   "drugi",      "trzeci",        "czwarty",
                                                         "piąty",     "szósty",     "siódmy",     "ósmy",          "dziewiąty",
                                                         "dziesiąty", "jedenasty",  "dwunasty",   "trzynasty",     "czternasty",
                                                         "piętnasty", "szesnasty",  "siedemnasty", "osiemnasty",   "dziewiętnasty"};
constexpr std::array<std::string_view, 10> tens{"", "", "dwudziesty", "trzydziesty", "czterdziesty", "pięćdziesiąty", "sześćdziesiąty",
                                                "siedemdziesiąty", "osiemdziesiąty", "dziewięćdziesiąty"};
constexpr std::array<std::string_view, 10> hundreds{"", "setny", "dwusetny", "trzechsetny", "czterechsetny", "pięćsetny", "sześćsetny",
                                                    "siedemsetny", "osiemsetny", "dziewięćsetny"};
constexpr std::array<std::string_view, 3> thousands{"", "tysięczny", "dwutysięczny"};

// An adjectival ending in another form: hard stems in -y (pierwszy: pierwsza, pierwszej,
// pierwszą, pierwszego), velar stems in -gi/-ki (drugi: druga, drugiej, drugą, drugiego), soft
// stems in -ci (trzeci: trzecia, trzeciej, trzecią, trzeciego).
std::string declined(std::string_view word, polish_form form) {
  if (form == polish_form::masculine) return std::string(word);
  bool soft = word.ends_with("ci");
  bool velar = word.ends_with("gi") || word.ends_with("ki");
  std::string stem(word.substr(0, word.size() - 1)); // without the final y or i
  auto ending = [&](std::string_view hard, std::string_view after_i) { return soft || velar ? std::string(word) + std::string(after_i) : stem + std::string(hard); };
  switch (form) {
  case polish_form::feminine: return soft ? std::string(word) + "a" : stem + "a"; // druga, trzecia, piąta
  case polish_form::feminine_oblique: return ending("ej", "ej");                   // drugiej, trzeciej, piątej
  case polish_form::feminine_accusative: return soft ? std::string(word) + "ą" : stem + "ą"; // drugą, trzecią, piątą
  default: return ending("ego", "ego");                                            // drugiego, trzeciego, piątego
  }
}

// 1..99 declined: both words of a compound ("dwudziesty pierwszy").
std::string below_hundred(long long n, polish_form form) {
  if (n < 20) return declined(below_twenty[static_cast<std::size_t>(n)], form);
  std::string out = declined(tens[static_cast<std::size_t>(n / 10)], form);
  if (n % 10) out += " " + declined(below_twenty[static_cast<std::size_t>(n % 10)], form);
  return out;
}

} // namespace

std::optional<std::string> polish_ordinal(long long n, polish_form form, std::optional<std::string> (*cardinal)(long long)) {
  if (n < 1 || n > 2999) return std::nullopt;
  if (n % 100 != 0) {
    if (n < 100) return below_hundred(n, form);
    auto before = cardinal(n - n % 100);
    if (!before) return std::nullopt;
    return *before + " " + below_hundred(n % 100, form);
  }
  if (n % 1000 == 0) return declined(thousands[static_cast<std::size_t>(n / 1000)], form);
  std::string out = declined(hundreds[static_cast<std::size_t>((n % 1000) / 100)], form);
  if (n >= 1000) {
    auto before = cardinal(n - n % 1000);
    if (!before) return std::nullopt;
    out = *before + " " + out;
  }
  return out;
}

} // namespace rtts::text
