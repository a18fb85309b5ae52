// The ICU normalizer (see icu_normalizer.hpp): dates, clock times, percentages, euro amounts and
// numbers found in a text's tokens, spelled with ICU's words and the rules of icu_language.hpp.
#include "text/icu_normalizer.hpp"

#include "text/icu_language.hpp"
#include "text/polish_ordinals.hpp"
#include "text/token_rewriter.hpp"

#include <unicode/datefmt.h>
#include <unicode/fpositer.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>
#include <unicode/ucurr.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

namespace rtts::text {

namespace {

// A date in the language's long form, every number spelled; `before` is the word before it.
std::optional<std::string> long_date(const icu_language& l, int year, int month, int day, std::string_view before) {
  if ((l.day_rule.empty() && !l.own_ordinals) || month < 1 || month > 12 || day < 1 || day > 31 || year < 1 || year > 9999) return std::nullopt;
  icu::DateFormat* format = long_date_format(l);
  if (!format) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar calendar(*icu::TimeZone::getGMT(), status);
  calendar.setLenient(false);
  calendar.clear();
  calendar.set(year, month - 1, day);
  UDate date = calendar.getTime(status); // 2026-02-30 fails here: not a date, left as written
  if (U_FAILURE(status)) return std::nullopt;
  icu::UnicodeString written;
  icu::FieldPositionIterator fields;
  format->format(date, written, &fields, status);
  if (U_FAILURE(status)) return std::nullopt;
  // Replace the day and year fields with words, from the end so positions stay valid.
  std::vector<icu::FieldPosition> numbers;
  for (icu::FieldPosition p; fields.next(p);)
    if (p.getField() == UDAT_DATE_FIELD || p.getField() == UDAT_YEAR_FIELD) numbers.push_back(p);
  std::sort(numbers.begin(), numbers.end(), [](const auto& a, const auto& b) { return a.getBeginIndex() > b.getBeginIndex(); });
  for (const auto& p : numbers) {
    std::string_view rule = "%spellout-numbering-year";
    int end = p.getEndIndex();
    if (p.getField() == UDAT_DATE_FIELD) {
      rule = day == 1 && !l.first_day_rule.empty() ? l.first_day_rule : l.day_rule;
      for (const auto& [word, declined] : l.day_rule_after)
        if (before == word) rule = declined;
      if (l.code == "de" && end < written.length() && written[end] == u'.') ++end; // "29." is the ordinal
    }
    int number = p.getField() == UDAT_DATE_FIELD ? day : year;
    // Polish: day and year as masculine ordinals in the genitive, "... roku" after the year.
    auto words = !l.own_ordinals ? spell(l, number, rule) : polish_ordinal(number, polish_form::masculine_genitive, polish_cardinal);
    if (!words) return std::nullopt;
    if (l.own_ordinals && p.getField() == UDAT_YEAR_FIELD) *words += " roku";
    written.replace(p.getBeginIndex(), end - p.getBeginIndex(), icu::UnicodeString::fromUTF8(*words));
  }
  std::string out = utf8(written);
  if (!l.year_abbreviation.empty() && out.ends_with(l.year_abbreviation))
    out.replace(out.size() - l.year_abbreviation.size(), l.year_abbreviation.size(), l.year_word);
  return out;
}

// "2026-11-29" as a long date.
std::optional<std::string> iso_date(std::string_view s, const icu_language& l, std::string_view before) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (!is_digit(s[i])) return std::nullopt;
  return long_date(l, std::stoi(std::string(s.substr(0, 4))), std::stoi(std::string(s.substr(5, 2))), std::stoi(std::string(s.substr(8, 2))),
                   before);
}

std::optional<std::string> percentage(std::string_view s, const icu_language& l) {
  if (l.percent.empty() || s.size() < 2 || s.back() != '%') return std::nullopt;
  s.remove_suffix(1);
  std::optional<double> n = written_number(s, l);
  if (!n) {
    // A plain integer is a number here: "50%" is read as "fifty percent".
    if (s.empty() || s.size() > 15 || !std::all_of(s.begin(), s.end(), is_digit)) return std::nullopt;
    n = std::stod(std::string(s));
  }
  auto words = spell(l, *n, "%spellout-numbering");
  if (!words) return std::nullopt;
  std::string_view percent = l.percent_forms.other.empty() ? l.percent : form_after(l, l.percent_forms, *n);
  return *words + " " + std::string(percent);
}

// The form of a Polish hour after the word before it ("o dziewiątej", "na dziewiątą"; alone the
// nominative "dziewiąta"). RJP, "Godziny"; the cases these prepositions govern: WSO PWN.
polish_form polish_hour_form(std::string_view before) {
  for (std::string_view p : {"o", "od", "do", "po", "około", "koło", "wpół", "ok."})
    if (before == p) return polish_form::feminine_oblique;
  for (std::string_view p : {"na", "przed", "za", "między", "pod"})
    if (before == p) return polish_form::feminine_accusative;
  return polish_form::feminine;
}

// "9:30", "21:05": a clock time in words; `before` is the word before it.
std::optional<std::string> clock_time(std::string_view s, const icu_language& l, std::string_view before = "") {
  if (l.hour_rule.empty() && !l.own_ordinals) return std::nullopt;
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || s.size() != colon + 3) return std::nullopt;
  auto h = s.substr(0, colon), m = s.substr(colon + 1);
  if (!std::all_of(h.begin(), h.end(), is_digit) || !std::all_of(m.begin(), m.end(), is_digit)) return std::nullopt;
  int hour = std::stoi(std::string(h)), minute = std::stoi(std::string(m));
  if (hour > 24 || minute > 59) return std::nullopt;
  // Polish says the hour as a feminine ordinal ("dziewiąta", the "godzina"), midnight as zero.
  auto hours = !l.own_ordinals ? spell(l, hour, l.hour_rule)
               : hour == 0     ? std::optional<std::string>("zero")
                               : polish_ordinal(hour, polish_hour_form(before), polish_cardinal);
  if (!hours) return std::nullopt;
  std::string out = *hours;
  if (!l.hour_one.empty()) out += " " + std::string(hour == 1 || hour == 0 ? l.hour_one : l.hour_many);
  if (minute == 0) {
    if (!l.on_the_hour.empty()) out += " " + std::string(l.on_the_hour);
    return out;
  }
  auto minutes = spell(l, minute, l.minute_rule);
  if (!minutes) return std::nullopt;
  if (!l.joiner.empty()) out += " " + std::string(l.joiner);
  if (minute < 10 && !l.minute_zero.empty()) out += " " + std::string(l.minute_zero);
  return out + " " + *minutes;
}

