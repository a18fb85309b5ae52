#pragma once
// The one interface every speech engine implements. An engine instance lives in a worker
// process and synthesizes one text at a time; it streams native-rate mono s16 PCM into a sink
// that can say stop.
#include "core/error.hpp"
#include "core/phoneme_span.hpp"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rtts::engines {

struct voice_info {
  std::string id;       // what clients pass as `voice`, unique within the engine
  std::string name;     // human-readable
  std::string language; // BCP 47-ish, lower case, e.g. "en-us"
  std::string gender;   // "male", "female" or "" when the engine does not say
  int sample_rate = 0;  // Hz of this voice's audio; 0 = the engine's sample_rate()
  std::string word_timing; // "" = the engine's (engine_capabilities::word_timing)
  std::string broken;      // why this installed voice cannot be used; "" = usable
};

struct synthesis_params {
  std::string voice;  // a voice_info::id of this engine; never empty here
  double speed = 1.0; // 1 = normal rate
  double pitch = 1.0; // 1 = the voice's normal pitch
  // Words of the text to say as these IPA phonemes (sorted, not overlapping); engines without
  // phoneme input (engine_capabilities::phonemes) read the words as written.
  std::vector<phoneme_span> phonemes;
};

// What an engine is, as measured on this machine (../shared/NOTES.md and the tests): data for
// clients (GET /engines?detail=1) and for the server, never a special case in code. Every engine
// here is stateful, random or able to exit the process, so jobs run in processes forked from a
// warm worker: one per fragment, or one per stream (`stream_process`).
struct engine_capabilities {
  bool thread_safe = false;             // several syntheses at once in one process are safe
  bool repeatable_in_process = false;   // the same text twice in one process gives the same audio
  bool may_exit_process = false;        // some input or error ends the whole process (exit, crash)
  bool streams_within_sentence = false; // audio arrives while a sentence is still being synthesized
  bool ssml = false;                    // has an SSML input mode (rtts never hands it client markup)
  // The word timing its voices give: "exact" (from the engine's own events), "quantized" (the
  // engine's events, on its chunk boundaries), "estimated" (rtts spreads the words over the
  // speech: the engine reports none).
  std::string word_timing = "estimated";
  // Has a pitch control of its own; without one, rtts shifts the audio (src/audio/pitch_shifter.hpp).
  bool pitch = true;
  // Says IPA phonemes (SSML <phoneme>, lexicon <phoneme> entries) in its own notation.
  bool phonemes = false;
  // A stream's fragments are synthesized one after another in one job process forked for the
  // stream, instead of a process per fragment. For engines whose synthesis costs less than the
  // fork (eSpeak NG: a fork, its page faults and exit took 70 % of a job's time). The audio of a
  // fragment then depends on the stream's fragments before it (eSpeak carries pitch and filter
  // state), the same whenever the same stream is asked for; a stream's audio no longer equals
  // its fragments said one by one. Engines with large working memory (neural) keep a process
  // per fragment: a kept process holds what it wrote.
  bool stream_process = false;
};

// Receives audio as it is produced. Returning false stops the synthesis at once.
using audio_sink = std::function<bool(std::span<const std::int16_t>)>;
// Told that the word at bytes [begin, begin + length) of the text starts with the next audio
// sample the engine hands to its audio_sink. Engines with exact timing split their audio chunks
// at word starts to say so; the worker turns these into timed word events (src/worker/word_timer.hpp).
using word_sink = std::function<void(std::size_t begin, std::size_t length)>;

class engine {
public:
  virtual ~engine() = default;
  virtual std::string name() const = 0;
  virtual int sample_rate() const = 0; // of voices that do not name their own

  virtual std::vector<voice_info> voices() const = 0;
  // The voice a request gets when it names none: an English one.
  virtual std::string default_voice() const = 0;
  virtual engine_capabilities capabilities() const = 0;
  // Loads what synthesizing with `voice` needs (dictionaries, voice data) ahead of time. Workers
  // call it once before forking job processes, so those start warm.
  virtual void prepare(const std::string& voice) { (void)voice; }
  // Makes `voice` ready in this process before a job process is forked from it, for engines
  // whose voices do not all fit in memory at once (they load on first use). An error means the
  // voice cannot be used (e.g. it turned out broken).
  virtual result<void> load(const std::string& voice) {
    (void)voice;
    return {};
  }
  // Readies phoneme input (synthesis_params::phonemes) for `voice` in this process before a job
  // process is forked from it, so that jobs do not each pay for it (eSpeak NG reads its phoneme
  // names once per voice).
  virtual void prepare_phonemes(const std::string& voice) { (void)voice; }
  // The voices loaded in this process, most recently used first; empty for engines that hold all.
  virtual std::vector<std::string> resident_voices() const { return {}; }
  // Whether load(voice) has nothing to do (false: it will take a model's load time).
  virtual bool holds(const std::string& voice) const {
    (void)voice;
    return true;
  }
  // Reads the installed voices again (engines whose voices are files users add and remove: the
  // neural voices folders); true if voices() changed. A voice that left stays usable while this
  // process holds it loaded, so that streams already speaking with it finish.
  virtual bool rescan() { return false; }
  // Plain text only: engines never see client text in a markup mode. `words` may be empty (no
  // timing wanted); engines without word events ignore it.
  virtual result<void> synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink,
                                  const word_sink& words = {}) = 0;
};

} // namespace rtts::engines
