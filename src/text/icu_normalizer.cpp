// The ICU normalizer (see icu_normalizer.hpp). The words are ICU's; what ICU cannot know is in
// the table below, one row per language: which separators a number is written with, which
// form of the day a date takes, the word for "percent".
#include "text/icu_normalizer.hpp"

#include "text/token_rewriter.hpp"

#include <unicode/datefmt.h>
#include <unicode/fpositer.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
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
  // cents after `cents_joiner`. "" = amounts are left as written (Polish and Russian decline
  // the currency's name by the number in ways ICU does not give).
  std::string_view money_rule, cents_joiner;
};

namespace {

const icu_language languages[] = {
    {"de", true, "%spellout-ordinal-r", "",
     {{"am", "%spellout-ordinal-n"}, {"vom", "%spellout-ordinal-n"}, {"zum", "%spellout-ordinal-n"}, {"bis", "%spellout-ordinal-n"},
      {"seit", "%spellout-ordinal-n"}, {"ab", "%spellout-ordinal-n"}, {"den", "%spellout-ordinal-n"}, {"dem", "%spellout-ordinal-n"},
      {"der", "%spellout-ordinal"}, {"die", "%spellout-ordinal"}, {"das", "%spellout-ordinal"}},
     "", "", "Prozent", "%spellout-ordinal", "plus",
     "%spellout-cardinal-masculine", "Uhr", "Uhr", "", "%spellout-numbering", "", "", "Uhr", "%spellout-cardinal-masculine", ""},
    {"fr", false, "%spellout-cardinal-masculine", "%spellout-ordinal-masculine", {}, "", "", "pour cent", "%spellout-ordinal-masculine", "plus",
     "%spellout-cardinal-feminine", "heure", "heures", "", "%spellout-cardinal-feminine", "", "", "h", "%spellout-cardinal-masculine", ""},
    {"es", true, "%spellout-cardinal-masculine", "%spellout-ordinal-masculine", {}, "", "", "por ciento", "%spellout-ordinal-masculine", "más",
     "%spellout-cardinal-feminine", "", "", "y", "%spellout-numbering", "", "en punto", "h", "%spellout-cardinal-masculine", "con"},
    {"it", true, "%spellout-cardinal-masculine", "%spellout-ordinal-masculine", {}, "", "", "per cento", "%spellout-ordinal-masculine", "più",
     "%spellout-numbering", "", "", "e", "%spellout-numbering", "", "in punto", "", "%spellout-cardinal-masculine", "e"},
    {"nl", true, "%spellout-cardinal", "%spellout-ordinal", {}, "", "", "procent", "%spellout-ordinal", "plus",
     "%spellout-cardinal", "uur", "uur", "", "%spellout-numbering", "", "", "uur", "%spellout-cardinal", ""},
    {"pt", true, "%spellout-cardinal-masculine", "%spellout-ordinal-masculine", {}, "", "", "por cento", "%spellout-ordinal-masculine", "mais",
     "%spellout-cardinal-feminine", "hora", "horas", "e", "%spellout-numbering", "", "", "h", "%spellout-cardinal-masculine", "e"},
    {"pl", false, "", "", {}, "", "", "procent", "", "plus", "", "", "", "", "", "", "", "", "", ""},
    {"ru", false, "%spellout-ordinal-neuter", "", {}, "г.", "года", "", "%spellout-ordinal-masculine", "плюс",
     "%spellout-cardinal-masculine", "", "", "", "%spellout-cardinal-feminine", "ноль", "ровно", "", "", ""},
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
  }
  return f;
}

