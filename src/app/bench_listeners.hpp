#pragma once
// `rtts bench --listeners N`: many streams played as a player plays them. Each listener asks
// /tts for about `speech_seconds` of speech at its arrival time, starts playing `buffer_seconds`
// after its first audio, then consumes in real time; when it runs dry it waits for the next
// bytes (an underrun) and plays on. One thread drives every listener (Asio), so the measuring
// client leaves the server its cores; its own CPU time is reported.
#include "client/http_client.hpp"

#include <sys/types.h>

#include <string>
#include <vector>

namespace rtts::app {

struct listener_options {
  unsigned listeners = 100;
  double arrivals_over = 10;  // seconds over which they arrive, evenly; 0 = all at once
  double speech_seconds = 48; // each listener's speech (texts sized by a calibration request)
  double buffer_seconds = 0.3; // played after the first audio plus this long
  std::string voice;          // "" = the server's default
  std::string engine;         // "" = the server's default
};

struct listener_report {
  unsigned listeners = 0, completed = 0, failed = 0, refused = 0; // refused: 429 at admission
  unsigned never_dry = 0;        // completed listeners that never ran out of audio
  unsigned underruns = 0;        // times any listener ran dry
  double worst_gap_s = 0;        // longest silence a listener heard mid-stream
  std::vector<double> first_audio_ms;
  double audio_seconds = 0, wall_seconds = 0;
  double client_cpu_percent = 0; // this process (the measuring client), 100 = one core
  double server_cpu_percent = 0; // server and workers, when the pid is known
  double server_peak_rss_mb = 0;
  double server_deadline_misses = 0; // rtts_deadline_misses_total over the run, from /metrics
  double text_chars = 0;             // characters per listener's text
  std::vector<std::string> sample_errors;
};

listener_report run_listeners(const client::endpoint& at, const listener_options& options, pid_t server);

} // namespace rtts::app
