// The text segmenters on any valid UTF-8: they must never drop or invent words. The fragments
// of the whole text, and the sentences of the incremental segmenter fed in arbitrary pieces,
// hold exactly the input's non-space characters in order. Each fragment is found back in the text
// (word offsets depend on it), and each released piece's raw text sits at its origin.
#include "fuzz_input.hpp"
#include "text/incremental_segmenter.hpp"
#include "text/segmenter.hpp"
#include "text/source_map.hpp"
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
  std::size_t from = 0;
  for (const auto& f : fragments) {
    auto located = rtts::text::locate_collapsed(text, from, f);
    rtts::fuzz::check(located.found, "a fragment is not found in the text");
    from = located.end;
  }

  rtts::text::incremental_segmenter incremental;
  std::vector<std::string> sentences;
  auto released = [&](std::vector<rtts::text::released_piece> pieces) {
    for (auto& p : pieces) {
      rtts::fuzz::check(text.substr(p.origin.utf8, p.raw.size()) == p.raw, "a released piece is not at its origin");
      rtts::fuzz::check(ink(p.raw) == ink(p.text), "a released piece's raw text is not its text");
      sentences.push_back(std::move(p.text));
    }
  };
  for (auto piece : rtts::fuzz::chunks(text, sizes)) {
    incremental.push(piece);
    released(incremental.take_ready_pieces());
  }
  released(incremental.flush_pieces());
  for (const auto& s : sentences) rtts::fuzz::check(rtts::text::is_valid_utf8(s), "a sentence is not valid UTF-8");
  rtts::fuzz::check(ink_of(sentences) == ink(text), "the incremental segmenter dropped or changed text");
  return 0;
}
