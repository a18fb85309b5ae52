#include "direct_worker.hpp"

#include <gtest/gtest.h>

#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace rtts::testing {

using namespace rtts::worker;

direct_worker::direct_worker(const std::string& engine, std::vector<std::string> extra_args) {
  int fds[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 3);
  std::vector<std::string> args = {RTTS_BINARY, "worker", "--engine", engine, "--fd", "3"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  EXPECT_EQ(::posix_spawn(&pid_, RTTS_BINARY, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  fd_ = fds[0];
  auto hello = next();
  EXPECT_TRUE(hello && hello->type == frame_type::hello) << "the " << engine << " worker did not start";
  if (hello && hello->type == frame_type::hello) hello_ = worker_hello_from_json(hello->payload).value();
}

direct_worker::~direct_worker() {
  ::close(fd_); // the worker sees EOF and exits
  ::waitpid(pid_, nullptr, 0);
}

void direct_worker::send(frame_type type, std::uint64_t job, const std::string& payload) {
  std::string bytes = encode_frame(type, job, payload);
  EXPECT_EQ(::write(fd_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
}

std::string direct_worker::say(const std::string& text, const std::string& voice, std::uint64_t stream, bool last) {
  synthesize_request r{text, {voice, 1.0, 1.0, {}}, false, {}};
  r.stream = stream;
  r.last = last;
  std::uint64_t job = ++jobs_;
  send(frame_type::synthesize, job, to_json(r));
  std::string audio;
  while (auto f = next()) {
    if (f->job != job) continue;
    if (f->type == frame_type::audio) audio += f->payload;
    if (f->type == frame_type::done) return audio;
    if (f->type == frame_type::failed) break;
  }
  ADD_FAILURE() << "the fragment failed: " << text;
  return audio;
}

std::optional<frame> direct_worker::next() {
  for (;;) {
    auto f = decoder_.next();
    if (!f) return std::nullopt;
    if (*f) return std::move(**f);
    char buf[65536];
    auto n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) return std::nullopt;
    decoder_.feed({buf, static_cast<std::size_t>(n)});
  }
}

std::string said_as_one_stream(const std::string& engine, const std::vector<std::pair<std::string, std::string>>& fragments) {
  direct_worker w(engine);
  bool one_process = w.hello().capabilities.stream_process;
  std::string pcm;
  for (std::size_t i = 0; i < fragments.size(); ++i)
    pcm += w.say(fragments[i].first, fragments[i].second, one_process ? 1 : 0, i + 1 == fragments.size());
  return pcm;
}

} // namespace rtts::testing
