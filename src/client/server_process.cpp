#include "client/server_process.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace rtts::client {

server_process::server_process(const std::string& executable, const std::vector<std::string>& extra_args, const std::string& stderr_path) {
  std::vector<std::string> args{executable, "serve", "--port", "0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  if (!stderr_path.empty()) posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  auto t0 = std::chrono::steady_clock::now();
  int rc = ::posix_spawn(&pid_, executable.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (rc != 0) {
    ::close(out[0]);
    throw std::runtime_error("cannot start " + executable);
  }

  // "rtts: listening on http://127.0.0.1:PORT ..." is the first line on its stdout.
  std::string line;
  auto deadline = t0 + std::chrono::seconds(30);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char c;
    if (::read(out[0], &c, 1) != 1) break;
    line.push_back(c);
  }
  startup_ = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  ::close(out[0]); // later output goes nowhere; the server ignores SIGPIPE
  auto at = line.find("http://");
  auto colon = at == std::string::npos ? std::string::npos : line.find(':', at + 7);
  if (colon == std::string::npos) {
    terminate();
    throw std::runtime_error("rtts did not start: '" + line + "'");
  }
  endpoint_.host = line.substr(at + 7, colon - at - 7);
  endpoint_.port = static_cast<unsigned>(std::stoul(line.substr(colon + 1)));
}

server_process::~server_process() { terminate(); }

bool server_process::alive() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }

std::vector<pid_t> server_process::children() const {
  std::vector<pid_t> pids;
  std::string task_dir = "/proc/" + std::to_string(pid_) + "/task";
  if (DIR* dir = ::opendir(task_dir.c_str())) {
    while (auto* entry = ::readdir(dir)) {
      if (entry->d_name[0] == '.') continue;
      std::ifstream children(task_dir + "/" + entry->d_name + "/children");
      for (pid_t child; children >> child;) pids.push_back(child);
    }
    ::closedir(dir);
  }
  return pids;
}

int server_process::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  return wait_exit();
}

int server_process::wait_exit() {
  if (pid_ <= 0) return -1;
  int status = 0;
  for (int i = 0; i < 2000; ++i) { // up to 20 s
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string key; status >> key;) {
    if (key == "VmRSS:") {
      long value = 0;
      status >> value;
      return value;
    }
    status.ignore(1 << 12, '\n');
  }
  return 0;
}

long long cpu_ticks(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')'); // the command name may hold spaces and parentheses
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string f;
  long long total = 0;
  for (int i = 3; i <= 17 && fields >> f; ++i)
    if (i >= 14) total += std::atoll(f.c_str()); // utime, stime, cutime, cstime
  return total;
}

long long tree_cpu_ticks(pid_t server) {
  if (server <= 0) return 0;
  long long total = cpu_ticks(server);
  std::ifstream children("/proc/" + std::to_string(server) + "/task/" + std::to_string(server) + "/children");
  for (pid_t c; children >> c;) total += cpu_ticks(c);
  return total;
}

double cpu_percent(long long ticks, double wall_seconds) {
  return wall_seconds > 0 ? 100.0 * static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK)) / wall_seconds : 0;
}

} // namespace rtts::client
