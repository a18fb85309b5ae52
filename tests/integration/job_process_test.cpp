// Job processes kept per stream (engines with engine_capabilities::stream_process: eSpeak NG,
// Flite): a stream's fragments run one after another in one process forked for the stream, which
// ends after the stream's last fragment, when the server releases it, or with its session. The
// real `rtts worker` is driven over its socket as the server drives it, and the real server over
// HTTP and WebSocket. Waits are bounded polls for a condition, never timing assertions.
#include "client/ws_client.hpp"
#include "server_fixture.hpp"
#include "worker/protocol.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <map>
#include <thread>

extern char** environ;

using namespace rtts::testing;
using namespace rtts::worker;
namespace json = boost::json;

namespace {

// `rtts worker --engine espeak` on one end of a socketpair, spoken to as the server does.
class direct_worker {
public:
  direct_worker() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 3);
    std::string a0 = RTTS_BINARY, a1 = "worker", a2 = "--engine", a3 = "espeak", a4 = "--fd", a5 = "3";
    char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), a4.data(), a5.data(), nullptr};
    EXPECT_EQ(::posix_spawn(&pid_, RTTS_BINARY, &actions, nullptr, argv, environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    fd_ = fds[0];
    auto hello = next();
    EXPECT_TRUE(hello && hello->type == frame_type::hello);
    if (hello) stream_process_ = worker_hello_from_json(hello->payload)->capabilities.stream_process;
  }
  ~direct_worker() {
    ::close(fd_); // the worker sees EOF and exits
    ::waitpid(pid_, nullptr, 0);
  }
  pid_t pid() const { return pid_; }
  bool has_stream_process() const { return stream_process_; }

  void send(frame_type type, std::uint64_t job, const std::string& payload = {}) {
    std::string bytes = encode_frame(type, job, payload);
    EXPECT_EQ(::write(fd_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }

  // Says `text` as fragment of `stream` (0: none) and returns its audio.
  std::string say(const std::string& text, std::uint64_t stream, bool last) {
    synthesize_request r{text, {"en-us", 1.0, 1.0, {}}, false, {}};
    r.stream = stream;
    r.last = last;
    std::uint64_t job = ++jobs_;
    send(frame_type::synthesize, job, to_json(r));
    std::string audio;
    while (auto f = next()) {
      if (f->job != job) continue;
      if (f->type == frame_type::audio) audio += f->payload;
      if (f->type == frame_type::done) return audio;
      if (f->type == frame_type::failed) break;
    }
    ADD_FAILURE() << "the fragment failed: " << text;
    return audio;
  }

private:
  std::optional<frame> next() {
    for (;;) {
      auto f = decoder_.next();
      if (!f) return std::nullopt;
      if (*f) return std::move(**f);
      char buf[65536];
      auto n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) return std::nullopt;
      decoder_.feed({buf, static_cast<std::size_t>(n)});
    }
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  frame_decoder decoder_;
  std::uint64_t jobs_ = 0;
  bool stream_process_ = false;
};

// Polls `done` for up to 10 s.
bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 200; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

std::vector<pid_t> job_processes_of(const rtts_server& server) {
  std::vector<pid_t> all;
  for (pid_t worker : server.worker_pids())
    for (pid_t job : children_of(worker)) all.push_back(job);
  return all;
}

const std::vector<std::string> story_fragments = {"The old lighthouse stood at the edge of the cliff.",
                                                  "Every night, the keeper climbed the spiral stairs to light the lamp.",
                                                  "Nobody in the village could remember a night when it had failed."};

} // namespace

TEST(JobProcesses, AStreamsFragmentsRunInOneProcessThatEndsAfterTheLast) {
  direct_worker w;
  ASSERT_TRUE(w.has_stream_process()) << "eSpeak NG says it keeps a process per stream";
  EXPECT_FALSE(w.say(story_fragments[0], 7, false).empty());
  auto first = children_of(w.pid());
  ASSERT_EQ(first.size(), 1u) << "kept for the stream's next fragment";
  EXPECT_FALSE(w.say(story_fragments[1], 7, false).empty());
  EXPECT_EQ(children_of(w.pid()), first) << "the same process said the second fragment";
  EXPECT_FALSE(w.say(story_fragments[2], 7, true).empty());
  EXPECT_TRUE(eventually([&] { return children_of(w.pid()).empty(); })) << "it ends after the stream's last fragment";

  // A fragment of no stream: its process ends with it, as before.
  EXPECT_FALSE(w.say("Hello there.", 0, true).empty());
  EXPECT_TRUE(eventually([&] { return children_of(w.pid()).empty(); }));
}

TEST(JobProcesses, ReleasingAStreamEndsItsProcess) {
  direct_worker w;
  EXPECT_FALSE(w.say(story_fragments[0], 3, false).empty());
  EXPECT_FALSE(w.say(story_fragments[0], 4, false).empty());
  ASSERT_EQ(children_of(w.pid()).size(), 2u) << "one process per stream";
  w.send(frame_type::release, 3);
  w.send(frame_type::release, 99); // a stream it does not know: nothing happens
  EXPECT_TRUE(eventually([&] { return children_of(w.pid()).size() == 1; })) << "stream 3's process ended, stream 4's lives";
  // Stream 4 goes on in its own process, then ends it.
  EXPECT_FALSE(w.say(story_fragments[1], 4, true).empty());
  EXPECT_TRUE(eventually([&] { return children_of(w.pid()).empty(); }));
}

TEST(JobProcesses, StreamsInterleavedOnOneWorkerSoundAsEachAlone) {
  // Each stream alone, in a worker of its own.
  std::map<std::uint64_t, std::vector<std::string>> alone;
  const std::map<std::uint64_t, std::vector<std::string>> texts = {
      {1, story_fragments}, {2, {"Good morning.", "Your train leaves from platform four.", "Please hurry."}}};
  for (const auto& [stream, fragments] : texts) {
    direct_worker w;
    for (std::size_t i = 0; i < fragments.size(); ++i) alone[stream].push_back(w.say(fragments[i], stream, i + 1 == fragments.size()));
  }
  // eSpeak NG carries state from one utterance to the next: the stream's second fragment said
  // after its first is not the same fragment said from a fresh process. That is what makes
  // interleaving a real test.
  {
    direct_worker w;
    EXPECT_NE(w.say(story_fragments[1], 0, true), alone[1][1]);
  }
  // Both streams through one worker, their fragments interleaved.
  direct_worker w;
  std::map<std::uint64_t, std::vector<std::string>> together;
  for (std::size_t i = 0; i < 3; ++i)
    for (std::uint64_t stream : {2, 1}) together[stream].push_back(w.say(texts.at(stream)[i], stream, i == 2));
  EXPECT_TRUE(together == alone) << "each stream's audio is the same as when it was asked for alone";
}

TEST(JobProcesses, TheServerLeavesNoProcessBehind) {
  rtts_server server({"--engines", "espeak", "--workers", "2"});
  // A text of many fragments, heard to its end.
  auto whole = server.get(tts_target(story(6), "format=pcm"));
  ASSERT_EQ(whole.status, 200);
  EXPECT_TRUE(eventually([&] { return job_processes_of(server).empty(); })) << "ended after the last fragment";

  // A client that leaves in the middle: the stream is cancelled, its process ends.
  auto c = open_websocket(server, "/v1/audio/speech-stream");
  ASSERT_TRUE(c->send_text(json::serialize(json::object{{"type", "text"}, {"text", story(40)}})));
  ASSERT_TRUE(c->read()); // speaking
  c->abort();
  EXPECT_TRUE(eventually([&] { return job_processes_of(server).empty(); })) << "released when its client left";
}

TEST(JobProcesses, ASpeechStreamSessionSaysItsSentencesInOneProcess) {
  rtts_server server({"--engines", "espeak", "--workers", "2"});
  auto c = open_websocket(server, "/v1/audio/speech-stream");
  ASSERT_TRUE(c->send_text(R"({"type":"config","binary":true})"));
  // Sentence by sentence, as an LLM streams them, each sent once the one before sounds; the job
  // processes as each sentence's first audio arrives.
  auto say = [&](const std::string& sentence) {
    EXPECT_TRUE(c->send_text(json::serialize(json::object{{"type", "text"}, {"text", sentence}})));
    EXPECT_TRUE(c->send_text(R"({"type":"flush"})"));
    bool started = false;
    while (auto m = c->read()) {
      if (!m->binary && m->data.find(R"("type":"sentence")") != std::string::npos) started = true;
      if (started && m->binary) return job_processes_of(server);
    }
    ADD_FAILURE() << "no audio for: " << sentence;
    return std::vector<pid_t>{};
  };
  auto first = say(story_fragments[0]);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(say(story_fragments[1]), first) << "the process of the first sentence said the second";
  EXPECT_EQ(say(story_fragments[2]), first) << "and the third";
  ASSERT_TRUE(c->send_text(R"({"type":"end"})"));
  while (auto m = c->read()) {
  }
  EXPECT_TRUE(eventually([&] { return job_processes_of(server).empty(); })) << "it ended with the session";
}
