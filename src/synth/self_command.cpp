#include "synth/self_command.hpp"

#include "core/on_pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace rtts::synth {
namespace asio = boost::asio;

namespace {

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

result<std::unique_ptr<self_command>> self_command::start(asio::any_io_executor ex, std::vector<std::string> args) {
  std::error_code ec;
  std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  if (ec) return make_error(error_kind::engine_failure, "cannot find the server's own executable: " + ec.message(), "spawn_failed");
  args.insert(args.begin(), self);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return make_error(error_kind::engine_failure, "no pipe for a child process", "spawn_failed");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3); // none of the server's sockets
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return make_error(error_kind::engine_failure, std::string("cannot start a child process: ") + std::strerror(rc), "spawn_failed");
  }
  return std::unique_ptr<self_command>(new self_command(std::move(ex), pid, fds[0]));
}

self_command::self_command(asio::any_io_executor ex, pid_t pid, int output) : pid_(pid), output_(std::move(ex), output) {}

self_command::~self_command() {
  if (pid_ <= 0) return;
  // Only when the coroutine that owns it was dropped (shutdown): a killed child ends at once.
  ::kill(pid_, SIGKILL);
  wait_for(pid_);
}

asio::awaitable<std::optional<std::string>> self_command::next_line() {
  boost::system::error_code ec;
  std::size_t n = co_await asio::async_read_until(output_, asio::dynamic_buffer(buffer_), '\n', asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return std::nullopt;
  std::string line = buffer_.substr(0, n - 1);
  buffer_.erase(0, n);
  co_return line;
}

void self_command::stop() {
  if (pid_ > 0) ::kill(pid_, SIGTERM);
}

asio::awaitable<int> self_command::exit_status(asio::thread_pool& compute) {
  boost::system::error_code ec;
  output_.close(ec);
  pid_t pid = pid_;
  pid_ = -1; // reaped by the wait below, also if this coroutine is dropped meanwhile
  co_return co_await on_pool(compute, [pid] { return wait_for(pid); });
}

} // namespace rtts::synth
