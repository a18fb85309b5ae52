#pragma once
// One utterance on its way to one client: the fragments still to synthesize, the audio the
// engine has produced but the client has not taken yet, and how it ended. The engine pool
// produces into it; the client's session consumes from it. Both run on the network thread.
#include "core/cancel_token.hpp"
#include "core/error.hpp"
#include "audio/resampler.hpp"
#include "core/speech_options.hpp"
#include "synth/speech_plan.hpp"
#include "synth/timing_event.hpp"
#include "worker/word_timer.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rtts::worker {
class stream_home;
}

namespace rtts::synth {

// The job process several streams share, one after another: the sentences of a text a client
// streams in pieces (each a stream of its own) are said as one stream's fragments are
// (engines::engine_capabilities::stream_process). Held by the session asking for them; dropping
// it, or a cancel, ends the process.
struct shared_job_process {
  std::shared_ptr<worker::stream_home> home;
};

struct stream_event {
  enum class kind { audio, timing, end, failed } type = kind::audio;
  std::vector<std::int16_t> samples; // native rate, for `audio`
  timing_event timing;               // for `timing`: always before the audio holding its start
  error failure;                     // for `failed`
  std::uint64_t silence = 0;         // for `audio` while queued: this many zero samples, made as the client takes them
};

class speech_stream {
public:
  speech_stream(boost::asio::any_io_executor ex, voice_options voice, speech_plan plan, timing_options timing, int native_rate,
                std::size_t buffer_limit_bytes, std::chrono::milliseconds listener_buffer = std::chrono::milliseconds(300));

  const voice_options& voice() const { return voice_; }
  int native_rate() const { return native_rate_; }

  // --- consumer side ---
  // The next event; after `end` or `failed` there are no more.
  boost::asio::awaitable<stream_event> next();
  // The client is gone or asked to stop: drop what is queued, stop the engine at its next chunk.
  void cancel();
  bool cancelled() const { return token_.cancelled(); }

  // --- producer side (engine pool) ---
  bool has_fragments() const { return next_fragment_ < plan_.fragments.size(); }
  // Fragments to take, or the one in synthesis paused in the middle (paused_job).
  bool has_synthesis_left() const { return has_fragments() || paused_job != 0; }
  // The next fragment to synthesize; its pause (silence) and opening events are queued now.
  const speech_fragment& take_fragment();
  // The fragment take_fragment() will give (has_fragments() must be true).
  const speech_fragment& next_fragment() const { return plan_.fragments[next_fragment_]; }
  bool has_begun() const { return next_fragment_ > 0; } // a fragment has been taken
  bool has_audio() const { return first_audio_.has_value(); } // audio (or a pause) has been queued
  // Whether the engine should report word starts for `f` (for word events or marks inside it).
  bool wants_words(const speech_fragment& f) const;
  // True while the client has taken enough of the audio that more may be synthesized.
  bool wants_more() const { return buffered_bytes_ < buffer_limit_bytes_; }
  // When its listener runs out of audio: one that started playing `listener_buffer` after the
  // first audio and plays in real time; before any audio, the moment the stream was asked for.
  // The scheduler serves the earliest deadline first, so a new stream's first audio comes before
  // more audio for streams that still have some buffered, late streams come first of all, and
  // streams far ahead of their listener wait.
  std::chrono::steady_clock::time_point playback_deadline() const;
  // --- deadlines: a listener that starts playing `listener_buffer` after the first audio ---
  // The pool calls this when the stream begins to wait for a worker: a fragment delayed because
  // its client had not taken the audio before it is the client's doing, not a miss.
  void waiting_for_worker() { ready_since_ = std::chrono::steady_clock::now(); }
  // Fragments whose audio began after such a listener would have run out, and by how much at worst.
  unsigned deadline_misses() const { return deadline_misses_; }
  double worst_lateness_s() const { return worst_lateness_s_; }
  // Characters of text not yet synthesized (the fragment in synthesis counts whole): what is
  // left to do, for the admission estimate.
  std::size_t unsynthesized_chars() const { return unsynthesized_chars_; }
  std::size_t first_fragment_chars() const { return plan_.fragments.empty() ? 0 : plan_.fragments.front().text.size(); }

