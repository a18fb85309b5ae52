#include "app/bench_engine_only.hpp"

#include "client/server_process.hpp"
#include "engines/registry.hpp"
#include "text/segmenter.hpp"
#include "worker/protocol.hpp"
#include "worker/worker_process.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace rtts::app {
namespace {

struct direct_worker {
  pid_t pid = -1;
  int fd = -1;
  worker::worker_hello info;
  worker::frame_decoder decoder;

  ~direct_worker() {
    if (fd >= 0) ::close(fd); // the worker sees EOF and exits
    if (pid > 0) ::waitpid(pid, nullptr, 0);
  }

  bool send(const std::string& bytes) const {
    std::size_t done = 0;
    while (done < bytes.size()) {
      auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  std::optional<worker::frame> next() {
    for (;;) {
      auto f = decoder.next();
      if (!f) return std::nullopt;
      if (*f) return std::move(**f);
      char buf[65536];
      auto n = ::read(fd, buf, sizeof buf);
      if (n <= 0) return std::nullopt;
      decoder.feed({buf, static_cast<std::size_t>(n)});
    }
  }
};

result<std::unique_ptr<direct_worker>> start_worker(const std::string& executable, const std::string& engine) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return make_error(error_kind::internal, "socketpair failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 3);
  std::string a0 = executable, a1 = "worker", a2 = "--engine", a3 = engine;
  char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), nullptr};
  // The environment the server gives its workers: the engine alone is measured as it runs there.
  auto env = worker::worker_environment(engine);
  std::vector<char*> envp;
  for (auto& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  auto w = std::make_unique<direct_worker>();
  int rc = ::posix_spawn(&w->pid, executable.c_str(), &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  w->fd = fds[0];
  if (rc != 0) return make_error(error_kind::internal, "cannot start a worker");
  auto hello = w->next();
  if (!hello || hello->type != worker::frame_type::hello) return make_error(error_kind::internal, "the worker did not say hello");
  auto info = worker::worker_hello_from_json(hello->payload);
  if (!info) return info.error();
  w->info = *info;
  return w;
}

} // namespace

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

  std::vector<std::unique_ptr<direct_worker>> pool;
  for (unsigned i = 0; i < workers; ++i) {
    auto w = start_worker(engines::worker_program(engine, executable), engine);
    if (!w) return w.error();
    pool.push_back(std::move(*w));
  }
  std::atomic<std::size_t> next{0};
  std::vector<double> seconds(pool.size(), 0.0); // audio per worker thread, at each voice's own rate
  auto cpu_ticks = [&] {
    long long ticks = 0; // a worker's own, and its job processes' once it has reaped them
    for (const auto& w : pool) ticks += client::tree_cpu_ticks(w->pid);
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
        std::string voice = texts[i].voice.empty() ? worker->info.default_voice : texts[i].voice;
        double rate = worker->info.rate_of(voice);
        const auto& parts = texts[i].fragments;
        for (std::size_t k = 0; k < parts.size(); ++k) {
          worker::synthesize_request request{parts[k], {voice, 1.0, 1.0, {}}, false, {}};
          request.stream = i + 1;
          request.last = k + 1 == parts.size();
          if (!worker->send(worker::encode_frame(worker::frame_type::synthesize, ++id, worker::to_json(request)))) return;
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
