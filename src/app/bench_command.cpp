#include "app/bench_command.hpp"

#include "api/base64.hpp"
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
#include <mutex>
#include <thread>

namespace rtts::app {
namespace {

using clock_type = std::chrono::steady_clock;

// The paragraph the RealtimeTTS example server was measured with (62 words).
const char* reference_paragraph =
    "The old lighthouse stood at the edge of the cliff, its white walls weathered by a hundred winters. Every "
    "night, the keeper climbed the spiral stairs to light the great lamp, and its beam swept across the dark "
    "water to guide the fishing boats home. Nobody in the village could remember a night when the light had "
    "failed, and nobody wanted to.";

double ms_since(clock_type::time_point t0) { return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count(); }

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5))];
}

std::unique_ptr<client::server_process> spawn_server(unsigned workers) {
  std::vector<std::string> args;
  if (workers) args = {"--workers", std::to_string(workers)};
  return std::make_unique<client::server_process>(std::filesystem::read_symlink("/proc/self/exe").string(), args);
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

request_result timed_get(const client::endpoint& at, const std::string& target) {
  client::http_request req;
  req.target = target;
  return timed(at, req);
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

void bench_websocket(const client::endpoint& at, const client::server_process* own, const std::string& paragraph) {
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
  const std::vector<std::string> voices = {"en-us", "en-gb", "de", "fr-fr", "es", "it", "nl", "pl"};
  constexpr unsigned sessions = 64;
  std::vector<std::string> reference(sessions);
  for (unsigned i = 0; i < sessions; ++i) {
    auto c = client::ws_client::connect(at, "/ws?voice=" + voices[i % voices.size()]);
    if (!c) return;
    reference[i] = ws_utterance(**c, "Session " + std::to_string(i) + ". " + paragraph).wav;
  }
  std::atomic<unsigned> correct{0};
  std::mutex m;
  std::vector<double> first;
  auto t0 = clock_type::now();
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < sessions; ++i)
    threads.emplace_back([&, i] {
      auto c = client::ws_client::connect(at, "/ws?voice=" + voices[i % voices.size()]);
      if (!c) return;
      auto r = ws_utterance(**c, "Session " + std::to_string(i) + ". " + paragraph);
      correct += r.ok && r.wav == reference[i];
      std::lock_guard lock(m);
      first.push_back(r.first_audio_ms);
    });
  for (auto& t : threads) t.join();
  std::printf("| %u sessions speaking at once | %u/%u correct; first audio p50 %.2f ms, p95 %.2f ms; all done in %.0f ms |\n", sessions,
              correct.load(), sessions, percentile(first, 0.5), percentile(first, 0.95), ms_since(t0));
}

std::string tts_target(const std::string& text, const std::string& voice) {
  return "/tts?text=" + client::url_encode(text) + (voice.empty() ? "" : "&voice=" + voice);
}

double audio_seconds(const std::string& wav) { return wav.size() > 44 ? (wav.size() - 44) / 2.0 / 22050.0 : 0; }

} // namespace

