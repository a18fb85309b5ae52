#include "text/normalizer.hpp"

#include "text/icu_normalizer.hpp"
#include "text/token_rewriter.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace rtts::text {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

unsigned long long to_number(std::string_view digits) {
  unsigned long long n = 0;
  for (char c : digits) n = n * 10 + static_cast<unsigned>(c - '0');
  return n;
}

std::string below_thousand(unsigned n, const language_rules& r) {
  std::string out;
  if (n >= 100) {
    out = std::string(r.ones[n / 100]) + " " + std::string(r.hundred);
    n %= 100;
    if (n) out += " ";
  }
  if (n >= 20) {
    out += r.tens[n / 10];
    if (n % 10) out += "-" + std::string(r.ones[n % 10]);
  } else if (n > 0 || out.empty()) {
    out += r.ones[n];
  }
  return out;
}

// The digits one by one: "1 4" -> "one four" (decimals, long digit strings).
std::string digit_words(std::string_view digits, const language_rules& r) {
  std::string out;
  for (char c : digits) {
    if (!out.empty()) out += " ";
    out += r.ones[static_cast<unsigned>(c - '0')];
  }
  return out;
}

// A number as written: digits with optional thousands separators and decimals ("1,234.5").
struct written_number {
  std::string integer;  // digits only
  std::string fraction; // digits after the point, if any
};

std::optional<written_number> parse_number(std::string_view s) {
  if (s.empty() || !is_digit(s.front())) return std::nullopt;
  written_number n;
  auto point = s.find('.');
  std::string_view whole = s.substr(0, point);
  if (point != std::string_view::npos) {
    auto frac = s.substr(point + 1);
    if (!all_digits(frac)) return std::nullopt;
    n.fraction = frac;
  }
  if (whole.find(',') != std::string_view::npos) {
    // Groups of three after the first group of one to three.
    std::size_t first = whole.find(',');
    if (first == 0 || first > 3) return std::nullopt;
    for (std::size_t i = first; i < whole.size(); i += 4)
      if (whole[i] != ',' || i + 4 > whole.size() || !all_digits(whole.substr(i + 1, 3))) return std::nullopt;
    for (char c : whole)
      if (c != ',') n.integer.push_back(c);
    if (!all_digits(n.integer)) return std::nullopt;
  } else {
    if (!all_digits(whole)) return std::nullopt;
    n.integer = whole;
  }
  if (n.integer.size() > 15) return std::nullopt; // beyond trillions: leave it to the engine
  return n;
}

std::string number_words(const written_number& n, const language_rules& r) {
  std::string out = cardinal_words(to_number(n.integer), r);
  if (!n.fraction.empty()) out += " " + std::string(r.point) + " " + digit_words(n.fraction, r);
  return out;
}

// --- the rules, each on a token's core; nullopt = not this kind of token ---

std::optional<std::string> iso_date(std::string_view s, const language_rules& r) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = s.substr(0, 4), m = s.substr(5, 2), d = s.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return std::nullopt;
  auto month = to_number(m), day = to_number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  return std::string(r.months[month - 1]) + " " + ordinal_words(day, r) + ", " + year_words(static_cast<unsigned>(to_number(y)), r);
}

std::string minutes_words(unsigned long long minutes, const language_rules& r) {
  if (minutes < 10) return std::string(r.oh) + " " + std::string(r.ones[minutes]);
  return cardinal_words(minutes, r);
}

// "9:05", "14:30", "23:59:10"; `suffix` is a following "am"/"pm" token already matched.
std::optional<std::string> clock_time(std::string_view s, std::string_view suffix, const language_rules& r) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2) return std::nullopt;
  auto h = s.substr(0, colon), rest = s.substr(colon + 1);
  std::string_view m = rest, sec;
  if (rest.size() == 5 && rest[2] == ':') {
    m = rest.substr(0, 2);
    sec = rest.substr(3, 2);
  }
  if (!all_digits(h) || m.size() != 2 || !all_digits(m) || (!sec.empty() && !all_digits(sec))) return std::nullopt;
  auto hours = to_number(h), minutes = to_number(m), seconds = sec.empty() ? 0 : to_number(sec);
  if (hours > 23 || minutes > 59 || seconds > 59 || (!suffix.empty() && (hours == 0 || hours > 12))) return std::nullopt;
  std::string out = cardinal_words(hours, r);
  if (minutes == 0 && sec.empty()) out += suffix.empty() ? (hours <= 12 ? " " + std::string(r.oclock) : " " + std::string(r.hundred)) : "";
  else out += " " + minutes_words(minutes, r);
  if (!sec.empty()) out += " " + std::string(r.and_word) + " " + cardinal_words(seconds, r) + (seconds == 1 ? " second" : " seconds");
  if (!suffix.empty()) out += " " + std::string(suffix);
  return out;
}

