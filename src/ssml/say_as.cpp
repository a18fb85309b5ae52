#include "ssml/say_as.hpp"

#include "core/ascii.hpp"

#include "text/icu_normalizer.hpp"
#include "text/language_rules.hpp"
#include "text/normalizer.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace rtts::ssml {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
std::string trim(std::string_view s) { return std::string(trim_ascii_space(s)); }

void add(std::string& out, std::string_view word) {
  if (word.empty()) return;
  if (!out.empty()) out += ' ';
  out += word;
}

// How the language says a digit: English from its table, an ICU language from ICU, any other
// as the digit itself.
using digit_speller = std::function<std::string(char)>;

std::string english_digit(char c) { return std::string(text::english_rules().ones[static_cast<std::size_t>(c - '0')]); }

// Each code point on its own ("A B C"), digits as words.
std::string characters(std::string_view text, const digit_speller& digit) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = 1;
    while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) ++n;
    if (is_digit(text[i])) add(out, digit(text[i]));
    else if (!is_ascii_space(text[i])) add(out, text.substr(i, n));
    i += n;
  }
  return out;
}

std::string digits(std::string_view text, const digit_speller& digit) {
  std::string out;
  for (char c : text)
    if (is_digit(c)) add(out, digit(c));
  return out;
}

// "1,234" / "-12" / "1 000": the number, or nothing if it is not one (or too long).
bool whole_number(std::string_view text, unsigned long long& value, bool& negative) {
  std::string s = trim(text);
  negative = !s.empty() && (s.front() == '-' || s.front() == '+');
  negative = negative && s.front() == '-';
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.erase(0, 1);
  std::string d;
  for (char c : s) {
    if (is_digit(c)) d += c;
    else if (c != ',' && c != ' ' && c != '_') return false;
  }
  if (d.empty() || d.size() > 18) return false;
  value = std::stoull(d);
  return true;
}

std::string cardinal(std::string_view text) {
  unsigned long long n = 0;
  bool negative = false;
  if (!whole_number(text, n, negative)) return text::normalize(text).text; // decimals and the like
  std::string out = negative ? std::string(text::english_rules().minus) + " " : "";
  return out + text::cardinal_words(n);
}

std::string ordinal(std::string_view text) {
  std::string s = trim(text);
  for (auto marker : text::english_rules().ordinal_markers)
    if (s.size() > marker.size() && s.ends_with(marker)) s.resize(s.size() - marker.size());
  if (!s.empty() && s.back() == '.') s.pop_back();
  unsigned long long n = 0;
  bool negative = false;
  if (!whole_number(s, n, negative) || negative) return std::string(text);
  return text::ordinal_words(n);
}

struct date_parts {
  unsigned y = 0, m = 0, d = 0;
};

// Dates in any order the format names, digits separated by - / . or space.
std::optional<date_parts> parse_date(std::string_view text, std::string_view format) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : trim(text)) {
    if (is_digit(c)) current += c;
    else if (c == '-' || c == '/' || c == '.' || is_ascii_space(c)) {
      if (!current.empty()) parts.push_back(std::exchange(current, {}));
    } else return std::nullopt;
  }
  if (!current.empty()) parts.push_back(current);
  std::string order(format);
  if (order.empty()) order = parts.size() == 3 ? (parts[0].size() == 4 ? "ymd" : "mdy") : parts.size() == 2 ? "md" : "y";
  if (order.size() != parts.size() || parts.empty()) return std::nullopt;
  date_parts p;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (parts[i].size() > 4) return std::nullopt;
    unsigned v = static_cast<unsigned>(std::stoul(parts[i]));
    if (order[i] == 'y') p.y = v;
    else if (order[i] == 'm') p.m = v;
    else if (order[i] == 'd') p.d = v;
    else return std::nullopt;
  }
  if ((p.m && (p.m < 1 || p.m > 12)) || p.d > 31 || (order.find('m') != std::string::npos && p.m == 0)) return std::nullopt;
  return p;
}

