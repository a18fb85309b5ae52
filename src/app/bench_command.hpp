#pragma once
// `rtts bench`: measures a server the way its clients feel it (time to first audio, real-time
// factor, correctness under concurrency, errors) and what it costs (CPU, memory, start-up),
// next to the engine's own limit. Prints Markdown tables, or JSON with --json.
#include <string>
#include <vector>

namespace rtts::app {

struct bench_options {
  std::string url;                                // empty = start our own `rtts serve` on a free port
  unsigned workers = 0;                           // for the spawned server; 0 = its default
  std::vector<std::string> routes = {"tts", "ws"}; // tts, ws, stream, openai
  std::vector<unsigned> concurrency = {1, 4, 16, 64};
  unsigned requests = 4;                          // per client, per scenario
  double seconds = 0;                             // > 0: each scenario runs this long instead
  std::string corpus;                             // file with one text per line; empty = built in
  bool compare = true;                            // byte-compare each answer with the same request made alone
  bool json = false;
  bool engine_only = false;                       // only measure the engine, no server
  bool digits = false;                            // only: how eSpeak NG reads digits per language (bench_digits.hpp)
  bool formats = false;                           // also: each output format's encoding cost
  bool websocket = false;                         // also: /ws first audio and 1000 idle connections
  bool allow_remote = false;                      // loopback only unless set
  std::string engine;                             // empty = eSpeak NG (the default engine)
  std::vector<std::string> voices;                // the corpus's voices; empty = eSpeak's built-in set
  // Listener mode (--listeners N): N players instead of the route scenarios.
  unsigned listeners = 0;
  double arrivals_over = 10, speech_seconds = 48, buffer_seconds = 0.3;
};

int bench(const bench_options& options);

} // namespace rtts::app
