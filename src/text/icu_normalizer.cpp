// The ICU normalizer (see icu_normalizer.hpp). The words are ICU's; what ICU cannot know is in
// the table below, one row per language: which separators a number is written with, which
// form of the day a date takes, the word for "percent".
#include "text/icu_normalizer.hpp"

#include "text/polish_ordinals.hpp"
#include "text/token_rewriter.hpp"

#include <unicode/datefmt.h>
#include <unicode/fpositer.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/plurrule.h>
#include <unicode/rbnf.h>
#include <unicode/timezone.h>
#include <unicode/ucurr.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>

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

namespace {

const icu_language languages[] = {
    {"de", true, "%spellout-ordinal-r", "",
     {{"am", "%spellout-ordinal-n"}, {"vom", "%spellout-ordinal-n"}, {"zum", "%spellout-ordinal-n"}, {"bis", "%spellout-ordinal-n"},
      {"seit", "%spellout-ordinal-n"}, {"ab", "%spellout-ordinal-n"}, {"den", "%spellout-ordinal-n"}, {"dem", "%spellout-ordinal-n"},
      {"der", "%spellout-ordinal"}, {"die", "%spellout-ordinal"}, {"das", "%spellout-ordinal"}},
     "", "", "Prozent", "%spellout-ordinal", "plus",
     "%spellout-cardinal-masculine", "Uhr", "Uhr", "", "%spellout-numbering", "", "", "Uhr", "%spellout-cardinal-masculine", "", {}, {}, ""},
    {"fr", false, "%spellout-cardinal-masculine", "%spellout-ordinal-masculine", {}, "", "", "pour cent", "%spellout-ordinal-masculine", "plus",
     "%spellout-cardinal-feminine", "heure", "heures", "", "%spellout-cardinal-feminine", "", "", "h", "%spellout-cardinal-masculine", "", {}, {}, ""},
    {"es", true, "%spellout-cardinal-masculine", "%spellout-ordinal-masculine", {}, "", "", "por ciento", "%spellout-ordinal-masculine", "más",
     "%spellout-cardinal-feminine", "", "", "y", "%spellout-numbering", "", "en punto", "h", "%spellout-cardinal-masculine", "con", {}, {}, ""},
    {"it", true, "%spellout-cardinal-masculine", "%spellout-ordinal-masculine", {}, "", "", "per cento", "%spellout-ordinal-masculine", "più",
     "%spellout-numbering", "", "", "e", "%spellout-numbering", "", "in punto", "", "%spellout-cardinal-masculine", "e", {}, {}, ""},
    {"nl", true, "%spellout-cardinal", "%spellout-ordinal", {}, "", "", "procent", "%spellout-ordinal", "plus",
     "%spellout-cardinal", "uur", "uur", "", "%spellout-numbering", "", "", "uur", "%spellout-cardinal", "", {}, {}, ""},
    {"pt", true, "%spellout-cardinal-masculine", "%spellout-ordinal-masculine", {}, "", "", "por cento", "%spellout-ordinal-masculine", "mais",
     "%spellout-cardinal-feminine", "hora", "horas", "e", "%spellout-numbering", "", "", "h", "%spellout-cardinal-masculine", "e", {}, {}, ""},
    // Polish: "procent" stays as it is after a number (RJP, "Procent"); ordinals are rtts's own.
    {"pl", false, "", "", {}, "", "", "procent", "", "plus", "", "", "", "", "%spellout-numbering", "zero", "", "", "%spellout-cardinal-neuter", "",
     {}, {"cent", "centy", "centów", "centa"}, "%spellout-cardinal-masculine", true},
    {"ru", false, "%spellout-ordinal-neuter", "", {}, "г.", "года", "процент", "%spellout-ordinal-masculine", "плюс",
     "%spellout-cardinal-masculine", "", "", "", "%spellout-cardinal-feminine", "ноль", "ровно", "", "%spellout-cardinal-masculine", "",
     {"процент", "процента", "процентов", "процента"}, {"цент", "цента", "центов", "цента"}, "%spellout-cardinal-masculine", false, true},
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  // ICU marks where long compounds may break ("zwei­tausend") with soft hyphens: not for engines.
  for (std::size_t at; (at = out.find("\u00AD")) != std::string::npos;) out.erase(at, 2);
  // CLDR's patterns hold no-break spaces ("2026 г."); engines get plain ones.
  for (std::size_t at; (at = out.find("\u202F")) != std::string::npos;) out.replace(at, 3, " ");
  for (std::size_t at; (at = out.find("\u00A0")) != std::string::npos;) out.replace(at, 2, " ");
  return out;
}

// ICU's formatters for one language, made once per thread (the plan is made on the network
// thread; tests plan on theirs).
struct formatters {
  std::unique_ptr<icu::RuleBasedNumberFormat> spellout;
  std::unique_ptr<icu::DateFormat> long_date;
  std::unique_ptr<icu::PluralRules> plurals;
};

formatters& formatters_for(const icu_language& l) {
  thread_local std::map<std::string_view, formatters> made;
  auto& f = made[l.code];
  if (!f.spellout) {
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale locale(std::string(l.code).c_str());
    f.spellout = std::make_unique<icu::RuleBasedNumberFormat>(icu::URBNF_SPELLOUT, locale, status);
    if (U_FAILURE(status)) f.spellout.reset();
    f.long_date.reset(icu::DateFormat::createDateInstance(icu::DateFormat::kLong, locale));
    if (f.long_date) f.long_date->setTimeZone(*icu::TimeZone::getGMT());
    status = U_ZERO_ERROR;
    f.plurals.reset(icu::PluralRules::forLocale(locale, status));
    if (U_FAILURE(status)) f.plurals.reset();
  }
  return f;
}

// CLDR's plural category of `n` in the language: "one", "few", "many" or "other".
std::string plural_category(const icu_language& l, double n) {
  auto& f = formatters_for(l);
  if (!f.plurals) return n == 1 ? "one" : "other";
  std::string category;
  f.plurals->select(n).toUTF8String(category);
  return category;
}

// The form of a noun after the number `n` ("" when the language names none).
std::string_view form_after(const icu_language& l, const plural_forms& forms, double n) {
  auto category = plural_category(l, n);
  std::string_view form = category == "one" ? forms.one : category == "few" ? forms.few : category == "many" ? forms.many : forms.other;
  return form.empty() ? forms.other : form;
}

// ICU's spelling of `n` as a Polish cardinal (the part before a compound ordinal).
std::optional<std::string> polish_cardinal(long long n);

std::optional<std::string> spell(const icu_language& l, double n, std::string_view rule) {
  auto& f = formatters_for(l);
  if (!f.spellout) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out;
  icu::FieldPosition unused;
  f.spellout->format(n, icu::UnicodeString::fromUTF8(std::string(rule)), out, unused, status);
  if (U_FAILURE(status) || out.isEmpty()) return std::nullopt;
  std::string words = utf8(out);
  // CLDR's Russian decimals say "одна целый" (ICU 72); the noun agrees with "одна": "целая".
  if (l.code == "ru")
    for (std::size_t at; (at = words.find("одна целый")) != std::string::npos;) words.replace(at, std::string("одна целый").size(), "одна целая");
  return words;
}

// A number as the language writes it: digits, groups of three after '.' or a no-break space,
// a decimal comma. Plain integers are not numbers to rewrite (the engine reads them).
std::optional<double> written_number(std::string_view s, const icu_language& l) {
  bool negative = s.starts_with('-') || s.starts_with("\u2212");
  if (negative) s.remove_prefix(s.starts_with('-') ? 1 : 3);
  std::string digits, fraction;
  bool grouped = false, decimal = false;
  std::size_t group_digits = 0; // digits since the last group mark (or from the start)
  for (std::size_t i = 0; i < s.size();) {
    std::size_t mark = s.compare(i, 2, "\u00A0") == 0 ? 2 : s.compare(i, 3, "\u202F") == 0 ? 3 : (l.dot_groups && s[i] == '.') ? 1 : 0;
    if (is_digit(s[i])) {
      (decimal ? fraction : digits).push_back(s[i]);
      if (!decimal) ++group_digits;
      ++i;
    } else if (mark && !decimal) {
      // A group mark follows one to three digits (the first group) or exactly three.
      if (group_digits == 0 || group_digits > 3 || (grouped && group_digits != 3)) return std::nullopt;
      grouped = true;
      group_digits = 0;
      i += mark;
    } else if (s[i] == ',' && !decimal && i + 1 < s.size()) {
      decimal = true;
      ++i;
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty() || (grouped && group_digits != 3) || (decimal && fraction.empty())) return std::nullopt;
  if (!grouped && !decimal) return std::nullopt;
  if (digits.size() + fraction.size() > 15) return std::nullopt; // beyond what a double keeps exactly
  double n = std::stod(digits + (fraction.empty() ? "" : "." + fraction));
  return negative ? -n : n;
}

// A date in the language's long form, every number spelled; `before` is the word before it.
std::optional<std::string> long_date(const icu_language& l, int year, int month, int day, std::string_view before) {
  if ((l.day_rule.empty() && !l.own_ordinals) || month < 1 || month > 12 || day < 1 || day > 31 || year < 1 || year > 9999) return std::nullopt;
  auto& f = formatters_for(l);
  if (!f.long_date) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar calendar(*icu::TimeZone::getGMT(), status);
  calendar.setLenient(false);
  calendar.clear();
  calendar.set(year, month - 1, day);
  UDate date = calendar.getTime(status); // 2026-02-30 fails here: not a date, left as written
  if (U_FAILURE(status)) return std::nullopt;
  icu::UnicodeString written;
  icu::FieldPositionIterator fields;
  f.long_date->format(date, written, &fields, status);
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

namespace {
std::optional<std::string> polish_cardinal(long long n) { return spell(*icu_language_for("pl"), static_cast<double>(n), "%spellout-cardinal-masculine"); }
} // namespace

const icu_language* icu_language_for(std::string_view language) {
  const auto primary = primary_subtag(language);
  for (const auto& l : languages)
    if (l.code == primary) return &l;
  return nullptr;
}

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
