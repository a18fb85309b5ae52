#pragma once
// Splits text into the fragments that are synthesized one after another. Sentences come from
// ICU's sentence breaker with extra merge rules; the first fragment is kept short so the first
// audio leaves early, and very long sentences are cut at a clause or word boundary so no single
// fragment monopolises a worker.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rtts::text {

struct segmenter_policy {
  std::size_t first_fragment_max_bytes = 120; // a longer first sentence is cut at a clause/word
  std::size_t first_fragment_min_bytes = 24;  // ...but never shorter than this
  std::size_t max_fragment_bytes = 600;       // any longer sentence is cut the same way
};

// True if the sentence ends with an abbreviation such as "Dr." (so it has not really ended).
bool ends_with_abbreviation(std::string_view sentence);

// Whitespace runs become one space; leading and trailing space is dropped.
std::string collapse_whitespace(std::string_view s);

// Sentences in order; concatenated with spaces they give collapse_whitespace(text).
std::vector<std::string> split_sentences(std::string_view utf8_text);

// Fragments to synthesize, in order, none empty.
std::vector<std::string> split_into_fragments(std::string_view utf8_text, const segmenter_policy& policy = {});

} // namespace rtts::text
