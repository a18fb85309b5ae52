// Failures cost one request at most: clients that vanish, workers that die, shutdown.
#include "audio_check.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <future>

#include <chrono>
#include <thread>

using namespace rtts::testing;

namespace {

std::string long_text() {
  std::string text;
  for (int i = 0; i < 400; ++i) text += "This is sentence number " + std::to_string(i) + " of a very long story. ";
  return text;
}

void expect_good_audio(const rtts_server& server) {
  auto r = server.get(tts_target("Still speaking after that."));
  ASSERT_EQ(r.status, 200u);
  ASSERT_TRUE(r.complete);
  auto audio = decode_wav(r.body);
  EXPECT_GT(audio.seconds(), 1.0);
  EXPECT_GT(audio.rms(), 500.0);
}

} // namespace

TEST(Resilience, DisconnectMidStreamFreesTheWorker) {
  rtts_server server({"--workers", "1", "--engines", "espeak"});
  for (int i = 0; i < 5; ++i) {
    std::size_t received = 0;
    auto r = server.get(tts_target(long_text()), [&](std::string_view piece) {
      received += piece.size();
      return received < 50'000;
    });
    EXPECT_EQ(r.status, 200u);
  }
  // Five abandoned long streams on a single worker: if they kept synthesizing, this would queue
  // behind them. Nothing of them stays behind.
  expect_good_audio(server);
  // The server learns of a hang-up at its next write; give it a moment, then nothing may remain.
  boost::json::value health;
  for (int i = 0; i < 100; ++i) {
    health = boost::json::parse(server.get("/health").body);
    if (health.at("active_requests").as_int64() == 0 && health.at("engines").at("espeak").at("busy_workers").as_int64() == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(health.at("active_requests").as_int64(), 0);
  EXPECT_EQ(health.at("engines").at("espeak").at("busy_workers").as_int64(), 0);
  EXPECT_EQ(health.at("engines").at("espeak").at("waiting_streams").as_int64(), 0);
}

TEST(Resilience, KilledWorkerEndsOnlyItsRequest) {
  rtts_server server({"--workers", "1", "--engines", "espeak", "--fragment-timeout-ms", "60000"});
  auto before = server.worker_pids();
  ASSERT_EQ(before.size(), 1u);
  // The worker dies while it holds a fragment of this request (its job process is frozen
  // mid-synthesis first, so the kill cannot fall between fragments): the request ends
  // truncated, at once, and nothing else is lost.
  bool killed = false;
  auto r = server.get(tts_target(long_text()), [&](std::string_view) {
    if (pid_t job = killed ? 0 : freeze_a_job(before[0], 1); job != 0) {
      // Both die, as when the kernel kills a worker: its job would follow it (PR_SET_PDEATHSIG),
      // unless it was frozen before it could ask for that.
      ::kill(job, SIGKILL);
      ::kill(before[0], SIGKILL);
      killed = true;
    }
    return true;
  });
  ASSERT_TRUE(killed) << "no job process caught at work";
  EXPECT_EQ(r.status, 200u);
  EXPECT_FALSE(r.complete) << "the stream ends truncated, never as if complete";
  expect_good_audio(server);
  auto after = server.worker_pids();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_NE(after[0], before[0]) << "a new worker replaced the dead one";
}

TEST(Resilience, KillingWorkersRepeatedlyNeverTakesTheServerDown) {
  rtts_server server({"--workers", "2", "--engines", "espeak"});
  for (int round = 0; round < 5; ++round) {
    for (auto pid : server.worker_pids()) ::kill(pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Workers come back (with back-off); requests succeed once they have.
  for (int i = 0; i < 100 && server.worker_pids().size() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(server.alive());
  expect_good_audio(server);
}

TEST(Resilience, KillingWorkersUnderLoadCostsOnlyTheirRequests) {
  rtts_server server({"--workers", "2", "--engines", "espeak"});
  std::vector<std::string> texts, reference;
  for (int i = 0; i < 4; ++i) {
    texts.push_back("Client " + std::to_string(i) + " asks for its own sentence. And then a second one, to be sure.");
    reference.push_back(server.get(tts_target(texts.back())).body);
  }
  std::atomic<bool> done{false};
  std::atomic<int> complete{0}, failed{0}, wrong{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i)
    clients.emplace_back([&, i] {
      while (!done) {
        rtts::client::http_request req;
        req.target = tts_target(texts[i]);
        auto r = rtts::client::fetch(server.endpoint(), req);
        // A request hit by a kill ends with an error status or a truncated stream; one that
        // completes must be exactly its own audio.
        if (r && r->status == 200 && r->complete) (r->body == reference[i] ? complete : wrong)++;
        else failed++;
      }
    });
  for (int round = 0; round < 6; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    auto pids = server.worker_pids();
    if (!pids.empty()) ::kill(pids[round % pids.size()], SIGKILL);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  done = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(wrong.load(), 0) << "a completed answer must never carry other audio";
  EXPECT_GT(complete.load(), 0);
  ASSERT_TRUE(server.alive());
  for (int i = 0; i < 100 && server.get("/ready").status != 200; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  expect_good_audio(server);
  RecordProperty("completed", complete.load());
  RecordProperty("failed", failed.load());
}

TEST(Resilience, SigtermLetsActiveStreamsFinish) {
  // A grace period far longer than the stream needs even under ASan on 2 cores: the test is about
  // the drain finishing the stream, not about how fast.
  rtts_server server({"--workers", "1", "--engines", "espeak", "--shutdown-grace-ms", "60000"});
  std::string text;
  for (int i = 0; i < 60; ++i) text += "Sentence " + std::to_string(i) + " of a stream that is still running. ";
  std::string body;
  bool signalled = false;
  pid_t pid = server.pid();
  auto r = server.get(tts_target(text), [&](std::string_view piece) {
    body.append(piece);
    if (!signalled && body.size() > 50'000) {
      ::kill(pid, SIGTERM); // mid-stream
      signalled = true;
    }
    return true;
  });
  EXPECT_TRUE(signalled);
  EXPECT_TRUE(r.complete) << "the stream in flight ends cleanly, with its last chunk";
  EXPECT_GT(decode_wav(body).seconds(), 60.0);
  EXPECT_EQ(server.wait_exit(), 0) << "and the server exits 0 by itself";
}

TEST(Resilience, SecondSignalExitsAtOnce) {
  rtts_server server({"--shutdown-grace-ms", "60000"});
  // A stream whose client reads slowly holds the drain open (for up to the 60 s grace period)...
  std::atomic<bool> streaming{false};
  std::thread holder([&] {
    try {
      server.get(tts_target(long_text()), [&](std::string_view) {
        streaming = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return true;
      });
    } catch (const std::exception&) { // the server left while the stream ran: expected here
    }
  });
  while (!streaming) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ::kill(server.pid(), SIGTERM);
  // ...until the drain is certainly under way (the server stops being ready), and then a second
  // signal ends it now.
  auto ready = [&] {
    try {
      return server.get("/ready").status == 200;
    } catch (const std::exception&) {
      return false;
    }
  };
  for (int i = 0; i < 200 && ready(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // terminate() sends the second SIGTERM and waits at most 20 s (then kills, returning -1):
  // an exit code of 0 means the server left by itself, long before the 60 s grace period.
  EXPECT_EQ(server.terminate(), 0);
  holder.join();
}

TEST(Resilience, SigtermExitsCleanly) {
  rtts_server server;
  expect_good_audio(server);
  auto workers = server.worker_pids();
  EXPECT_EQ(server.terminate(), 0);
  for (auto pid : workers) {
    bool gone = false;
    for (int i = 0; i < 50 && !gone; ++i) {
      gone = ::kill(pid, 0) != 0;
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(gone) << "worker " << pid << " outlived the server";
  }
}

TEST(Resilience, AdmissionControlAnswers429AndServesTheRestCorrectly) {
  rtts_server server({"--workers", "1", "--max-streams", "2"});
  std::string text;
  for (int i = 0; i < 30; ++i) text += "Burst sentence " + std::to_string(i) + " keeps this stream busy for a while. ";
  auto reference = server.get(tts_target(text)).body;

  // Two streams held open by their clients (each waits after its first bytes until released):
  // the engine is at its limit for certain, whatever the machine's speed.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> started{0};
  std::vector<std::future<std::pair<rtts::client::http_response, std::string>>> held;
  for (int i = 0; i < 2; ++i)
    held.push_back(std::async(std::launch::async, [&, released] {
      std::string body;
      auto r = server.get(tts_target(text), [&](std::string_view piece) {
        if (body.empty()) {
          ++started;
          released.wait();
        }
        body.append(piece);
        return true;
      });
      return std::pair{r, body};
    }));
  while (started < 2) std::this_thread::sleep_for(std::chrono::milliseconds(10));

  // One more at once is refused, not queued.
  std::string refused_body;
  auto refused = server.get(tts_target(text), [&](std::string_view piece) {
    refused_body.append(piece);
    return true;
  });
  EXPECT_EQ(refused.status, 429u);
  EXPECT_EQ(refused.header("retry-after"), "1");
  EXPECT_EQ(boost::json::parse(refused_body).at("error").at("code").as_string(), "overloaded");

  // The admitted streams are complete and correct.
  release.set_value();
  for (auto& f : held) {
    auto [r, body] = f.get();
    EXPECT_EQ(r.status, 200u);
    EXPECT_TRUE(r.complete);
    EXPECT_TRUE(body == reference) << "an admitted stream is complete and correct";
  }
  // The burst is over: new work is accepted again.
  expect_good_audio(server);
}

TEST(Resilience, WatchdogReplacesAHungWorker) {
  rtts_server server({"--workers", "1", "--engines", "espeak", "--fragment-timeout-ms", "500"});
  auto pids = server.worker_pids();
  ASSERT_EQ(pids.size(), 1u);
  ::kill(pids[0], SIGSTOP); // a real hang: the worker takes the job and never answers
  auto r = server.get(tts_target("Nobody will synthesize this."));
  EXPECT_EQ(r.status, 500u) << r.body;
  EXPECT_EQ(boost::json::parse(r.body).at("error").at("code").as_string(), "engine_timeout");
  // The queue keeps flowing: a new worker serves the next request.
  expect_good_audio(server);
  auto now = server.worker_pids();
  ASSERT_EQ(now.size(), 1u);
  EXPECT_NE(now[0], pids[0]);
}
