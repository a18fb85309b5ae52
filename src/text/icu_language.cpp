// The ICU languages' table and the ICU services of the normalizer (see icu_language.hpp).
#include "text/icu_language.hpp"

#include "text/token_rewriter.hpp"

#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/plurrule.h>
#include <unicode/rbnf.h>
#include <unicode/timezone.h>

#include <map>
#include <memory>

namespace rtts::text {

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

} // namespace

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

namespace {

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

} // namespace

icu::DateFormat* long_date_format(const icu_language& l) { return formatters_for(l).long_date.get(); }

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

std::optional<std::string> polish_cardinal(long long n) { return spell(*icu_language_for("pl"), static_cast<double>(n), "%spellout-cardinal-masculine"); }

const icu_language* icu_language_for(std::string_view language) {
  const auto primary = primary_subtag(language);
  for (const auto& l : languages)
    if (l.code == primary) return &l;
  return nullptr;
}

} // namespace rtts::text
