// Connection limits and timeouts, checked with raw sockets against the real server: half-open
// connections, slowloris headers, idle keep-alive, readers that stop reading, --max-connections.
// Waits are bounded polls, never timing assertions.
#include "audio_check.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using namespace rtts::testing;

namespace {

// A connected socket to the server (closed by the destructor); `receive_buffer` shrinks the
// kernel's receive buffer so a reader that stops reading fills up fast.
class raw_connection {
public:
  explicit raw_connection(const rtts::client::endpoint& to, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(to.port));
    ::inet_pton(AF_INET, to.host.c_str(), &addr.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~raw_connection() { ::close(fd_); }
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  bool connected() const { return connected_; }
  bool send(const std::string& bytes) { return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()); }
  // Reads until the server closes the connection or `limit` passes; true if it closed.
  bool read_until_closed(std::string& into, std::chrono::seconds limit = std::chrono::seconds(30)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    char buf[65536];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;
      into.append(buf, static_cast<std::size_t>(n));
    }
    return false;
  }

private:
  int fd_ = -1;
  bool connected_ = false;
};

void expect_good_audio(const rtts_server& server, const std::string& text) {
  auto r = server.get(tts_target(text));
  ASSERT_EQ(r.status, 200u);
  ASSERT_TRUE(r.complete);
  auto audio = decode_wav(r.body);
  EXPECT_EQ(audio.sample_rate, 22050);
  EXPECT_GT(audio.seconds(), 0.8);
  EXPECT_GT(audio.rms(), 500.0);
}

} // namespace

TEST(Limits, FiveHundredHalfOpenConnectionsDoNotBlockANormalClient) {
  rtts_server server({"--workers", "1"});
  std::string reference = server.get(tts_target("Still here for everyone else.")).body;
  std::vector<std::unique_ptr<raw_connection>> idle;
  for (int i = 0; i < 500; ++i) {
    idle.push_back(std::make_unique<raw_connection>(server.endpoint()));
    ASSERT_TRUE(idle.back()->connected()) << i;
    // Half of them begin a request and never finish its headers; the others say nothing.
    if (i % 2 == 0) idle.back()->send("GET /tts?text=never HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  }
  // The server has accepted them all (it counts them), and still serves a normal client at once.
  for (int i = 0; i < 100 && metric(server, "rtts_open_connections") < 501; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_GE(metric(server, "rtts_open_connections"), 501);
  auto r = server.get(tts_target("Still here for everyone else."));
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, reference);
  expect_good_audio(server, "A second request on a busy server.");
}

TEST(Limits, SlowlorisHeadersAreCutAfterTheHeaderTimeout) {
  rtts_server server({"--workers", "1", "--header-timeout", "1"});
  raw_connection slow(server.endpoint());
  ASSERT_TRUE(slow.send("GET /tts?text=slow HTTP/1.1\r\n"));
  // One header line at a time, slower than the timeout allows in total.
  bool closed = false;
  std::string answer;
  for (int i = 0; i < 20 && !closed; ++i) {
    slow.send("X-Drip-" + std::to_string(i) + ": 1\r\n");
    closed = slow.read_until_closed(answer, std::chrono::seconds(1));
  }
  EXPECT_TRUE(closed) << "a connection that never finishes its headers must be dropped";
  EXPECT_EQ(answer.find("200 OK"), std::string::npos);
  expect_good_audio(server, "The server shrugs it off.");
}

TEST(Limits, IdleKeepAliveConnectionsAreClosed) {
  rtts_server server({"--workers", "1", "--keepalive-timeout", "1"});
  raw_connection conn(server.endpoint());
  ASSERT_TRUE(conn.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  std::string answer;
  EXPECT_TRUE(conn.read_until_closed(answer)) << "an idle keep-alive connection must be closed after --keepalive-timeout";
  EXPECT_EQ(answer.substr(0, 15), "HTTP/1.1 200 OK") << answer;
}

TEST(Limits, AReaderThatStopsReadingIsDisconnected) {
  rtts_server server({"--workers", "1", "--write-timeout", "1"});
  std::string text;
  for (int i = 0; i < 300; ++i) text += "Sentence number " + std::to_string(i) + " of a story nobody listens to. ";
  raw_connection reader(server.endpoint(), 4096);
  ASSERT_TRUE(reader.send("GET " + tts_target(text) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  // The reader takes nothing; the server's writes stall, and after --write-timeout it gives up
  // and cancels the stream (which frees the worker).
  auto cancelled = [&] {
    auto body = server.get("/metrics").body;
    return body.find("rtts_streams_total{engine=\"espeak\",outcome=\"cancelled\"} 1") != std::string::npos;
  };
  bool gone = false;
  for (int i = 0; i < 300 && !(gone = cancelled()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(gone) << server.get("/metrics").body;
  std::string received;
  ASSERT_TRUE(reader.read_until_closed(received));
  EXPECT_EQ(received.substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_NE(received.substr(received.size() - 5), "0\r\n\r\n") << "the stream must end truncated, not as if complete";
  expect_good_audio(server, "Other clients are served.");
}

TEST(Limits, ConnectionsOverTheLimitGet503AndTheRestWork) {
  rtts_server server({"--workers", "1", "--max-connections", "3"});
  std::vector<std::unique_ptr<raw_connection>> held;
  for (int i = 0; i < 3; ++i) held.push_back(std::make_unique<raw_connection>(server.endpoint()));
  // The listener accepts in arrival order: the three held connections take the slots.
  std::string refused = raw_exchange(server.endpoint(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_EQ(refused.substr(0, 12), "HTTP/1.1 503") << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos);
  auto body = boost::json::parse(refused.substr(refused.find("\r\n\r\n") + 4));
  EXPECT_EQ(body.at("error").at("code").as_string(), "too_many_connections");
  held.pop_back();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    served = server.get("/health").status == 200;
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(served) << "a freed slot must be usable again";
}
