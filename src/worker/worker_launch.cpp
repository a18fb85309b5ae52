#include "worker/worker_launch.hpp"

#include "worker/worker_channel.hpp"

#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace rtts::worker {

std::vector<std::string> worker_environment(const std::string& engine) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    if (entry.starts_with("RTTS_API_KEYS=") || entry.starts_with("RTTS_API_KEY_FILE=")) continue;
    if (engine != "openai" && entry.starts_with("RTTS_PROXY_KEY=")) continue;
    if (entry.starts_with("LD_BIND_NOW=")) continue;
    env.emplace_back(entry);
  }
  // Every symbol bound once, in the worker: job processes are forked from it, and with lazy
  // binding each one resolved again the functions the worker itself had not called yet
  // (measured: ~7 % of a job's CPU in ld.so, ~12 % more eSpeak throughput without it).
  env.emplace_back("LD_BIND_NOW=1");
  return env;
}

result<launched_worker> launch_worker(const std::string& program, const std::string& engine, const std::vector<std::string>& extra_args) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    return make_error(error_kind::unavailable, std::string("socketpair: ") + std::strerror(errno));
  // posix_spawn, not fork: the server is multi-threaded. The child gets its end on fd 3 and
  // nothing else of ours (closefrom drops the listener and other workers' sockets).
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 3);
  posix_spawn_file_actions_addclosefrom_np(&actions, 4);
  std::vector<std::string> args = {program, "worker", "--engine", engine, "--fd", "3"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto env = worker_environment(engine);
  std::vector<char*> envp;
  for (auto& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  launched_worker w;
  int rc = ::posix_spawn(&w.pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return make_error(error_kind::unavailable, "cannot start worker: " + std::string(std::strerror(rc)));
  }
  w.fd = fds[0];
  return w;
}

result<std::unique_ptr<worker_connection>> worker_connection::start(const std::string& program, const std::string& engine,
                                                                   const std::vector<std::string>& extra_args) {
  auto launched = launch_worker(program, engine, extra_args);
  if (!launched) return launched.error();
  std::unique_ptr<worker_connection> c(new worker_connection(*launched));
  auto hello = c->next();
  if (!hello || hello->type != frame_type::hello) return make_error(error_kind::internal, "the " + engine + " worker did not say hello");
  auto info = worker_hello_from_json(hello->payload);
  if (!info) return info.error();
  c->hello_ = std::move(*info);
  return c;
}

worker_connection::~worker_connection() {
  ::close(worker_.fd);
  ::waitpid(worker_.pid, nullptr, 0);
}

bool worker_connection::send(frame_type type, std::uint64_t job, std::string_view payload) {
  return write_all(worker_.fd, encode_frame(type, job, payload));
}

std::optional<frame> worker_connection::next() { return read_frame(worker_.fd, decoder_); }

} // namespace rtts::worker
