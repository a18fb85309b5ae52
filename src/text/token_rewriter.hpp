#pragma once
// What every normalizer shares: the text cut into whitespace-separated tokens, the punctuation
// around a token kept apart from it, and the output built from copied stretches and rewrites,
// each with its span back to the input (see normalizer.hpp).
#include "core/ascii.hpp" // ascii_lower, used with these
#include "text/normalizer.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace rtts::text {

struct token {
  std::size_t begin, end; // bytes of the input
};

// The input's tokens: runs of bytes that are not ASCII white space.
std::vector<token> tokens_of(std::string_view input);

// "en" of "en-US", "EN_gb", "en": which rules a language tag is read with.
std::string primary_subtag(std::string_view language);

// Punctuation around a token that is spoken as a pause, not as a word: it stays outside the
// rewrite ("(2026-11-29)," -> "(November twenty-ninth, twenty twenty-six),").
struct token_parts {
  std::string_view lead, core, trail;
};
token_parts split_marks(std::string_view token);

// Builds a normalized text: input bytes copied as they are up to each rewrite, rewrites as one
// span each. Rewrites come in input order.
class span_writer {
public:
  explicit span_writer(std::string_view input) : input_(input) {}
  void rewrite(std::size_t in_begin, std::size_t in_end, const std::string& spoken);
  normalized_text finish(); // copies the rest

private:
  void copy_until(std::size_t end);
  std::string_view input_;
  normalized_text out_;
  std::size_t copied_to_ = 0; // input bytes before this are in the output already
};

} // namespace rtts::text
