#pragma once
// Load generation for `rtts bench`: one request over any of the four speech routes, and a
// scenario of N concurrent clients, bounded in count and in time.
#include "client/http_client.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace rtts::app {

// stream_words: the stream WebSocket with word timestamps (events between the audio).
enum class bench_route { tts, ws, stream, openai, stream_words };
std::optional<bench_route> parse_route(std::string_view name);
std::string_view route_name(bench_route r);

struct bench_item {
  std::string text;
  std::string voice;
  std::string engine; // empty = the server's default
};

struct request_outcome {
  bool ok = false;      // a complete answer with audio, no error
  bool timeout = false; // the server did not answer in time
  double first_audio_ms = 0, total_ms = 0;
  std::string pcm;      // the audio, as s16le (headers and base64 removed)
  int sample_rate = 0;
  std::string error;
  double audio_seconds() const { return sample_rate ? static_cast<double>(pcm.size()) / 2 / sample_rate : 0; }
};

request_outcome run_request(bench_route route, const client::endpoint& at, const bench_item& item);
// CPU time this process (the measuring client) has used, in seconds.
double cpu_seconds_of_this_process();

struct scenario_budget {
  unsigned requests_per_client = 4;
  double seconds = 0;           // > 0: run for this long instead of a count
  double deadline_seconds = 600; // hard stop, whatever happens
};

struct scenario_result {
  bench_route route{};
  unsigned clients = 0;
  unsigned requests = 0, errors = 0, timeouts = 0, compared = 0, correct = 0;
  std::vector<double> first_audio_ms, total_ms, rtf;
  double audio_seconds = 0, wall_seconds = 0;
  double cpu_percent = 0; // server and its workers, 100 = one core
  double cpu_seconds = 0; // the same, in CPU seconds
  double client_cpu_percent = 0; // this process, all its client threads
  double peak_rss_mb = 0; // server process
  std::vector<std::string> sample_errors;
};

// `references[i]` is the audio of corpus[i] made alone (empty: no comparison). `server` is the
// pid to sample CPU and memory from (-1: none).
scenario_result run_scenario(bench_route route, const client::endpoint& at, unsigned clients, const scenario_budget& budget,
                             const std::vector<bench_item>& corpus, const std::vector<std::string>& references, pid_t server);

} // namespace rtts::app
