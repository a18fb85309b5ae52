#include "synth/engine_pool.hpp"

#include "metrics/registry.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace rtts::synth {
namespace asio = boost::asio;
using namespace std::chrono_literals;

engine_pool::engine_pool(asio::any_io_executor ex, pool_settings settings)
    : ex_(ex), settings_(std::move(settings)), hello_wait_(ex) {}

engine_pool::~engine_pool() { stop(); }

asio::awaitable<result<void>> engine_pool::start(std::chrono::milliseconds timeout) {
  launch();
  co_return co_await wait_ready(timeout);
}

void engine_pool::launch() {
  workers_.resize(std::max(1u, settings_.workers));
  crashes_.assign(workers_.size(), 0);
  for (std::size_t i = 0; i < workers_.size(); ++i) spawn_worker(i);
}

asio::awaitable<result<void>> engine_pool::wait_ready(std::chrono::milliseconds timeout) {
  hello_wait_.expires_after(timeout);
  boost::system::error_code ec;
  if (!unusable_ && current_stats().ready < workers_.size()) co_await hello_wait_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  if (!have_info_)
    co_return make_error(error_kind::unavailable, start_error_.empty() ? "engine '" + settings_.engine + "' did not start (no worker said hello)" : start_error_);
  co_return result<void>{};
}

void engine_pool::stop() {
  if (stopping_) return;
  stopping_ = true;
  for (auto& w : workers_)
    if (w) w->stop();
}

bool engine_pool::has_voice(const std::string& id) const {
  return std::any_of(info_.voices.begin(), info_.voices.end(), [&](const auto& v) { return v.id == id; });
}

const engines::voice_info* engine_pool::broken_voice(const std::string& id) const {
  auto it = std::find_if(broken_voices_.begin(), broken_voices_.end(), [&](const auto& v) { return v.id == id; });
  return it == broken_voices_.end() ? nullptr : &*it;
}

std::vector<pid_t> engine_pool::worker_pids() const {
  std::vector<pid_t> pids;
  for (const auto& w : workers_)
    if (w && w->pid() > 0) pids.push_back(w->pid());
  return pids;
}

engine_pool::stats engine_pool::current_stats() const {
  stats s;
  s.workers = workers_.size();
  for (const auto& w : workers_) {
    s.ready += w && w->ready();
    s.busy += w && w->current_job() != 0;
    if (w && !w->resident_voices().empty()) {
      s.voice_loads += w->voice_loads();
      s.resident_voices.push_back(w->resident_voices());
    }
  }
  for (const auto& w : waiting_) s.waiting_streams += !w.expired();
  s.streams_in_flight = *in_flight_;
  auto streams = in_synthesis();
  s.streams_in_synthesis = streams.size();
  for (const auto& p : streams) s.realtime_load += p.seconds_left > 0 ? p.cost : 0;
  if (s.ready > 0) s.realtime_load /= static_cast<double>(s.ready);
  return s;
}

void engine_pool::submit(const std::shared_ptr<speech_stream>& stream) {
  std::erase_if(in_synthesis_, [](const auto& w) { return !still_synthesizing(w); });
  in_synthesis_.push_back(stream);
  // The ticket decrements the count when the stream dies, whoever drops it last.
  ++*in_flight_;
  stream->admission_ticket = std::shared_ptr<void>(nullptr, [counter = in_flight_](void*) { --*counter; });
  std::weak_ptr<engine_pool> weak = weak_from_this();
  std::weak_ptr<speech_stream> weak_stream = stream;
  stream->on_drained = [weak, weak_stream] {
    auto self = weak.lock();
    auto s = weak_stream.lock();
    if (self && s && s->has_synthesis_left()) self->enqueue(s);
  };
  stream->on_cancel = [weak, weak_stream] {
    auto self = weak.lock();
    auto s = weak_stream.lock();
    if (!self || !s) return;
    for (auto it = self->jobs_.begin(); it != self->jobs_.end();) {
      if (it->second.stream != s) {
        ++it;
      } else if (it->second.paused) {
        self->drop_paused(it++);
      } else {
        it->second.worker->cancel_job(it->first);
        ++it;
      }
    }
    // Its job process ends (killed with the job, or released between fragments), unless its
    // session's next streams share it: streams are cancelled also when their client has all the
    // audio, and a session that cancels its speech drops the process it shared.
    s->home.reset();
  };
  if (!stream->has_fragments()) return stream->push_end(); // only pauses and marks (SSML)
  // A stream that continues its session's streams goes to their job process, if it is one of
  // this engine's and still runs; a session whose process died with its worker goes on in a new
  // one.
  if (auto& shared = stream->shared_process; shared && shared->home) {
    auto w = shared->home->worker();
    if (w && std::find(workers_.begin(), workers_.end(), w) != workers_.end()) stream->home = shared->home;
    else if (!w) shared->home.reset();
  }
  enqueue(stream);
}

