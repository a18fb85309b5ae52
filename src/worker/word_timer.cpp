#include "worker/word_timer.hpp"

#include "core/ascii.hpp"

#include <algorithm>
#include <cstdlib>

namespace rtts::worker {
namespace {

// Letters and digits of any script (non-ASCII bytes count as letters).
bool is_wordish(unsigned char c) { return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }
bool loud(std::int16_t s) { return std::abs(static_cast<int>(s)) >= word_timer::silence_level; }

} // namespace

word_timer::word_timer(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>> units, bool estimate, int sample_rate,
                       audio_out audio, word_out word)
    : text_(text), units_(std::move(units)), estimate_(estimate), min_gap_(static_cast<std::uint64_t>(std::max(1, sample_rate / 50))),
      audio_out_(std::move(audio)), word_out_(std::move(word)) {}

std::size_t word_timer::unit_of(std::size_t byte) const {
  for (std::size_t i = 0; i < units_.size(); ++i)
    if (byte >= units_[i].first && byte < units_[i].second) return i;
  return units_.size();
}

bool word_timer::audio(std::span<const std::int16_t> pcm) {
  received_ += pcm.size();
  if (!ok_) return false;
  if (pending_ || estimate_) {
    held_.insert(held_.end(), pcm.begin(), pcm.end());
    return true;
  }
  held_from_ = received_;
  return ok_ = audio_out_(pcm);
}

void word_timer::word(std::size_t begin, std::size_t length) {
  if (!ok_ || estimate_ || begin >= text_.size()) return;
  std::size_t end = std::min(text_.size(), begin + std::max<std::size_t>(length, 1));
  // Some engines count the punctuation and space around a word in it ("world, "): the word is
  // its letters and digits (unless it has none).
  std::size_t b = begin, e = end;
  while (b < e && !is_wordish(static_cast<unsigned char>(text_[b]))) ++b;
  while (e > b && !is_wordish(static_cast<unsigned char>(text_[e - 1]))) --e;
  if (b < e) {
    begin = b;
    end = e;
  }
  std::size_t unit = unit_of(begin);
  bool same_unit = pending_ && unit < units_.size() && unit == pending_unit_;
  // An engine's own expansion of a written word ("2026" read as "twenty twenty-six" when
  // normalization is off) reports the later spoken words inside the first one's range.
  bool inside_pending = pending_ && begin >= pending_word_.begin && begin < pending_word_.end;
  if (same_unit || inside_pending) {
    pending_word_.end = std::max(pending_word_.end, end); // the written word goes on
    return;
  }
  if (pending_ && !release_pending(received_, false)) return;
  if (unit < units_.size()) {
    begin = std::min(begin, units_[unit].first);
    end = std::max(end, units_[unit].second);
  }
  pending_ = true;
  pending_unit_ = unit;
  pending_word_ = {begin, end, received_, received_};
}

bool word_timer::release_pending(std::uint64_t next_start, bool last) {
  // The word starts at its first sound (engines may place it at the pause before it) and ends
  // at its last sound before the next word starts (not at the pause after it).
  std::uint64_t start = pending_word_.start_sample;
  while (start + 1 < next_start && start >= held_from_ && start - held_from_ < held_.size() && !loud(held_[start - held_from_])) ++start;
  if (start + 1 >= next_start) start = pending_word_.start_sample; // no sound at all: keep the engine's
  pending_word_.start_sample = start;
  // The end: where the pause before the next word begins (silence at least min_gap long that
  // lasts until at most min_gap before the next word: engines' segment edges and the next
  // word's onset blur the last few samples). No such pause: the next word's start.
  std::uint64_t end = next_start, quiet_from = 0, gap_begin = 0, gap_end = 0;
  bool quiet = false;
  for (std::uint64_t i = std::max(start, held_from_); i < next_start && i - held_from_ < held_.size(); ++i) {
    bool silent = !loud(held_[i - held_from_]);
    if (silent && !quiet) quiet_from = i;
    quiet = silent;
    if (quiet && i + 1 - quiet_from >= min_gap_) {
      gap_begin = quiet_from;
      gap_end = i + 1;
    }
  }
  if (gap_end > gap_begin && next_start - gap_end <= min_gap_) end = gap_begin;
  if (last) // nothing follows: the last sound
    while (end > start + 1 && end - 1 >= held_from_ && end - 1 - held_from_ < held_.size() && !loud(held_[end - 1 - held_from_])) --end;
  pending_word_.end_sample = std::max(end, pending_word_.start_sample + 1);
  pending_ = false;
  ok_ = word_out_(pending_word_) && release_held();
  return ok_;
}

bool word_timer::release_held() {
  if (held_.empty()) {
    held_from_ = received_;
    return true;
  }
  bool ok = audio_out_(held_);
  held_.clear();
  held_from_ = received_;
  return ok;
}

bool word_timer::finish() {
  if (!ok_) return false;
  if (estimate_) return ok_ = estimate_words() && release_held();
  if (pending_) return release_pending(received_, true);
  return ok_ = release_held();
}

bool word_timer::estimate_words() {
  // The words of the text, one per unit.
  struct token {
    std::size_t begin, end, weight;
  };
  std::vector<token> tokens;
  for (std::size_t i = 0; i < text_.size();) {
    if (is_ascii_space(text_[i])) {
      ++i;
      continue;
    }
    std::size_t b = i;
    bool wordish = false;
    std::size_t weight = 0;
    while (i < text_.size() && !is_ascii_space(text_[i])) {
      auto c = static_cast<unsigned char>(text_[i++]);
      wordish = wordish || is_wordish(c);
      weight += (c & 0xC0) != 0x80;
    }
    if (!wordish) continue;
    std::size_t e = i; // the word is its letters and digits: "world," -> "world"
    while (!is_wordish(static_cast<unsigned char>(text_[b]))) ++b;
    while (!is_wordish(static_cast<unsigned char>(text_[e - 1]))) --e;
    std::size_t unit = unit_of(b);
    if (!tokens.empty() && unit < units_.size() && unit_of(tokens.back().begin) == unit) {
      tokens.back().end = std::max(tokens.back().end, e);
      tokens.back().weight += weight + 1;
      continue;
    }
    if (unit < units_.size()) b = std::min(b, units_[unit].first);
    tokens.push_back({b, unit < units_.size() ? std::max(e, units_[unit].second) : e, weight + 1});
  }
  if (tokens.empty()) return true;
  // Spread them over the sound: from the first loud sample to the last.
  auto first = std::find_if(held_.begin(), held_.end(), loud);
  auto last = std::find_if(held_.rbegin(), held_.rend(), loud);
  std::uint64_t from = held_from_ + static_cast<std::uint64_t>(first - held_.begin());
  std::uint64_t to = held_from_ + static_cast<std::uint64_t>(held_.rend() - last);
  if (first == held_.end()) from = to = held_from_;
  std::size_t total = 0;
  for (const auto& t : tokens) total += t.weight;
  std::size_t done = 0;
  for (const auto& t : tokens) {
    std::uint64_t span = to - from;
    std::uint64_t start = from + span * done / total;
    done += t.weight;
    std::uint64_t end = std::max(start + 1, from + span * done / total);
    if (!word_out_({t.begin, t.end, start, end})) return false;
  }
  return true;
}

} // namespace rtts::worker
