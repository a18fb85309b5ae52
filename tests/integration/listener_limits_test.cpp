// The Wyoming and MaryTTS listeners get the limits /ws has: a connection cap, an idle timeout, a
// bounded queue, a client that stops reading is dropped, and SIGTERM lets their speech finish.
// MaryTTS answers of any length stay bounded in memory. Real server, real sockets; waits are
// bounded polls, never timing assertions.
#include "audio/wav.hpp"
#include "audio_check.hpp"
#include "server_fixture.hpp"
#include "wyoming_client.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

using namespace rtts::testing;
namespace json = boost::json;

namespace {

std::vector<std::string> with_wyoming(unsigned port, std::vector<std::string> args) {
  args.insert(args.end(), {"--engines", "espeak", "--workers", "1", "--wyoming", "127.0.0.1:" + std::to_string(port)});
  return args;
}

rtts::client::http_response mary_get(unsigned port, const std::string& text, const rtts::client::body_callback& on_body = {}) {
  rtts::client::http_request r;
  r.target = "/process?INPUT_TYPE=TEXT&OUTPUT_TYPE=AUDIO&AUDIO=WAVE_FILE&LOCALE=en_US&INPUT_TEXT=" + rtts::client::url_encode(text);
  return rtts::client::fetch({"127.0.0.1", port}, r, on_body).value();
}

} // namespace

TEST(WyomingLimits, ConnectionsOverTheLimitAreRefused) {
  auto port = free_port();
  rtts_server server(with_wyoming(port, {"--max-connections", "3"}));
  std::vector<std::unique_ptr<wyoming_client>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(std::make_unique<wyoming_client>(port));
    open.back()->send("describe");
    ASSERT_EQ(open.back()->read()->type, "info");
  }
  wyoming_client extra(port);
  auto refused = extra.read();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->type, "error");
  EXPECT_EQ(refused->data["code"], "too_many_connections");
  EXPECT_TRUE(extra.hung_up(5000)) << "then it is closed";
  // One leaves, another gets in.
  open.pop_back();
  for (int i = 0; i < 50; ++i) {
    wyoming_client next(port);
    next.send("describe");
    if (auto e = next.read(); e && e->type == "info") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL() << "a freed place was never given to a new connection";
}

TEST(WyomingLimits, SilentConnectionsAreClosedAfterTheIdleTimeout) {
  auto port = free_port();
  rtts_server server(with_wyoming(port, {"--ws-idle-timeout", "1"}));
  wyoming_client silent(port);
  EXPECT_TRUE(silent.hung_up(15000)) << "a connection that says nothing is closed";
  // A streaming request that then says nothing is idle too.
  wyoming_client opened(port);
  opened.send("synthesize-start", {{"voice", json::object{{"name", "espeak:en-us"}}}});
  EXPECT_TRUE(opened.hung_up(15000));
  // After speech the timeout starts again from the end of it.
  wyoming_client talker(port);
  talker.send("synthesize", {{"text", "Then silence."}});
  auto events = talker.read_until("audio-stop");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "audio-stop");
  EXPECT_TRUE(talker.hung_up(15000));
}

TEST(WyomingLimits, AClientThatStopsReadingIsDropped) {
  auto port = free_port();
  rtts_server server(with_wyoming(port, {"--ws-stalled-ms", "500"}));
  wyoming_client stalled(port, 4096);
  stalled.send("synthesize", {{"text", story(300)}});
  // It never reads: the server's writes stop, and after --ws-stalled-ms it gives up on it and
  // cancels its speech.
  auto cancelled = [&] {
    return server.get("/metrics").body.find("rtts_streams_total{engine=\"espeak\",outcome=\"cancelled\"} 1") != std::string::npos;
  };
  bool gone = false;
  for (int i = 0; i < 150 && !(gone = cancelled()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(gone);
  std::string last;
  while (auto e = stalled.read()) last = e->type;
  EXPECT_TRUE(stalled.hung_up(0)) << "the server closed the connection";
  EXPECT_NE(last, "audio-stop") << "the speech ends cut, not as if complete";
  // Its engine time is free for others.
  wyoming_client other(port);
  other.send("synthesize", {{"text", "Someone else."}});
  auto events = other.read_until("audio-stop");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "audio-stop");
  EXPECT_GT(pcm_of(events).size(), 20000u);
}

TEST(WyomingLimits, TheQueueOfAConnectionIsBounded) {
  auto port = free_port();
  rtts_server server(with_wyoming(port, {"--ws-max-queued", "2"}));
  wyoming_client c(port);
  std::string burst;
  for (int i = 0; i < 8; ++i) {
    std::string d = json::serialize(json::object{{"text", "Utterance " + std::to_string(i) + "."}});
    burst += json::serialize(json::object{{"type", "synthesize"}, {"data_length", d.size()}}) + "\n" + d;
  }
  c.send_raw(burst); // one write: the server reads them all before it speaks
  int spoken = 0, refused = 0;
  while (spoken + refused < 8) {
    auto e = c.read();
    ASSERT_TRUE(e) << spoken << " spoken, " << refused << " refused";
    if (e->type == "audio-stop") ++spoken;
    if (e->type == "error") {
      EXPECT_EQ(e->data["code"], "queue_full");
      ++refused;
    }
  }
  EXPECT_GE(refused, 5) << "at most one in speech and two waiting";
  EXPECT_GE(spoken, 1);
}

TEST(WyomingLimits, SigtermLetsSpeechInProgressFinish) {
  auto port = free_port();
  rtts_server server(with_wyoming(port, {"--shutdown-grace-ms", "30000"}));
  const std::string text = story(12);
  auto expected = server.get(tts_target(text, "format=pcm")).body;
  wyoming_client c(port);
  c.send("synthesize", {{"text", text}});
  auto start = c.read();
  ASSERT_TRUE(start);
  ASSERT_EQ(start->type, "audio-start");
  auto exit_code = std::async(std::launch::async, [&] { return server.terminate(); });
  auto events = c.read_until("audio-stop");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "audio-stop") << "the speech was finished, not cut";
  EXPECT_TRUE(pcm_of(events) == expected) << pcm_of(events).size() << " of " << expected.size() << " bytes";
  EXPECT_TRUE(c.hung_up(10000)) << "then the drained session closes";
  EXPECT_EQ(exit_code.get(), 0);
}