int bench(const bench_options& o) {
  // A thousand client sockets need more than the usual 1024 descriptors.
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  std::unique_ptr<client::server_process> own;
  client::endpoint at;
  if (o.url.empty()) {
    // Start-up: five cold starts, from spawn to the first answer on /health.
    std::vector<double> starts;
    for (int i = 0; i < 5; ++i) {
      auto t0 = clock_type::now();
      auto s = spawn_server(o.workers);
      client::http_request health;
      health.target = "/health";
      if (!client::fetch(s->at(), health)) return 1;
      starts.push_back(ms_since(t0));
    }
    own = spawn_server(o.workers);
    at = own->at();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    long max_worker_kib = 0;
    auto workers = own->children();
    for (auto w : workers) max_worker_kib = std::max(max_worker_kib, client::rss_kib(w));
    std::printf("| start-up to first answer (p50 of 5) | %.1f ms |\n", percentile(starts, 0.5));
    std::printf("| server RSS idle | %.1f MB |\n", client::rss_kib(own->pid()) / 1024.0);
    std::printf("| worker RSS idle (largest of %zu) | %.1f MB |\n", workers.size(), max_worker_kib / 1024.0);
  } else {
    auto rest = o.url.substr(o.url.find("://") == std::string::npos ? 0 : o.url.find("://") + 3);
    auto colon = rest.find(':');
    at.host = rest.substr(0, colon);
    at.port = colon == std::string::npos ? 80 : static_cast<unsigned>(std::stoul(rest.substr(colon + 1)));
  }

  const std::string text = o.text.empty() ? reference_paragraph : o.text;
  // Sequential latency for the paragraph.
  std::vector<double> first, total;
  double audio = 0;
  for (unsigned i = 0; i < o.requests; ++i) {
    auto r = timed_get(at, tts_target(text, ""));
    if (!r.ok) {
      std::fprintf(stderr, "rtts bench: request failed\n");
      return 1;
    }
    first.push_back(r.first_byte_ms);
    total.push_back(r.total_ms);
    audio = audio_seconds(r.body);
  }
  std::printf("| first audio byte, one client (p50 / p95 of %u) | %.2f ms / %.2f ms |\n", o.requests, percentile(first, 0.5),
              percentile(first, 0.95));
  std::printf("| whole %.1f s paragraph, one client (p50) | %.1f ms (%.0fx real time) |\n", audio, percentile(total, 0.5),
              audio * 1000 / percentile(total, 0.5));

  if (o.formats) {
    std::printf("\n| format (/v1/audio/speech, 24 kHz) | first byte p50 | one stream, x real time | 16 streams, x real time |\n|---|---|---|---|\n");
    bench_formats(at, text, audio);
    std::printf("\n");
  }

  if (o.websocket) bench_websocket(at, own.get(), text);

  // Concurrency: each client asks for its own voice and text; each answer must be exactly the
  // audio of the same request made alone.
  const std::vector<std::string> voices = {"en-us", "en-gb", "de", "fr-fr", "es", "it", "nl", "pl"};
  std::vector<std::string> targets, reference;
  for (std::size_t i = 0; i < voices.size(); ++i) {
    targets.push_back(tts_target("Client " + std::to_string(i) + " says: " + text, voices[i]));
    auto r = timed_get(at, targets.back());
    if (!r.ok) return 1;
    reference.push_back(r.body);
  }
  for (unsigned c : o.concurrency) {
    std::atomic<unsigned> correct{0}, done{0};
    std::mutex m;
    std::vector<double> firsts;
    long peak_kb = 0;
    std::atomic<bool> running{true};
    std::thread sampler([&] {
      while (running && own) {
        peak_kb = std::max(peak_kb, client::rss_kib(own->pid()));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
    auto t0 = clock_type::now();
    std::vector<std::thread> clients;
    for (unsigned k = 0; k < c; ++k) {
      clients.emplace_back([&, k] {
        for (unsigned round = 0; round < o.rounds; ++round) {
          std::size_t which = (k + round) % targets.size();
          auto r = timed_get(at, targets[which]);
          done++;
          if (r.ok && r.body == reference[which]) correct++;
          std::lock_guard lock(m);
          firsts.push_back(r.first_byte_ms);
        }
      });
    }
    for (auto& t : clients) t.join();
    double wall = ms_since(t0) / 1000;
    running = false;
    sampler.join();
    double audio_total = 0;
    for (unsigned k = 0; k < c; ++k)
      for (unsigned round = 0; round < o.rounds; ++round) audio_total += audio_seconds(reference[(k + round) % targets.size()]);
    std::printf("| %u concurrent clients x %u requests | %u/%u correct; first byte p50 %.2f ms, p95 %.2f ms; %.0f audio-s per s",
                c, o.rounds, correct.load(), done.load(), percentile(firsts, 0.5), percentile(firsts, 0.95), audio_total / wall);
    if (own) std::printf("; server RSS peak %.1f MB", peak_kb / 1024.0);
    std::printf(" |\n");
  }
  return 0;
}

} // namespace rtts::app
