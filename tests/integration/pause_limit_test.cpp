// SSML pauses cost a few bytes of markup and seconds of audio each. A document's pauses have a
// total limit (--max-pause, 413 above) on every listener, and the silence a stream does carry
// is made in bounded pieces as the client takes it, never as one buffer. Memory is read from
// /proc of the real server.
#include "audio/wav.hpp"
#include "audio_check.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace rtts::testing;
namespace json = boost::json;

namespace {

// The probe of the hardening issue: 22 KB that asked for 10,000 s of silence.
std::string pause_bomb(int breaks, const std::string& each = "10s") {
  std::string doc = "<speak>";
  for (int i = 0; i < breaks; ++i) doc += "<break time=\"" + each + "\"/>";
  return doc + "hi</speak>";
}

std::string error_code(const std::string& body) { return std::string(json::parse(body).at("error").at("code").as_string()); }

// One Wyoming event sent, and the type and data of the first event that comes back.
std::pair<std::string, json::object> wyoming_exchange(unsigned port, const json::object& data, const std::string& type) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string line;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::string d = json::serialize(data);
    std::string bytes = json::serialize(json::object{{"type", type}, {"data_length", d.size()}}) + "\n" + d;
    ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    for (char c; ::recv(fd, &c, 1, 0) == 1 && c != '\n';) line.push_back(c);
  }
  std::pair<std::string, json::object> answer;
  if (!line.empty()) {
    auto header = json::parse(line).as_object();
    answer.first = std::string(header.at("type").as_string());
    if (auto* n = header.if_contains("data_length")) {
      std::string d(static_cast<std::size_t>(n->to_number<std::int64_t>()), '\0');
      for (std::size_t got = 0; got < d.size();) {
        auto k = ::recv(fd, d.data() + got, d.size() - got, 0);
        if (k <= 0) break;
        got += static_cast<std::size_t>(k);
      }
      answer.second = json::parse(d).as_object();
    }
  }
  ::close(fd);
  return answer;
}

// Under AddressSanitizer, freed memory waits in a quarantine (256 MB by default) before it is
// reused, so RSS would count every chunk ever freed. Servers started while this lives measure
// what they hold, not what ASan keeps.
class no_asan_quarantine {
public:
  no_asan_quarantine() {
    const char* old = std::getenv("ASAN_OPTIONS");
    saved_ = old ? std::optional<std::string>(old) : std::nullopt;
    std::string options = saved_.value_or("");
    ::setenv("ASAN_OPTIONS", ((options.empty() ? "" : options + ":") + "quarantine_size_mb=0").c_str(), 1);
  }
  ~no_asan_quarantine() {
    if (saved_) ::setenv("ASAN_OPTIONS", saved_->c_str(), 1);
    else ::unsetenv("ASAN_OPTIONS");
  }

private:
  std::optional<std::string> saved_;
};

} // namespace

TEST(PauseLimit, APauseBombIsRefusedOnEveryListenerAndCostsNoMemory) {
  auto wy = free_port(), mary = free_port();
  no_asan_quarantine measured;
  rtts_server server({"--engines", "espeak", "--workers", "1", "--wyoming", "127.0.0.1:" + std::to_string(wy), "--marytts",
                      "127.0.0.1:" + std::to_string(mary)});
  long before = rtts::client::rss_kib(server.pid());
  auto bomb = pause_bomb(1000);
  ASSERT_GT(bomb.size(), 18000u);
  auto r = server.get(tts_target(bomb));
  EXPECT_EQ(r.status, 413u) << r.body.substr(0, 300);
  EXPECT_EQ(error_code(r.body), "pause_too_long");
  auto openai = server.post("/v1/audio/speech", json::serialize(json::object{{"model", "tts-1"}, {"input", bomb}, {"voice", "alloy"}}));
  EXPECT_EQ(openai.status, 413u);

  auto [type, data] = wyoming_exchange(wy, json::object{{"text", bomb}}, "synthesize");
  EXPECT_EQ(type, "error");
  EXPECT_EQ(data["code"], "pause_too_long");

  rtts::client::endpoint mary_at{"127.0.0.1", mary};
  rtts::client::http_request form;
  form.method = "POST";
  form.target = "/process";
  form.body = "INPUT_TYPE=SSML&OUTPUT_TYPE=AUDIO&AUDIO=WAVE_FILE&INPUT_TEXT=" + rtts::client::url_encode(pause_bomb(1000, "10000ms"));
  auto m = rtts::client::fetch(mary_at, form);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 413u) << m->body.substr(0, 300);

  long after = rtts::client::rss_kib(server.pid());
  EXPECT_LT(after - before, 40 * 1024) << "RSS " << before << " KiB -> " << after << " KiB";
  // Within the limit, pauses are still spoken exactly: 60 s of breaks and a word.
  auto ok = server.get(tts_target(pause_bomb(6)));
  ASSERT_EQ(ok.status, 200u);
  auto audio = decode_wav(ok.body);
  EXPECT_GT(audio.seconds(), 60.0);
  EXPECT_LT(audio.seconds(), 62.0);
}

TEST(PauseLimit, LongSilenceStreamsInBoundedPieces) {
  // An hour of pauses allowed on purpose: the stream carries them, the server never holds them.
  no_asan_quarantine measured;
  rtts_server server({"--engines", "espeak", "--workers", "1", "--max-pause", "3600"});
  long before = rtts::client::rss_kib(server.pid());
  long peak = before;
  std::size_t received = 0;
  std::string head;
  auto r = server.get(tts_target(pause_bomb(360), "format=pcm"), [&](std::string_view piece) {
    received += piece.size();
    if (head.size() < 4096) head.append(piece.substr(0, 4096 - head.size()));
    peak = std::max(peak, rtts::client::rss_kib(server.pid()));
    return received < (40u << 20); // 40 MiB of the 159 MB of silence, then hang up
  });
  EXPECT_EQ(r.status, 200u);
  EXPECT_GE(received, 40u << 20);
  EXPECT_EQ(head.find_first_not_of('\0'), std::string::npos) << "pauses are silence";
  EXPECT_LT(peak - before, 40 * 1024) << "RSS " << before << " KiB -> peak " << peak << " KiB while 3600 s of silence streamed";
  // The hang-up stopped it: nothing stays behind, and the worker serves the next request.
  auto next = server.get(tts_target("Still here."));
  EXPECT_EQ(next.status, 200u);
  EXPECT_GT(decode_wav(next.body).rms(), 500.0);
}
