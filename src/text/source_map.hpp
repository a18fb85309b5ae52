#pragma once
// Where each byte of the text an engine reads came from in the text the client sent. The
// segmenter collapses white space, the normalizer rewrites tokens, SSML drops markup and expands
// entities; each step gives a map, and the maps compose. A rewritten span (a date read as words,
// a say-as, a sub, an entity) is one unit: any byte of it maps to the whole original span, so
// every spoken word of "2026-11-29" points at all of "2026-11-29".
#include "core/speech_options.hpp"
#include "text/normalizer.hpp"

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace rtts::text {

class source_map {
public:
  source_map() = default;
  // Spans as the normalizer gives them: in order, covering [0, length of the output).
  explicit source_map(std::vector<text_span> spans) : spans_(std::move(spans)) {}
  // Byte i of the output came from byte base + i.
  static source_map identity(std::size_t length, std::size_t base = 0);

  // The original bytes [begin, end) of the output bytes [begin, end) came from (end > begin).
  std::pair<std::size_t, std::size_t> origin(std::size_t begin, std::size_t end) const;
  // This map followed by `outer` (which maps this map's input onward).
  source_map then(const source_map& outer) const;
  // Adds the next piece of output (out_begin == output_size()).
  void append(const text_span& span);

  // Output ranges that are one unit each (rewrites): words starting in one are one word.
  std::vector<std::pair<std::size_t, std::size_t>> units() const;
  const std::vector<text_span>& spans() const { return spans_; }
  std::size_t output_size() const { return spans_.empty() ? 0 : spans_.back().out_end; }

private:
  std::vector<text_span> spans_;
};

// Finds `piece` (white space collapsed, as the segmenters give it; a space may also stand where
// the raw text had none) in `raw` at or after byte `from`, and maps it there. `end` is where the match ended in `raw`. Fails (nothing found)
// only if `piece` is not a collapsed copy of raw text after `from`.
struct located_piece {
  source_map map;
  std::size_t end = 0;
  bool found = false;
};
located_piece locate_collapsed(std::string_view raw, std::size_t from, std::string_view piece);

// A position counted in the three units clients may ask for (rtts::offset_unit).
struct text_position {
  std::size_t utf8 = 0, utf16 = 0, code_points = 0;
  std::size_t in(offset_unit u) const { return u == offset_unit::utf8 ? utf8 : u == offset_unit::utf16 ? utf16 : code_points; }
  // The position after `text` (valid UTF-8) more.
  text_position advanced(std::string_view text) const;
};

// Byte offsets of one text to positions in all units. Remembers the last answer, so offsets
// asked in increasing order (words of a stream) cost the text once in total.
class position_counter {
public:
  explicit position_counter(std::string_view text, text_position base = {}) : text_(text), base_(base), at_(base) {}
  text_position at(std::size_t byte);

private:
  std::string_view text_;
  text_position base_, at_;
  std::size_t byte_ = 0;
};

} // namespace rtts::text
