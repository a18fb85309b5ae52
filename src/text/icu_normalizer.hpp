#pragma once
// Numbers and dates read aloud in languages whose words ICU knows: CLDR's rule-based number
// formats spell the numbers and years, CLDR's long date pattern orders a date and names its
// month. Like the English normalizer it rewrites whole tokens only, each rewrite one unit: ISO
// dates (2026-11-29), numbers written with the language's separators (1.234,5 in German;
// 1 234,5 with a no-break space in French), and percentages (50%). Plain integers are left to
// the engine, which reads them in its own language.
#include "text/normalizer.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace rtts::text {

struct icu_language;

// The ICU rules for `language` (BCP 47-ish, "de-de"), or nullptr: German, French, Spanish,
// Italian, Dutch, Portuguese, Polish and Russian.
const icu_language* icu_language_for(std::string_view language);

normalized_text normalize_with_icu(std::string_view input, const icu_language& language);

// Building blocks for SSML's say-as in these languages; nullopt where the language has no such
// words.
std::optional<std::string> icu_cardinal(const icu_language& language, double n);
std::optional<std::string> icu_ordinal(const icu_language& language, long long n);
std::optional<std::string> icu_date(const icu_language& language, int year, int month, int day);
std::optional<std::string> icu_time(const icu_language& language, std::string_view text); // "9:30"
// A euro amount: "5,99 €", "€5,99", "EUR 5,99" (the language's separators).
std::optional<std::string> icu_money(const icu_language& language, std::string_view text);
// A number as the language writes it (1.234,5), or nullopt for plain digits and non-numbers.
std::optional<double> icu_written_number(const icu_language& language, std::string_view text);
std::string_view icu_plus(const icu_language& language); // "plus", "más", "più", ...

} // namespace rtts::text