std::optional<std::string> spell(const icu_language& l, double n, std::string_view rule) {
  auto& f = formatters_for(l);
  if (!f.spellout) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out;
  icu::FieldPosition unused;
  f.spellout->format(n, icu::UnicodeString::fromUTF8(std::string(rule)), out, unused, status);
  if (U_FAILURE(status) || out.isEmpty()) return std::nullopt;
  return utf8(out);
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
  if (l.day_rule.empty() || month < 1 || month > 12 || day < 1 || day > 31 || year < 1 || year > 9999) return std::nullopt;
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
    auto words = spell(l, p.getField() == UDAT_DATE_FIELD ? day : year, rule);
    if (!words) return std::nullopt;
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
  return *words + " " + std::string(l.percent);
}

// "9:30", "21:05": a clock time in words.
std::optional<std::string> clock_time(std::string_view s, const icu_language& l) {
  if (l.hour_rule.empty()) return std::nullopt;
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || s.size() != colon + 3) return std::nullopt;
  auto h = s.substr(0, colon), m = s.substr(colon + 1);
  if (!std::all_of(h.begin(), h.end(), is_digit) || !std::all_of(m.begin(), m.end(), is_digit)) return std::nullopt;
  int hour = std::stoi(std::string(h)), minute = std::stoi(std::string(m));
  if (hour > 24 || minute > 59) return std::nullopt;
  auto hours = spell(l, hour, l.hour_rule);
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
  const UChar* name = ucurr_getPluralName(u"EUR", std::string(l.code).c_str(), &is_choice, count == 1 ? "one" : "other", &length, &status);
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
    auto cent_words = spell(l, cents, "%spellout-numbering");
    if (!cent_words) return std::nullopt;
    out += (l.cents_joiner.empty() ? "" : " " + std::string(l.cents_joiner)) + " " + *cent_words;
  }
  return out;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

} // namespace

std::optional<std::string> icu_cardinal(const icu_language& l, double n) { return spell(l, n, "%spellout-numbering"); }

std::optional<std::string> icu_ordinal(const icu_language& l, long long n) {
  if (l.ordinal_rule.empty() || n < 0) return std::nullopt;
  return spell(l, static_cast<double>(n), l.ordinal_rule);
}

std::optional<std::string> icu_date(const icu_language& l, int year, int month, int day) { return long_date(l, year, month, day, ""); }

std::optional<double> icu_written_number(const icu_language& l, std::string_view text) { return written_number(text, l); }

std::string_view icu_plus(const icu_language& l) { return l.plus; }

const icu_language* icu_language_for(std::string_view language) {
  const auto primary = lower_ascii(language.substr(0, language.find_first_of("-_")));
  for (const auto& l : languages)
    if (l.code == primary) return &l;
  return nullptr;
}

