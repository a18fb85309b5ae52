// The pool's side of job processes kept per stream (engines::engine_capabilities::stream_process):
// which worker holds a stream's process, and its jobs served in slices — how much audio a job
// may make before it pauses, resuming it, and ending a paused one (see engine_pool.hpp and
// docs/architecture.md, "Why job processes").
#include "synth/engine_pool.hpp"

#include "metrics/registry.hpp"

#include <algorithm>

namespace rtts::synth {

void engine_pool::place_in_stream_process(speech_stream& stream, const std::shared_ptr<worker::worker_process>& w,
                                          worker::synthesize_request& request, std::uint64_t pause_after) {
  if (!info_.capabilities.stream_process) return;
  auto* shared = stream.shared_process.get();
  // A stream that shares its process with the session's next ones never says its last.
  bool last = !stream.has_fragments() && !shared;
  if (!stream.home && last && pause_after == 0) return; // a one-fragment stream needs no process kept for it
  if (!stream.home) {
    stream.home = std::make_shared<worker::stream_home>(w, next_stream_id_++);
    if (shared) shared->home = stream.home;
  }
  request.stream = stream.home->id();
  request.last = last;
  request.pause_after = pause_after;
  // The home stays until the last job ends (on_job_end): a cancel while it is paused releases it.
}

std::uint64_t engine_pool::allowance(const speech_stream& stream, const std::string& voice, std::optional<deadline> next) const {
  // Pausing needs the stream's process kept, and costs a round trip: only while others wait.
  if (!info_.capabilities.stream_process || !next) return 0;
  if (!stream.has_audio()) return 1; // its first piece of audio, then the next new stream's
  // Earliest deadline first: it may go on until its listener is a slice further ahead than the
  // most urgent waiting one's (streams far ahead of their listeners do not interrupt it).
  double ahead = std::max(0.0, std::chrono::duration<double>(*next - stream.playback_deadline()).count());
  return static_cast<std::uint64_t>((ahead + std::chrono::duration<double>(settings_.slice).count()) * info_.rate_of(voice));
}

void engine_pool::resume(speech_stream& stream, std::optional<deadline> next) {
  auto id = stream.paused_job;
  auto& j = jobs_.at(id);
  j.paused = false;
  j.started = std::chrono::steady_clock::now();
  stream.resuming();
  j.worker->resume_job(id, allowance(stream, j.voice, next));
  arm_watchdog(id, settings_.fragment_timeout);
}

void engine_pool::drop_paused(std::map<std::uint64_t, job>::iterator it) {
  auto& stream = *it->second.stream;
  stream.paused_job = 0;
  // Its process must end now, also when the session still holds the home it shares.
  if (stream.home) {
    if (auto w = stream.home->worker()) w->release_stream(stream.home->id());
    stream.home->ended();
    if (stream.shared_process && stream.shared_process->home == stream.home) stream.shared_process->home.reset();
    stream.home.reset();
  }
  if (it->second.watchdog) it->second.watchdog->cancel();
  jobs_.erase(it);
}

void engine_pool::on_job_paused(worker::worker_process&, std::uint64_t id) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return;
  auto& j = it->second;
  auto now = std::chrono::steady_clock::now();
  if (j.watchdog) j.watchdog->cancel();
  double slice = std::chrono::duration<double>(now - j.started).count();
  if (j.first_of_stream && !j.loaded_voice) measure_first_job(slice); // the stream has begun: that was its price
  j.first_of_stream = false;
  j.earlier_slices_s += slice;
  j.paused = true;
  metrics::global().job_pauses.inc({settings_.engine});
  auto stream = j.stream;
  stream->paused_job = id;
  if (stream->cancelled()) {
    drop_paused(it);
  } else if (stream->wants_more()) {
    stream->waiting_for_worker();
    waiting_.push_back(stream);
  }
  // else: on_drained re-queues it once the client has caught up
  dispatch();
}

} // namespace rtts::synth
