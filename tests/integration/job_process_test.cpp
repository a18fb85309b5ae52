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
#include <latch>
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

// --- Pausing: a job stops after the audio it was allowed and waits; the worker serves others ---

namespace {

std::string synthesize_payload(const std::string& text, std::uint64_t stream, std::uint64_t pause_after) {
  rtts::worker::synthesize_request r{text, {"en-us", 1.0, 1.0, {}}, false, {}};
  r.stream = stream;
  r.last = true;
  r.pause_after = pause_after;
  return rtts::worker::to_json(r);
}

// Reads `job`'s frames until it pauses or ends: its audio, and the frame that stopped it.
std::pair<std::string, frame_type> until_paused_or_done(direct_worker& w, std::uint64_t job) {
  std::string audio;
  while (auto f = w.next()) {
    if (f->job != job) continue;
    if (f->type == frame_type::audio) audio += f->payload;
    if (f->type == frame_type::paused || f->type == frame_type::done || f->type == frame_type::failed) return {audio, f->type};
  }
  ADD_FAILURE() << "the worker is gone";
  return {audio, frame_type::failed};
}

} // namespace

TEST(JobPauses, APausedJobGoesOnWhereItStoppedAndSoundsAsIfItHadNot) {
  direct_worker w;
  const std::string text = story_fragments[0] + " " + story_fragments[1];
  auto alone = w.say(text, "en-us", 0, true);
  ASSERT_GT(alone.size(), 2u * 22050) << "more than one piece of audio";

  w.send(frame_type::synthesize, 100, synthesize_payload(text, 5, 1)); // pause after the first piece
  auto [first, why] = until_paused_or_done(w, 100);
  ASSERT_EQ(why, frame_type::paused);
  EXPECT_FALSE(first.empty()) << "it sent its first piece before pausing";
  EXPECT_LT(first.size(), alone.size());
  ASSERT_EQ(children_of(w.pid()).size(), 1u) << "its process waits";

  // The worker is free meanwhile: another stream's fragment runs and ends.
  EXPECT_EQ(w.say(story_fragments[2], "en-us", 6, true), w.say(story_fragments[2], "en-us", 0, true));

  // Resumed with a second allowance, then to its end: the audio is the same as said at once.
  std::string audio = first;
  w.send(frame_type::resume, 100, rtts::worker::resume_payload(22050));
  auto [second, again] = until_paused_or_done(w, 100);
  audio += second;
  ASSERT_EQ(again, frame_type::paused);
  EXPECT_GE(second.size(), 22050u * 2) << "at least the second allowance (16-bit samples)";
  w.send(frame_type::resume, 100, rtts::worker::resume_payload(0));
  auto [rest, end] = until_paused_or_done(w, 100);
  audio += rest;
  EXPECT_EQ(end, frame_type::done);
  EXPECT_TRUE(audio == alone) << "pausing changes when the audio is made, never what it is";
  EXPECT_TRUE(eventually([&] { return children_of(w.pid()).empty(); })) << "it ended after its last fragment";
}

TEST(JobPauses, ReleasingAPausedStreamEndsItsProcessAndTheWorkerGoesOn) {
  direct_worker w;
  w.send(frame_type::synthesize, 200, synthesize_payload(story_fragments[1], 9, 1));
  ASSERT_EQ(until_paused_or_done(w, 200).second, frame_type::paused);
  ASSERT_EQ(children_of(w.pid()).size(), 1u);
  w.send(frame_type::cancel, 200); // a cancel for a paused job changes nothing; the release ends it
  w.send(frame_type::release, 9);
  EXPECT_TRUE(eventually([&] { return children_of(w.pid()).empty(); })) << "the paused process ended with its stream";
  // A resume for the job now is answered (it is gone), and the worker serves the next job.
  w.send(frame_type::resume, 200, rtts::worker::resume_payload(0));
  EXPECT_EQ(until_paused_or_done(w, 200).second, frame_type::failed);
  EXPECT_FALSE(w.say("Still here.", "en-us", 0, true).empty());
}

TEST(JobPauses, TheServerPausesLongFragmentsForWaitingStreamsAndEveryAnswerIsTheSame) {
  // One worker and more streams than it can run at once: while streams wait, fragments are
  // served in slices (new streams' first audio first), and every answer is what it is alone.
  rtts_server server({"--engines", "espeak", "--workers", "1"});
  const std::string target = tts_target(story(3), "format=pcm");
  auto alone = server.get(target);
  ASSERT_EQ(alone.status, 200);
  ASSERT_EQ(metric(server, "rtts_job_pauses_total{engine=\"espeak\"}"), 0) << "alone, nothing waits: no pause";
  std::vector<std::thread> clients;
  std::vector<rtts::client::http_response> answers(12);
  for (std::size_t i = 0; i < answers.size(); ++i) clients.emplace_back([&, i] { answers[i] = server.get(target); });
  for (auto& t : clients) t.join();
  for (const auto& a : answers) {
    EXPECT_EQ(a.status, 200);
    EXPECT_TRUE(a.body == alone.body) << "a sliced answer is the same audio";
  }
  EXPECT_GT(metric(server, "rtts_job_pauses_total{engine=\"espeak\"}"), 0) << "streams waited, so fragments were paused";
  EXPECT_TRUE(eventually([&] { return job_processes_of(server).empty(); })) << "no paused process left behind";

  // Clients that leave while their jobs are paused (each has its first audio, and while the
  // others wait every job but the one running is paused): the processes end with their streams.
  std::vector<std::thread> leavers;
  std::latch all_heard(8);
  for (int i = 0; i < 8; ++i)
    leavers.emplace_back([&] {
      auto c = open_websocket(server, "/v1/audio/speech-stream");
      c->send_text(R"({"type":"config","binary":true})");
      say_sentence(*c, story(20));
      all_heard.arrive_and_wait();
      c->abort();
    });
  for (auto& t : leavers) t.join();
  EXPECT_TRUE(eventually([&] { return job_processes_of(server).empty(); })) << "paused processes ended when their clients left";
  EXPECT_EQ(server.get(target).body, alone.body) << "and the server goes on";
}
