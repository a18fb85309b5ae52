#include "text/segmenter.hpp"

#include "core/ascii.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <memory>

namespace rtts::text {
namespace {


// ICU (even with locale suppressions) splits after these; a sentence never ends on them.
constexpr std::array<std::string_view, 22> abbreviations = {
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sr.", "Jr.", "St.", "Mt.", "vs.", "etc.",
    "e.g.", "i.e.", "No.", "Fig.", "Gen.", "Col.", "Lt.", "Sgt.", "Capt.", "approx.", "Inc."};

} // namespace

bool ends_with_abbreviation(std::string_view sentence) {
  auto last_space = sentence.find_last_of(' ');
  auto last_word = last_space == std::string_view::npos ? sentence : sentence.substr(last_space + 1);
  return std::find(abbreviations.begin(), abbreviations.end(), last_word) != abbreviations.end();
}

namespace {

bool starts_lowercase(std::string_view s) {
  auto first = std::find_if(s.begin(), s.end(), [](char c) { return !is_ascii_space(c) && c != '"' && c != '\''; });
  return first != s.end() && *first >= 'a' && *first <= 'z';
}

std::string trim(std::string s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

// Last good cut position in s[min, max]: after a clause mark followed by a space, else at a
// space, else at a code point boundary. Returns the length of the head.
std::size_t cut_position(std::string_view s, std::size_t min, std::size_t max) {
  max = std::min(max, s.size());
  for (std::size_t i = max; i > min; --i) {
    char c = s[i - 1];
    if ((c == ',' || c == ';' || c == ':') && i < s.size() && s[i] == ' ') return i;
  }
  for (std::size_t i = max; i > min; --i)
    if (s[i - 1] == ' ') return i - 1;
  std::size_t i = max;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i == 0 ? max : i;
}

void cut_long(std::string sentence, std::size_t min, std::size_t max, std::vector<std::string>& out) {
  while (sentence.size() > max) {
    auto at = cut_position(sentence, min, max);
    auto head = trim(sentence.substr(0, at));
    if (!head.empty()) out.push_back(std::move(head));
    sentence = trim(sentence.substr(at));
  }
  if (!sentence.empty()) out.push_back(std::move(sentence));
}

} // namespace

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (char c : s) {
    if (is_ascii_space(c)) { pending_space = !out.empty(); continue; }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> split_sentences(std::string_view utf8_text) {
  std::string text = collapse_whitespace(utf8_text);
  std::vector<std::string> sentences;
  if (text.empty()) return sentences;

  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  // One breaker per thread, made once: making one looks its rules up in ICU's service registry
  // (~6 % of the server's CPU under load when it was made per call).
  thread_local std::unique_ptr<icu::BreakIterator> breaker = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> made(icu::BreakIterator::createSentenceInstance(icu::Locale("en@ss=standard"), status));
    if (U_FAILURE(status)) made.reset();
    return made;
  }();
  if (!breaker) return {text};
  icu::BreakIterator* it = breaker.get();
  it->setText(u);

  int32_t start = it->first();
  for (int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
    std::string piece;
    u.tempSubStringBetween(start, end).toUTF8String(piece);
    piece = trim(std::move(piece));
    if (piece.empty()) continue;
    if (!sentences.empty() && (ends_with_abbreviation(sentences.back()) || starts_lowercase(piece)))
      sentences.back() += " " + piece;
    else
      sentences.push_back(std::move(piece));
  }
  return sentences;
}

std::vector<std::string> split_into_fragments(std::string_view utf8_text, const segmenter_policy& policy) {
  std::vector<std::string> fragments;
  for (auto& sentence : split_sentences(utf8_text)) {
    if (fragments.empty() && sentence.size() > policy.first_fragment_max_bytes) {
      auto at = cut_position(sentence, policy.first_fragment_min_bytes, policy.first_fragment_max_bytes);
      fragments.push_back(trim(sentence.substr(0, at)));
      sentence = trim(sentence.substr(at));
      if (sentence.empty()) continue;
    }
    cut_long(std::move(sentence), policy.first_fragment_min_bytes, policy.max_fragment_bytes, fragments);
  }
  return fragments;
}

} // namespace rtts::text
