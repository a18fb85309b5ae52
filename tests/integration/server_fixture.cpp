#include "server_fixture.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <random>
#include <stdexcept>
#include <thread>

namespace rtts::testing {

namespace {
std::vector<std::string> with_default_workers(std::vector<std::string> args) {
  if (std::find(args.begin(), args.end(), "--workers") == args.end()) args.insert(args.end(), {"--workers", "2"});
  // The tests see only the neural voices they bring: a developer's own voices folder would
  // change what /engines lists.
  if (std::find(args.begin(), args.end(), "--voices-dir") == args.end()) args.insert(args.end(), {"--voices-dir", "/nonexistent/rtts-test-voices"});
  // Admission by real-time capacity follows the machine's measured speed, and a sanitizer build
  // is many times slower than a release one: tests that are not about admission turn it off, so
  // that what they check does not depend on the machine. capacity_test.cpp tests admission with
  // sizes that hold on any machine.
  if (std::find(args.begin(), args.end(), "--admission-load") == args.end()) args.insert(args.end(), {"--admission-load", "0"});
  return args;
}
} // namespace

rtts_server::rtts_server(std::vector<std::string> extra_args, const std::string& stderr_path)
    : server_process(RTTS_BINARY, with_default_workers(std::move(extra_args)), stderr_path) {}

client::http_response rtts_server::get(const std::string& target, const client::body_callback& on_body) const {
  client::http_request request;
  request.target = target;
  auto response = client::fetch(at(), request, on_body);
  if (!response) throw std::runtime_error("GET " + target.substr(0, 80) + ": " + response.error().message);
  return *response;
}

client::http_response rtts_server::post(const std::string& target, const std::string& body, std::map<std::string, std::string> headers,
                                        const client::body_callback& on_body) const {
  client::http_request request;
  request.method = "POST";
  request.target = target;
  request.body = body;
  request.headers = std::move(headers);
  if (!request.headers.contains("Content-Type")) request.headers["Content-Type"] = "application/json";
  auto response = client::fetch(at(), request, on_body);
  if (!response) throw std::runtime_error("POST " + target + ": " + response.error().message);
  return *response;
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

namespace {
// /proc/PID/stat, or "" when the process is gone (also while reading: a read error then).
std::string proc_stat(pid_t pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/stat";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  char buf[1024];
  auto n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}
} // namespace

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> found;
  if (DIR* dir = ::opendir("/proc")) {
    while (auto* e = ::readdir(dir)) {
      pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
      if (pid <= 0) continue;
      std::string stat = proc_stat(pid);
      auto close = stat.rfind(')'); // the command name may hold spaces and parentheses
      if (close == std::string::npos || close + 2 > stat.size()) continue;
      std::istringstream rest(stat.substr(close + 2));
      char state = 0;
      pid_t ppid = 0;
      rest >> state >> ppid;
      if (ppid == parent) found.push_back(pid);
    }
    ::closedir(dir);
  }
  return found;
}

namespace {
// The state letter of /proc/PID/stat ('R', 'S', 'T' stopped, 'Z' zombie...), or 0.
char process_state(pid_t pid) {
  std::string stat = proc_stat(pid);
  auto close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() ? 0 : stat[close + 2];
}
} // namespace

pid_t freeze_a_job(pid_t worker, int tries) {
  for (int i = 0; i < tries; ++i) {
    for (pid_t job : children_of(worker)) {
      if (::kill(job, SIGSTOP) != 0) continue;
      for (int wait = 0; wait < 100; ++wait) {
        char state = process_state(job);
        if (state == 'T' || state == 't') return job;
        if (state == 'Z' || state == 0) break; // it had ended: not at work
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
  }
  return 0;
}

std::vector<boost::json::object> read_json_log(const std::string& path) {
  std::vector<boost::json::object> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line.front() == '{') lines.push_back(boost::json::parse(line).as_object());
  std::remove(path.c_str());
  return lines;
}

unsigned free_port() {
  // Below the kernel's ephemeral range (32768-60999 by default): a port picked there (by binding
  // port 0) can be taken by any outgoing connection before the server binds it.
  static std::minstd_rand pick(static_cast<unsigned>(::getpid()));
  for (int attempt = 0; attempt < 200; ++attempt) {
    unsigned port = 20000 + pick() % 12000;
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (free) return port;
  }
  throw std::runtime_error("no free port between 20000 and 32000");
}

std::string base64_decode(std::string_view text) {
  static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned value = 0;
  int bits = 0;
  for (char ch : text) {
    auto pos = alphabet.find(ch);
    if (pos == std::string_view::npos) break; // '=' padding ends the data
    value = (value << 6) | static_cast<unsigned>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
    }
  }
  return out;
}

sse_answer read_sse(const std::string& body) {
  sse_answer out;
  std::size_t at = 0;
  while ((at = body.find("data: ", at)) != std::string::npos) {
    auto end = body.find("\n\n", at);
    if (end == std::string::npos) break;
    auto value = boost::json::parse(body.substr(at + 6, end - at - 6));
    auto event = value.as_object();
    at = end + 2;
    if (event.at("type") == "speech.audio.delta") {
      out.audio += base64_decode(event.at("audio").as_string());
      continue;
    }
    out.events.push_back(std::move(event));
    out.audio_bytes_before.push_back(out.audio.size());
  }
  return out;
}

std::vector<boost::json::object> sse_answer::of_type(std::string_view type) const {
  std::vector<boost::json::object> out;
  for (const auto& e : events)
    if (e.at("type").is_string() && e.at("type").as_string() == type) out.push_back(e);
  return out;
}

std::string tts_target(const std::string& text, const std::string& extra) {
  return "/tts?text=" + client::url_encode(text) + (extra.empty() ? "" : "&" + extra);
}

std::unique_ptr<client::ws_client> open_websocket(const rtts_server& server, const std::string& target) {
  auto c = client::ws_client::connect(server.endpoint(), target);
  if (!c) throw std::runtime_error("connect " + target + ": " + c.error().message);
  return std::move(*c);
}

double metric(const rtts_server& server, const std::string& series) {
  auto page = server.get("/metrics").body;
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
  return 0;
}

std::string story(int sentences) {
  std::string text;
  for (int i = 0; i < sentences; ++i) text += "This is sentence number " + std::to_string(i) + " of a long story. ";
  return text;
}

} // namespace rtts::testing
