#include "server_fixture.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace rtts::testing {

rtts_server::rtts_server(std::vector<std::string> extra_args) {
  std::vector<std::string> args{RTTS_BINARY, "serve", "--port", "0"};
  if (std::find(extra_args.begin(), extra_args.end(), "--workers") == extra_args.end()) args.insert(args.end(), {"--workers", "2"});
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  int rc = ::posix_spawn(&pid_, RTTS_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (rc != 0) throw std::runtime_error("cannot start " RTTS_BINARY);

  // Wait for "rtts: listening on http://127.0.0.1:PORT ..." on its stdout.
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char c;
    if (::read(out[0], &c, 1) != 1) break;
    line.push_back(c);
  }
  ::close(out[0]);
  auto at = line.find("http://");
  auto colon = at == std::string::npos ? std::string::npos : line.find(':', at + 7);
  if (colon == std::string::npos) {
    terminate();
    throw std::runtime_error("rtts did not start: '" + line + "'");
  }
  endpoint_.host = line.substr(at + 7, colon - at - 7);
  endpoint_.port = static_cast<unsigned>(std::stoul(line.substr(colon + 1)));
}

rtts_server::~rtts_server() { terminate(); }

bool rtts_server::alive() const { return pid_ > 0 && ::kill(pid_, 0) == 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }

std::vector<pid_t> rtts_server::worker_pids() const {
  std::vector<pid_t> pids;
  std::string task_dir = "/proc/" + std::to_string(pid_) + "/task";
  DIR* dir = ::opendir(task_dir.c_str());
  if (!dir) return pids;
  while (auto* entry = ::readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    std::ifstream children(task_dir + "/" + entry->d_name + "/children");
    pid_t child;
    while (children >> child) pids.push_back(child);
  }
  ::closedir(dir);
  return pids;
}

client::http_response rtts_server::get(const std::string& target, const client::body_callback& on_body) const {
  client::http_request request;
  request.target = target;
  auto response = client::fetch(endpoint_, request, on_body);
  if (!response) throw std::runtime_error("GET " + target.substr(0, 80) + ": " + response.error().message);
  return *response;
}

int rtts_server::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) { // up to 20 s
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

std::string raw_exchange(const client::endpoint& to, const std::string& bytes) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(to.port));
  ::inet_pton(AF_INET, to.host.c_str(), &addr.sin_addr);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break; // the server may answer and close before reading everything
      sent += static_cast<std::size_t>(n);
    }
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

std::string tts_target(const std::string& text, const std::string& extra) {
  return "/tts?text=" + client::url_encode(text) + (extra.empty() ? "" : "&" + extra);
}

} // namespace rtts::testing
