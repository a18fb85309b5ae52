// Admission by real-time capacity and deadline misses, on the real binary with the cost-realistic
// neural test voice (en_US-heavy: about what a Piper medium voice costs per second of audio, so
// a handful of streams fill a worker). Sizes, not clocks, make each outcome certain.
#include "server_fixture.hpp"
#include "test_voices.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <future>
#include <sstream>
#include <thread>

using namespace rtts::testing;
namespace json = boost::json;

namespace {

const std::string heavy = "engine=piper&format=pcm&voice=en_US-heavy";

std::vector<std::string> heavy_server(std::vector<std::string> more) {
  static const std::string cache = [] {
    char pattern[] = "/tmp/rtts-test-cache-XXXXXX";
    return std::string(::mkdtemp(pattern));
  }();
  std::vector<std::string> args{"--engine", "piper", "--engines", "piper", "--workers", "1", "--voices-dir", test_voices() + "/voices",
                                "--cache-dir", cache};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string long_text(int sentences) {
  std::string text;
  for (int i = 0; i < sentences; ++i) text += "Sentence " + std::to_string(i) + " of a long text that keeps the heavy voice at work. ";
  return text;
}

// A stream whose client takes its first audio and then stops reading until released (then it
// hangs up): it stays in synthesis, as a slow listener's stream does.
struct held_stream {
  std::future<unsigned> status;
  std::future<rtts::result<rtts::client::http_response>> answer;
  std::string body;
};

} // namespace

TEST(Capacity, AdmissionRefusesAtRealTimeCapacityAndAdmitsAgainWhenStreamsEnd) {
  // One worker, of which admitted streams may need a tenth: the heavy voice fits once or twice.
  rtts_server server(heavy_server({"--admission-load", "0.1"}));
  ASSERT_EQ(server.get(tts_target("Hello there, this measures the voice.", heavy)).status, 200u) << "a first stream measures the voice";
  const std::string text = long_text(60); // minutes of audio: more than the stream and socket buffers hold

  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::vector<std::unique_ptr<held_stream>> streams;
  // The held clients hang up however the test ends (a failed assertion included); declared
  // after the streams, so it runs before their futures wait for them.
  bool let_go = false;
  auto hang_up = [&] {
    if (!let_go) release.set_value();
    let_go = true;
  };
  struct on_exit {
    std::function<void()> f;
    ~on_exit() { f(); }
  } guard{hang_up};
  held_stream* refused = nullptr;
  for (int i = 0; i < 12 && !refused; ++i) {
    auto s = std::make_unique<held_stream>();
    auto status = std::make_shared<std::promise<unsigned>>();
    auto audio = std::make_shared<std::promise<void>>();
    s->status = status->get_future();
    auto first_audio = audio->get_future();
    s->answer = std::async(std::launch::async, [&server, &text, released, status, audio, body = &s->body] {
      unsigned code = 0;
      rtts::client::http_request req;
      req.target = tts_target(text, heavy);
      return rtts::client::fetch(
          server.endpoint(), req,
          [&](std::string_view piece) {
            body->append(piece);
            if (code != 200) return true;
            if (body->size() == piece.size()) audio->set_value();
            released.wait();
            return false; // hang up
          },
          [&](const rtts::client::http_response& head) {
            code = head.status;
            status->set_value(code);
            if (code != 200) audio->set_value();
          });
    });
    unsigned code = s->status.get();
    first_audio.wait();
    if (code == 429) refused = s.get();
    else ASSERT_EQ(code, 200u) << s->body;
    streams.push_back(std::move(s));
  }
  ASSERT_NE(refused, nullptr) << "twelve streams of the heavy voice in a tenth of one worker";
  EXPECT_GE(streams.size(), 2u) << "the first stream is always admitted";
  auto answer = refused->answer.get();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 429u);
  auto retry = std::stoi(answer->header("retry-after"));
  EXPECT_GE(retry, 1) << "Retry-After says when capacity frees up";
  auto error = json::parse(refused->body).at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "over_capacity");
  EXPECT_EQ(error.at("retry_after").as_int64(), retry);
  EXPECT_GE(metric(server, "rtts_admission_refusals_total{engine=\"piper\"}"), 1);
  EXPECT_GT(metric(server, "rtts_realtime_load{engine=\"piper\"}"), 0) << "the held streams are in synthesis";

  // The listeners hang up: their streams end, and a new one is admitted again.
  hang_up();
  for (auto& s : streams)
    if (s.get() != refused) (void)s->answer.get();
  unsigned status = 0;
  for (int i = 0; i < 200 && status != 200; ++i) {
    status = server.get(tts_target("Back again.", heavy)).status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 200u) << "once the held streams are gone, capacity is free again";
}

TEST(Capacity, DeadlineMissesAreCountedAndLoggedWhenListenersAreStarved) {
  // Admission off and no listener buffer, one worker of the heavy voice. A listener's stream of
  // short sentences (~1.5 s of audio each) starts; once its first audio is out, 16 more streams
  // arrive, each one long sentence (~6 s of audio, one fragment). Their first fragments come
  // first (earliest deadline: the moment they were asked for), and together they take longer
  // (16 x 6 s of audio at the voice's cost, ~0.06 s per second) than the first listener has
  // audio for (a fragment or two): its next fragment is late.
  std::string log = "/tmp/rtts-capacity-" + std::to_string(::getpid()) + ".log";
  {
    rtts_server server(heavy_server({"--admission-load", "0", "--listener-buffer-ms", "0"}), log);
    EXPECT_EQ(metric(server, "rtts_deadline_misses_total{engine=\"piper\"}"), 0);
    ASSERT_EQ(server.get(tts_target("The voice is loaded first.", heavy)).status, 200u);
    std::string listener_text;
    for (int i = 0; i < 8; ++i) listener_text += "Here is short line " + std::to_string(i) + ". ";
    std::promise<void> first_audio;
    auto listener = std::async(std::launch::async, [&] {
      bool told = false;
      return server.get(tts_target(listener_text, heavy), [&](std::string_view) {
        if (!told) first_audio.set_value();
        told = true;
        return true;
      }).status;
    });
    first_audio.get_future().wait();
    const std::string others = "A much longer sentence arrives now, and it keeps the only worker busy for a good while before the next one.";
    std::vector<std::future<unsigned>> clients;
    for (int i = 0; i < 16; ++i) clients.push_back(std::async(std::launch::async, [&] { return server.get(tts_target(others, heavy)).status; }));
    for (auto& c : clients) EXPECT_EQ(c.get(), 200u);
    EXPECT_EQ(listener.get(), 200u);
    EXPECT_GT(metric(server, "rtts_deadline_misses_total{engine=\"piper\"}"), 0);
    EXPECT_GT(metric(server, "rtts_stream_lead_seconds_bucket{engine=\"piper\",le=\"0\"}"), 0) << "late fragments have a negative lead";
  }
  std::ifstream in(log);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::remove(log.c_str());
  EXPECT_NE(text.find("stream (voice en_US-heavy) ran late"), std::string::npos) << text.substr(0, 3000);
}
