#pragma once
// The languages the ICU normalizer reads, and what rtts adds to ICU for each: one row per
// language (which separators a number is written with, which form of the day a date takes, the
// word for "percent", ...), and the ICU services every rule uses (spell-out, plural categories,
// the language's written numbers). Internal to src/text (icu_normalizer.cpp, say-as helpers).
#include "text/icu_normalizer.hpp"

#include <unicode/datefmt.h>
#include <unicode/unistr.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtts::text {

// A noun's form for each of CLDR's plural categories (one, few, many, other); "" = no form.
struct plural_forms {
  std::string_view one, few, many, other;
};

// What rtts adds to ICU for one language. Sources for each choice are cited in
// tests/unit/icu_normalizer_test.cpp.
struct icu_language {
  std::string_view code;           // the primary subtag, also the ICU locale
  bool dot_groups;                 // thousands may be grouped with '.' ("1.234"); a no-break space always may
  std::string_view day_rule;       // ICU rule set for a date's day; "" = dates are left as written
  std::string_view first_day_rule; // for the 1st, where the language says "first" ("" = day_rule)
  // German declines the day's ordinal by the word before it ("am neunundzwanzigsten").
  std::vector<std::pair<std::string_view, std::string_view>> day_rule_after;
  std::string_view year_abbreviation, year_word; // Russian writes "2026 г.", says "года"
  std::string_view percent;                      // "" = percentages are left as written
  std::string_view ordinal_rule;                 // say-as ordinal ("" = left as written)
  std::string_view plus;                         // say-as telephone: a leading '+'
  // Clock times ("9:30"): hours in `hour_rule` ("" = times are left as written), then the hour
  // word (one, many), the joiner and the minutes in `minute_rule`; on the hour, `on_the_hour`.
  std::string_view hour_rule, hour_one, hour_many, joiner, minute_rule, minute_zero, on_the_hour;
  std::string_view time_suffix; // the word written after a time that the hour word replaces ("9:30 Uhr")
  // Euro amounts ("5,99 €"): the euros in `money_rule`, ICU's name of the currency, then the
  // cents after `cents_joiner`. "" = amounts are left as written.
  std::string_view money_rule, cents_joiner;
  // Where a noun after a number takes the form CLDR's plural category of that number asks for
  // (Russian "два процента", "пять процентов"): the percent and the cent in each category.
  plural_forms percent_forms, cent_forms;
  std::string_view cents_rule; // how cents are spelled where `cent_forms` names them
  // Ordinals rtts spells itself (Polish: ICU has none): dates and clock hours with them.
  bool own_ordinals = false;
  // Plain integers spelled too, where eSpeak NG misreads them (`rtts bench --digits`: eSpeak
  // 1.51 reads Russian "7" as [s;ejm], "1000000" as "один тысяч").
  bool spell_integers = false;
};

// ICU's words for `n` by one of the language's rule sets ("%spellout-numbering", ...).
std::optional<std::string> spell(const icu_language& l, double n, std::string_view rule);
// The language's long date format (GMT), or nullptr; one per thread, as all ICU formatters here.
icu::DateFormat* long_date_format(const icu_language& l);
// CLDR's plural category of `n` in the language: "one", "few", "many" or "other".
std::string plural_category(const icu_language& l, double n);
// The form of a noun after the number `n` ("" when the language names none).
std::string_view form_after(const icu_language& l, const plural_forms& forms, double n);
// A number as the language writes it: digits, groups of three after '.' or a no-break space,
// a decimal comma. Plain integers are not numbers to rewrite (the engine reads them).
std::optional<double> written_number(std::string_view s, const icu_language& l);
// ICU's spelling of `n` as a Polish cardinal (the part before a compound ordinal).
std::optional<std::string> polish_cardinal(long long n);
// An ICU string for engines: UTF-8, without soft hyphens, plain spaces for no-break ones.
std::string utf8(const icu::UnicodeString& s);
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

} // namespace rtts::text