// ICU's name of the euro for `count` ("Euro", "euros"), or "" when ICU has none.
std::string euro_name(const icu_language& l, double count) {
  UErrorCode status = U_ZERO_ERROR;
  UBool is_choice = false;
  int32_t length = 0;
  const UChar* name = ucurr_getPluralName(u"EUR", std::string(l.code).c_str(), &is_choice, plural_category(l, count).c_str(), &length, &status);
  if (U_FAILURE(status) || !name) return {};
  return utf8(icu::UnicodeString(name, length));
}

// "5,99" (with "€" before or after it, attached or apart): euros and cents in words.
std::optional<std::string> euros(std::string_view amount, const icu_language& l) {
  if (l.money_rule.empty() || amount.empty()) return std::nullopt;
  double value = 0;
  if (auto n = written_number(amount, l)) value = *n;
  else if (amount.size() <= 15 && std::all_of(amount.begin(), amount.end(), is_digit)) value = std::stod(std::string(amount));
  else return std::nullopt;
  // Cents are two digits after the comma, or none.
  auto comma = amount.find(',');
  if (comma != std::string_view::npos && amount.size() - comma - 1 != 2) return std::nullopt;
  if (value < 0) return std::nullopt;
  auto whole = static_cast<long long>(value);
  int cents = static_cast<int>(std::llround((value - static_cast<double>(whole)) * 100));
  auto words = spell(l, static_cast<double>(whole), l.money_rule);
  std::string name = euro_name(l, static_cast<double>(whole));
  if (!words || name.empty()) return std::nullopt;
  std::string out = *words + " " + name;
  if (cents > 0) {
    bool named = !l.cent_forms.other.empty(); // "девяносто девять центов"
    auto cent_words = spell(l, cents, named ? l.cents_rule : "%spellout-numbering");
    if (!cent_words) return std::nullopt;
    out += (l.cents_joiner.empty() ? "" : " " + std::string(l.cents_joiner)) + " " + *cent_words;
    if (named) out += " " + std::string(form_after(l, l.cent_forms, cents));
  }
  return out;
}

