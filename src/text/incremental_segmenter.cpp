#include "text/incremental_segmenter.hpp"

#include "core/ascii.hpp"

namespace rtts::text {
namespace {


// Offset in `text` just after `count` non-space characters: maps a position in the collapsed
// sentence list back onto the raw buffer.
std::size_t raw_offset_after(std::string_view text, std::size_t count) {
  std::size_t i = 0;
  while (i < text.size() && count > 0) count -= !is_ascii_space(text[i++]);
  return i;
}

std::size_t non_space_count(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += !is_ascii_space(c);
  return n;
}

} // namespace

std::vector<std::string> incremental_segmenter::texts(std::vector<released_piece> pieces) {
  std::vector<std::string> out;
  for (auto& p : pieces) out.push_back(std::move(p.text));
  return out;
}

void incremental_segmenter::release(std::string sentence, std::vector<released_piece>& out) {
  auto located = locate_collapsed(pending_, 0, sentence);
  std::size_t end = located.found ? located.end : raw_offset_after(pending_, non_space_count(sentence));
  std::size_t begin = 0;
  while (begin < end && is_ascii_space(pending_[begin])) ++begin;
  text_position origin = consumed_.advanced(std::string_view(pending_).substr(0, begin));
  out.push_back({std::move(sentence), pending_.substr(begin, end - begin), origin});
  consumed_ = consumed_.advanced(std::string_view(pending_).substr(0, end));
  pending_.erase(0, end);
}

std::vector<released_piece> incremental_segmenter::take_ready_pieces() {
  std::vector<released_piece> ready;
  auto sentences = split_sentences(pending_);
  if (sentences.empty()) return ready;
  // All but the last sentence are certain: text follows them. The last one is certain only if
  // it ends in sentence punctuation and white space has arrived after it.
  bool last_done = false;
  if (!pending_.empty() && is_ascii_space(pending_.back())) {
    char end = sentences.back().back();
    last_done = (end == '.' || end == '!' || end == '?' || end == ';' || end == ':') && !ends_with_abbreviation(sentences.back());
  }
  std::size_t certain = sentences.size() - (last_done ? 0 : 1);
  for (std::size_t i = 0; i < certain; ++i) release(std::move(sentences[i]), ready);

  // The unfinished rest: cut it if it ran long without punctuation (or, for the very first
  // piece of speech, at a clause once it passes the first-fragment bound).
  std::size_t bound = !released_any_ && ready.empty() ? policy_.first_fragment_max_bytes : policy_.max_pending_bytes;
  for (;;) {
    std::string rest = collapse_whitespace(pending_);
    if (rest.size() <= bound) break;
    auto pieces = split_into_fragments(rest, {bound, policy_.min_cut_bytes, bound});
    if (pieces.size() < 2) break;
    release(std::move(pieces.front()), ready);
    bound = policy_.max_pending_bytes;
  }
  released_any_ = released_any_ || !ready.empty();
  return ready;
}

std::vector<released_piece> incremental_segmenter::flush_pieces() {
  auto ready = take_ready_pieces();
  for (auto& s : split_sentences(pending_)) release(std::move(s), ready);
  clear();
  released_any_ = released_any_ || !ready.empty();
  return ready;
}

} // namespace rtts::text
