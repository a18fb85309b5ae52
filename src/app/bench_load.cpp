#include "app/bench_load.hpp"

#include "api/base64.hpp"
#include "client/server_process.hpp"
#include "client/ws_client.hpp"

#include <boost/json.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

namespace rtts::app {
namespace json = boost::json;
namespace {

using clock_type = std::chrono::steady_clock;
double ms_since(clock_type::time_point t0) { return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count(); }

bool looks_like_timeout(const std::string& message) {
  return message.find("timed out") != std::string::npos || message.find("temporarily unavailable") != std::string::npos;
}

request_outcome read_failed(request_outcome out, std::string message) {
  out.timeout = looks_like_timeout(message);
  out.error = std::move(message);
  return out;
}

request_outcome http_request(const client::endpoint& at, const client::http_request& req, bool wav) {
  request_outcome out;
  auto t0 = clock_type::now();
  auto r = client::fetch(at, req, [&](std::string_view piece) {
    if (out.pcm.empty() && !piece.empty()) out.first_audio_ms = ms_since(t0);
    out.pcm.append(piece);
    return true;
  });
  out.total_ms = ms_since(t0);
  if (!r) {
    out.error = r.error().message;
    out.timeout = looks_like_timeout(out.error);
    return out;
  }
  if (r->status != 200) {
    out.error = "HTTP " + std::to_string(r->status) + ": " + out.pcm.substr(0, 200);
    return out;
  }
  out.sample_rate = std::atoi(r->header("x-audio-sample-rate").c_str());
  if (wav && out.pcm.size() >= 44) out.pcm.erase(0, 44);
  out.ok = r->complete && !out.pcm.empty();
  if (!r->complete) out.error = "stream cut short";
  return out;
}

request_outcome ws_request(const client::endpoint& at, const bench_item& item) {
  request_outcome out;
  auto t0 = clock_type::now();
  auto c = client::ws_client::connect(at, "/ws?voice=" + client::url_encode(item.voice) + "&engine=" + client::url_encode(item.engine));
  if (!c) {
    out.error = c.error().message;
    return out;
  }
  (*c)->send_text(item.text);
  for (;;) {
    auto m = (*c)->read();
    if (!m) return read_failed(std::move(out), m.error().message);
    auto v = json::parse(m->data).as_object();
    if (v.contains("finalOutput")) break;
    if (v.contains("error")) {
      out.error = m->data;
      return out;
    }
    const auto& a = v.at("audioOutput").as_object();
    out.sample_rate = static_cast<int>(a.at("sampleRate").as_int64());
    if (a.contains("isHeader")) continue;
    if (out.pcm.empty()) out.first_audio_ms = ms_since(t0);
    out.pcm += api::base64_decode(a.at("audio").as_string());
  }
  out.total_ms = ms_since(t0);
  (*c)->send_text("stop");
  out.ok = !out.pcm.empty();
  return out;
}

request_outcome stream_request(const client::endpoint& at, const bench_item& item, bool words) {
  request_outcome out;
  auto t0 = clock_type::now();
  auto c = client::ws_client::connect(at, "/v1/audio/speech-stream");
  if (!c) {
    out.error = c.error().message;
    return out;
  }
  json::object config{{"type", "config"}, {"voice", item.voice}, {"format", "pcm"}, {"binary", true}};
  if (words) config["timestamps"] = "word";
  if (!item.engine.empty()) config["engine"] = item.engine;
  (*c)->send_text(json::serialize(config));
  (*c)->send_text(json::serialize(json::object{{"type", "text"}, {"text", item.text}}));
  (*c)->send_text(R"({"type":"end"})");
  for (;;) {
    auto m = (*c)->read();
    if (!m) return read_failed(std::move(out), m.error().message);
    if (m->binary) {
      if (out.pcm.empty()) out.first_audio_ms = ms_since(t0);
      out.pcm += m->data;
      continue;
    }
    auto v = json::parse(m->data).as_object();
    auto type = v.at("type").as_string();
    if (type == "audio_start") out.sample_rate = static_cast<int>(v.at("sample_rate").as_int64());
    else if (type == "error") {
      out.error = m->data;
      return out;
    } else if (type == "done") break;
  }
  out.total_ms = ms_since(t0);
  out.ok = !out.pcm.empty();
  return out;
}

} // namespace

std::optional<bench_route> parse_route(std::string_view name) {
  if (name == "tts") return bench_route::tts;
  if (name == "ws") return bench_route::ws;
  if (name == "stream") return bench_route::stream;
  if (name == "openai") return bench_route::openai;
  if (name == "stream-words") return bench_route::stream_words;
  return std::nullopt;
}

std::string_view route_name(bench_route r) {
  switch (r) {
  case bench_route::tts: return "tts";
  case bench_route::ws: return "ws";
  case bench_route::stream: return "stream";
  case bench_route::openai: return "openai";
  case bench_route::stream_words: return "stream-words";
  }
  return "?";
}

request_outcome run_request(bench_route route, const client::endpoint& at, const bench_item& item) {
  switch (route) {
  case bench_route::tts: {
    client::http_request req;
    req.target = "/tts?text=" + client::url_encode(item.text) + "&voice=" + client::url_encode(item.voice);
    if (!item.engine.empty()) req.target += "&engine=" + client::url_encode(item.engine);
    return http_request(at, req, true);
  }
  case bench_route::openai: {
    client::http_request req;
    req.method = "POST";
    req.target = "/v1/audio/speech";
    req.headers["Content-Type"] = "application/json";
    req.body = json::serialize(json::object{{"model", "tts-1"}, {"input", item.text}, {"voice", (item.engine.empty() ? std::string("espeak") : item.engine) + ":" + item.voice}, {"response_format", "pcm"}});
    return http_request(at, req, false);
  }
  case bench_route::ws: return ws_request(at, item);
  case bench_route::stream: return stream_request(at, item, false);
  case bench_route::stream_words: return stream_request(at, item, true);
  }
  return {};
}

double cpu_seconds_of_this_process() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

scenario_result run_scenario(bench_route route, const client::endpoint& at, unsigned clients, const scenario_budget& budget,
                             const std::vector<bench_item>& corpus, const std::vector<std::string>& references, pid_t server) {
  scenario_result result;
  result.route = route;
  result.clients = clients;
  std::mutex m;
  std::atomic<bool> running{true};
  auto t0 = clock_type::now();
  auto stop_at = t0 + std::chrono::duration_cast<clock_type::duration>(
                          std::chrono::duration<double>(budget.seconds > 0 ? budget.seconds : budget.deadline_seconds));
  auto hard_stop = t0 + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(budget.deadline_seconds));
  long long ticks_before = client::tree_cpu_ticks(server);
  double client_cpu_before = cpu_seconds_of_this_process();