// A token as the rules see it: its core (the punctuation around it kept apart, a sentence's
// own period dropped: "... 1.234." ends the sentence after the number) and where that is.
struct word {
  std::string_view text;
  std::size_t begin, end; // bytes of `text` in the input
  bool lead, trail;       // punctuation before / after it
};

std::vector<word> words_of(std::string_view input) {
  std::vector<word> words;
  for (const auto& t : tokens_of(input)) {
    auto parts = split_marks(input.substr(t.begin, t.end - t.begin));
    std::string_view core = parts.core;
    if (core.size() > 1 && core.back() == '.') core.remove_suffix(1);
    std::size_t begin = t.begin + parts.lead.size();
    words.push_back({core, begin, begin + core.size(), !parts.lead.empty(), !parts.trail.empty()});
  }
  return words;
}

// Spoken words for words[i] and the `words` - 1 words after it.
struct rewrite {
  std::size_t words;
  std::string spoken;
};

bool digits_only(std::string_view w) { return !w.empty() && std::all_of(w.begin(), w.end(), is_digit); }

// "1 234 567,5": groups of three written apart with plain spaces are one number (the French,
// Polish and Russian way, and DIN 5008's for German) when they follow one to three digits with
// nothing between but one space each; punctuation ends the group.
std::optional<rewrite> spaced_number(std::string_view input, const std::vector<word>& words, std::size_t i, const icu_language& l) {
  const word& first = words[i];
  if (first.trail || first.text.size() > 3 || !digits_only(first.text)) return std::nullopt;
  std::string grouped(first.text);
  std::size_t last = i;
  for (std::size_t j = i + 1; j < words.size(); ++j) {
    const word& w = words[j];
    bool one_space = w.begin == words[j - 1].end + 1 && input[words[j - 1].end] == ' ' && !w.lead;
    if (!one_space || w.text.size() < 3 || !digits_only(w.text.substr(0, 3)) || (w.text.size() > 3 && w.text[3] != ',' && w.text[3] != '%'))
      break;
    grouped += "\u00A0" + std::string(w.text);
    last = j;
    if (w.text.size() > 3 || w.trail) break; // decimals, a percent sign or punctuation end it
  }
  if (last == i) return std::nullopt;
  std::optional<std::string> spoken = percentage(grouped, l);
  if (!spoken)
    if (auto n = written_number(grouped, l)) spoken = spell(l, *n, "%spellout-numbering");
  if (!spoken) return std::nullopt;
  return rewrite{last - i + 1, std::move(*spoken)};
}

// What takes the next word along: "9:30 Uhr" (the written hour word is said by the time
// itself), "5,99 €" and "€ 5,99".
std::optional<rewrite> with_next_word(const std::vector<word>& words, std::size_t i, const icu_language& l) {
  if (i + 1 >= words.size() || words[i].trail || words[i + 1].lead) return std::nullopt;
  std::string_view text = words[i].text, next = words[i + 1].text;
  if (!l.time_suffix.empty() && ascii_lower(next) == ascii_lower(l.time_suffix))
    if (auto time = clock_time(text, l)) return rewrite{2, std::move(*time)};
  constexpr std::string_view euro = "\u20AC";
  std::string_view amount = text == euro ? next : next == euro ? text : std::string_view();
  if (auto said = amount.empty() ? std::nullopt : euros(amount, l)) return rewrite{2, std::move(*said)};
  return std::nullopt;
}

