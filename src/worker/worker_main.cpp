#include "worker/worker_main.hpp"

#include "engines/engine.hpp"
#include "worker/job_process.hpp"
#include "worker/protocol.hpp"
#include "worker/worker_channel.hpp"

#include <sys/mman.h>
#include <sys/prctl.h>

#include <csignal>
#include <cstdio>
#include <deque>

namespace rtts::worker {
namespace {

// Tells the server which voices this worker holds now, when that changed, so that it sends a
// voice's fragments where the voice is loaded already.
bool report_residency(const engines::engine& engine, channel& io) {
  static std::vector<std::string> reported;
  auto now = engine.resident_voices();
  if (now.empty() || now == reported) return true;
  reported = now;
  return io.send(frame_type::resident, 0, voices_to_json(now));
}

// Readies the job's voice in the worker, so that the job process forked for it starts warm,
// then runs the job in a job process. False if the server is gone.
bool serve_job(engines::engine& engine, const worker_hello& catalogue, channel& io, job_processes& processes, std::deque<frame>& inbox,
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
  return processes.run(f.job, *request, inbox);
}

} // namespace

int run_worker(result<std::unique_ptr<engines::engine>> engine, int fd, std::size_t stream_processes) {
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

  job_processes processes(**engine, hello, io, *shared, stream_processes);
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
    if (f.type == frame_type::release) {
      processes.release(f.job);
      continue;
    }
    if (f.type == frame_type::resume) {
      if (!processes.resume(f.job, pause_after_from_resume(f.payload), inbox)) break;
      continue;
    }
    // A cancel for a job already finished, or paused (its stream's release ends it)
    if (f.type != frame_type::synthesize) continue;
    if (!serve_job(**engine, hello, io, processes, inbox, f)) break;
  }
  return 0;
}

} // namespace rtts::worker
