// Job processes kept per stream (engines with engine_capabilities::stream_process: eSpeak NG,
// Flite): a stream's fragments run one after another in one process forked for the stream, which
// ends after the stream's last fragment, when the server releases it, or with its session. The
// real `rtts worker` is driven over its socket as the server drives it, and the real server over
// HTTP and WebSocket. Waits are bounded polls for a condition, never timing assertions.
#include "client/ws_client.hpp"
#include "direct_worker.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <thread>

using namespace rtts::testing;
using rtts::worker::frame_type;
namespace json = boost::json;

namespace {

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

// Sends `sentence` on a speech-stream session (binary audio) and reads until its first audio.
void say_sentence(rtts::client::ws_client& c, const std::string& sentence) {
  EXPECT_TRUE(c.send_text(json::serialize(json::object{{"type", "text"}, {"text", sentence}})));
  EXPECT_TRUE(c.send_text(R"({"type":"flush"})"));
  bool started = false;
  while (auto m = c.read()) {
    if (!m->binary && m->data.find(R"("type":"sentence")") != std::string::npos) started = true;
    if (started && m->binary) return;
  }
  ADD_FAILURE() << "no audio for: " << sentence;
}

const std::vector<std::string> story_fragments = {"The old lighthouse stood at the edge of the cliff.",
                                                  "Every night, the keeper climbed the spiral stairs to light the lamp.",
                                                  "Nobody in the village could remember a night when it had failed."};

} // namespace

TEST(JobProcesses, AStreamsFragmentsRunInOneProcessThatEndsAfterTheLast) {
  direct_worker w;
  ASSERT_TRUE(w.hello().capabilities.stream_process) << "eSpeak NG says it keeps a process per stream";
  EXPECT_FALSE(w.say(story_fragments[0], "en-us", 7, false).empty());
  auto first = children_of(w.pid());
  ASSERT_EQ(first.size(), 1u) << "kept for the stream's next fragment";
  EXPECT_FALSE(w.say(story_fragments[1], "en-us", 7, false).empty());
  EXPECT_EQ(children_of(w.pid()), first) << "the same process said the second fragment";
  EXPECT_FALSE(w.say(story_fragments[2], "en-us", 7, true).empty());
  EXPECT_TRUE(eventually([&] { return children_of(w.pid()).empty(); })) << "it ends after the stream's last fragment";

  // A fragment of no stream: its process ends with it, as before.
  EXPECT_FALSE(w.say("Hello there.", "en-us", 0, true).empty());
  EXPECT_TRUE(eventually([&] { return children_of(w.pid()).empty(); }));
}

TEST(JobProcesses, ReleasingAStreamEndsItsProcess) {
  direct_worker w;
  EXPECT_FALSE(w.say(story_fragments[0], "en-us", 3, false).empty());
  EXPECT_FALSE(w.say(story_fragments[0], "en-us", 4, false).empty());
  ASSERT_EQ(children_of(w.pid()).size(), 2u) << "one process per stream";
  w.send(frame_type::release, 3);
  w.send(frame_type::release, 99); // a stream it does not know: nothing happens
  EXPECT_TRUE(eventually([&] { return children_of(w.pid()).size() == 1; })) << "stream 3's process ended, stream 4's lives";
  // Stream 4 goes on in its own process, then ends it.
  EXPECT_FALSE(w.say(story_fragments[1], "en-us", 4, true).empty());
  EXPECT_TRUE(eventually([&] { return children_of(w.pid()).empty(); }));
}

TEST(JobProcesses, AWorkerKeepsNoMoreProcessesThanItMay) {
  // The server passes its --max-streams; here one.
  direct_worker w("espeak", {"--stream-processes", "1"});
  EXPECT_FALSE(w.say(story_fragments[0], "en-us", 1, false).empty());
  auto kept = children_of(w.pid());
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_FALSE(w.say(story_fragments[0], "en-us", 2, false).empty());
  EXPECT_TRUE(eventually([&] { return children_of(w.pid()) == kept; })) << "stream 2 got a process for its fragment only";
}

