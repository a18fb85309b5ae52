#pragma once
// ASCII helpers every module needs, written once: protocol keywords, language tags, header
// values and the white space between words are ASCII whatever the text around them is (UTF-8
// bytes are never changed by these).
#include <string>
#include <string_view>
#include <vector>

namespace rtts {

// Space, tab, newline, vertical tab, form feed, carriage return.
constexpr bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// A-Z to a-z; every other byte as it is (no locale: std::tolower would depend on one).
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// A language tag as rtts compares them: lower case, '-' between subtags ("en_US" -> "en-us").
inline std::string language_key(std::string_view tag) {
  std::string out = ascii_lower(tag);
  for (auto& c : out)
    if (c == '_') c = '-';
  return out;
}

// Without ASCII white space at either end.
constexpr std::string_view trim_ascii_space(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

// The items of a `sep`-separated list ("a, b,,c" -> "a", "b", "", "c"), each without ASCII
// white space at its ends. Empty items are kept (their place may matter); "" has no items.
inline std::vector<std::string> split_list(std::string_view s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  for (std::size_t start = 0;;) {
    auto end = s.find(sep, start);
    out.emplace_back(trim_ascii_space(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

} // namespace rtts
