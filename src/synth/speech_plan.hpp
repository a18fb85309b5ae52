#pragma once
// What one utterance will say, fragment by fragment, before any engine runs: the plain text
// each engine call reads, with the settings SSML gave it (voice, rate, pitch, volume, pauses,
// marks), and where every byte of it came from in the text the client sent.
#include "core/error.hpp"
#include "core/phoneme_span.hpp"
#include "ssml/pronunciation_lexicon.hpp"
#include "text/segmenter.hpp"
#include "text/source_map.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rtts::synth {

struct planned_mark {
  std::string name;
  std::size_t at = 0;            // byte of the fragment's text it stands before (its size: at the end)
  std::size_t source_offset = 0; // byte of the source where the <mark/> is
  bool before_pause = false;     // comes before the fragment's pause (a mark, then a <break/>)
};

// How a run of text is spoken (SSML gives these; plain text has the defaults).
struct fragment_settings {
  std::string voice;    // a voice id of the stream's engine; empty = the stream's voice
  int sample_rate = 0;  // that voice's rate when it differs from the stream's (rtts resamples)
  double speed = 1.0;   // multiplies the stream's speed
  double pitch = 1.0;   // multiplies the stream's pitch
  double gain = 1.0;    // applied to the audio by rtts
  double pause_before_s = 0; // silence rtts inserts before the fragment
  std::string language; // what it is read in (SSML xml:lang, else the voice's): picks the normalization rules
  std::vector<planned_mark> marks;
};

struct speech_fragment : fragment_settings {
  std::string text;     // plain text for the engine (normalized when asked)
  std::string written;  // the same before normalization (markup-free; sentence events show it)
  text::source_map map; // bytes of `text` -> bytes of the source
  std::vector<phoneme_span> phonemes; // words of `text` with a pronunciation given in IPA
};

struct speech_plan {
  std::vector<speech_fragment> fragments;
  std::shared_ptr<const std::string> source; // the text as the client sent it
  text::text_position origin;                // where `source` starts in the client's whole input
  double pause_after_s = 0;                  // silence after the last fragment (a trailing <break/>)
  std::vector<planned_mark> trailing_marks;  // marks after the last word
};

// One run of plain text to plan: its bytes in the source and the settings it is spoken with.
struct text_run {
  std::string text;
  text::source_map map; // text -> source
  fragment_settings settings; // marks: `at` is a byte of `text`
  std::vector<phoneme_span> phonemes; // SSML <phoneme> words: bytes of `text`
};

// Splits runs into fragments (sentences, cut when long), normalizes them if asked (with the
// rules of each run's language; a language without rules is left as written), and keeps every
// fragment's map back to the source. Runs with nothing to say keep their pauses and marks.
// With normalization on, the lexicons' aliases for each fragment's language come first.
// `lexicon_names`: only these lexicons (by name) are used; nullptr = all of `lexicons`.
speech_plan plan_runs(std::vector<text_run> runs, std::shared_ptr<const std::string> source, bool normalize,
                      const text::segmenter_policy& policy, const ssml::lexicon_set* lexicons = nullptr,
                      const std::vector<std::string>* lexicon_names = nullptr);

// Plain text: one run over all of it, in `language` (the voice's).
speech_plan plan_text(std::string_view text, bool normalize, const text::segmenter_policy& policy, std::string_view language,
                      const ssml::lexicon_set* lexicons = nullptr);

} // namespace rtts::synth