TEST(JobProcesses, StreamsInterleavedOnOneWorkerSoundAsEachAlone) {
  // Each stream alone, in a worker of its own.
  std::map<std::uint64_t, std::vector<std::string>> alone;
  const std::map<std::uint64_t, std::vector<std::string>> texts = {
      {1, story_fragments}, {2, {"Good morning.", "Your train leaves from platform four.", "Please hurry."}}};
  for (const auto& [stream, fragments] : texts) {
    direct_worker w;
    for (std::size_t i = 0; i < fragments.size(); ++i) alone[stream].push_back(w.say(fragments[i], "en-us", stream, i + 1 == fragments.size()));
  }
  // eSpeak NG carries state from one utterance to the next: the stream's second fragment said
  // after its first is not the same fragment said from a fresh process. That is what makes
  // interleaving a real test.
  {
    direct_worker w;
    EXPECT_NE(w.say(story_fragments[1], "en-us", 0, true), alone[1][1]);
  }
  // Both streams through one worker, their fragments interleaved.
  direct_worker w;
  std::map<std::uint64_t, std::vector<std::string>> together;
  for (std::size_t i = 0; i < 3; ++i)
    for (std::uint64_t stream : {2, 1}) together[stream].push_back(w.say(texts.at(stream)[i], "en-us", stream, i == 2));
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
  EXPECT_TRUE(eventually([&] { return job_processes_of(server).empty(); })) << "ended when its client left";

  // A client that leaves between sentences: its session's process, idle and waiting for the
  // next sentence, is released (not killed with a job, as above).
  auto idle = open_websocket(server, "/v1/audio/speech-stream");
  ASSERT_TRUE(idle->send_text(R"({"type":"config","binary":true})"));
  say_sentence(*idle, story_fragments[0]);
  auto workers_idle = [&] {
    auto health = json::parse(server.get("/health").body);
    return health.at("engines").at("espeak").at("busy_workers").as_int64() == 0;
  };
  ASSERT_TRUE(eventually(workers_idle));
  ASSERT_EQ(job_processes_of(server).size(), 1u) << "kept for the next sentence";
  idle->abort();
  EXPECT_TRUE(eventually([&] { return job_processes_of(server).empty(); })) << "released when its client left";
}

TEST(JobProcesses, ASpeechStreamSessionSaysItsSentencesInOneProcess) {
  rtts_server server({"--engines", "espeak", "--workers", "2"});
  auto c = open_websocket(server, "/v1/audio/speech-stream");
  ASSERT_TRUE(c->send_text(R"({"type":"config","binary":true})"));
  // Sentence by sentence, as an LLM streams them, each sent once the one before sounds; the job
  // processes as each sentence's first audio arrives.
  auto say = [&](const std::string& sentence) {
    say_sentence(*c, sentence);
    return job_processes_of(server);
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

TEST(JobProcesses, ABargeInEndsTheSessionsProcessAndTheNextTextStartsAfresh) {
  rtts_server server({"--engines", "espeak", "--workers", "1"});
  auto c = open_websocket(server, "/v1/audio/speech-stream");
  ASSERT_TRUE(c->send_text(R"({"type":"config","binary":true})"));
  say_sentence(*c, story_fragments[0]);
  auto before = job_processes_of(server);
  ASSERT_EQ(before.size(), 1u);
  ASSERT_TRUE(c->send_text(R"({"type":"cancel"})"));
  while (auto m = c->read())
    if (!m->binary && m->data.find(R"("type":"cancelled")") != std::string::npos) break;
  EXPECT_TRUE(eventually([&] { return job_processes_of(server).empty(); })) << "the cancelled text's process ended";
  say_sentence(*c, story_fragments[1]);
  auto after = job_processes_of(server);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_NE(after, before) << "the next text starts from the warm worker, as a new session would";
}
