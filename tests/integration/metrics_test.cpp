// GET /metrics: valid Prometheus text (checked by a strict reader of our own,
// tests/metrics/check_prometheus.py) that counts what actually happened.
#include "server_fixture.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

using namespace rtts::testing;

namespace {

// Runs the strict reader on the text; returns "name{labels}" -> value.
std::map<std::string, double> parse_metrics(const std::string& text) {
  std::string in = "/tmp/rtts-metrics-" + std::to_string(::getpid()), out = in + ".out";
  std::ofstream(in) << text;
  int raw = std::system(("/usr/bin/python3 " RTTS_SOURCE_DIR "/tests/metrics/check_prometheus.py < " + in + " > " + out + " 2>&1").c_str());
  std::ifstream result(out);
  std::map<std::string, double> samples;
  std::string problems;
  for (std::string line; std::getline(result, line);) {
    auto space = line.rfind(' ');
    if (space == std::string::npos || WEXITSTATUS(raw) != 0) problems += line + "\n";
    else samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  std::remove(in.c_str());
  std::remove(out.c_str());
  EXPECT_EQ(WEXITSTATUS(raw), 0) << "not valid Prometheus text: " << problems;
  return samples;
}

} // namespace

TEST(Metrics, CountRequestsStreamsAndRestarts) {
  rtts_server server({"--workers", "1", "--engines", "espeak"});
  EXPECT_EQ(server.get(tts_target("One stream for the metrics.")).status, 200u);
  EXPECT_EQ(server.get(tts_target("Another one.", "format=mp3")).status, 200u);
  EXPECT_EQ(server.get("/no-such-route").status, 404u);
  auto pids = server.worker_pids();
  ASSERT_EQ(pids.size(), 1u);
  ::kill(pids[0], SIGKILL);
  // Wait for the replacement process, then for it to be up (or give up after 5 s each and let
  // the checks say so).
  auto replaced = [&] {
    auto now = server.worker_pids();
    return !now.empty() && now[0] != pids[0];
  };
  for (int i = 0; i < 250 && !replaced(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (int i = 0; i < 250 && server.get("/ready").status != 200; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));

  auto r = server.get("/metrics");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("content-type").substr(0, 10), "text/plain");
  auto m = parse_metrics(r.body);
  EXPECT_EQ(m["rtts_http_requests_total{route=\"/tts\"}"], 2);
  EXPECT_EQ(m["rtts_http_requests_total{route=\"unknown\"}"], 1);
  EXPECT_GE(m["rtts_http_responses_total{code=\"404\"}"], 1);
  EXPECT_GE(m["rtts_http_requests_total{route=\"/ready\"}"], 1);
  EXPECT_EQ(m["rtts_streams_total{engine=\"espeak\",outcome=\"completed\"}"], 2);
  EXPECT_EQ(m["rtts_time_to_first_audio_seconds_count{engine=\"espeak\"}"], 2);
  EXPECT_GT(m["rtts_audio_seconds_total{engine=\"espeak\"}"], 1.0);
  EXPECT_GT(m["rtts_audio_bytes_total{format=\"mp3\"}"], 1000);
  EXPECT_GT(m["rtts_stream_speed_ratio_sum{engine=\"espeak\"}"], 2.0) << "streams run faster than real time";
  EXPECT_EQ(m["rtts_worker_restarts_total{engine=\"espeak\"}"], 1);
  EXPECT_EQ(m["rtts_workers{engine=\"espeak\",state=\"ready\"}"], 1) << "the replacement is up";
  EXPECT_EQ(m["rtts_active_requests"], 0) << "the scrape itself is not counted";
}
