// The text segmenters on any valid UTF-8: they must never drop or invent words. The fragments
// of the whole text, and the sentences of the incremental segmenter fed in arbitrary pieces,
// hold exactly the input's non-space characters in order.
#include "fuzz_input.hpp"
#include "text/incremental_segmenter.hpp"
#include "text/segmenter.hpp"
#include "text/utf8.hpp"

namespace {

// The text without ASCII and Unicode white space the segmenters may normalise.
std::string ink(std::string_view text) {
  std::string out;
  auto collapsed = rtts::text::collapse_whitespace(text);
  for (char c : collapsed)
    if (c != ' ') out.push_back(c);
  return out;
}

std::string ink_of(const std::vector<std::string>& pieces) {
  std::string all;
  for (const auto& p : pieces) all += ink(p);
  return all;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtts::fuzz::input in(data, size);
  auto sizes = in.chunk_sizes();
  auto text = in.rest();
  if (!rtts::text::is_valid_utf8(text)) return 0; // every route rejects invalid UTF-8 first

  auto fragments = rtts::text::split_into_fragments(text);
  for (const auto& f : fragments) rtts::fuzz::check(rtts::text::is_valid_utf8(f), "a fragment is not valid UTF-8");
  rtts::fuzz::check(ink_of(fragments) == ink(text), "split_into_fragments dropped or changed text");

  rtts::text::incremental_segmenter incremental;
  std::vector<std::string> sentences;
  for (auto piece : rtts::fuzz::chunks(text, sizes)) {
    incremental.push(piece);
    for (auto& s : incremental.take_ready()) sentences.push_back(std::move(s));
  }
  for (auto& s : incremental.flush()) sentences.push_back(std::move(s));
  for (const auto& s : sentences) rtts::fuzz::check(rtts::text::is_valid_utf8(s), "a sentence is not valid UTF-8");
  rtts::fuzz::check(ink_of(sentences) == ink(text), "the incremental segmenter dropped or changed text");
  return 0;
}
