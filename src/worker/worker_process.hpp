#pragma once
// The server's handle on one `rtts worker` process: spawns it, sends it jobs, reads its frames
// and reports what happens to a listener. Everything runs on one executor (the network
// thread); no locks.
#include "worker/protocol.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <sys/types.h>

namespace rtts::worker {

class worker_process;

class worker_listener {
public:
  virtual ~worker_listener() = default;
  // `rescan`: 0 at start-up and when a voice turned out broken, else the rescan it answers.
  virtual void on_hello(worker_process& w, const worker_hello& hello, std::uint64_t rescan) = 0;
  virtual void on_audio(worker_process& w, std::uint64_t job, std::span<const std::int16_t> pcm) = 0;
  virtual void on_word(worker_process& w, std::uint64_t job, const timed_word& word) = 0;
  // The job's voice is being loaded first (a model's load time, not a hung engine).
  virtual void on_loading(worker_process& w, std::uint64_t job) = 0;
  // Exactly once per started job, unless the worker exits first (then on_exit reports it) or the
  // job pauses (then once it is resumed, unless its stream is released while it is paused).
  virtual void on_job_end(worker_process& w, std::uint64_t job, const result<void>& outcome) = 0;
  // The job sent the audio it was allowed (synthesize_request::pause_after); the worker is idle.
  virtual void on_job_paused(worker_process& w, std::uint64_t job) = 0;
  // The process is gone (crashed, killed or stopped); `job` is the one it was running, or 0.
  // Paused jobs die with it.
  virtual void on_exit(worker_process& w, std::uint64_t job) = 0;
};

class worker_process : public std::enable_shared_from_this<worker_process> {
public:
  // Starts `executable worker --engine NAME --stream-processes N` with a socketpair on fd 3.
  static result<std::shared_ptr<worker_process>> spawn(boost::asio::any_io_executor ex, const std::string& executable,
                                                       const std::string& engine, std::size_t stream_processes, worker_listener& listener);
  ~worker_process();

  pid_t pid() const { return pid_; }
  bool ready() const { return ready_; }       // said hello, not exited
  std::uint64_t current_job() const { return job_; } // 0 = idle
  std::uint64_t last_job() const { return last_job_; } // the latest job started (ids grow), 0 = none yet
  std::chrono::steady_clock::time_point started() const { return started_; }
  // The voices it holds loaded (engines that load voices on use; empty for the others), and how
  // many times a voice was loaded into it.
  const std::vector<std::string>& resident_voices() const { return resident_; }
  bool holds(const std::string& voice) const;
  std::uint64_t voice_loads() const { return voice_loads_; }

  void start_job(std::uint64_t job, const synthesize_request& request);
  // Goes on with a job that paused, until its end or after `pause_after` more samples (0: its end).
  void resume_job(std::uint64_t job, std::uint64_t pause_after);
  void cancel_job(std::uint64_t job);
  // The stream (synthesize_request::stream) sends no more fragments: the job process the worker
  // keeps for it may end.
  void release_stream(std::uint64_t stream);
  // Asks it to read its installed voices again; it answers with hello `generation` (> 0).
  void rescan(std::uint64_t generation);
  // Closes the socket: the worker sees EOF and exits; on_exit follows.
  void stop();
  // SIGKILL (for a hung worker); on_exit follows when the socket closes.
  void kill();

private:
  worker_process(boost::asio::any_io_executor ex, worker_listener& listener);
  void send(std::string bytes);
  void start_write();
  void start_read();
  void handle_frame(frame f);
  void exited();

  boost::asio::local::stream_protocol::socket socket_;
  worker_listener& listener_;
  pid_t pid_ = -1;
  bool ready_ = false;
  bool gone_ = false;
  std::uint64_t job_ = 0;
  std::uint64_t last_job_ = 0;
  std::chrono::steady_clock::time_point started_;
  frame_decoder decoder_;
  std::array<char, 65536> read_buffer_;
  std::deque<std::string> outbox_;
  bool writing_ = false;
  std::vector<std::string> resident_;
  std::uint64_t voice_loads_ = 0;
};

// Where a stream's job process lives, for engines with a process per stream
// (engines::engine_capabilities::stream_process): the stream's fragments go to that worker.
// Dropped before the stream's last fragment went (cancelled, failed, its client gone), it tells
// the worker to end the process.
class stream_home {
public:
  stream_home(std::weak_ptr<worker_process> worker, std::uint64_t id) : worker_(std::move(worker)), id_(id) {}
  ~stream_home() {
    if (auto w = worker_.lock(); w && !ended_) w->release_stream(id_);
  }
  stream_home(const stream_home&) = delete;
  stream_home& operator=(const stream_home&) = delete;
  std::uint64_t id() const { return id_; }
  // The worker, while it runs; null once it exited (its job processes died with it).
  std::shared_ptr<worker_process> worker() const {
    auto w = worker_.lock();
    return w && w->ready() ? w : nullptr;
  }
  // The stream's last fragment went: the worker ends the process after it.
  void ended() { ended_ = true; }

private:
  std::weak_ptr<worker_process> worker_;
  std::uint64_t id_;
  bool ended_ = false;
};

} // namespace rtts::worker
