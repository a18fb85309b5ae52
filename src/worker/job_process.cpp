#include "worker/job_process.hpp"

#include "audio/pitch_shifter.hpp"
#include "worker/word_timer.hpp"

#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtts::worker {
namespace {

// What a job process says of each job on its control socket.
constexpr char job_done = 'd';
constexpr char job_failed = 'f'; // it sent the `failed` frame itself
constexpr char job_paused = 'p'; // it sent the audio it was allowed and waits for `resume`

// Where a job process waits for what the worker sends it: the stream's next fragment, or the go
// to resume a paused job.
struct job_control {
  int fd = -1;
  frame_decoder decoder;
};

// In the job process: says the job paused, then waits for the worker's `resume`. The new
// allowance (0: no limit), or nothing when the worker ends the process instead.
std::optional<std::uint64_t> pause_until_resumed(job_control& control, std::uint64_t job) {
  if (!write_all(control.fd, {&job_paused, 1})) return std::nullopt;
  auto next = read_frame(control.fd, control.decoder);
  if (!next || next->type != frame_type::resume || next->job != job) return std::nullopt;
  return pause_after_from_resume(next->payload);
}

// Synthesizes one job in the job process, streaming its frames to the server. Nothing when the
// server is gone, the job was cancelled or the worker ended it while paused (the job process
// then just ends).
std::optional<char> synthesize_job(engines::engine& engine, const worker_hello& catalogue, channel& io, shared_state& shared,
                                   job_control& control, std::uint64_t job, const synthesize_request& request) {
  bool lost = false;
  std::uint64_t allowed = request.pause_after, sent = 0;
  engines::audio_sink send_pcm = [&](std::span<const std::int16_t> pcm) {
    if (shared.cancel_job.load(std::memory_order_relaxed) == job) return false;
    std::string_view bytes(reinterpret_cast<const char*>(pcm.data()), pcm.size_bytes());
    lost = !send_from_job(io, shared, frame_type::audio, job, bytes);
    if (lost) return false;
    // The engine waits here, in the middle of its fragment, while the worker runs other jobs.
    if (allowed != 0 && (sent += pcm.size()) >= allowed) {
      auto resumed = pause_until_resumed(control, job);
      lost = !resumed;
      allowed = resumed.value_or(0);
      sent = 0;
    }
    return !lost;
  };
  // An engine without a pitch control of its own gets its audio shifted on the way out.
  std::unique_ptr<audio::pitch_shifter> shifter;
  if (!catalogue.capabilities.pitch && request.params.pitch != 1.0)
    shifter = std::make_unique<audio::pitch_shifter>(catalogue.rate_of(request.params.voice), request.params.pitch);
  std::vector<std::int16_t> shifted;
  engines::audio_sink send_audio = !shifter ? send_pcm : engines::audio_sink([&](std::span<const std::int16_t> pcm) {
    shifted.clear();
    shifter->process(pcm, shifted);
    return shifted.empty() || send_pcm(shifted);
  });
  result<void> outcome;
  if (!request.words) {
    outcome = engine.synthesize(request.text, request.params, send_audio);
  } else {
    auto send_word = [&](const timed_word& w) {
      if (shared.cancel_job.load(std::memory_order_relaxed) == job) return false;
      lost = !send_from_job(io, shared, frame_type::word, job, to_json(w));
      return !lost;
    };
    const auto& voice = request.params.voice;
    word_timer timer(request.text, request.units, catalogue.word_timing_of(voice) == "estimated", catalogue.rate_of(voice), send_audio,
                     send_word);
    outcome = engine.synthesize(
        request.text, request.params,
        // A cancel stops the engine at once even while the timer holds audio back.
        [&](std::span<const std::int16_t> pcm) { return shared.cancel_job.load(std::memory_order_relaxed) != job && timer.audio(pcm); },
        [&](std::size_t begin, std::size_t length) { timer.word(begin, length); });
    if (outcome) timer.finish();
  }
  if (outcome && shifter && !lost) {
    shifted.clear();
    shifter->finish(shifted);
    if (!shifted.empty()) send_pcm(shifted);
  }
  if (lost || shared.cancel_job.load() == job) return std::nullopt;
  if (outcome) return job_done;
  if (!send_from_job(io, shared, frame_type::failed, job, to_json(outcome.error()))) return std::nullopt;
  return job_failed;
}

// The job process: synthesizes its first job, then (unless `one_job`) each fragment the worker
// sends on `control` until the stream's last, saying how each went. Never returns.
[[noreturn]] void run_job_process(engines::engine& engine, const worker_hello& catalogue, channel& io, shared_state& shared, int control_fd,
                                  std::uint64_t job, synthesize_request request, bool one_job, pid_t worker) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // A worker that died between fork and prctl sends no signal: then this process must not live
  // on (it would hold the server's socket to the dead worker open).
  if (::getppid() != worker) ::_exit(0);
  job_control control{control_fd, {}};
  for (;;) {
    auto said = synthesize_job(engine, catalogue, io, shared, control, job, request);
    if (!said || !write_all(control.fd, {&*said, 1}) || one_job || request.last || *said == job_failed) ::_exit(0);
    auto next = read_frame(control.fd, control.decoder); // the stream's next fragment; nothing once the worker closed it
    if (!next || next->type != frame_type::synthesize) ::_exit(0);
    auto parsed = synthesize_request_from_json(next->payload);
    if (!parsed) ::_exit(0);
    job = next->job;
    request = std::move(*parsed);
  }
  // no destructors, no atexit: the worker owns the engine
}

} // namespace

