#include "app/bench_command.hpp"

#include "api/base64.hpp"
#include "app/bench_digits.hpp"
#include "app/bench_engine_only.hpp"
#include "app/bench_listeners.hpp"
#include "app/bench_load.hpp"
#include "client/http_client.hpp"
#include "client/server_process.hpp"
#include "client/ws_client.hpp"

#include <boost/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

namespace rtts::app {
namespace {
namespace json = boost::json;

using clock_type = std::chrono::steady_clock;

// The paragraph the RealtimeTTS example server was measured with (62 words), then shorter and
// longer texts, each with its own voice: a corpus in which every answer is distinguishable.
const char* reference_paragraph =
    "The old lighthouse stood at the edge of the cliff, its white walls weathered by a hundred winters. Every "
    "night, the keeper climbed the spiral stairs to light the great lamp, and its beam swept across the dark "
    "water to guide the fishing boats home. Nobody in the village could remember a night when the light had "
    "failed, and nobody wanted to.";

std::vector<bench_item> built_in_corpus(std::vector<std::string> voices) {
  if (voices.empty()) voices = {"en-us", "en-gb", "de", "fr-fr", "es", "it", "nl", "pl"};
  const std::vector<std::string> texts = {
      reference_paragraph,
      "Good morning. Your train to the city leaves from platform four in ten minutes.",
      "Please hold the line. All of our agents are busy, and the next free one will answer your call shortly.",
      std::string("Chapter one. ") + reference_paragraph + " The wind rose, and the sea answered it.",
      "Turn left at the next junction, then keep right for two hundred metres.",
      "The meeting has moved to three o'clock on Thursday, in the large room on the second floor.",
      "Yes.",
      "Once upon a time, in a kingdom by the sea, there lived a princess who loved to read. Every evening she "
      "climbed to the top of the tallest tower with a lantern and a book, and read until the stars came out."};
  std::vector<bench_item> corpus;
  for (std::size_t i = 0; i < texts.size(); ++i) corpus.push_back({texts[i], voices[i % voices.size()], {}});
  return corpus;
}

double ms_since(clock_type::time_point t0) { return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count(); }

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5))];
}

std::string self_executable() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

// A server of our own; with an engine named, only that engine starts (and is the default), so
// the figures are that engine's alone.
std::unique_ptr<client::server_process> spawn_server(unsigned workers, const std::string& engine) {
  std::vector<std::string> args;
  if (workers) args = {"--workers", std::to_string(workers)};
  if (!engine.empty()) args.insert(args.end(), {"--engines", engine, "--engine", engine});
  return std::make_unique<client::server_process>(self_executable(), args);
}

struct request_result {
  bool ok = false;
  double first_byte_ms = 0, total_ms = 0;
  std::string body;
};

request_result timed(const client::endpoint& at, const client::http_request& req) {
  request_result out;
  auto t0 = clock_type::now();
  auto r = client::fetch(at, req, [&](std::string_view piece) {
    if (out.body.empty()) out.first_byte_ms = ms_since(t0);
    out.body.append(piece);
    return true;
  });
  out.total_ms = ms_since(t0);
  out.ok = r && r->status == 200 && r->complete;
  return out;
}

request_result timed_speech(const client::endpoint& at, const std::string& text, const std::string& format) {
  client::http_request req;
  req.method = "POST";
  req.target = "/v1/audio/speech";
  req.headers["Content-Type"] = "application/json";
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  req.body = R"({"model":"tts-1","voice":"alloy","response_format":")" + format + R"(","input":")" + escaped + R"("})";
  return timed(at, req);
}