std::string date(std::string_view text, std::string_view format) {
  auto parsed = parse_date(text, format);
  if (!parsed) return std::string(text);
  const auto [y, m, d] = *parsed;
  const auto& r = text::english_rules();
  std::string out;
  if (m) add(out, r.months[m - 1]);
  if (d) add(out, text::ordinal_words(d));
  if (y) {
    if (!out.empty() && d) out += ',';
    add(out, text::year_words(y));
  }
  return out.empty() ? std::string(text) : out;
}

// Digits one by one, groups apart ("555-0100" -> "five five five, zero one zero zero").
std::string telephone(std::string_view text, const digit_speller& digit, std::string_view plus) {
  std::string out;
  bool in_group = false;
  for (char c : text) {
    if (is_digit(c)) {
      add(out, digit(c));
      in_group = true;
    } else if (c == '+' && out.empty()) {
      add(out, plus);
    } else if (in_group) {
      out += ',';
      in_group = false;
    }
  }
  while (!out.empty() && out.back() == ',') out.pop_back();
  return out.empty() ? std::string(text) : out;
}

// say-as in a language ICU spells: the same kinds, with ICU's words (and rtts's Polish
// ordinals); what has no words in the language is left as written.
std::string icu_say_as(std::string_view text, std::string_view interpret_as, std::string_view format, const text::icu_language& l) {
  const digit_speller digit = [&](char c) { return text::icu_cardinal(l, c - '0').value_or(std::string(1, c)); };
  std::string out;
  if (interpret_as == "characters" || interpret_as == "spell-out" || interpret_as == "letters" || interpret_as == "verbatim") {
    out = characters(text, digit);
  } else if (interpret_as == "digits") {
    out = digits(text, digit);
  } else if (interpret_as == "cardinal" || interpret_as == "number") {
    std::string s = trim(text);
    std::optional<double> n = text::icu_written_number(l, s);
    unsigned long long whole = 0;
    bool negative = false;
    if (!n && whole_number(s, whole, negative)) n = negative ? -static_cast<double>(whole) : static_cast<double>(whole);
    if (n) out = text::icu_cardinal(l, *n).value_or("");
  } else if (interpret_as == "ordinal") {
    // "3.", "3e", "3º", "3-й": the digits, whatever marks the ordinal after them.
    std::string s = trim(text);
    std::size_t count = 0;
    while (count < s.size() && is_digit(s[count])) ++count;
    if (count > 0 && count <= 15) out = text::icu_ordinal(l, std::stoll(s.substr(0, count))).value_or("");
  } else if (interpret_as == "date") {
    if (auto p = parse_date(text, format); p && p->y && p->m && p->d)
      out = text::icu_date(l, static_cast<int>(p->y), static_cast<int>(p->m), static_cast<int>(p->d)).value_or("");
  } else if (interpret_as == "telephone") {
    out = telephone(text, digit, text::icu_plus(l));
  } else if (interpret_as == "time") {
    out = text::icu_time(l, trim(text)).value_or("");
  } else if (interpret_as == "currency") {
    out = text::icu_money(l, trim(text)).value_or("");
  }
  return out.empty() ? std::string(text) : out;
}

} // namespace

std::string say_as(std::string_view text, std::string_view interpret_as, std::string_view format, std::string_view language) {
  const text::language_rules* rules = text::rules_for(language);
  if (!rules)
    if (const auto* icu = text::icu_language_for(language)) return icu_say_as(text, interpret_as, format, *icu);
  std::string out;
  if (interpret_as == "characters" || interpret_as == "spell-out" || interpret_as == "letters" || interpret_as == "verbatim")
    out = rules ? characters(text, english_digit) : characters(text, [](char c) { return std::string(1, c); });
  else if (!rules) out = std::string(text); // the engine reads it in its own language
  else if (interpret_as == "digits") out = digits(text, english_digit);
  else if (interpret_as == "cardinal" || interpret_as == "number") out = cardinal(text);
  else if (interpret_as == "ordinal") out = ordinal(text);
  else if (interpret_as == "date") out = date(text, format);
  else if (interpret_as == "time" || interpret_as == "currency") out = text::normalize(trim(text)).text; // "9:30 pm", "$5.99"
  else if (interpret_as == "telephone") out = telephone(text, english_digit, "plus");
  else out = std::string(text);
  return out.empty() ? std::string(text) : out;
}

} // namespace rtts::ssml
