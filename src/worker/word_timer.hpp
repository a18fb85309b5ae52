#pragma once
// Turns an engine's "this word starts now" calls into timed words, in the job process. A word's
// event must reach the client before the audio that holds its start, and it carries its end
// too; so audio from a word's start is held back until the next word starts (or the text
// ends), then the word (its end = the last sound before that point) and the held audio go out.
// Engines with no word events get estimated words: the whole fragment's audio is held, and the
// words are spread over the sound in proportion to their length.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace rtts::worker {

struct timed_word {
  std::size_t begin = 0, end = 0;              // bytes of the text the engine read
  std::uint64_t start_sample = 0, end_sample = 0; // from the first sample of the job's audio
};

class word_timer {
public:
  using audio_out = std::function<bool(std::span<const std::int16_t>)>;
  using word_out = std::function<bool(const timed_word&)>;

  // `units`: byte ranges of the text that are one word each however many the engine reads
  // there (a date read as four words). `estimate`: the engine reports no words.
  word_timer(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>> units, bool estimate, int sample_rate,
             audio_out audio, word_out word);

  // The engine's sinks. audio() returns false once the output refuses (cancelled, gone).
  bool audio(std::span<const std::int16_t> pcm);
  void word(std::size_t begin, std::size_t length);
  // The engine is done: the last word and everything held go out.
  bool finish();

  // Below this amplitude a sample is silence (for word ends and the estimate's sound span).
  static constexpr int silence_level = 200;

private:
  std::size_t unit_of(std::size_t byte) const; // index into units_, or units_.size()
  bool release_pending(std::uint64_t next_start, bool last);
  bool release_held();
  bool estimate_words();

  std::string_view text_;
  std::vector<std::pair<std::size_t, std::size_t>> units_;
  bool estimate_;
  std::uint64_t min_gap_; // 20 ms: shorter quiet runs are inside a word (stops, not pauses)
  audio_out audio_out_;
  word_out word_out_;
  std::uint64_t received_ = 0; // samples from the engine so far
  std::uint64_t held_from_ = 0;
  std::vector<std::int16_t> held_;
  bool pending_ = false;
  timed_word pending_word_;
  std::size_t pending_unit_ = 0;
  bool ok_ = true;
};

} // namespace rtts::worker
