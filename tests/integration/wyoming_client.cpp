#include "wyoming_client.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace rtts::testing {
namespace json = boost::json;

wyoming_client::wyoming_client(unsigned port, int receive_buffer, int read_timeout_s) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{read_timeout_s, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect");
  }
}

wyoming_client::~wyoming_client() { ::close(fd_); }

void wyoming_client::send_raw(const std::string& bytes) {
  ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
}

void wyoming_client::send(const std::string& type, const json::object& data) {
  std::string d = data.empty() ? "" : json::serialize(data);
  json::object header{{"type", type}};
  if (!d.empty()) header["data_length"] = d.size();
  send_raw(json::serialize(header) + "\n" + d);
}

std::optional<wy_event> wyoming_client::read() {
  std::string line;
  for (char c; (c = next()) != '\n';) {
    if (c == 0 && closed_) return std::nullopt;
    line.push_back(c);
  }
  auto header = json::parse(line).as_object();
  wy_event e{std::string(header.at("type").as_string()), {}, {}};
  if (auto* inline_data = header.if_contains("data")) e.data = inline_data->as_object();
  if (auto* n = header.if_contains("data_length")) {
    std::string d;
    for (auto i = n->to_number<std::int64_t>(); i > 0; --i) d.push_back(next());
    // A server that gives up on a client cuts its stream anywhere, also inside an event's data.
    if (closed_) return std::nullopt;
    auto segment = json::parse(d);
    for (auto& [k, v] : segment.as_object()) e.data[k] = v;
  }
  if (auto* n = header.if_contains("payload_length"))
    for (auto i = n->to_number<std::int64_t>(); i > 0; --i) e.payload.push_back(next());
  if (closed_) return std::nullopt;
  return e;
}

std::vector<wy_event> wyoming_client::read_until(const std::string& last) {
  std::vector<wy_event> events;
  while (auto e = read()) {
    events.push_back(*e);
    if (e->type == last) break;
  }
  return events;
}

bool wyoming_client::hung_up(int wait_ms) const {
  pollfd p{fd_, POLLRDHUP, 0};
  return ::poll(&p, 1, wait_ms) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

char wyoming_client::next() {
  char c = 0;
  if (closed_ || ::recv(fd_, &c, 1, 0) != 1) closed_ = true;
  return c;
}

std::string pcm_of(const std::vector<wy_event>& events) {
  std::string pcm;
  for (const auto& e : events)
    if (e.type == "audio-chunk") pcm += e.payload;
  return pcm;
}

} // namespace rtts::testing
