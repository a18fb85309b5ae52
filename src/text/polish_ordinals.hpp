#pragma once
// Polish ordinal numerals, which ICU's Polish spell-out rules lack (CLDR has Polish cardinals in
// every case, no ordinals). Polish dates say the day and the year as masculine ordinals in the
// genitive ("dwudziestego dziewiątego listopada dwa tysiące dwudziestego szóstego roku") and
// clock hours as feminine ordinals ("dziewiąta trzydzieści"). Sources: Wielki słownik
// ortograficzny PWN, "Liczebniki porządkowe"; Rada Języka Polskiego, "Zapis dat" and "Godziny".
#include <optional>
#include <string>

namespace rtts::text {

// feminine_oblique: genitive, dative and locative ("o dziewiątej", "do dziewiątej");
// feminine_accusative: also the instrumental ("na dziewiątą", "przed dziewiątą").
enum class polish_form { masculine, feminine, masculine_genitive, feminine_oblique, feminine_accusative };

// The ordinal of 1..2999 in `form`: compound ordinals decline their last two parts and say the
// hundreds and thousands before them as cardinals (121. "sto dwudziesty pierwszy"); `cardinal`
// spells those (ICU's). nullopt outside 1..2999.
std::optional<std::string> polish_ordinal(long long n, polish_form form, std::optional<std::string> (*cardinal)(long long));

} // namespace rtts::text