void engine_pool::enqueue(const std::shared_ptr<speech_stream>& stream) {
  // A stream is either waiting here or has a job in flight, never both (a paused job waits).
  for (const auto& [id, j] : jobs_)
    if (j.stream == stream && !j.paused) return;
  for (const auto& w : waiting_)
    if (w.lock() == stream) return;
  stream->waiting_for_worker();
  waiting_.push_back(stream);
  dispatch();
}

void engine_pool::dispatch() {
  for (;;) {
    std::vector<std::shared_ptr<worker::worker_process>> idle;
    for (auto& w : workers_)
      if (w && w->ready() && w->current_job() == 0) idle.push_back(w);
    if (idle.empty()) return;
    auto [stream, next_due] = take_most_urgent(idle);
    if (!stream) return;
    if (stream->paused_job != 0) {
      resume(*stream, next_due);
      continue;
    }
    const auto& v = stream->voice();
    const auto& next = stream->next_fragment();
    const std::string& voice = next.voice.empty() ? v.voice : next.voice;
    // A stream with a job process of its own goes where that process is. Else voice affinity
    // (engines that load voices on use): a worker that holds the voice already, else the one
    // that started a job least recently, so that voices settle on different workers instead of
    // pushing each other out of one.
    auto w = stream->home ? stream->home->worker()
                          : *std::min_element(idle.begin(), idle.end(), [&](const auto& a, const auto& b) {
                              return std::pair{!a->holds(voice), a->last_job()} < std::pair{!b->holds(voice), b->last_job()};
                            });
    std::uint64_t id = next_job_++;
    bool first_of_stream = !stream->has_begun();
    const auto& f = stream->take_fragment();
    worker::synthesize_request request{f.text,
                                       {f.voice.empty() ? v.voice : f.voice, std::clamp(v.speed * f.speed, min_speed, max_speed),
                                        std::clamp(v.pitch * f.pitch, min_pitch, max_pitch), f.phonemes},
                                       stream->wants_words(f),
                                       {}};
    if (request.words) request.units = f.map.units();
    place_in_stream_process(*stream, w, request, allowance(*stream, voice, next_due));
    jobs_.emplace(id, job{stream, w, nullptr, false, voice, f.text.size(), 0, std::chrono::steady_clock::now(), false, first_of_stream});
    w->start_job(id, request);
    arm_watchdog(id, settings_.fragment_timeout);
  }
}

engine_pool::most_urgent engine_pool::take_most_urgent(const std::vector<std::shared_ptr<worker::worker_process>>& idle) {
  std::erase_if(waiting_, [](const std::weak_ptr<speech_stream>& w) {
    auto s = w.lock();
    return !s || s->cancelled() || !s->has_synthesis_left();
  });
  // A stream whose job process died with its worker cannot go on as it would have: it fails like
  // the stream whose fragment that worker was running, so that an answer that completes is always
  // the audio the same request gets alone.
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    auto s = it->lock();
    if (!s->home || s->home->worker()) {
      ++it;
      continue;
    }
    s->home->ended(); // nothing to release: the process is gone
    s->home.reset();
    if (s->shared_process) s->shared_process->home.reset(); // the session's next stream starts afresh
    s->push_failure(worker_crashed());
    it = waiting_.erase(it);
  }
  // A stream whose job process lives on a busy worker waits for that worker.
  auto can_run = [&](const std::shared_ptr<speech_stream>& s) {
    return !s->home || std::find(idle.begin(), idle.end(), s->home->worker()) != idle.end();
  };
  auto best = waiting_.end(), earliest = waiting_.end();
  deadline best_due{}, earliest_due{}, second_due = deadline::max();
  for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
    auto s = it->lock();
    auto due = s->playback_deadline();
    if (can_run(s) && (best == waiting_.end() || due < best_due)) best = it, best_due = due;
    if (earliest == waiting_.end() || due < earliest_due) {
      if (earliest != waiting_.end()) second_due = earliest_due;
      earliest = it, earliest_due = due;
    } else if (due < second_due) {
      second_due = due;
    }
  }
  if (best == waiting_.end()) return {};
  most_urgent out{best->lock(), best == earliest ? second_due : earliest_due};
  if (out.next == deadline::max()) out.next.reset();
  waiting_.erase(best);
  return out;
}