job_processes::~job_processes() {
  for (auto& [stream, p] : kept_) end(p);
  for (auto& [job, p] : paused_) end(p);
}

job_processes::process job_processes::fork_process(std::uint64_t job, const synthesize_request& request, bool one_job) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return {};
  pid_t worker = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    // The other streams' processes must see their worker close their socket, not this one.
    for (auto& [stream, p] : kept_) ::close(p.control);
    for (auto& [paused_job, p] : paused_) ::close(p.control);
    run_job_process(engine_, catalogue_, io_, shared_, fds[1], job, request, one_job, worker);
  }
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    return {};
  }
  return {pid, fds[0]};
}

job_processes::ending job_processes::wait_for(const process& p, std::uint64_t job, std::deque<frame>& inbox) {
  for (;;) {
    pollfd fds[2] = {{io_.fd(), POLLIN, 0}, {p.control, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) return ending::server_gone;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (!io_.receive(inbox)) {
        ::kill(p.pid, SIGKILL);
        return ending::server_gone;
      }
      for (const auto& queued : inbox)
        if (queued.type == frame_type::cancel && queued.job == job && shared_.cancel_job.load() != job) kill_cancelled(p.pid, shared_, job);
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      char said = 0;
      ssize_t n;
      do n = ::read(p.control, &said, 1);
      while (n < 0 && errno == EINTR);
      if (n == 1) return said == job_done ? ending::done : said == job_paused ? ending::paused : ending::failed_reported;
      return ending::died; // cancelled (killed), crashed, or gave up on a lost server
    }
  }
}

void job_processes::end(process& p, int* status) {
  if (p.control >= 0) ::close(p.control);
  p.control = -1;
  // Between jobs a process writes nothing to the server, so it can be killed; waiting for it to
  // see the closed socket and exit could wait forever for one that is stopped or stuck.
  if (p.pid > 0) ::kill(p.pid, SIGKILL);
  int ignored = 0;
  while (p.pid > 0 && ::waitpid(p.pid, status ? status : &ignored, 0) < 0 && errno == EINTR) {
  }
  p.pid = -1;
}

void job_processes::release(std::uint64_t stream) {
  if (auto it = kept_.find(stream); it != kept_.end()) {
    end(it->second);
    kept_.erase(it);
  }
  for (auto it = paused_.begin(); it != paused_.end();) {
    if (it->second.stream != stream) {
      ++it;
      continue;
    }
    end(it->second);
    it = paused_.erase(it);
  }
}

bool job_processes::resume(std::uint64_t job, std::uint64_t pause_after, std::deque<frame>& inbox) {
  auto it = paused_.find(job);
  if (it == paused_.end()) // released meanwhile: the server dropped the job already
    return io_.send(frame_type::failed, job, to_json(make_error(error_kind::engine_failure, "the job is no longer paused")));
  process p = it->second;
  paused_.erase(it);
  if (!write_all(p.control, encode_frame(frame_type::resume, job, resume_payload(pause_after)))) {
    end(p);
    return io_.send(frame_type::failed, job, to_json(make_error(error_kind::engine_failure, "the " + engine_.name() + " engine crashed")));
  }
  return finish(job, p, inbox);
}

bool job_processes::run(std::uint64_t job, const synthesize_request& request, std::deque<frame>& inbox) {
  bool per_stream = catalogue_.capabilities.stream_process && request.stream != 0;
  process p;
  if (auto it = per_stream ? kept_.find(request.stream) : kept_.end(); it != kept_.end()) {
    p = it->second;
    kept_.erase(it);
    // A process that cannot take the fragment has died: the fragment gets a fresh one.
    if (!write_all(p.control, encode_frame(frame_type::synthesize, job, to_json(request)))) end(p);
  }
  bool keep = per_stream && !request.last && kept_.size() < max_kept_;
  if (p.pid <= 0) p = fork_process(job, request, !keep);
  if (p.pid <= 0) return io_.send(frame_type::failed, job, to_json(make_error(error_kind::engine_failure, "fork failed")));
  p.stream = request.stream;
  p.keep = keep;
  return finish(job, p, inbox);
}

bool job_processes::finish(std::uint64_t job, process& p, std::deque<frame>& inbox) {
  auto ending = wait_for(p, job, inbox);
  std::erase_if(inbox, [&](const frame& q) { return q.type == frame_type::cancel && q.job == job; });
  bool cancelled = shared_.cancel_job.load() == job;
  if (ending == ending::paused && !cancelled) {
    paused_.emplace(job, p);
    return io_.send(frame_type::paused, job);
  }
  if (ending == ending::done) {
    bool sent = io_.send(frame_type::done, job);
    if (p.keep && !cancelled) kept_.emplace(p.stream, p);
    else end(p);
    return sent;
  }
  int status = 0;
  end(p, &status);
  if (ending == ending::server_gone) return false;
  if (ending == ending::failed_reported) return true;
  // A cancelled job ends as done, however it ended: the server dropped its stream already.
  if (cancelled) return io_.send(frame_type::done, job);
  std::string why = WIFSIGNALED(status) ? std::string("signal ") + ::strsignal(WTERMSIG(status)) : "exit " + std::to_string(WEXITSTATUS(status));
  return io_.send(frame_type::failed, job,
                  to_json(make_error(error_kind::engine_failure, "the " + engine_.name() + " engine crashed (" + why + ")")));
}

} // namespace rtts::worker
