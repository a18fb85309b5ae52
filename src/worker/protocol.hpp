#pragma once
// The framing between the server and its `rtts worker` processes, over a socketpair.
//
//   frame = u32 length (little endian; bytes after this field) | u8 type | u64 job | payload
//
// Control payloads are JSON; audio payloads are raw s16le samples at the engine's native rate.
// A worker handles one job at a time and answers every `synthesize` with exactly one `done` or
// `failed`, also after a `cancel`, or with `paused`: the job's process stopped after the audio it
// was allowed (synthesize_request::pause_after) and waits; the worker is free for another job.
// A paused job goes on with `resume` (then ends as any job does) or ends with its stream's
// `release`, without an answer.
#include "core/error.hpp"
#include "engines/engine.hpp"
#include "worker/word_timer.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtts::worker {

enum class frame_type : std::uint8_t {
  // server -> worker
  synthesize = 1, // payload: synthesize_request as JSON
  cancel = 2,     // no payload; stops `job` at its next audio chunk
  rescan = 3,     // no payload; `job` = a number > 0: read the installed voices again, answer with hello of that number
  release = 4,    // no payload; `job` = a stream id: the stream will send no more fragments, its job process may end
  resume = 5,     // payload: {"pause_after": samples}; a paused `job` goes on, pausing again after that much audio (0: never)
  // worker -> server
  hello = 10,     // payload: worker_hello as JSON; job 0 after start-up and when a voice turns out broken, else the rescan answered
  audio = 11,     // payload: s16le PCM
  done = 12,      // job finished (or was cancelled)
  failed = 13,    // payload: {"kind","message","code"}; job 0: the engine could not start (then the worker exits)
  word = 14,      // payload: timed_word as JSON; sent before the audio that holds the word's start
  resident = 15,  // job 0; payload: JSON array of the voices loaded, most recently used first (engines that load on use)
  loading = 16,   // no payload; `job` first loads its voice (seconds for a large model): not a hung fragment
  paused = 17,    // no payload; `job` sent the audio it was allowed and waits for `resume`
};

struct frame {
  frame_type type{};
  std::uint64_t job = 0;
  std::string payload;
};

inline constexpr std::size_t frame_header_bytes = 4 + 1 + 8;
inline constexpr std::size_t max_frame_bytes = 16 << 20;

std::string encode_frame(frame_type type, std::uint64_t job, std::string_view payload = {});

// Incremental decoder: feed bytes as they arrive, take whole frames out.
class frame_decoder {
public:
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next whole frame, nothing if more bytes are needed, or an error for a malformed stream.
  result<std::optional<frame>> next();

private:
  std::string buffer_;
  std::size_t consumed_ = 0;
};

struct synthesize_request {
  std::string text;
  engines::synthesis_params params;
  bool words = false; // send word frames
  // Byte ranges of `text` that are one word each (rewrites: "twenty twenty-six" for "2026").
  std::vector<std::pair<std::size_t, std::size_t>> units;
  // The server's id of the stream this fragment belongs to (0: none), and whether it is the
  // stream's last: engines with a process per stream (engine_capabilities::stream_process)
  // synthesize a stream's fragments in one job process, which ends after the last.
  std::uint64_t stream = 0;
  bool last = true;
  // For a fragment of a stream (stream != 0): the job pauses after the piece of audio that makes
  // this many samples (0: it never pauses), so that the server can serve more urgent streams in
  // the middle of a long fragment and come back to it. Pausing changes when the audio is made,
  // never what it is.
  std::uint64_t pause_after = 0;
};

std::string resume_payload(std::uint64_t pause_after);
std::uint64_t pause_after_from_resume(std::string_view payload); // 0 for a malformed payload

struct worker_hello {
  std::string engine;
  int sample_rate = 0;
  std::string default_voice;
  std::vector<engines::voice_info> voices;
  engines::engine_capabilities capabilities;
  // The native rate of `voice` (an id of this engine; the engine's rate for an unknown id).
  int rate_of(std::string_view voice) const;
  // The word timing `voice` gives: exact, quantized or estimated.
  std::string word_timing_of(std::string_view voice) const;
  // The language `voice` speaks ("" when unknown).
  std::string language_of(std::string_view voice) const;
};

std::string to_json(const synthesize_request& r);
std::string to_json(const worker_hello& h);
std::string to_json(const error& e);
std::string to_json(const timed_word& w);
std::string voices_to_json(const std::vector<std::string>& voices);
std::vector<std::string> voices_from_json(std::string_view json);
result<timed_word> timed_word_from_json(std::string_view json);
result<synthesize_request> synthesize_request_from_json(std::string_view json);
result<worker_hello> worker_hello_from_json(std::string_view json);
error error_from_json(std::string_view json);

} // namespace rtts::worker
