// What a hostile or old-fashioned client sees of the real server: HTTP/1.0 framing, log lines it
// cannot forge, a cancel that frees the engine at once whatever the engine is doing, secrets
// that stay where they belong, and no open server on a public address by accident.
#include "audio_check.hpp"
#include "server_fixture.hpp"

#include "client/ws_client.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

using namespace rtts::testing;
namespace json = boost::json;

namespace {

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `rtts serve ARGS` to its end (it is expected not to start); its exit code and stderr.
std::pair<int, std::string> serve_refused(const std::vector<std::string>& args) {
  std::string err = "/tmp/rtts-refused-" + std::to_string(::getpid()) + ".txt";
  pid_t pid = ::fork();
  if (pid == 0) {
    std::freopen(err.c_str(), "w", stderr);
    std::vector<std::string> all{RTTS_BINARY, "serve", "--port", "0"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(RTTS_BINARY, argv.data());
    ::_exit(127);
  }
  int status = 0;
  for (int i = 0; i < 200 && ::waitpid(pid, &status, WNOHANG) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (::waitpid(pid, &status, WNOHANG) == 0) { // it started after all: stop it
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return {-1, file_text(err)};
  }
  auto text = file_text(err);
  std::remove(err.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

} // namespace

TEST(Hardening, Http10ClientsGetACloseDelimitedBody) {
  rtts_server server({"--engines", "espeak", "--workers", "1"});
  auto expected = server.get(tts_target("An old client.")).body;
  auto answer = raw_exchange(server.endpoint(), "GET " + tts_target("An old client.") + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
  auto split = answer.find("\r\n\r\n");
  ASSERT_NE(split, std::string::npos) << answer.substr(0, 200);
  auto head = answer.substr(0, split), body = answer.substr(split + 4);
  EXPECT_EQ(head.substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_EQ(head.find("chunked"), std::string::npos) << head;
  EXPECT_TRUE(body == expected) << "the WAV bytes themselves, no chunk sizes among them (" << body.size() << " vs " << expected.size() << ")";
  // Through the OpenAI route too.
  const std::string json_body = R"({"model":"tts-1","input":"Hi there.","voice":"alloy","response_format":"pcm"})";
  auto openai = raw_exchange(server.endpoint(), "POST /v1/audio/speech HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                                "Content-Length: " + std::to_string(json_body.size()) + "\r\n\r\n" + json_body);
  EXPECT_EQ(openai.substr(0, 15), "HTTP/1.1 200 OK") << openai.substr(0, 300);
  EXPECT_EQ(openai.substr(0, openai.find("\r\n\r\n")).find("chunked"), std::string::npos);
  EXPECT_TRUE(openai.substr(openai.find("\r\n\r\n") + 4) == server.post("/v1/audio/speech", json_body).body);
}

TEST(Hardening, ClientFieldsCannotForgeLogLines) {
  std::string log = "/tmp/rtts-forge-log-" + std::to_string(::getpid()) + ".txt";
  {
    rtts_server server({"--engines", "espeak", "--workers", "1"}, log);
    auto r = server.get("/tts?text=x&engine=%0A2026-12-02T00:00:00.000Z%20forged%20GET%20/admin%20200");
    EXPECT_EQ(r.status, 404u);
    server.get("/tts?text=x&voice=a%20voice=b%0D%1B%5B31m");
  }
  auto text = file_text(log);
  std::remove(log.c_str());
  std::istringstream lines(text);
  int requests = 0;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_FALSE(line.starts_with("2026-12-02T00:00:00.000Z")) << "a forged line: " << line;
    EXPECT_EQ(line.find('\r'), std::string::npos);
    EXPECT_EQ(line.find('\x1b'), std::string::npos) << "no terminal escapes from clients";
    if (line.find(" GET /tts ") != std::string::npos) ++requests;
    if (line.find("forged") != std::string::npos) {
      EXPECT_NE(line.find("engine=\"\\x0a2026"), std::string::npos) << line;
    }
    if (line.find("a voice") != std::string::npos) {
      EXPECT_NE(line.find("voice=\"a voice=b\\x0d\\x1b[31m\""), std::string::npos) << line;
    }
  }
  EXPECT_EQ(requests, 2) << "one line per request:\n" << text;
}

TEST(Hardening, CancelFreesTheWorkerEvenWhenTheEngineIsNotCallingBack) {
  // A job process stopped mid-fragment stands for an engine that makes a whole sentence before
  // its first callback (Festival): the cancel flag alone would never be read.
  rtts_server server({"--engines", "espeak", "--workers", "1", "--fragment-timeout-ms", "60000"});
  auto worker = server.worker_pids();
  ASSERT_EQ(worker.size(), 1u);
  auto c = rtts::client::ws_client::connect(server.endpoint(), "/v1/audio/speech-stream").value();
  ASSERT_TRUE(c->send_text(R"({"type":"config","binary":true})"));
  std::string text;
  for (int i = 0; i < 200; ++i) text += "Sentence number " + std::to_string(i) + " of a long story. ";
  ASSERT_TRUE(c->send_text(json::serialize(json::object{{"type", "text"}, {"text", text}})));
  ASSERT_TRUE(c->send_text(R"({"type":"flush"})"));
  // Catch a job process at work and freeze it.
  pid_t frozen = 0;
  for (int i = 0; i < 2000 && frozen == 0; ++i) {
    auto m = c->read(); // keep the audio flowing so that jobs keep starting
    ASSERT_TRUE(m);
    frozen = freeze_a_job(worker[0], 1);
  }
  ASSERT_NE(frozen, 0) << "no job process seen";
  ASSERT_TRUE(c->send_text(R"({"type":"cancel"})"));
  bool cancelled = false;
  for (int i = 0; i < 10000 && !cancelled; ++i) {
    auto m = c->read();
    ASSERT_TRUE(m);
    cancelled = !m->binary && m->data.find("\"cancelled\"") != std::string::npos;
  }
  EXPECT_TRUE(cancelled);
  // The frozen job is gone and the worker is free, long before any watchdog.
  bool free = false;
  for (int i = 0; i < 100 && !free; ++i) {
    auto health = json::parse(server.get("/health").body);
    free = health.at("engines").at("espeak").at("busy_workers").as_int64() == 0 && ::kill(frozen, 0) != 0;
    if (!free) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!free) ::kill(frozen, SIGKILL);
  EXPECT_TRUE(free) << "the cancelled job process still holds the worker";
  EXPECT_EQ(server.worker_pids(), worker) << "the worker itself lives on";
  auto next = server.get(tts_target("Right after the cancel."));
  EXPECT_EQ(next.status, 200u);
  EXPECT_GT(decode_wav(next.body).rms(), 500.0);
}

TEST(Hardening, WorkersGetOnlyTheSecretsTheirEngineNeeds) {
  ::setenv("RTTS_API_KEYS", "server-key-1", 1);
  ::setenv("RTTS_PROXY_KEY", "upstream-key-2", 1);
  rtts_server server({"--engines", "espeak", "--workers", "1"});
  ::unsetenv("RTTS_API_KEYS");
  ::unsetenv("RTTS_PROXY_KEY");
  auto workers = server.worker_pids();
  ASSERT_FALSE(workers.empty());
  for (pid_t w : workers) {
    auto env = file_text("/proc/" + std::to_string(w) + "/environ");
    ASSERT_FALSE(env.empty());
    EXPECT_EQ(env.find("server-key-1"), std::string::npos) << "the server's API keys never reach a worker";
    EXPECT_EQ(env.find("upstream-key-2"), std::string::npos) << "the proxy's key reaches only the openai engine's workers";
  }
  // The server itself still has its key.
  EXPECT_EQ(server.get("/voices").status, 401u);
}

TEST(Hardening, APublicAddressWithoutAKeyDoesNotStart) {
  auto [code, err] = serve_refused({"--host", "0.0.0.0", "--engines", "espeak", "--workers", "1"});
  EXPECT_EQ(code, 2) << err;
  EXPECT_NE(err.find("--allow-no-auth"), std::string::npos) << err;
  // On purpose, or with a key, it starts (and says it is open).
  std::string log = "/tmp/rtts-open-" + std::to_string(::getpid()) + ".txt";
  {
    rtts_server open({"--host", "0.0.0.0", "--allow-no-auth", "--engines", "espeak", "--workers", "1"}, log);
    EXPECT_EQ(open.get("/health").status, 200u);
  }
  EXPECT_NE(file_text(log).find("WARNING"), std::string::npos);
  std::remove(log.c_str());
  rtts_server keyed({"--host", "0.0.0.0", "--api-key", "k", "--engines", "espeak", "--workers", "1"});
  EXPECT_EQ(keyed.get("/health").status, 200u);
}

TEST(Hardening, LocalhostIsAnAddressToListenOn) {
  rtts_server server({"--host", "localhost", "--engines", "espeak", "--workers", "1"});
  EXPECT_EQ(server.get("/health").status, 200u);
}