  std::thread sampler([&] {
    while (running) {
      if (server > 0) {
        double mb = client::rss_kib(server) / 1024.0;
        std::lock_guard lock(m);
        result.peak_rss_mb = std::max(result.peak_rss_mb, mb);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::vector<std::thread> threads;
  for (unsigned k = 0; k < clients; ++k)
    threads.emplace_back([&, k] {
      for (unsigned i = 0;; ++i) {
        auto now = clock_type::now();
        if (now >= hard_stop || (budget.seconds > 0 ? now >= stop_at : i >= budget.requests_per_client)) return;
        std::size_t which = (k + i) % corpus.size();
        auto outcome = run_request(route, at, corpus[which]);
        std::lock_guard lock(m);
        ++result.requests;
        if (!outcome.ok) {
          ++result.errors;
          result.timeouts += outcome.timeout;
          if (result.sample_errors.size() < 3) result.sample_errors.push_back(outcome.error.substr(0, 200));
          continue;
        }
        result.first_audio_ms.push_back(outcome.first_audio_ms);
        result.total_ms.push_back(outcome.total_ms);
        result.rtf.push_back(outcome.total_ms > 0 ? outcome.audio_seconds() * 1000 / outcome.total_ms : 0);
        result.audio_seconds += outcome.audio_seconds();
        if (which < references.size() && !references[which].empty()) {
          ++result.compared;
          result.correct += outcome.pcm == references[which];
        }
      }
    });
  for (auto& t : threads) t.join();
  result.wall_seconds = ms_since(t0) / 1000;
  running = false;
  sampler.join();
  long long ticks = client::tree_cpu_ticks(server) - ticks_before;
  if (server > 0) {
    result.cpu_percent = client::cpu_percent(ticks, result.wall_seconds);
    result.cpu_seconds = result.cpu_percent / 100 * result.wall_seconds;
  }
  result.client_cpu_percent = 100 * (cpu_seconds_of_this_process() - client_cpu_before) / result.wall_seconds;
  return result;
}

} // namespace rtts::app