  void push_audio(std::span<const std::int16_t> pcm);
  // A word of the fragment in synthesis (samples counted from the fragment's first).
  void push_word(const worker::timed_word& w);
  // The fragment in synthesis has all its audio.
  void fragment_done();
  void push_end();
  void push_failure(error e);

  // Set by the engine pool: called when cancel() happens / when the buffer drains below the limit.
  std::function<void()> on_cancel;
  std::function<void()> on_drained;
  // Held for the stream's whole life (until its client has all the audio or is gone): the
  // engine pool counts these to refuse work it cannot serve (admission control).
  std::shared_ptr<void> admission_ticket;
  // Set by the engine pool for engines with a process per stream: the worker whose job process
  // synthesizes this stream's fragments. Dropping it ends that process.
  std::shared_ptr<worker::stream_home> home;
  // Set by its session: the process it shares with the session's streams before and after it.
  std::shared_ptr<shared_job_process> shared_process;
  // Set by the engine pool: the job of the fragment in synthesis while it is paused (0: none).
  std::uint64_t paused_job = 0;
  // The pool resumes the paused fragment: its next audio is checked against the deadline as a
  // fragment's first audio is.
  void resuming();

private:
  void push(stream_event e);
  // Queues a pause without allocating it: next() hands it out in bounded chunks, and it counts
  // against the buffer limit like audio (a <break time="10s"/> is 441 KB at 22 kHz; a thousand
  // of them must not become one buffer).
  void push_silence(double seconds);
  void append_audio(std::vector<std::int16_t> samples); // at the stream's rate
  void push_timing(timing_event::kind kind, std::string text, std::size_t begin, std::size_t end, std::uint64_t start,
                   std::uint64_t stop);
  void push_mark(const planned_mark& m, std::uint64_t at);
  void push_marks_until(std::size_t byte, std::uint64_t at); // the fragment's marks before `byte`
  // When a listener (as for playback_deadline) has played `samples` of the stream.
  std::chrono::steady_clock::time_point listener_runs_out(std::uint64_t samples) const;
  void note_fragment_begins(); // the fragment in synthesis sends its first audio (since resumed): was it in time?

  voice_options voice_;
  speech_plan plan_;
  timing_options timing_;
  text::position_counter positions_;
  std::size_t next_fragment_ = 0;
  std::size_t current_ = 0;              // the fragment in synthesis
  std::size_t marks_done_ = 0;           // of the current fragment
  std::uint64_t fragment_start_ = 0;     // sample where the current fragment's audio starts
  std::uint64_t slice_start_ = 0;        // ...and where its audio since it was last resumed starts
  std::unique_ptr<audio::resampler> resampler_; // the current fragment's voice speaks at another rate
  int native_rate_;
  std::size_t buffer_limit_bytes_;
  std::size_t buffered_bytes_ = 0;
  std::uint64_t produced_samples_ = 0;
  std::chrono::steady_clock::time_point created_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration listener_buffer_;
  std::optional<std::chrono::steady_clock::time_point> first_audio_; // when the first audio (or pause) was queued
  std::chrono::steady_clock::time_point ready_since_ = created_;     // when it last began to wait for a worker
  bool fragment_audio_begun_ = true;                                   // the fragment in synthesis has sent audio (since resumed)
  unsigned deadline_misses_ = 0;
  double worst_lateness_s_ = 0;
  std::size_t unsynthesized_chars_ = 0;
  std::deque<stream_event> events_;
  bool finished_ = false; // end or failure queued
  cancel_token token_;
  boost::asio::steady_timer wakeup_;
};

} // namespace rtts::synth
