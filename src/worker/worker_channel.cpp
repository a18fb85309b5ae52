#include "worker/worker_channel.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace rtts::worker {

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::optional<frame> read_frame(int fd, frame_decoder& decoder) {
  for (;;) {
    auto f = decoder.next();
    if (!f) return std::nullopt;
    if (*f) return std::move(**f);
    char buf[65536];
    ssize_t n;
    do n = ::read(fd, buf, sizeof buf);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return std::nullopt;
    decoder.feed({buf, static_cast<std::size_t>(n)});
  }
}

bool channel::send(frame_type type, std::uint64_t job, std::string_view payload) { return write_all(fd_, encode_frame(type, job, payload)); }

bool channel::receive(std::deque<frame>& inbox) {
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

bool send_from_job(channel& io, shared_state& shared, frame_type type, std::uint64_t job, std::string_view payload) {
  shared.writing.store(true);
  bool ok = shared.cancel_job.load() != job && io.send(type, job, payload);
  shared.writing.store(false);
  return ok;
}

void kill_cancelled(int pid, shared_state& shared, std::uint64_t job) {
  shared.cancel_job.store(job);
  // A frame write takes microseconds; a job stuck in one for a second is killed anyway.
  for (int i = 0; i < 1000 && shared.writing.load(); ++i) ::usleep(1000);
  ::kill(pid, SIGKILL);
}

} // namespace rtts::worker
