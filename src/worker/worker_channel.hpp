#pragma once
// The worker's end of its socket to the server, shared by the worker and its job processes, and
// the state they share to keep that stream of frames whole when a job is cancelled.
#include "worker/protocol.hpp"

#include <atomic>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>

namespace rtts::worker {

// Writes all of `bytes` to `fd` (blocking). False if the other end is gone.
bool write_all(int fd, std::string_view bytes);
// The next whole frame from `fd` (blocking); nothing once the other end is gone or sent garbage.
std::optional<frame> read_frame(int fd, frame_decoder& decoder);

class channel {
public:
  explicit channel(int fd) : fd_(fd) {}
  int fd() const { return fd_; }
  // Writes one whole frame (blocking). False if the server is gone.
  bool send(frame_type type, std::uint64_t job, std::string_view payload = {});
  // Reads once (the caller knows data is there, or wants to block) and queues whole frames.
  // False on EOF, error or a malformed stream: the server is gone or broken.
  bool receive(std::deque<frame>& inbox);

private:
  int fd_;
  frame_decoder decoder_;
};

// In memory shared with the job processes: the job the server asked to cancel, and whether a
// job process is in the middle of writing a frame (the worker kills it only between frames, so
// the stream to the server never holds half a frame). One job runs at a time per worker, so
// one of these serves all its job processes.
struct shared_state {
  std::atomic<std::uint64_t> cancel_job{0};
  std::atomic<bool> writing{false};
};

// A frame from a job process, unless its job is cancelled. The flag and the check are
// sequentially consistent: either the worker sees `writing` and waits, or this sees the cancel.
bool send_from_job(channel& io, shared_state& shared, frame_type type, std::uint64_t job, std::string_view payload = {});

// Cancel is instant whatever the engine does (Festival calls back only once a whole sentence is
// made): the job process is killed as soon as it is not writing.
void kill_cancelled(int pid, shared_state& shared, std::uint64_t job);

} // namespace rtts::worker