std::optional<std::string> ordinal(std::string_view s, const language_rules& r) {
  if (s.size() < 3) return std::nullopt;
  auto digits = s.substr(0, s.size() - 2);
  auto marker = ascii_lower(s.substr(s.size() - 2));
  if (!all_digits(digits) || digits.size() > 15) return std::nullopt;
  auto n = to_number(digits);
  // The marker must fit the number ("1st", "22nd", "13th"), or it is not an ordinal.
  unsigned expected = (n % 100 >= 11 && n % 100 <= 13) ? 3 : n % 10 == 1 ? 0 : n % 10 == 2 ? 1 : n % 10 == 3 ? 2 : 3;
  if (marker != r.ordinal_markers[expected]) return std::nullopt;
  return ordinal_words(n, r);
}

std::optional<std::string> percentage(std::string_view s, const language_rules& r) {
  if (s.size() < 2 || s.back() != '%') return std::nullopt;
  bool negative = s.front() == '-';
  auto n = parse_number(s.substr(negative ? 1 : 0, s.size() - 1 - (negative ? 1 : 0)));
  if (!n) return std::nullopt;
  return (negative ? std::string(r.minus) + " " : "") + number_words(*n, r) + " " + std::string(r.percent);
}

// "$5", "$5.99", "€1,200", "£3.50"; a following scale word ("million") is passed in `scale`.
std::optional<std::string> money(std::string_view s, std::string_view scale, const language_rules& r) {
  for (const auto& c : r.currencies) {
    if (!s.starts_with(c.symbol)) continue;
    auto n = parse_number(s.substr(c.symbol.size()));
    if (!n) return std::nullopt;
    if (!scale.empty()) return number_words(*n, r) + " " + std::string(scale) + " " + std::string(c.many);
    auto whole = to_number(n->integer);
    std::string out = cardinal_words(whole, r) + " " + std::string(whole == 1 ? c.one : c.many);
    if (n->fraction.empty()) return out;
    if (n->fraction.size() != 2 || c.minor_one.empty()) return number_words(*n, r) + " " + std::string(c.many);
    auto minor = to_number(n->fraction);
    if (minor == 0) return out;
    return out + " " + std::string(r.and_word) + " " + cardinal_words(minor, r) + " " + std::string(minor == 1 ? c.minor_one : c.minor_many);
  }
  return std::nullopt;
}

// Numbers engines misread: thousands separators, decimals, a leading minus.
std::optional<std::string> number(std::string_view s, const language_rules& r) {
  bool negative = s.size() > 1 && s.front() == '-';
  auto body = s.substr(negative ? 1 : 0);
  bool plain_integer = all_digits(body);
  if (plain_integer && !negative) return std::nullopt; // "42", "1999": every engine reads these well
  auto n = parse_number(body);
  if (!n) return std::nullopt;
  return (negative ? std::string(r.minus) + " " : "") + number_words(*n, r);
}

bool is_host_char(char c) { return is_alpha(c) || is_digit(c) || c == '-'; }

// Letters and digits as words, symbols by their names: "example.com/a-b" ->
// "example dot com slash a dash b".
std::string spell_address(std::string_view s, const language_rules& r) {
  std::string out;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!out.empty()) out += " ";
    out += word;
    word.clear();
  };
  for (char c : s) {
    if (is_alpha(c) || is_digit(c) || static_cast<unsigned char>(c) >= 0x80) {
      word.push_back(c);
      continue;
    }
    flush();
    for (const auto& [symbol, name] : r.spoken_symbols)
      if (symbol == c) {
        if (!out.empty()) out += " ";
        out += name;
      }
  }
  flush();
  return out;
}

