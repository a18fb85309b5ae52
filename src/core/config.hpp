#pragma once
// Server configuration: every knob in one struct, with its default and unit, validated in one
// place (validate_config) before anything starts.
#include "core/error.hpp"

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace rtts {

struct server_config {
  std::string host = "127.0.0.1";
  unsigned port = 8000;            // 0 = let the OS choose (printed on start)
  std::string engine = "espeak";   // default engine for requests that name none
  std::vector<std::string> engines; // engines to start; empty = every engine this build knows
  std::string voice;               // default voice; empty = the engine's English default
  unsigned workers = 0;            // worker processes per engine; 0 = one per core
  unsigned compute_threads = 0;    // threads that resample and encode; 0 = one per core
  std::size_t max_text_chars = 100'000;     // code points per request (413 above)
  std::size_t max_request_line = 1 << 20;   // bytes; room for max_text_chars percent-encoded (414 above)
  std::size_t max_header_bytes = 16 * 1024; // bytes of header fields (431 above)
  std::size_t max_body_bytes = 1 << 20;     // bytes (413 above)
  double max_pause_s = 60.0;                // SSML pauses (<break>) of one document together, in seconds (413 above)
  std::size_t stream_buffer_bytes = 256 * 1024; // native PCM a stream may buffer ahead of its client
  unsigned fragment_timeout_ms = 10000;     // watchdog: a worker stuck on one fragment longer is replaced
  std::size_t max_streams = 512;            // streams in flight per engine; more get 429 (admission control)
  // Admission by real-time capacity: a new stream is refused (429 + Retry-After) when the
  // engine's measured speed could no longer keep every stream still being synthesized ahead of
  // a real-time listener at this share of its workers' time. 0 = only --max-streams.
  double admission_load = 0.8;
  // A listener is assumed to start playing this long after its first audio; a fragment that
  // comes later than such a listener needs it is a deadline miss (metrics and log).
  unsigned listener_buffer_ms = 300;
  unsigned shutdown_grace_ms = 5000;        // how long in-flight streams may finish on SIGTERM
  unsigned voices_poll_ms = 2000;           // how often the voices folders are looked at (0 = only on SIGHUP)
  std::size_t max_connections = 10000;      // open TCP connections on the HTTP listener (503 and close above)
  unsigned header_timeout_s = 10;           // to receive a request line and headers once the first byte came (slowloris)
  unsigned request_timeout_s = 30;          // to receive one whole request, body included
  unsigned keepalive_timeout_s = 60;        // an idle keep-alive connection waits this long for its next request
  unsigned write_timeout_s = 30;            // an HTTP client that takes no bytes for this long is dropped
  std::size_t ws_max_connections = 4096;    // open WebSocket sessions (503 at the upgrade above)
  std::size_t ws_max_queued = 32;           // utterances or sentences waiting per session
  std::size_t ws_max_outbox_bytes = 1 << 20; // unsent bytes per session before it stops producing
  unsigned ws_stalled_ms = 30000;           // a client that takes nothing for this long is dropped
  unsigned ws_idle_timeout_s = 300;         // a silent WebSocket is pinged, and closed if the ping goes unanswered
  std::vector<std::string> api_keys;        // empty = no authentication
  std::string admin_key;                    // changing the installed voices over HTTP; empty = refused
  std::vector<std::string> catalog_urls;    // the voice catalogues pulls read; empty = Piper's and sherpa-onnx's (src/app/voice_pull.hpp)
  bool auto_pull = false;                   // a request for a catalogue voice not installed installs it first (synth/voice_fetcher.hpp)
  std::vector<std::string> cors_origins;    // extra browser origins allowed to call the API (localhost always is)
  std::vector<std::string> allowed_hosts;   // Host names served besides loopback names and IP literals ("*" = any; DNS rebinding)
  bool allow_no_auth = false;               // serve a non-loopback address without API keys
  std::string wyoming;                      // "HOST:PORT" of the Wyoming listener; empty = off
  std::string marytts;                      // "HOST:PORT" of the MaryTTS listener; empty = off
  std::vector<std::string> lexicons;        // W3C PLS files whose aliases respell words (reread on SIGHUP)
  // OpenAI voice names -> "engine:voice" (or a voice of the default engine). Defaults map the
  // OpenAI names onto eSpeak NG's English accents; --openai-voice NAME=engine:voice adds or
  // replaces entries.
  std::map<std::string, std::string> openai_voices = {
      {"alloy", "espeak:en-us"},       {"ash", "espeak:en-gb-x-rp"},      {"ballad", "espeak:en-gb-scotland"},
      {"coral", "espeak:en-029"},      {"echo", "espeak:en-gb"},          {"fable", "espeak:en-gb-x-gbclan"},
      {"nova", "espeak:en-us-nyc"},    {"onyx", "espeak:en-gb-x-gbcwmd"}, {"sage", "espeak:en-gb-x-rp"},
      {"shimmer", "espeak:en-029"},    {"verse", "espeak:en-us-nyc"},     {"marin", "espeak:en-us"},
      {"cedar", "espeak:en-gb"}};
  std::set<std::string> openai_voices_configured; // names given with --openai-voice: kept whatever is installed
};

// A loopback address or the name "localhost": only this machine can reach it.
bool is_loopback_host(const std::string& host);

result<void> validate_config(const server_config& config);

} // namespace rtts