// Encoding cost per format on /v1/audio/speech (24 kHz, so every format pays the resampler too):
// one stream at a time, then 16 at once.
void bench_formats(const client::endpoint& at, const std::string& text, double audio_seconds) {
  for (std::string format : {"pcm", "wav", "mp3", "opus", "aac", "flac", "ulaw"}) {
    std::vector<double> first, total;
    for (int i = 0; i < 10; ++i) {
      auto r = timed_speech(at, text, format);
      first.push_back(r.first_byte_ms);
      total.push_back(r.total_ms);
    }
    constexpr unsigned clients = 16, rounds = 2;
    auto t0 = clock_type::now();
    std::vector<std::thread> threads;
    std::atomic<unsigned> ok{0};
    for (unsigned k = 0; k < clients; ++k)
      threads.emplace_back([&] {
        for (unsigned i = 0; i < rounds; ++i) ok += timed_speech(at, text, format).ok;
      });
    for (auto& t : threads) t.join();
    double wall = ms_since(t0) / 1000;
    std::printf("| %s | %.2f ms | %.0fx | %.0fx (%u/%u ok) |\n", format.c_str(), percentile(first, 0.5),
                audio_seconds * 1000 / percentile(total, 0.5), audio_seconds * clients * rounds / wall, ok.load(), clients * rounds);
  }
}

// Reads one /ws utterance; returns the PCM (header stripped) and when the first audio came.
struct ws_result {
  bool ok = false;
  double first_audio_ms = 0;
  std::string wav;
};

ws_result ws_utterance(client::ws_client& c, const std::string& text) {
  ws_result r;
  auto t0 = clock_type::now();
  if (!c.send_text(text)) return r;
  for (;;) {
    auto m = c.read();
    if (!m) return r;
    auto v = boost::json::parse(m->data).as_object();
    if (v.contains("finalOutput")) break;
    if (!v.contains("audioOutput")) return r;
    auto& a = v.at("audioOutput").as_object();
    if (!a.contains("isHeader") && r.first_audio_ms == 0) r.first_audio_ms = ms_since(t0);
    r.wav += api::base64_decode(a.at("audio").as_string());
  }
  r.ok = true;
  return r;
}

