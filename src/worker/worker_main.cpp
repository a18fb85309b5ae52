#include "worker/worker_main.hpp"

#include "audio/pitch_shifter.hpp"
#include "engines/engine.hpp"
#include "worker/protocol.hpp"

#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>

namespace rtts::worker {
namespace {

// Exit code of a job process that has already reported its failure itself.
constexpr int reported_failure = 10;

class channel {
public:
  explicit channel(int fd) : fd_(fd) {}
  int fd() const { return fd_; }

  bool send(frame_type type, std::uint64_t job, std::string_view payload = {}) {
    std::string bytes = encode_frame(type, job, payload);
    std::string_view rest = bytes;
    while (!rest.empty()) {
      ssize_t n = ::write(fd_, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads once (the caller knows data is there, or wants to block) and queues whole frames.
  // False on EOF, error or a malformed stream: the server is gone or broken.
  bool receive(std::deque<frame>& inbox) {
    char buf[65536];
    ssize_t n;
    do n = ::read(fd_, buf, sizeof buf);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return false;
    decoder_.feed({buf, static_cast<std::size_t>(n)});
    for (;;) {
      auto f = decoder_.next();
      if (!f) return false;
      if (!*f) return true;
      inbox.push_back(std::move(**f));
    }
  }

private:
  int fd_;
  frame_decoder decoder_;
};

// Shared with job processes: the job the server asked to cancel, and whether the job process
// is in the middle of writing a frame (the parent kills it only between frames, so the stream
// to the server never holds half a frame).
struct shared_state {
  std::atomic<std::uint64_t> cancel_job{0};
  std::atomic<bool> writing{false};
};

// A frame from the job process, unless its job is cancelled. The flag and the check are
// sequentially consistent: either the parent sees `writing` and waits, or this sees the cancel.
bool send_from_job(channel& io, shared_state& shared, frame_type type, std::uint64_t job, std::string_view payload = {}) {
  shared.writing.store(true);
  bool ok = shared.cancel_job.load() != job && io.send(type, job, payload);
  shared.writing.store(false);
  return ok;
}

// Cancel is instant whatever the engine does (Festival calls back only once a whole sentence is
// made): the job process is killed as soon as it is not writing, and the worker is free again.
void kill_cancelled(pid_t child, shared_state& shared, std::uint64_t job) {
  shared.cancel_job.store(job);
  // A frame write takes microseconds; a job stuck in one for a second is killed anyway.
  for (int i = 0; i < 1000 && shared.writing.load(); ++i) ::usleep(1000);
  ::kill(child, SIGKILL);
}

// Runs in the forked job process: synthesizes, streams audio frames, never returns.
[[noreturn]] void run_job(engines::engine& engine, const worker_hello& catalogue, channel& io, shared_state& shared, std::uint64_t job,
                          const synthesize_request& request, pid_t worker) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // A worker that died between fork and prctl sends no signal: then this job must not live on
  // (it would hold the server's socket to the dead worker open).
  if (::getppid() != worker) ::_exit(0);
  bool lost = false;
  engines::audio_sink send_pcm = [&](std::span<const std::int16_t> pcm) {
    if (shared.cancel_job.load(std::memory_order_relaxed) == job) return false;
    std::string_view bytes(reinterpret_cast<const char*>(pcm.data()), pcm.size_bytes());
    lost = !send_from_job(io, shared, frame_type::audio, job, bytes);
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
  if (!outcome && !lost && shared.cancel_job.load() != job) {
    if (send_from_job(io, shared, frame_type::failed, job, to_json(outcome.error()))) ::_exit(reported_failure);
  }
  ::_exit(0); // no destructors, no atexit: the parent owns the engine
}

// Tells the server which voices this worker holds now, when that changed, so that it sends a
// voice's fragments where the voice is loaded already.
bool report_residency(const engines::engine& engine, channel& io) {
  static std::vector<std::string> reported;
  auto now = engine.resident_voices();
  if (now.empty() || now == reported) return true;
  reported = now;
  return io.send(frame_type::resident, 0, voices_to_json(now));
}

// Runs one job in a child process and serves cancel requests until it exits. The child starts
// from the engine state right after initialisation, so every fragment sounds the same whatever
// was synthesized before it (eSpeak NG carries pitch-flutter and filter state from one utterance
// to the next), and an engine crash costs one fragment, not the worker. False if the server is
// gone.
bool serve_job(engines::engine& engine, const worker_hello& catalogue, channel& io, shared_state& shared, std::deque<frame>& inbox,
               const frame& f) {
  auto request = synthesize_request_from_json(f.payload);
  if (!request) return io.send(frame_type::failed, f.job, to_json(request.error()));
  // A voice too large to keep loaded with all others is loaded here, so the job starts warm and
  // the next job of this voice finds it. Loading a model takes seconds: `loading` tells the
  // server's watchdog that this is not a hung engine.
  if (!engine.holds(request->params.voice) && !io.send(frame_type::loading, f.job)) return false;
  if (auto loaded = engine.load(request->params.voice); !loaded) {
    // A voice that failed its throwaway load: the catalogue changed, say it again.
    if (loaded.error().code == "voice_broken") {
      worker_hello updated = catalogue;
      updated.voices = engine.voices();
      if (!io.send(frame_type::hello, 0, to_json(updated))) return false;
    }
    return io.send(frame_type::failed, f.job, to_json(loaded.error()));
  }
  if (!report_residency(engine, io)) return false;
  if (!request->params.phonemes.empty()) engine.prepare_phonemes(request->params.voice);

  pid_t worker = ::getpid();
  pid_t child = ::fork();
  if (child < 0) return io.send(frame_type::failed, f.job, to_json(make_error(error_kind::engine_failure, "fork failed")));
  if (child == 0) run_job(engine, catalogue, io, shared, f.job, *request, worker);

  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child, 0));
  bool connected = true;
  int status = 0;
  for (;;) {
    pollfd p[2] = {{io.fd(), POLLIN, 0}, {pidfd, POLLIN, 0}};
    int n = ::poll(p, pidfd >= 0 ? 2 : 1, pidfd >= 0 ? -1 : 5);
    if (n < 0 && errno != EINTR) break;
    if (connected && (p[0].revents & (POLLIN | POLLHUP))) {
      connected = io.receive(inbox);
      if (!connected) ::kill(child, SIGKILL);
      for (const auto& queued : inbox)
        if (queued.type == frame_type::cancel && queued.job == f.job && shared.cancel_job.load() != f.job) kill_cancelled(child, shared, f.job);
    }
    if (::waitpid(child, &status, WNOHANG) == child) break;
  }
  if (pidfd >= 0) ::close(pidfd);
  std::erase_if(inbox, [&](const frame& q) { return q.type == frame_type::cancel && q.job == f.job; });
  if (!connected) return false;
  // A cancelled job ends as done, however it ended: the server dropped its stream already.
  if (shared.cancel_job.load() == f.job || (WIFEXITED(status) && WEXITSTATUS(status) == 0)) return io.send(frame_type::done, f.job);
  if (WIFEXITED(status) && WEXITSTATUS(status) == reported_failure) return true;
  std::string why = WIFSIGNALED(status) ? std::string("signal ") + ::strsignal(WTERMSIG(status)) : "exit " + std::to_string(WEXITSTATUS(status));
  return io.send(frame_type::failed, f.job, to_json(make_error(error_kind::engine_failure, "the " + engine.name() + " engine crashed (" + why + ")")));
}

} // namespace

int run_worker(result<std::unique_ptr<engines::engine>> engine, int fd) {
  // The server owns this process: die with it, and leave Ctrl-C and SIGPIPE to the server.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);

  if (!engine) {
    // The server says it, once for the engine, not once per worker.
    channel io(fd);
    if (!io.send(frame_type::failed, 0, to_json(engine.error()))) std::fprintf(stderr, "rtts worker: %s\n", engine.error().message.c_str());
    return 1;
  }
  void* mem = ::mmap(nullptr, sizeof(shared_state), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return 1;
  auto* shared = new (mem) shared_state();

  (*engine)->prepare((*engine)->default_voice());

  channel io(fd);
  worker_hello hello{(*engine)->name(), (*engine)->sample_rate(), (*engine)->default_voice(), (*engine)->voices(), (*engine)->capabilities()};
  if (!io.send(frame_type::hello, 0, to_json(hello))) return 1;
  if (!report_residency(**engine, io)) return 1;

  std::deque<frame> inbox;
  for (;;) {
    if (inbox.empty() && !io.receive(inbox)) break;
    if (inbox.empty()) continue;
    frame f = std::move(inbox.front());
    inbox.pop_front();
    if (f.type == frame_type::rescan) {
      // Between jobs: a job in progress finishes with the catalogue it started with.
      (*engine)->rescan();
      hello.voices = (*engine)->voices();
      hello.default_voice = (*engine)->default_voice();
      hello.sample_rate = (*engine)->sample_rate();
      if (!io.send(frame_type::hello, f.job, to_json(hello))) break;
      continue;
    }
    if (f.type != frame_type::synthesize) continue; // a cancel for a job already finished
    if (!serve_job(**engine, hello, io, *shared, inbox, f)) break;
  }
  return 0;
}

} // namespace rtts::worker