error engine_pool::worker_crashed() const {
  return make_error(error_kind::engine_failure, "the " + settings_.engine + " worker process died during synthesis", "worker_crashed");
}

void engine_pool::arm_watchdog(std::uint64_t id, std::chrono::milliseconds timeout) {
  auto& j = jobs_.at(id);
  if (j.watchdog) j.watchdog->cancel();
  j.watchdog = std::make_shared<asio::steady_timer>(ex_, timeout);
  j.watchdog->async_wait([weak = weak_from_this(), id, timeout, timer = j.watchdog.get()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self) return; // the job ended in time (its timer was cancelled)
    auto it = self->jobs_.find(id);
    // A timer that ran out as the job ended, paused or was given a new timer is not this job's.
    if (it == self->jobs_.end() || it->second.paused || it->second.watchdog.get() != timer) return;
    std::fprintf(stderr, "rtts: a %s worker hung on a fragment for %lld ms; replacing it\n", self->settings_.engine.c_str(),
                 static_cast<long long>(timeout.count()));
    it->second.timed_out = true;
    it->second.worker->kill(); // on_exit fails the stream and starts a new worker
  });
}

void engine_pool::spawn_worker(std::size_t slot) {
  if (stopping_) return;
  auto w = worker::worker_process::spawn(ex_, settings_.executable, settings_.engine, settings_.stream_processes, *this);
  if (!w) {
    std::fprintf(stderr, "rtts: %s\n", w.error().message.c_str());
    return respawn_later(slot);
  }
  workers_[slot] = *w;
}

void engine_pool::respawn_later(std::size_t slot) {
  // Back off when a worker keeps dying at start-up (broken engine data), so we do not spin.
  auto delay = std::min<std::chrono::milliseconds>(5000ms, 50ms * (1u << std::min(crashes_[slot], 7u)));
  auto timer = std::make_shared<asio::steady_timer>(ex_, delay);
  timer->async_wait([weak = weak_from_this(), slot, timer](boost::system::error_code ec) {
    if (auto self = weak.lock(); self && !ec) self->spawn_worker(slot);
  });
}

std::size_t engine_pool::slot_of(const worker::worker_process& w) const {
  for (std::size_t i = 0; i < workers_.size(); ++i)
    if (workers_[i].get() == &w) return i;
  return workers_.size();
}

void engine_pool::rescan() {
  ++rescans_;
  for (const auto& w : workers_)
    if (w && w->ready()) w->rescan(rescans_);
}

asio::awaitable<void> engine_pool::wait_rescanned(std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (rescan_applied_ < rescans_ && !stopping_ && std::chrono::steady_clock::now() < until) co_await rescan_wait_.wait(until);
}

void engine_pool::on_hello(worker::worker_process&, const worker::worker_hello& hello, std::uint64_t rescan) {
  if (!have_info_ || rescan > rescan_applied_) {
    // The first hello, or the first answer to a newer rescan: the catalogue is what it says.
    if (have_info_) log_catalogue_change(hello);
    info_ = hello;
    // Broken voices (neural models that fail their checks) are kept apart: no catalogue offers
    // them, /voices?detail=1 shows them with the reason, and a request naming one says why.
    auto broken = std::stable_partition(info_.voices.begin(), info_.voices.end(), [](const auto& v) { return v.broken.empty(); });
    broken_voices_.assign(broken, info_.voices.end());
    info_.voices.erase(broken, info_.voices.end());
    have_info_ = true;
    rescan_applied_ = std::max(rescan_applied_, rescan);
    rescan_wait_.wake_all();
  } else if (rescan == 0) {
    // A worker says hello again when a voice turned out broken on loading (its throwaway
    // check failed): from now on no catalogue offers it and requests for it get the reason.
    for (const auto& v : hello.voices) {
      auto it = std::find_if(info_.voices.begin(), info_.voices.end(), [&](const auto& mine) { return mine.id == v.id; });
      if (v.broken.empty() || it == info_.voices.end()) continue;
      info_.voices.erase(it);
      broken_voices_.push_back(v);
      std::fprintf(stderr, "rtts: %s voice %s is broken: %s\n", settings_.engine.c_str(), v.id.c_str(), v.broken.c_str());
    }
  }
  // start() returns once every worker is up (they start in parallel, so this costs little).
  if (current_stats().ready == workers_.size()) hello_wait_.cancel();
  dispatch();
}