void bench_websocket(const client::endpoint& at, const client::server_process* own) {
  std::printf("\n| WebSocket /ws | value |\n|---|---|\n");
  {
    auto c = client::ws_client::connect(at, "/ws");
    if (!c) return;
    std::vector<double> first;
    for (int i = 0; i < 50; ++i) first.push_back(ws_utterance(**c, "This is one short sentence.").first_audio_ms);
    std::printf("| first audio after a one-sentence message (p50 / p95 of 50) | %.2f ms / %.2f ms |\n", percentile(first, 0.5),
                percentile(first, 0.95));
  }
  if (own) {
    long before = client::rss_kib(own->pid());
    std::vector<std::unique_ptr<client::ws_client>> idle;
    for (int i = 0; i < 1000; ++i) {
      auto c = client::ws_client::connect(at, "/ws");
      if (!c) break;
      idle.push_back(std::move(*c));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    long after = client::rss_kib(own->pid());
    std::printf("| %zu idle connections: server RSS | %.1f MB (%.1f MB before; %.1f KB each) |\n", idle.size(), after / 1024.0,
                before / 1024.0, idle.empty() ? 0.0 : static_cast<double>(after - before) / static_cast<double>(idle.size()));
  }
}


json::object scenario_json(const scenario_result& s) {
  return json::object{{"route", route_name(s.route)},
                      {"clients", s.clients},
                      {"requests", s.requests},
                      {"errors", s.errors},
                      {"timeouts", s.timeouts},
                      {"compared", s.compared},
                      {"correct", s.correct},
                      {"first_audio_ms", json::object{{"p50", percentile(s.first_audio_ms, 0.5)},
                                                      {"p95", percentile(s.first_audio_ms, 0.95)},
                                                      {"p99", percentile(s.first_audio_ms, 0.99)}}},
                      {"total_ms", json::object{{"p50", percentile(s.total_ms, 0.5)}, {"p95", percentile(s.total_ms, 0.95)}}},
                      {"audio_seconds_per_second", s.wall_seconds > 0 ? s.audio_seconds / s.wall_seconds : 0},
                      {"rtf_p50", percentile(s.rtf, 0.5)},
                      {"server_cpu_percent", s.cpu_percent},
                      {"client_cpu_percent", s.client_cpu_percent},
                      {"server_peak_rss_mb", s.peak_rss_mb},
                      {"sample_errors", json::array(s.sample_errors.begin(), s.sample_errors.end())}};
}

void print_scenario_row(const scenario_result& s) {
  std::printf("| %s | %u | %u | %u (%u timeouts) | %u/%u | %.2f / %.2f / %.2f ms | %.1f / %.1f ms | %.0f | %.0fx | %.0f%% | %.0f%% | %.1f MB |\n",
              std::string(route_name(s.route)).c_str(), s.clients, s.requests, s.errors, s.timeouts, s.correct, s.compared,
              percentile(s.first_audio_ms, 0.5), percentile(s.first_audio_ms, 0.95), percentile(s.first_audio_ms, 0.99),
              percentile(s.total_ms, 0.5), percentile(s.total_ms, 0.95), s.wall_seconds > 0 ? s.audio_seconds / s.wall_seconds : 0.0,
              percentile(s.rtf, 0.5), s.cpu_percent, s.client_cpu_percent, s.peak_rss_mb);
  for (const auto& e : s.sample_errors) std::fprintf(stderr, "  %s error: %s\n", std::string(route_name(s.route)).c_str(), e.c_str());
}

// The texts (built in, or one per line of `path`), each with the next of the voices, all on `engine`.
result<std::vector<bench_item>> load_corpus(const std::string& path, const std::string& engine, std::vector<std::string> voices) {
  if (!engine.empty() && engine != "espeak" && voices.empty())
    return make_error(error_kind::invalid_request, "--engine " + engine + " needs --voices (see `rtts voices --engine " + engine + "`)");
  std::vector<bench_item> corpus;
  if (path.empty()) {
    corpus = built_in_corpus(voices);
  } else {
    std::ifstream in(path);
    if (!in) return make_error(error_kind::invalid_request, "cannot read corpus " + path);
    if (voices.empty()) voices = {"en-us", "en-gb", "de", "fr-fr"};
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) corpus.push_back({line, voices[corpus.size() % voices.size()], {}});
    if (corpus.empty()) return make_error(error_kind::invalid_request, "corpus " + path + " has no lines");
  }
  for (auto& item : corpus) item.engine = engine;
  return corpus;
}

json::object listener_json(const listener_options& o, const listener_report& r) {
  return json::object{{"listeners", r.listeners},
                      {"arrivals_over_s", o.arrivals_over},
                      {"speech_seconds", o.speech_seconds},
                      {"buffer_s", o.buffer_seconds},
                      {"text_chars", r.text_chars},
                      {"completed", r.completed},
                      {"failed", r.failed},
                      {"refused", r.refused},
                      {"never_dry", r.never_dry},
                      {"underruns", r.underruns},
                      {"worst_gap_s", r.worst_gap_s},
                      {"first_audio_ms", json::object{{"p50", percentile(r.first_audio_ms, 0.5)},
                                                      {"p95", percentile(r.first_audio_ms, 0.95)},
                                                      {"p99", percentile(r.first_audio_ms, 0.99)}}},
                      {"audio_seconds", r.audio_seconds},
                      {"wall_seconds", r.wall_seconds},
                      {"client_cpu_percent", r.client_cpu_percent},
                      {"server_cpu_percent", r.server_cpu_percent},
                      {"server_peak_rss_mb", r.server_peak_rss_mb},
                      {"server_deadline_misses", r.server_deadline_misses},
                      {"sample_errors", json::array(r.sample_errors.begin(), r.sample_errors.end())}};
}

