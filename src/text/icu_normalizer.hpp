#pragma once
// Numbers and dates read aloud in languages whose words ICU knows: CLDR's rule-based number
// formats spell the numbers and years, CLDR's long date pattern orders a date and names its
// month. Like the English normalizer it rewrites whole tokens only, each rewrite one unit: ISO
// dates (2026-11-29), numbers written with the language's separators (1.234,5 in German;
// 1 234,5 with a no-break space in French), and percentages (50%). Plain integers are left to
// the engine, which reads them in its own language.
#include "text/normalizer.hpp"

#include <string_view>

namespace rtts::text {

struct icu_language;

// The ICU rules for `language` (BCP 47-ish, "de-de"), or nullptr: German, French, Spanish,
// Italian, Dutch, Portuguese, Polish and Russian.
const icu_language* icu_language_for(std::string_view language);

normalized_text normalize_with_icu(std::string_view input, const icu_language& language);

} // namespace rtts::text
