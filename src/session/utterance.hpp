#pragma once
// One utterance a client asked for: its text and how to speak it. Every listener turns its
// protocol's request into these (an HTTP request is one; a WebSocket or Wyoming connection asks
// for many, one after another).
#include "core/speech_options.hpp"
#include "synth/encoded_stream.hpp"
#include "text/source_map.hpp"

#include <chrono>
#include <string>

namespace rtts::session {

struct utterance {
  std::string text;
  bool ssml = false;
  voice_options voice;
  synth::output_request output;
  timing_options timing;
  text::text_position origin; // where `text` starts in all the session's text (word offsets)
  // When its text was complete: first audio is measured from here.
  std::chrono::steady_clock::time_point ready_at = std::chrono::steady_clock::now();
  bool streamed = false;      // one sentence of a text the client streams in pieces
  bool end_of_stream = false; // not speech: the client's streamed text ends here
  // Set by the session core for streamed sentences: the job process they share.
  std::shared_ptr<synth::shared_job_process> shared_process;
};

} // namespace rtts::session
