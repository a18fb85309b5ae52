// A large input is planned (SSML, segmentation, normalization) on the compute pool: while one
// client's 100,000-character document is planned, the network thread keeps serving everyone
// else. Before, that plan ran on the network thread and every other client waited for it.
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

using namespace rtts::testing;

TEST(Planning, OthersAreServedWhileALargeInputIsPlanned) {
  rtts_server server({"--engines", "espeak"});
  // ~99,000 characters of sentences full of what the normalizer rewrites, in an SSML document:
  // the most planning one request may ask for.
  std::string body = "<speak>";
  while (body.size() < 98'000) body += "On 2026-11-29 Dr. Smith paid $5.99, 40% more, at 9:30 am. ";
  body += "</speak>";
  const std::string json_body = boost::json::serialize(boost::json::object{{"text", body}});
  std::atomic<bool> large_done{false};
  auto t0 = std::chrono::steady_clock::now();
  double large_seconds = 0;
  std::thread large([&] {
    auto r = server.post("/normalize", json_body);
    EXPECT_EQ(r.status, 200u) << r.body.substr(0, 200);
    large_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    large_done = true;
  });
  // Small requests, one after another, while the large one is pending. With the plan on the
  // network thread, one of them would wait for the whole plan (most of the large request's
  // time); with the plan elsewhere each is answered at once. Compared with the large request's
  // own duration, so that the check holds on a fast machine and under sanitizers alike.
  double longest_wait = 0;
  int answered = 0;
  while (!large_done) {
    auto sent = std::chrono::steady_clock::now();
    auto health = server.get("/health");
    EXPECT_EQ(health.status, 200u);
    longest_wait = std::max(longest_wait, std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count());
    ++answered;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  large.join();
  EXPECT_GT(answered, 1);
  EXPECT_LT(longest_wait, 0.25 * large_seconds) << "a /health waited " << longest_wait << " s during a " << large_seconds << " s request";
  // A document planned elsewhere (over 4 KB, here mostly a comment) is spoken exactly as the
  // same words planned on the network thread.
  const std::string padded = "<speak><!--" + std::string(4200, 'x') + "-->Hello there, 2026-11-29.</speak>";
  auto spoken = server.post("/v1/audio/speech", boost::json::serialize(boost::json::object{{"input", padded}, {"response_format", "pcm"}}));
  auto inline_planned = server.post("/v1/audio/speech", boost::json::serialize(boost::json::object{{"input", "<speak>Hello there, 2026-11-29.</speak>"}, {"response_format", "pcm"}}));
  EXPECT_EQ(spoken.status, 200u) << spoken.body.substr(0, 200);
  EXPECT_GT(spoken.body.size(), 22050u * 2);
  EXPECT_TRUE(spoken.body == inline_planned.body);
}
