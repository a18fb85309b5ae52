#include "worker/worker_process.hpp"

#include "worker/worker_launch.hpp"

#include <algorithm>

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <string_view>
#include <vector>

namespace rtts::worker {
namespace asio = boost::asio;

worker_process::worker_process(asio::any_io_executor ex, worker_listener& listener)
    : socket_(std::move(ex)), listener_(listener), started_(std::chrono::steady_clock::now()) {}

worker_process::~worker_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

result<std::shared_ptr<worker_process>> worker_process::spawn(asio::any_io_executor ex, const std::string& executable,
                                                              const std::string& engine, std::size_t stream_processes,
                                                              worker_listener& listener) {
  auto launched = launch_worker(executable, engine, {"--stream-processes", std::to_string(stream_processes)});
  if (!launched) return launched.error();
  std::shared_ptr<worker_process> w(new worker_process(std::move(ex), listener));
  w->pid_ = launched->pid;
  w->socket_.assign(asio::local::stream_protocol(), launched->fd);
  w->start_read();
  return w;
}

void worker_process::start_job(std::uint64_t job, const synthesize_request& request) {
  last_job_ = job;
  job_ = job;
  send(encode_frame(frame_type::synthesize, job, to_json(request)));
}

void worker_process::resume_job(std::uint64_t job, std::uint64_t pause_after) {
  job_ = job;
  send(encode_frame(frame_type::resume, job, resume_payload(pause_after)));
}

void worker_process::cancel_job(std::uint64_t job) {
  if (job != 0 && job == job_) send(encode_frame(frame_type::cancel, job));
}

void worker_process::release_stream(std::uint64_t stream) {
  if (ready_) send(encode_frame(frame_type::release, stream));
}

void worker_process::rescan(std::uint64_t generation) { send(encode_frame(frame_type::rescan, generation)); }

void worker_process::kill() {
  if (pid_ > 0) ::kill(pid_, SIGKILL);
}

void worker_process::stop() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void worker_process::send(std::string bytes) {
  if (gone_) return;
  outbox_.push_back(std::move(bytes));
  if (!writing_) start_write();
}

void worker_process::start_write() {
  writing_ = true;
  asio::async_write(socket_, asio::buffer(outbox_.front()),
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                      self->writing_ = false;
                      if (ec) return; // the read side sees the same failure and reports the exit
                      self->outbox_.pop_front();
                      if (!self->outbox_.empty()) self->start_write();
                    });
}

void worker_process::start_read() {
  socket_.async_read_some(asio::buffer(read_buffer_), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
    if (self->gone_) return;
    if (ec) return self->exited();
    self->decoder_.feed({self->read_buffer_.data(), n});
    for (;;) {
      auto f = self->decoder_.next();
      if (!f) return self->exited(); // a worker that speaks garbage is treated as crashed
      if (!*f) break;
      self->handle_frame(std::move(**f));
      if (self->gone_) return;
    }
    self->start_read();
  });
}

void worker_process::handle_frame(frame f) {
  switch (f.type) {
  case frame_type::hello: {
    auto hello = worker_hello_from_json(f.payload);
    if (!hello) return exited();
    ready_ = true;
    listener_.on_hello(*this, *hello, f.job);
    return;
  }
  case frame_type::loading:
    if (f.job == job_) listener_.on_loading(*this, f.job);
    return;
  case frame_type::resident: {
    auto now = voices_from_json(f.payload);
    for (const auto& v : now)
      if (std::find(resident_.begin(), resident_.end(), v) == resident_.end()) ++voice_loads_;
    resident_ = std::move(now);
    return;
  }
  case frame_type::audio:
    if (f.job != job_ || f.payload.size() % 2 != 0) return;
    listener_.on_audio(*this, f.job,
                       std::span<const std::int16_t>(reinterpret_cast<const std::int16_t*>(f.payload.data()), f.payload.size() / 2));
    return;
  case frame_type::word: {
    if (f.job != job_) return;
    if (auto word = timed_word_from_json(f.payload)) listener_.on_word(*this, f.job, *word);
    return;
  }
  case frame_type::paused:
    if (f.job != job_) return;
    job_ = 0;
    listener_.on_job_paused(*this, f.job);
    return;
  case frame_type::done:
  case frame_type::failed: {
    if (f.job != job_) return;
    job_ = 0;
    result<void> outcome;
    if (f.type == frame_type::failed) outcome = error_from_json(f.payload);
    listener_.on_job_end(*this, f.job, outcome);
    return;
  }
  default: return;
  }
}

void worker_process::exited() {
  if (gone_) return;
  gone_ = true;
  ready_ = false;
  boost::system::error_code ignored;
  socket_.close(ignored);
  // The socket is gone, so the worker is dead or dying; make sure and reap it now.
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  auto job = job_;
  job_ = 0;
  listener_.on_exit(*this, job);
}

bool worker_process::holds(const std::string& voice) const {
  // A multi-speaker model is loaded once for all its speakers ("model/speaker").
  return std::any_of(resident_.begin(), resident_.end(), [&](const std::string& r) {
    return voice == r || (voice.size() > r.size() && voice.starts_with(r) && voice[r.size()] == '/');
  });
}

} // namespace rtts::worker