void engine_pool::log_catalogue_change(const worker::worker_hello& next) const {
  auto ids = [](const std::vector<engines::voice_info>& voices) {
    std::set<std::string> out;
    for (const auto& v : voices) out.insert(v.id);
    return out;
  };
  auto before = ids(info_.voices), after = ids(next.voices);
  for (const auto& v : broken_voices_) before.insert(v.id);
  std::string added, removed;
  for (const auto& id : after)
    if (!before.contains(id)) added += " " + id;
  for (const auto& id : before)
    if (!after.contains(id)) removed += " " + id;
  if (!added.empty()) std::fprintf(stderr, "rtts: %s voices installed:%s\n", settings_.engine.c_str(), added.c_str());
  if (!removed.empty()) std::fprintf(stderr, "rtts: %s voices removed:%s\n", settings_.engine.c_str(), removed.c_str());
}

void engine_pool::on_loading(worker::worker_process&, std::uint64_t id) {
  if (!jobs_.contains(id)) return;
  jobs_.at(id).loaded_voice = true;
  arm_watchdog(id, std::max(settings_.load_timeout, settings_.fragment_timeout));
}

void engine_pool::on_audio(worker::worker_process&, std::uint64_t id, std::span<const std::int16_t> pcm) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return;
  it->second.samples += pcm.size();
  it->second.stream->push_audio(pcm);
}

void engine_pool::on_word(worker::worker_process&, std::uint64_t id, const worker::timed_word& word) {
  auto it = jobs_.find(id);
  if (it != jobs_.end()) it->second.stream->push_word(word);
}

void engine_pool::on_job_end(worker::worker_process& w, std::uint64_t id, const result<void>& outcome) {
  // Job 0 failed: the worker could not create its engine, and says why once, here.
  if (id == 0 && !outcome) {
    start_error_ = outcome.error().message;
    return;
  }
  auto it = jobs_.find(id);
  if (it != jobs_.end()) {
    auto stream = std::move(it->second.stream);
    if (it->second.watchdog) it->second.watchdog->cancel();
    if (outcome && !stream->cancelled()) measure(it->second);
    jobs_.erase(it);
    if (outcome) stream->fragment_done();
    // The last fragment is said: its process ends by itself (kept until now for a pause).
    if (stream->home && !stream->has_fragments() && !stream->shared_process) {
      stream->home->ended();
      stream->home.reset();
    }
    if (!outcome) {
      stream->push_failure(outcome.error());
    } else if (!stream->has_fragments()) {
      stream->push_end();
      log_lateness(*stream);
    } else if (stream->wants_more() && !stream->cancelled()) {
      stream->waiting_for_worker();
      waiting_.push_back(stream);
    }
    // else: on_drained re-queues it once the client has caught up
  }
  if (auto slot = slot_of(w); slot < crashes_.size()) crashes_[slot] = 0;
  dispatch();
}

void engine_pool::on_exit(worker::worker_process& w, std::uint64_t id) {
  auto slot = slot_of(w);
  // Jobs paused in its job processes died with it.
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    if (it->second.worker.get() != &w || !it->second.paused) {
      ++it;
      continue;
    }
    auto stream = it->second.stream;
    stream->paused_job = 0;
    if (it->second.watchdog) it->second.watchdog->cancel();
    it = jobs_.erase(it);
    stream->push_failure(worker_crashed());
  }
  if (auto it = jobs_.find(id); it != jobs_.end()) {
    if (it->second.watchdog) it->second.watchdog->cancel();
    it->second.stream->push_failure(
        it->second.timed_out
            ? make_error(error_kind::engine_failure,
                         "the " + settings_.engine + " engine did not finish within " + std::to_string(settings_.fragment_timeout.count()) +
                             " ms; its worker was replaced",
                         "engine_timeout")
            : worker_crashed());
    jobs_.erase(it);
  }
  if (slot >= workers_.size() || stopping_) return;
  if (!have_info_) {
    // It died before any worker of this engine came up: the engine is not usable on this
    // machine (missing libraries or data; the worker said why in a `failed` frame). Give up at once
    // instead of restarting it until start() times out.
    workers_[slot].reset();
    unusable_ = true; // for a wait_ready that has not begun yet
    hello_wait_.cancel();
    return;
  }
  std::fprintf(stderr, "rtts: a %s worker exited; restarting it\n", settings_.engine.c_str());
  metrics::global().worker_restarts.inc({settings_.engine});
  bool quick = std::chrono::steady_clock::now() - w.started() < 2s;
  crashes_[slot] = quick ? crashes_[slot] + 1 : 0;
  workers_[slot].reset();
  if (crashes_[slot] == 0) spawn_worker(slot);
  else respawn_later(slot);
}

} // namespace rtts::synth
