// The deployment recipes, exercised for real: nginx (from Debian) with the config from
// deploy/nginx in front of two rtts instances, the systemd unit through systemd-analyze, and the
// Kubernetes manifests through a YAML check.
#include "audio/wav.hpp"
#include "audio_check.hpp"
#include "client/ws_client.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

using namespace rtts::testing;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {


std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// nginx with deploy/nginx/rtts.conf, its upstreams pointed at our instances.
class nginx_process {
public:
  nginx_process(const std::vector<unsigned>& upstreams) : dir_(fs::temp_directory_path() / ("rtts-nginx-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
    ::chmod(dir_.c_str(), 0777); // nginx workers may run as another user
    port_ = free_port();
    std::string site = read_file(RTTS_SOURCE_DIR "/deploy/nginx/rtts.conf");
    std::string servers;
    for (auto p : upstreams) servers += "    server 127.0.0.1:" + std::to_string(p) + " max_fails=2 fail_timeout=10s;\n";
    site = std::regex_replace(site, std::regex("    server 127\\.0\\.0\\.1:800[0-9][^\n]*\n"), "");
    site = std::regex_replace(site, std::regex("    least_conn;\n"), "    least_conn;\n" + servers);
    site = std::regex_replace(site, std::regex("listen 8080;"), "listen 127.0.0.1:" + std::to_string(port_) + ";");
    std::ofstream(dir_ / "rtts.conf") << site;
    std::string d = dir_.string();
    std::ofstream(dir_ / "nginx.conf") << "worker_processes 1;\npid " << d << "/nginx.pid;\nerror_log " << d << "/error.log warn;\n"
                                       << "events { worker_connections 1024; }\nhttp {\n  access_log off;\n"
                                       << "  client_body_temp_path " << d << "/body;\n  proxy_temp_path " << d << "/proxy;\n"
                                       << "  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d << "/uwsgi;\n"
                                       << "  scgi_temp_path " << d << "/scgi;\n  include " << d << "/rtts.conf;\n}\n";
    std::string conf = (dir_ / "nginx.conf").string(), error_log = (dir_ / "error.log").string();
    std::vector<std::string> args{"/usr/sbin/nginx", "-p", d, "-e", error_log, "-c", conf, "-g", "daemon off;"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (::posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) throw std::runtime_error("cannot start nginx");
    for (int i = 0; i < 100; ++i) { // until it answers
      rtts::client::http_request r;
      r.target = "/health";
      if (auto ok = rtts::client::fetch(at(), r); ok && ok->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("nginx did not come up: " + read_file(dir_ / "error.log"));
  }
  ~nginx_process() {
    ::kill(pid_, SIGQUIT);
    ::waitpid(pid_, nullptr, 0);
    fs::remove_all(dir_);
  }
  rtts::client::endpoint at() const { return {"127.0.0.1", port_}; }
  rtts::client::http_response get(const std::string& target, const rtts::client::body_callback& cb = {}) const {
    rtts::client::http_request r;
    r.target = target;
    auto res = rtts::client::fetch(at(), r, cb);
    if (!res) throw std::runtime_error("via nginx: " + res.error().message);
    return *res;
  }

private:
  fs::path dir_;
  unsigned port_ = 0;
  pid_t pid_ = -1;
};

const std::string paragraph =
    "Through the load balancer, audio still streams as it is made. Every instance speaks with the same "
    "voices and the same engine. A client never notices which one answered. Unless one goes away, and then "
    "the other takes over.";

std::string ws_utterance_pcm(rtts::client::ws_client& c, const std::string& text) {
  c.send_text(text);
  std::string pcm;
  for (;;) {
    auto m = c.read();
    if (!m) throw std::runtime_error("ws read: " + m.error().message);
    auto v = json::parse(m->data).as_object();
    if (v.contains("finalOutput")) return pcm;
    const auto& a = v.at("audioOutput").as_object();
    if (!a.contains("isHeader")) {
      pcm += base64_decode(a.at("audio").as_string());
    }
  }
}

} // namespace

TEST(Deploy, NginxBalancesStreamsSseAndWebSockets) {
  rtts_server a, b;
  nginx_process nginx({a.endpoint().port, b.endpoint().port});
  const std::string reference = a.get(tts_target(paragraph)).body;

  // /tts streams through nginx: many chunks, the first a small part of the whole.
  auto r = nginx.get(tts_target(paragraph));
  ASSERT_EQ(r.status, 200u);
  EXPECT_TRUE(r.complete);
  EXPECT_TRUE(r.body == reference);
  ASSERT_GE(r.chunk_sizes.size(), 4u) << "nginx passes chunks on as they come (proxy_buffering off)";
  EXPECT_LT(r.chunk_sizes.front(), r.body.size() / 4);

  // SSE is not buffered: several events arrive as separate chunks.
  rtts::client::http_request sse;
  sse.method = "POST";
  sse.target = "/v1/audio/speech";
  sse.headers["Content-Type"] = "application/json";
  sse.body = json::serialize(json::object{{"input", paragraph}, {"response_format", "pcm"}, {"stream_format", "sse"}});
  auto events = rtts::client::fetch(nginx.at(), sse);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->header("content-type"), "text/event-stream");
  EXPECT_GE(events->chunk_sizes.size(), 3u);
  EXPECT_NE(events->body.find("speech.audio.done"), std::string::npos);

  // Both WebSocket protocols upgrade through nginx.
  auto ws = rtts::client::ws_client::connect(nginx.at(), "/ws");
  ASSERT_TRUE(ws) << ws.error().message;
  EXPECT_TRUE(ws_utterance_pcm(**ws, paragraph) == reference.substr(rtts::audio::wav_header_bytes));
  auto stream = rtts::client::ws_client::connect(nginx.at(), "/v1/audio/speech-stream");
  ASSERT_TRUE(stream);
  (*stream)->send_text(R"({"type":"text","text":"Hello through nginx. "})");
  (*stream)->send_text(R"({"type":"end"})");
  std::size_t audio = 0;
  for (;;) {
    auto m = (*stream)->read();
    ASSERT_TRUE(m);
    if (m->binary) audio += m->data.size();
    else if (json::parse(m->data).at("type") == "done") break;
  }
  EXPECT_GT(audio, 10000u);

  // 32 concurrent mixed clients, each with its own text, each getting exactly its own audio.
  std::vector<std::future<bool>> clients;
  for (int i = 0; i < 32; ++i)
    clients.push_back(std::async(std::launch::async, [&, i] {
      std::string text = "Client " + std::to_string(i) + " through nginx. " + paragraph.substr(0, 40 + i * 3);
      std::string expected = a.get(tts_target(text)).body;
      if (i % 2 == 0) return nginx.get(tts_target(text)).body == expected;
      auto c = rtts::client::ws_client::connect(nginx.at(), "/ws");
      return c && ws_utterance_pcm(**c, text) == expected.substr(rtts::audio::wav_header_bytes);
    }));
  int correct = 0;
  for (auto& c : clients) correct += c.get();
  EXPECT_EQ(correct, 32);
}

TEST(Deploy, SigtermOfOneInstanceDrainsItAndTheOtherTakesOver) {
  // The drain deadline is generous here so the check is about draining, not about speed.
  auto a = std::make_unique<rtts_server>(std::vector<std::string>{"--shutdown-grace-ms", "60000"});
  rtts_server b;
  nginx_process nginx({a->endpoint().port, b.endpoint().port});
  std::string text;
  for (int i = 0; i < 20; ++i) text += "Sentence " + std::to_string(i) + " of a long answer that is still streaming. ";

  // Eight long streams in flight, spread over both instances; then instance a gets SIGTERM.
  std::atomic<int> started{0};
  std::vector<std::future<rtts::client::http_response>> streams;
  for (int i = 0; i < 8; ++i)
    streams.push_back(std::async(std::launch::async, [&] {
      bool counted = false;
      std::string body;
      auto r = nginx.get(tts_target(text), [&](std::string_view piece) {
        if (!counted) {
          counted = true;
          ++started;
        }
        body.append(piece);
        // Read slowly, so the streams are still running when the signal comes.
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return true;
      });
      r.body = std::move(body);
      return r;
    }));
  while (started < 8) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(a->pid(), SIGTERM);

  for (auto& s : streams) {
    auto r = s.get();
    EXPECT_EQ(r.status, 200u);
    EXPECT_TRUE(r.complete) << "a stream in flight on the draining instance still ends cleanly";
    EXPECT_GT(decode_wav(r.body).seconds(), 40.0);
  }
  EXPECT_EQ(a->wait_exit(), 0) << "the drained instance exits 0";
  // New requests all succeed: nginx moves on from the refused instance to the survivor.
  for (int i = 0; i < 16; ++i) {
    auto r = nginx.get(tts_target("After the drain, request " + std::to_string(i) + "."));
    EXPECT_EQ(r.status, 200u);
    EXPECT_TRUE(r.complete);
  }
}

TEST(Deploy, SystemdUnitVerifies) {
  // systemd-analyze needs the ExecStart binary to exist: point it at the one we built.
  fs::path unit = fs::temp_directory_path() / ("rtts-" + std::to_string(::getpid()) + ".service");
  std::string text = read_file(RTTS_SOURCE_DIR "/deploy/systemd/rtts.service");
  std::ofstream(unit) << std::regex_replace(text, std::regex("/usr/local/bin/rtts"), RTTS_BINARY);
  fs::path out = unit.string() + ".out";
  int raw = std::system(("systemd-analyze verify " + unit.string() + " > " + out.string() + " 2>&1").c_str());
  std::string output = read_file(out);
  fs::remove(unit);
  fs::remove(out);
  EXPECT_EQ(WEXITSTATUS(raw), 0) << output;
  EXPECT_EQ(output, "") << "no warnings (unknown keys are only warnings to systemd)";
  EXPECT_NE(text.find("TimeoutStopSec="), std::string::npos);
}

TEST(Deploy, KubernetesManifestsAreValid) {
  int raw = std::system("/usr/bin/python3 " RTTS_SOURCE_DIR "/tests/deploy/check_manifests.py " RTTS_SOURCE_DIR "/deploy");
  EXPECT_EQ(WEXITSTATUS(raw), 0);
}
