#pragma once
// A small Prometheus registry (no Prometheus C++ library is in Debian 12): counters and
// histograms with labels, rendered in the text exposition format. Thread-safe; one per process.
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace rtts::metrics {

using labels = std::vector<std::string>; // values, in the order of the family's label names

class counter {
public:
  counter(std::string name, std::string help, std::vector<std::string> label_names);
  void inc(const labels& values, double by = 1);
  void render(std::string& out) const;

private:
  std::string name_, help_;
  std::vector<std::string> label_names_;
  mutable std::mutex m_;
  std::map<labels, double> values_;
};

class histogram {
public:
  histogram(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> buckets);
  void observe(const labels& values, double v);
  void render(std::string& out) const;

private:
  struct series {
    std::vector<std::uint64_t> counts; // per bucket, not cumulative
    double sum = 0;
    std::uint64_t count = 0;
  };
  std::string name_, help_;
  std::vector<std::string> label_names_;
  std::vector<double> buckets_;
  mutable std::mutex m_;
  std::map<labels, series> values_;
};

// The process's metrics. Gauges are not stored: the /metrics route renders them from live state.
struct registry {
  counter http_requests{"rtts_http_requests_total", "HTTP requests by route.", {"route"}};
  counter http_responses{"rtts_http_responses_total", "HTTP responses by status code.", {"code"}};
  counter streams{"rtts_streams_total", "Speech streams by engine and outcome (completed, failed, cancelled).", {"engine", "outcome"}};
  counter audio_seconds{"rtts_audio_seconds_total", "Seconds of audio delivered, by engine.", {"engine"}};
  counter audio_bytes{"rtts_audio_bytes_total", "Encoded audio bytes delivered, by format.", {"format"}};
  counter worker_restarts{"rtts_worker_restarts_total", "Worker processes that exited and were replaced.", {"engine"}};
  counter job_pauses{"rtts_job_pauses_total", "Fragments paused in the middle so that more urgent streams went first.", {"engine"}};
  histogram first_audio{"rtts_time_to_first_audio_seconds", "From the request to its first audio bytes.", {"engine"},
                        {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5}};
  histogram total_time{"rtts_stream_duration_seconds", "From the request to its last audio bytes.", {"engine"},
                       {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}};
  histogram real_time_factor{"rtts_stream_speed_ratio", "Audio seconds per wall second of a whole stream (higher is faster).",
                             {"engine"}, {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}};

  // Deadlines (--listener-buffer-ms): how far ahead of a real-time listener each fragment's audio
  // began (negative: late), and the fragments that came too late. The first fragment's
  // lateness is the time to first audio, above.
  counter deadline_misses{"rtts_deadline_misses_total",
                          "Fragments whose audio began after a listener playing since the stream's first audio (plus --listener-buffer-ms) ran out.",
                          {"engine"}};
  histogram stream_lead{"rtts_stream_lead_seconds",
                        "How far ahead of a real-time listener each fragment's audio began, in seconds (negative: late).", {"engine"},
                        {-5, -1, -0.3, -0.1, -0.03, 0, 0.1, 0.3, 1, 3, 10, 30, 100}};
  // Planning (SSML, segmentation, normalization) by where it ran: inputs of 4 KB and more go to
  // the compute pool so that the network thread only does I/O.
  histogram plan_time{"rtts_plan_seconds", "Time to plan an input (SSML, segmentation, normalization), by the thread it ran on.",
                      {"thread"}, {0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1}};
  // Admission by real-time capacity (--admission-load): streams refused.
  counter admission_refusals{"rtts_admission_refusals_total", "New streams refused because the engine was at its real-time capacity.",
                             {"engine"}};

  std::string render() const;
};

registry& global();

// Escapes a label value for the text format.
std::string escape_label(const std::string& v);

// A gauge read from live state when /metrics is asked for (connections, workers, queues),
// rendered like the registered families: one row per label set.
struct gauge_row {
  labels values;
  double value;
};
void render_gauge(std::string& out, const std::string& name, const std::string& help, const std::vector<std::string>& label_names,
                  const std::vector<gauge_row>& rows);

} // namespace rtts::metrics
