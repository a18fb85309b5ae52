#include "app/bench_engine_only.hpp"

#include "client/server_process.hpp"
#include "engines/registry.hpp"
#include "text/segmenter.hpp"
#include "worker/protocol.hpp"
#include "worker/worker_launch.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace rtts::app {

result<engine_only_result> measure_engine_only(const std::string& executable, const std::string& engine, unsigned workers,
                                               const std::vector<bench_item>& corpus, unsigned rounds) {
  // Each text is one stream of fragments, run one after another as the server runs them (in
  // one job process for engines with a process per stream).
  struct text_job {
    std::vector<std::string> fragments;
    std::string voice;
  };
  std::vector<text_job> texts;
  unsigned fragments = 0;
  for (unsigned r = 0; r < rounds; ++r)
    for (const auto& item : corpus) {
      texts.push_back({text::split_into_fragments(item.text), item.voice});
      fragments += static_cast<unsigned>(texts.back().fragments.size());
    }

  // Started as the server starts its workers: the engine alone is measured as it runs there.
  std::vector<std::unique_ptr<worker::worker_connection>> pool;
  for (unsigned i = 0; i < workers; ++i) {
    auto w = worker::worker_connection::start(engines::worker_program(engine, executable), engine);
    if (!w) return w.error();
    pool.push_back(std::move(*w));
  }
  std::atomic<std::size_t> next{0};
  std::vector<double> seconds(pool.size(), 0.0); // audio per worker thread, at each voice's own rate
  auto cpu_ticks = [&] {
    long long ticks = 0; // a worker's own, and its job processes' once it has reaped them
    for (const auto& w : pool) ticks += client::tree_cpu_ticks(w->pid());
    return ticks;
  };
  long long ticks_before = cpu_ticks();
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < pool.size(); ++t)
    threads.emplace_back([&, t, worker = pool[t].get()] {
      std::uint64_t id = 0;
      for (;;) {
        std::size_t i = next++;
        if (i >= texts.size()) return;
        std::string voice = texts[i].voice.empty() ? worker->hello().default_voice : texts[i].voice;
        double rate = worker->hello().rate_of(voice);
        const auto& parts = texts[i].fragments;
        for (std::size_t k = 0; k < parts.size(); ++k) {
          worker::synthesize_request request{parts[k], {voice, 1.0, 1.0, {}}, false, {}};
          request.stream = i + 1;
          request.last = k + 1 == parts.size();
          if (!worker->send(worker::frame_type::synthesize, ++id, worker::to_json(request))) return;
          while (auto f = worker->next()) {
            if (f->type == worker::frame_type::audio) seconds[t] += static_cast<double>(f->payload.size() / 2) / rate;
            if (f->type == worker::frame_type::done || f->type == worker::frame_type::failed) break;
          }
        }
      }
    });
  for (auto& t : threads) t.join();
  engine_only_result r;
  r.workers = workers;
  r.fragments = fragments;
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpu_seconds = static_cast<double>(cpu_ticks() - ticks_before) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  for (double s : seconds) r.audio_seconds += s;
  return r;
}

} // namespace rtts::app
