#pragma once
// `rtts bench`: measures a server the way its clients feel it (time to first audio, real-time
// factor, correctness under concurrency) plus what it costs (start-up, memory). Prints Markdown
// for docs/benchmarks.md.
#include <string>
#include <vector>

namespace rtts::app {

struct bench_options {
  std::string url;                  // empty = start our own `rtts serve` on a free port
  unsigned workers = 0;             // for the spawned server; 0 = its default
  unsigned requests = 100;          // sequential latency samples
  std::vector<unsigned> concurrency = {1, 4, 16, 64};
  unsigned rounds = 4;              // requests per client in a concurrency run
  std::string text;                 // empty = the 62-word reference paragraph
  bool formats = false;             // also measure each output format's encoding cost
  bool websocket = false;           // also measure /ws: first audio, idle connections, 64 sessions
};

int bench(const bench_options& options);

} // namespace rtts::app