std::optional<std::string> email(std::string_view s, const language_rules& r) {
  auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) return std::nullopt;
  auto domain = s.substr(at + 1);
  auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return std::nullopt;
  if (!std::all_of(domain.begin(), domain.end(), [](char c) { return is_host_char(c) || c == '.'; })) return std::nullopt;
  return spell_address(s.substr(0, at), r) + " " + std::string(r.at) + " " + spell_address(domain, r);
}

std::optional<std::string> web_address(std::string_view s, const language_rules& r) {
  std::string_view rest = s;
  for (std::string_view scheme : {"https://", "http://"})
    if (ascii_lower(s.substr(0, scheme.size())) == scheme) rest = s.substr(scheme.size());
  bool has_scheme = rest.size() != s.size();
  if (!has_scheme && ascii_lower(s.substr(0, 4)) != "www.") return std::nullopt;
  if (rest.empty()) return std::nullopt;
  // The usual "www." and a trailing slash are not read out.
  if (ascii_lower(rest.substr(0, 4)) == "www.") rest.remove_prefix(4);
  if (rest.ends_with("/")) rest.remove_suffix(1);
  if (rest.empty()) return std::nullopt;
  return spell_address(rest, r);
}

const abbreviation* find_abbreviation(std::string_view token, const language_rules& r) {
  for (const auto& a : r.abbreviations)
    if (a.written == token) return &a;
  return nullptr;
}

bool is_scale_word(std::string_view word, const language_rules& r) {
  for (std::size_t i = 1; i < r.scales.size(); ++i)
    if (ascii_lower(word) == r.scales[i]) return true;
  return false;
}

std::string_view am_pm(std::string_view word, const language_rules& r) {
  auto w = ascii_lower(word);
  if (w == "am" || w == "a.m." || w == "a.m") return r.am;
  if (w == "pm" || w == "p.m." || w == "p.m") return r.pm;
  return {};
}

} // namespace

std::string cardinal_words(unsigned long long n, const language_rules& r) {
  if (n == 0) return std::string(r.ones[0]);
  std::vector<std::string> groups;
  for (std::size_t scale = 0; n > 0 && scale < r.scales.size(); ++scale, n /= 1000) {
    unsigned group = static_cast<unsigned>(n % 1000);
    if (!group) continue;
    std::string words = below_thousand(group, r);
    if (scale) words += " " + std::string(r.scales[scale]);
    groups.push_back(std::move(words));
  }
  std::string out;
  for (auto it = groups.rbegin(); it != groups.rend(); ++it) out += (out.empty() ? "" : " ") + *it;
  return out;
}

std::string ordinal_words(unsigned long long n, const language_rules& r) {
  std::string words = cardinal_words(n, r);
  auto cut = words.find_last_of(" -");
  std::string head = cut == std::string::npos ? "" : words.substr(0, cut + 1);
  std::string last = cut == std::string::npos ? words : words.substr(cut + 1);
  for (const auto& [cardinal, ordinal] : r.ordinal_words)
    if (last == cardinal) return head + std::string(ordinal);
  if (!last.empty() && last.back() == 'y') return head + last.substr(0, last.size() - 1) + std::string(r.ordinal_y_suffix);
  return head + last + std::string(r.ordinal_suffix);
}

std::string year_words(unsigned n, const language_rules& r) {
  // 2000-2009: "two thousand five"; otherwise in pairs: "nineteen oh five", "twenty twenty-six".
  if (n < 1000 || n > 9999 || (n >= 2000 && n <= 2009) || n % 1000 == 0) return cardinal_words(n, r);
  unsigned hi = n / 100, lo = n % 100;
  if (lo == 0) return cardinal_words(hi, r) + " " + std::string(r.hundred);
  return cardinal_words(hi, r) + " " + (lo < 10 ? std::string(r.oh) + " " + std::string(r.ones[lo]) : cardinal_words(lo, r));
}