// One word alone: a date (German declines its day by the word before), a time, "€5,99" or
// "5,99€", a percentage, a number with separators.
std::optional<rewrite> one_word(const std::vector<word>& words, std::size_t i, const icu_language& l) {
  std::string_view text = words[i].text;
  std::string before = i > 0 ? ascii_lower(words[i - 1].text) : std::string();
  constexpr std::string_view euro = "\u20AC";
  std::optional<std::string> spoken = iso_date(text, l, before);
  if (!spoken) spoken = clock_time(text, l, before);
  // "5,99€" and "5,99 €" with a no-break space (French typography) are one token.
  auto without_nbsp = [](std::string_view s) {
    for (std::string_view space : {"\u00A0", "\u202F"}) {
      if (s.ends_with(space)) s.remove_suffix(space.size());
      if (s.starts_with(space)) s.remove_prefix(space.size());
    }
    return s;
  };
  if (!spoken && text.size() > euro.size() && text.ends_with(euro)) spoken = euros(without_nbsp(text.substr(0, text.size() - euro.size())), l);
  if (!spoken && text.size() > euro.size() && text.starts_with(euro)) spoken = euros(without_nbsp(text.substr(euro.size())), l);
  if (!spoken) spoken = percentage(text, l);
  if (!spoken)
    if (auto n = written_number(text, l)) spoken = spell(l, *n, "%spellout-numbering");
  if (!spoken && l.spell_integers && digits_only(text) && text.size() <= 15) spoken = spell(l, std::stod(std::string(text)), "%spellout-numbering");
  if (!spoken) return std::nullopt;
  return rewrite{1, std::move(*spoken)};
}

} // namespace

std::optional<std::string> icu_cardinal(const icu_language& l, double n) { return spell(l, n, "%spellout-numbering"); }

std::optional<std::string> icu_ordinal(const icu_language& l, long long n) {
  if (l.own_ordinals) return polish_ordinal(n, polish_form::masculine, polish_cardinal);
  if (l.ordinal_rule.empty() || n < 0) return std::nullopt;
  return spell(l, static_cast<double>(n), l.ordinal_rule);
}

std::optional<std::string> icu_date(const icu_language& l, int year, int month, int day) { return long_date(l, year, month, day, ""); }

std::optional<double> icu_written_number(const icu_language& l, std::string_view text) { return written_number(text, l); }

std::optional<std::string> icu_time(const icu_language& l, std::string_view text) { return clock_time(text, l); }

std::optional<std::string> icu_money(const icu_language& l, std::string_view text) {
  for (std::string_view currency : {"\u20AC", "EUR"}) {
    auto amount = text;
    if (amount.starts_with(currency)) amount.remove_prefix(currency.size());
    else if (amount.ends_with(currency)) amount.remove_suffix(currency.size());
    else continue;
    while (amount.starts_with(' ')) amount.remove_prefix(1);
    while (amount.ends_with(' ')) amount.remove_suffix(1);
    return euros(amount, l);
  }
  return std::nullopt;
}

std::string_view icu_plus(const icu_language& l) { return l.plus; }

normalized_text normalize_with_icu(std::string_view input, const icu_language& l) {
  const std::vector<word> words = words_of(input);
  span_writer out(input);
  for (std::size_t i = 0; i < words.size();) {
    std::optional<rewrite> r = spaced_number(input, words, i, l);
    if (!r) r = with_next_word(words, i, l);
    if (!r) r = one_word(words, i, l);
    if (r && !r->spoken.empty()) {
      out.rewrite(words[i].begin, words[i + r->words - 1].end, r->spoken);
      i += r->words;
    } else {
      ++i;
    }
  }
  return out.finish();
}

} // namespace rtts::text
