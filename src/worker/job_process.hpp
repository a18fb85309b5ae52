#pragma once
// The processes a worker runs its jobs in. A job runs in a process forked from the warm worker,
// so that it starts from the engine's state right after initialisation whatever was synthesized
// before (eSpeak NG carries pitch-flutter and filter state from one utterance to the next), and
// an engine crash costs one job, not the worker. Engines with a process per stream
// (engine_capabilities::stream_process) keep a stream's process for its next fragment: the
// fork, its page faults and its exit are paid once per stream instead of once per fragment, and
// a stream's audio is still the same whenever it is asked for (its fragments run in the same
// order from the same state).
#include "engines/engine.hpp"
#include "worker/protocol.hpp"
#include "worker/worker_channel.hpp"

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <map>

namespace rtts::worker {

class job_processes {
public:
  // Processes kept for streams at most (`rtts worker --stream-processes`): each holds the memory
  // its jobs wrote (0.3-0.4 MB for eSpeak NG). The server passes its --max-streams, so that every
  // stream it admits can have one; a stream beyond it gets a process per fragment (and sounds as
  // its fragments said one by one).
  static constexpr std::size_t default_max_kept = 512;

  // `catalogue` is the worker's, as it is when a process is forked.
  job_processes(engines::engine& engine, const worker_hello& catalogue, channel& io, shared_state& shared, std::size_t max_kept)
      : engine_(engine), catalogue_(catalogue), io_(io), shared_(shared), max_kept_(max_kept) {}
  ~job_processes();
  job_processes(const job_processes&) = delete;
  job_processes& operator=(const job_processes&) = delete;

  // Runs job `job` to its end in a job process and tells the server how it ended, serving the
  // server's cancels meanwhile (other frames stay in `inbox`). False if the server is gone.
  bool run(std::uint64_t job, const synthesize_request& request, std::deque<frame>& inbox);
  // Goes on with a job that paused (synthesize_request::pause_after), to its end or its next pause.
  bool resume(std::uint64_t job, std::uint64_t pause_after, std::deque<frame>& inbox);
  // The stream sends no more fragments (cancelled between them or while paused, or failed): its
  // process ends.
  void release(std::uint64_t stream);
  std::size_t kept() const { return kept_.size(); }

private:
  struct process {
    pid_t pid = -1;
    int control = -1; // the worker's end: fragments go in, one outcome byte per fragment comes out
    std::uint64_t stream = 0; // the stream it says fragments of (0: none)
    bool keep = false;        // kept for the stream's next fragment once this job is done
  };
  enum class ending { done, paused, failed_reported, died, server_gone };

  // Waits for the job running in `p` and tells the server how it ended or that it paused.
  bool finish(std::uint64_t job, process& p, std::deque<frame>& inbox);
  // `one_job`: the process ends after this job (not kept for its stream).
  process fork_process(std::uint64_t job, const synthesize_request& request, bool one_job);
  ending wait_for(const process& p, std::uint64_t job, std::deque<frame>& inbox);
  void end(process& p, int* status = nullptr);

  engines::engine& engine_;
  const worker_hello& catalogue_;
  channel& io_;
  shared_state& shared_;
  std::size_t max_kept_;
  std::map<std::uint64_t, process> kept_;   // between fragments, by stream id
  std::map<std::uint64_t, process> paused_; // in the middle of a fragment, by job id
};

} // namespace rtts::worker