TEST(MaryTtsLimits, ALongAnswerStreamsInsteadOfFillingMemory) {
  auto port = free_port();
  rtts_server server({"--engines", "espeak", "--workers", "1", "--marytts", "127.0.0.1:" + std::to_string(port)});
  // Over 16 MiB of audio (6 minutes): more than one answer may hold.
  const std::string text = story(160);
  auto r = mary_get(port, text);
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("content-type"), "audio/x-wav");
  EXPECT_EQ(r.header("content-length"), "") << "streamed, not collected";
  auto header = rtts::audio::parse_wav_header(r.body);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->data_size, rtts::audio::streaming_size) << "a streaming header, as on /tts";
  EXPECT_GT(r.body.size(), 16u << 20);
  EXPECT_TRUE(r.body.substr(44) == server.get(tts_target(text, "format=pcm")).body) << "the same audio as /tts";
  // A short answer is still a whole file with exact sizes.
  auto s = mary_get(port, "Short and whole.");
  auto short_header = rtts::audio::parse_wav_header(s.body);
  ASSERT_TRUE(short_header);
  EXPECT_EQ(short_header->data_size, s.body.size() - 44);
}

TEST(MaryTtsLimits, SigtermLetsAnAnswerInProgressFinish) {
  auto port = free_port();
  rtts_server server({"--engines", "espeak", "--workers", "1", "--marytts", "127.0.0.1:" + std::to_string(port), "--shutdown-grace-ms",
                      "30000"});
  const std::string text = story(160);
  auto expected = server.get(tts_target(text, "format=pcm")).body;
  std::future<int> exit_code;
  std::string body;
  auto r = mary_get(port, text, [&](std::string_view piece) {
    body.append(piece);
    if (!exit_code.valid()) exit_code = std::async(std::launch::async, [&] { return server.terminate(); });
    std::this_thread::sleep_for(std::chrono::microseconds(200)); // a slow reader: the answer is still going
    return true;
  });
  EXPECT_EQ(r.status, 200u);
  EXPECT_TRUE(r.complete);
  EXPECT_TRUE(body.size() > 44 && body.substr(44) == expected) << body.size() << " bytes received";
  ASSERT_TRUE(exit_code.valid());
  EXPECT_EQ(exit_code.get(), 0);
}

TEST(MaryTtsLimits, AReaderThatStopsReadingIsDropped) {
  auto port = free_port();
  rtts_server server({"--engines", "espeak", "--workers", "1", "--marytts", "127.0.0.1:" + std::to_string(port), "--write-timeout", "1"});
  // A long answer (it streams) to a client with a small receive buffer that never reads.
  wyoming_client raw(port, 4096); // any TCP client will do: this one only sends
  raw.send_raw("GET /process?INPUT_TYPE=TEXT&OUTPUT_TYPE=AUDIO&AUDIO=WAVE_FILE&LOCALE=en_US&INPUT_TEXT=" + rtts::client::url_encode(story(160)) +
               " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  auto cancelled = [&] {
    return server.get("/metrics").body.find("rtts_streams_total{engine=\"espeak\",outcome=\"cancelled\"} 1") != std::string::npos;
  };
  bool gone = false;
  for (int i = 0; i < 300 && !(gone = cancelled()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(gone) << "after --write-timeout the answer is given up and its synthesis cancelled";
  EXPECT_EQ(server.get(tts_target("Others are served.")).status, 200u);
}