normalized_text normalize(std::string_view input, const language_rules& r) {
  const std::vector<token> tokens = tokens_of(input);
  span_writer out(input);
  auto rewrite = [&](std::size_t in_begin, std::size_t in_end, const std::string& spoken) { out.rewrite(in_begin, in_end, spoken); };

  for (std::size_t t = 0; t < tokens.size(); ++t) {
    std::string_view raw = input.substr(tokens[t].begin, tokens[t].end - tokens[t].begin);
    std::string_view next = t + 1 < tokens.size() ? input.substr(tokens[t + 1].begin, tokens[t + 1].end - tokens[t + 1].begin) : "";
    auto parts = split_marks(raw);
    std::size_t core_begin = tokens[t].begin + parts.lead.size();
    std::size_t core_end = core_begin + parts.core.size();
    std::string_view core = parts.core;
    if (core.empty()) continue;

    // Abbreviations keep their period in the token itself.
    if (const auto* a = find_abbreviation(core, r)) {
      bool name_follows = !next.empty() && is_upper(split_marks(next).core.empty() ? 'x' : split_marks(next).core.front());
      std::string_view spoken = !a->before_name || name_follows ? a->spoken : a->otherwise;
      if (spoken.empty()) continue;
      // At the end of the text the period also ends the sentence: keep one.
      bool last = t + 1 == tokens.size();
      rewrite(core_begin, core_end, std::string(spoken) + (last && parts.trail.empty() ? "." : ""));
      continue;
    }
    // A sentence's own period is trailing punctuation for everything below ("at 5:30.").
    if (core.size() > 1 && core.back() == '.') {
      core.remove_suffix(1);
      core_end -= 1;
    }
    std::optional<std::string> spoken;
    std::size_t consumed_next = 0; // 1 when the following token is part of this one ("$5 million", "9:30 pm")
    if (!(spoken = iso_date(core, r)) && !(spoken = email(core, r)) && !(spoken = web_address(core, r)) && !(spoken = ordinal(core, r)) &&
        !(spoken = percentage(core, r))) {
      auto next_core = split_marks(next).core;
      if (next_core.size() > 1 && next_core.back() == '.') next_core.remove_suffix(1); // "billion." ends the sentence
      auto suffix = parts.trail.empty() ? am_pm(next_core, r) : std::string_view();
      if ((spoken = clock_time(core, suffix, r)) && !suffix.empty()) consumed_next = 1;
      if (!spoken && core.find(':') != std::string_view::npos && (spoken = clock_time(core, {}, r))) consumed_next = 0;
      if (!spoken) {
        bool scaled = parts.trail.empty() && is_scale_word(next_core, r);
        if ((spoken = money(core, scaled ? ascii_lower(next_core) : std::string(), r)) && scaled) consumed_next = 1;
      }
      if (!spoken) spoken = number(core, r);
    }
    if (!spoken || spoken->empty()) continue; // never rewrite a token to nothing
    if (consumed_next) {
      // The next token's own trailing marks ("pm,") stay after the rewrite.
      auto next_parts = split_marks(next);
      auto next_core = next_parts.core;
      if (next_core.size() > 1 && next_core.back() == '.') {
        // "a.m." owns its period mid-sentence; it ends the sentence only before a capital or the end.
        std::string_view after = t + 2 < tokens.size() ? input.substr(tokens[t + 2].begin, tokens[t + 2].end - tokens[t + 2].begin) : "";
        bool sentence_ends = after.empty() || is_upper(after.front());
        bool dotted_am_pm = ascii_lower(next_core) == "a.m." || ascii_lower(next_core) == "p.m.";
        if (!dotted_am_pm || sentence_ends) next_core.remove_suffix(1);
      }
      std::size_t next_core_end = tokens[t + 1].begin + next_parts.lead.size() + next_core.size();
      rewrite(core_begin, next_core_end, *spoken);
      ++t;
      continue;
    }
    rewrite(core_begin, core_end, *spoken);
  }
  return out.finish();
}

std::optional<normalized_text> normalize_in(std::string_view input, std::string_view language) {
  if (const auto* rules = rules_for(language)) return normalize(input, *rules);
  if (const auto* icu = icu_language_for(language)) return normalize_with_icu(input, *icu);
  return std::nullopt;
}

} // namespace rtts::text
