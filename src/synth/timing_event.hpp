#pragma once
// A word, sentence or SSML mark, placed in the client's text and in the audio.
#include <cstddef>
#include <string>

namespace rtts::synth {

struct timing_event {
  enum class kind { word, sentence, mark } type = kind::word;
  std::string text;                // the word or sentence as the client wrote it; the mark's name
  std::size_t offset = 0, length = 0; // in the client's text, in the units it asked for
  double start = 0, end = 0;       // seconds from the start of the stream's audio (end: words only)
};

} // namespace rtts::synth
