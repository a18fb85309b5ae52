// Tokens, their punctuation, and the span-keeping output (see token_rewriter.hpp).
#include "text/token_rewriter.hpp"

#include "core/ascii.hpp"

namespace rtts::text {

namespace {

constexpr std::string_view leading_marks = "([{\"'“‘«";
constexpr std::string_view trailing_marks = ")]}\"'”’»,;:!?";

// Bytes of the UTF-8 sequence that starts with `lead`.
std::size_t sequence_length(unsigned char lead) { return lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2; }

// The length of the mark of `marks` that `s` starts (or ends) with, or 0.
std::size_t mark_at(std::string_view s, std::string_view marks, bool at_end) {
  for (std::size_t i = 0; i < marks.size();) {
    std::size_t len = sequence_length(static_cast<unsigned char>(marks[i]));
    auto mark = marks.substr(i, len);
    if (at_end ? s.ends_with(mark) : s.starts_with(mark)) return len;
    i += len;
  }
  return 0;
}

} // namespace

token_parts split_marks(std::string_view token) {
  token_parts p{{}, token, {}};
  while (auto n = mark_at(p.core, leading_marks, false)) p.core.remove_prefix(n);
  p.lead = token.substr(0, token.size() - p.core.size());
  std::size_t end = p.core.size();
  while (auto n = mark_at(p.core.substr(0, end), trailing_marks, true)) end -= n;
  p.trail = p.core.substr(end);
  p.core = p.core.substr(0, end);
  return p;
}

std::vector<token> tokens_of(std::string_view input) {
  std::vector<token> tokens;
  for (std::size_t i = 0; i < input.size();) {
    while (i < input.size() && is_ascii_space(input[i])) ++i;
    std::size_t start = i;
    while (i < input.size() && !is_ascii_space(input[i])) ++i;
    if (i > start) tokens.push_back({start, i});
  }
  return tokens;
}

std::string primary_subtag(std::string_view language) { return ascii_lower(language.substr(0, language.find_first_of("-_"))); }

void span_writer::copy_until(std::size_t end) {
  if (end <= copied_to_) return;
  out_.spans.push_back({out_.text.size(), out_.text.size() + (end - copied_to_), copied_to_, end, false});
  out_.text.append(input_.substr(copied_to_, end - copied_to_));
  copied_to_ = end;
}

void span_writer::rewrite(std::size_t in_begin, std::size_t in_end, const std::string& spoken) {
  copy_until(in_begin);
  out_.spans.push_back({out_.text.size(), out_.text.size() + spoken.size(), in_begin, in_end, true});
  out_.text += spoken;
  copied_to_ = in_end;
}

normalized_text span_writer::finish() {
  copy_until(input_.size());
  return std::move(out_);
}

} // namespace rtts::text