normalized_text normalize_with_icu(std::string_view input, const icu_language& l) {
  const std::vector<token> tokens = tokens_of(input);
  span_writer out(input);
  std::string before; // the previous word, lower case (German declines a date's day by it)
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    token t = tokens[i];
    // "1 234 567,5": groups of three written apart with plain spaces are one number (the
    // French, Polish and Russian way, and DIN 5008's for German) when they follow one to three
    // digits with nothing between but one space each.
    std::string grouped;
    std::size_t last = i;
    auto digits_only = [](std::string_view w) { return !w.empty() && std::all_of(w.begin(), w.end(), is_digit); };
    auto first_parts = split_marks(input.substr(t.begin, t.end - t.begin));
    if (std::string_view first = first_parts.core; first_parts.trail.empty() && digits_only(first) && first.size() <= 3) {
      grouped = first;
      for (std::size_t j = i + 1; j < tokens.size() && tokens[j].begin == tokens[j - 1].end + 1 && input[tokens[j - 1].end] == ' '; ++j) {
        std::string_view word = split_marks(input.substr(tokens[j].begin, tokens[j].end - tokens[j].begin)).core;
        if (word.size() > 1 && word.back() == '.') word.remove_suffix(1);
        if (word.size() < 3 || !digits_only(word.substr(0, 3)) || (word.size() > 3 && word[3] != ',' && word[3] != '%')) break;
        grouped += "\u00A0" + std::string(word);
        last = j;
        if (word.size() > 3) break; // the decimals or the percent sign end it
      }
    }
    if (last > i) t.end = tokens[last].end;
    auto parts = split_marks(input.substr(t.begin, t.end - t.begin));
    std::size_t core_begin = t.begin + parts.lead.size();
    std::string_view core = parts.core;
    if (last > i) {
      // Rewrite the whole group, the marks of its last token kept outside.
      auto last_parts = split_marks(input.substr(tokens[last].begin, tokens[last].end - tokens[last].begin));
      core = input.substr(core_begin, tokens[last].begin + last_parts.lead.size() + last_parts.core.size() - core_begin);
      std::string_view spoken_form = grouped;
      if (spoken_form.size() > 1 && spoken_form.back() == '.') spoken_form.remove_suffix(1);
      std::optional<std::string> spoken = percentage(spoken_form, l);
      if (!spoken)
        if (auto n = written_number(spoken_form, l)) spoken = spell(l, *n, "%spellout-numbering");
      if (core.size() > 1 && core.back() == '.') core.remove_suffix(1);
      if (spoken && !spoken->empty()) {
        out.rewrite(core_begin, core_begin + core.size(), *spoken);
        i = last;
        before.clear();
        continue;
      }
      core = parts.core; // not a number after all: the first token alone
    }
    // A sentence's own period is not part of a number or date ("... 1.234.").
    if (core.size() > 1 && core.back() == '.') core.remove_suffix(1);
    std::optional<std::string> spoken = iso_date(core, l, before);
    if (!spoken && parts.trail.empty() && (spoken = clock_time(core, l)) && !l.time_suffix.empty() && i + 1 < tokens.size()) {
      // "9:30 Uhr", "21:05 h": the written hour word is said by the time itself.
      auto next = split_marks(input.substr(tokens[i + 1].begin, tokens[i + 1].end - tokens[i + 1].begin));
      std::string_view word = next.core;
      bool period = word.size() > 1 && word.back() == '.' && lower_ascii(word.substr(0, word.size() - 1)) == lower_ascii(l.time_suffix);
      if (next.lead.empty() && (lower_ascii(word) == lower_ascii(l.time_suffix) || period)) {
        std::size_t end = tokens[i + 1].begin + word.size() - (period ? 1 : 0);
        out.rewrite(core_begin, end, *spoken);
        ++i;
        before.clear();
        continue;
      }
    }
    if (!spoken) spoken = clock_time(core, l);
    if (!spoken) {
      // "€5,99", "5,99€"; "5,99 €" and "€ 5,99" take the next token along.
      constexpr std::string_view euro = "\u20AC";
      if (core.size() > euro.size() && core.ends_with(euro)) spoken = euros(core.substr(0, core.size() - euro.size()), l);
      else if (core.size() > euro.size() && core.starts_with(euro)) spoken = euros(core.substr(euro.size()), l);
      else if (i + 1 < tokens.size() && parts.trail.empty()) {
        auto next = split_marks(input.substr(tokens[i + 1].begin, tokens[i + 1].end - tokens[i + 1].begin));
        std::string_view next_core = next.core;
        if (next_core.size() > 1 && next_core.back() == '.') next_core.remove_suffix(1); // the sentence's period
        std::string_view amount = core == euro ? next_core : next_core == euro && next.lead.empty() ? core : std::string_view();
        if (auto said = amount.empty() ? std::nullopt : euros(amount, l)) {
          std::size_t end = tokens[i + 1].begin + next.lead.size() + next_core.size();
          out.rewrite(core_begin, end, *said);
          ++i;
          before.clear();
          continue;
        }
      }
    }
    if (!spoken) spoken = percentage(core, l);
    if (!spoken)
      if (auto n = written_number(core, l)) spoken = spell(l, *n, "%spellout-numbering");
    if (spoken && !spoken->empty()) out.rewrite(core_begin, core_begin + core.size(), *spoken);
    before = lower_ascii(parts.core);
  }
  return out.finish();
}

} // namespace rtts::text
