#include "worker/worker_main.hpp"

#include "engines/registry.hpp"
#include "worker/protocol.hpp"

#include <poll.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <deque>

namespace rtts::worker {
namespace {

class channel {
public:
  explicit channel(int fd) : fd_(fd) {}

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

  // Reads what is available (blocking if `wait`) into the decoder. False on EOF or error.
  bool pump(bool wait) {
    if (!wait) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 0) <= 0) return true;
    }
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      decoder_.feed({buf, static_cast<std::size_t>(n)});
      return true;
    }
  }

  // Moves every decoded frame into `inbox`. False if the stream is malformed.
  bool drain(std::deque<frame>& inbox) {
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

} // namespace

int run_worker(const std::string& engine_name, int fd) {
  // The server owns this process: die with it, and leave Ctrl-C and SIGPIPE to the server.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);

  auto engine = engines::create_engine(engine_name);
  if (!engine) {
    std::fprintf(stderr, "rtts worker: %s\n", engine.error().message.c_str());
    return 1;
  }
  channel io(fd);
  worker_hello hello{(*engine)->name(), (*engine)->sample_rate(), (*engine)->default_voice(), (*engine)->voices()};
  if (!io.send(frame_type::hello, 0, to_json(hello))) return 1;

  std::deque<frame> inbox;
  bool connected = true;
  while (connected) {
    if (inbox.empty()) {
      connected = io.pump(true) && io.drain(inbox);
      continue;
    }
    frame f = std::move(inbox.front());
    inbox.pop_front();
    if (f.type != frame_type::synthesize) continue; // a cancel for a job already finished

    auto request = synthesize_request_from_json(f.payload);
    if (!request) {
      connected = io.send(frame_type::failed, f.job, to_json(request.error()));
      continue;
    }
    bool cancelled = false;
    engines::audio_sink sink = [&](std::span<const std::int16_t> pcm) {
      std::string_view bytes(reinterpret_cast<const char*>(pcm.data()), pcm.size_bytes());
      if (!io.send(frame_type::audio, f.job, bytes) || !io.pump(false) || !io.drain(inbox)) {
        connected = false;
        return false;
      }
      // A cancel for this job stops it now; anything else waits in the inbox.
      for (auto it = inbox.begin(); it != inbox.end(); ++it) {
        if (it->type == frame_type::cancel && it->job == f.job) {
          inbox.erase(it);
          cancelled = true;
          return false;
        }
      }
      return true;
    };
    auto outcome = (*engine)->synthesize(request->text, request->params, sink);
    if (!connected) break;
    if (outcome || cancelled)
      connected = io.send(frame_type::done, f.job);
    else
      connected = io.send(frame_type::failed, f.job, to_json(outcome.error()));
  }
  return 0;
}

} // namespace rtts::worker