void print_listeners(const listener_options& o, const listener_report& r) {
  std::printf("| listeners | arriving over | speech each | completed | refused (429) | never ran dry | underruns | worst gap | first audio p50 / p95 / p99 | "
              "server deadline misses | server CPU | server peak RSS | client CPU |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::printf("| %u | %.1f s | %.0f s | %u | %u | %u | %u | %.2f s | %.1f / %.1f / %.1f ms | %.0f | %.0f%% | %.1f MB | %.0f%% |\n", r.listeners,
              o.arrivals_over, o.speech_seconds, r.completed, r.refused, r.never_dry, r.underruns, r.worst_gap_s,
              percentile(r.first_audio_ms, 0.5), percentile(r.first_audio_ms, 0.95), percentile(r.first_audio_ms, 0.99),
              r.server_deadline_misses, r.server_cpu_percent, r.server_peak_rss_mb, r.client_cpu_percent);
  for (const auto& e : r.sample_errors) std::fprintf(stderr, "  listener error: %s\n", e.c_str());
}

bool is_loopback(const std::string& host) { return host == "localhost" || host.starts_with("127.") || host == "::1"; }

} // namespace

int bench(const bench_options& o) {
  if (o.digits) return bench_digits(o.json);
  // A thousand client sockets need more than the usual 1024 descriptors.
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  auto fail = [](const std::string& message) {
    std::fprintf(stderr, "rtts bench: %s\n", message.c_str());
    return 1;
  };
  auto corpus = load_corpus(o.corpus, o.engine, o.voices);
  if (!corpus) return fail(corpus.error().message);
  std::vector<bench_route> routes;
  for (const auto& name : o.routes) {
    auto r = parse_route(name);
    if (!r) return fail("unknown route '" + name + "' (tts, ws, stream, openai, stream-words)");
    routes.push_back(*r);
  }
  unsigned workers = o.workers ? o.workers : std::max(1u, std::thread::hardware_concurrency());
  json::object report{{"date_unix", std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count()},
                      {"cores", std::thread::hardware_concurrency()},
                      {"corpus_items", corpus->size()}};

  // The engine's own limit: the same fragments, straight into worker processes.
  std::optional<engine_only_result> engine;
  if (o.engine_only || o.url.empty()) {
    auto measured = measure_engine_only(self_executable(), o.engine.empty() ? "espeak" : o.engine, workers, *corpus, 8);
    if (!measured) return fail(measured.error().message);
    engine = *measured;
    report["engine_only"] = json::object{{"workers", engine->workers}, {"fragments", engine->fragments},
                                         {"audio_seconds", engine->audio_seconds}, {"wall_seconds", engine->wall_seconds},
                                         {"cpu_seconds", engine->cpu_seconds}, {"audio_seconds_per_second", engine->throughput()}};
    if (!o.json)
      std::printf("| engine only (%u workers, no server) | %u fragments, %.1f s of audio in %.2f s: %.0f audio-s per s, %.0f per CPU-second |\n\n",
                  engine->workers, engine->fragments, engine->audio_seconds, engine->wall_seconds, engine->throughput(),
                  engine->audio_per_cpu_second());
    if (o.engine_only) {
      if (o.json) std::printf("%s\n", json::serialize(report).c_str());
      return 0;
    }
  }

  std::unique_ptr<client::server_process> own;
  client::endpoint at;
  if (o.url.empty()) {
    std::vector<double> starts;
    for (int i = 0; i < 5; ++i) {
      auto t0 = clock_type::now();
      auto s = spawn_server(o.workers, o.engine);
      client::http_request health;
      health.target = "/health";
      if (!client::fetch(s->at(), health)) return fail("the spawned server does not answer");
      starts.push_back(ms_since(t0));
    }
    own = spawn_server(o.workers, o.engine);
    at = own->at();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    long max_worker_kib = 0;
    auto children = own->children();
    for (auto w : children) max_worker_kib = std::max(max_worker_kib, client::rss_kib(w));
    report["server"] = json::object{{"startup_ms_p50", percentile(starts, 0.5)},
                                    {"rss_idle_mb", client::rss_kib(own->pid()) / 1024.0},
                                    {"worker_rss_idle_mb", max_worker_kib / 1024.0},
                                    {"workers", children.size()}};
    if (!o.json) {
      std::printf("| start-up to first answer (p50 of 5) | %.1f ms |\n", percentile(starts, 0.5));
      std::printf("| server RSS idle | %.1f MB |\n", client::rss_kib(own->pid()) / 1024.0);
      std::printf("| worker RSS idle (largest of %zu) | %.1f MB |\n\n", children.size(), max_worker_kib / 1024.0);
    }
  } else {
    auto parsed = client::parse_base_url(o.url);
    if (!parsed) return fail(parsed.error().message);
    if (!o.allow_remote && !is_loopback(parsed->host)) return fail("refusing to load a non-loopback server without --allow-remote");
    at = *parsed;
  }
  pid_t server_pid = own ? own->pid() : -1;

  if (o.listeners > 0) {
    listener_options lo{o.listeners, o.arrivals_over, o.speech_seconds, o.buffer_seconds, o.voices.empty() ? "" : o.voices.front(), o.engine};
    auto r = run_listeners(at, lo, server_pid);
    report["listeners"] = listener_json(lo, r);
    if (o.json) std::printf("%s\n", json::serialize(report).c_str());
    else print_listeners(lo, r);
    return r.failed == 0 ? 0 : 3;
  }

  if (!o.json) {
    std::printf("| route | clients | requests | errors | correct | first audio p50 / p95 / p99 | total p50 / p95 | audio-s per s | RTF p50 | server CPU | client CPU | server peak RSS |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  }
  json::array scenarios;
  double best_throughput = 0;
  double best_per_cpu = 0; // of the scenario with the best throughput: audio-s per CPU-second of the server and its workers
  bool all_clean = true;
  for (auto route : routes) {
    std::vector<std::string> references;
    if (o.compare)
      for (const auto& item : *corpus) references.push_back(run_request(route, at, item).pcm);
    for (unsigned clients : o.concurrency) {
      scenario_budget budget;
      budget.requests_per_client = o.requests;
      budget.seconds = o.seconds;
      auto s = run_scenario(route, at, clients, budget, *corpus, references, server_pid);
      double throughput = s.wall_seconds > 0 ? s.audio_seconds / s.wall_seconds : 0;
      if (throughput > best_throughput) {
        best_throughput = throughput;
        best_per_cpu = s.cpu_seconds > 0 ? s.audio_seconds / s.cpu_seconds : 0;
      }
      all_clean = all_clean && s.errors == 0 && s.correct == s.compared;
      scenarios.push_back(scenario_json(s));
      if (!o.json) print_scenario_row(s);
    }
  }
  report["scenarios"] = std::move(scenarios);
  if (engine && engine->throughput() > 0) {
    report["server_vs_engine"] = best_throughput / engine->throughput();
    if (!o.json) std::printf("\nbest server throughput / engine-only throughput: %.0f%%\n", 100 * best_throughput / engine->throughput());
    // Per CPU-second: what the server costs on top of the engine, whatever else (the measuring
    // client, on the same machine) takes of the cores.
    if (best_per_cpu > 0 && engine->audio_per_cpu_second() > 0) {
      report["server_vs_engine_per_cpu"] = best_per_cpu / engine->audio_per_cpu_second();
      if (!o.json)
        std::printf("audio-s per CPU-second of the server and its workers, same scenario: %.0f; engine alone: %.0f (%.0f%%)\n", best_per_cpu,
                    engine->audio_per_cpu_second(), 100 * best_per_cpu / engine->audio_per_cpu_second());
    }
  }
  if (o.formats) {
    if (!o.json) std::printf("\n| format (/v1/audio/speech, 24 kHz) | first byte p50 | one stream, x real time | 16 streams, x real time |\n|---|---|---|---|\n");
    bench_formats(at, reference_paragraph, 17.5);
  }
  if (o.websocket) bench_websocket(at, own.get());
  if (o.json) std::printf("%s\n", json::serialize(report).c_str());
  return all_clean ? 0 : 3; // 3: the server answered with errors or wrong audio
}

} // namespace rtts::app
