// The limits of the shared session core (src/session) on both WebSocket routes, /ws and
// /v1/audio/speech-stream: a bounded queue, a client that stops reading is dropped, a silent
// client that does not answer pings is closed, and SIGTERM lets speech finish, then says "going
// away" (1001), while an idle session is closed at once. Wyoming and MaryTTS have the same tests
// in listener_limits_test.cpp, HTTP in limits_test.cpp and resilience_test.cpp. Real server, real
// sockets; waits are bounded polls, never timing assertions.
#include "client/ws_client.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <future>
#include <thread>

using namespace rtts::testing;
using rtts::client::ws_client;
namespace json = boost::json;

namespace {

// Asks for `text` in the route's own protocol.
void ask(ws_client& c, const std::string& route, const std::string& text) {
  if (route == "/ws") {
    ASSERT_TRUE(c.send_text(text));
    return;
  }
  ASSERT_TRUE(c.send_text(json::serialize(json::object{{"type", "text"}, {"text", text}})));
  ASSERT_TRUE(c.send_text(R"({"type":"end"})"));
}

// The message that says the speech ended complete: /ws's finalOutput, speech-stream's done.
bool is_complete_end(const rtts::client::ws_message& m) {
  return !m.binary && (m.data.find("finalOutput") != std::string::npos || m.data.find(R"("type":"done")") != std::string::npos);
}

const std::vector<std::string> routes = {"/ws", "/v1/audio/speech-stream"};

} // namespace

TEST(SessionLimits, AClientThatStopsReadingIsDroppedOnBothWebSockets) {
  // The queue holds all of the speech-stream's 300 sentences: this is about the outbox.
  rtts_server server({"--engines", "espeak", "--workers", "1", "--ws-stalled-ms", "500", "--ws-max-queued", "400"});
  const std::string cancelled = R"(rtts_streams_total{engine="espeak",outcome="cancelled"})";
  for (const auto& route : routes) {
    SCOPED_TRACE(route);
    double before = metric(server, cancelled);
    auto stalled = open_websocket(server, route);
    ask(*stalled, route, story(300));
    // It never reads: the outbox fills, and after --ws-stalled-ms the server gives up on it and
    // cancels its speech.
    bool gone = false;
    for (int i = 0; i < 300 && !(gone = metric(server, cancelled) > before); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(gone) << "its speech was cancelled";
    bool complete = false;
    while (auto m = stalled->read()) complete = complete || is_complete_end(*m);
    EXPECT_FALSE(complete) << "the speech ends cut, not as if complete";
    // Its engine time is free for others.
    auto other = open_websocket(server, route);
    ask(*other, route, "Someone else.");
    bool heard = false;
    while (auto m = other->read())
      if (is_complete_end(*m)) {
        heard = true;
        break;
      }
    EXPECT_TRUE(heard);
  }
}

TEST(SessionLimits, TheQueueOfASpeechStreamIsBounded) {
  rtts_server server({"--engines", "espeak", "--workers", "1", "--ws-max-queued", "2"});
  auto c = open_websocket(server, "/v1/audio/speech-stream");
  // Eight sentences in one message: two are queued, the third is refused with an error (and the
  // rest of that message with it), then `end` releases the last.
  std::string text;
  for (int i = 0; i < 8; ++i) text += "Utterance number " + std::to_string(i) + " is here. ";
  ASSERT_TRUE(c->send_text(json::serialize(json::object{{"type", "text"}, {"text", text}})));
  ASSERT_TRUE(c->send_text(R"({"type":"end"})"));
  int refused = 0, sentences_spoken = 0;
  while (auto m = c->read()) {
    if (m->binary) continue;
    auto v = json::parse(m->data).as_object();
    if (v.at("type") == "error") {
      EXPECT_EQ(v.at("error").at("code"), "queue_full");
      ++refused;
    }
    if (v.at("type") == "sentence") ++sentences_spoken;
    if (v.at("type") == "done") break;
  }
  EXPECT_GE(refused, 1);
  EXPECT_GE(sentences_spoken, 1);
  EXPECT_LE(sentences_spoken, 4) << "two queued, perhaps one in speech, and the one `end` released";
}

TEST(SessionLimits, ASilentClientThatAnswersNoPingIsClosed) {
  rtts_server server({"--engines", "espeak", "--workers", "1", "--ws-idle-timeout", "1"});
  for (const auto& route : routes) {
    SCOPED_TRACE(route);
    auto silent = open_websocket(server, route);
    // Not reading means not answering the server's ping either.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    bool closed = false;
    for (int i = 0; i < 100 && !closed; ++i) closed = !silent->read();
    EXPECT_TRUE(closed) << "the server closed the connection";
  }
}

TEST(SessionLimits, SigtermFinishesSpeechThenSaysGoingAwayOnBothWebSockets) {
  rtts_server server({"--engines", "espeak", "--workers", "1", "--shutdown-grace-ms", "60000"});
  auto idle = open_websocket(server, "/ws");
  std::vector<std::unique_ptr<ws_client>> busy;
  for (const auto& route : routes) {
    busy.push_back(open_websocket(server, route));
    ask(*busy.back(), route, story(6));
  }
  for (auto& c : busy) { // speech has begun on both
    auto first = c->read();
    ASSERT_TRUE(first);
  }
  auto exit_code = std::async(std::launch::async, [&] { return server.terminate(); });
  // The idle session is told at once: the server is going away.
  EXPECT_FALSE(idle->read());
  EXPECT_EQ(idle->close_code(), 1001);
  // The busy ones hear all of their speech, then the same.
  for (std::size_t i = 0; i < busy.size(); ++i) {
    SCOPED_TRACE(routes[i]);
    bool complete = false;
    while (auto m = busy[i]->read()) complete = complete || is_complete_end(*m);
    EXPECT_TRUE(complete) << "the speech was finished, not cut";
    EXPECT_EQ(busy[i]->close_code(), 1001);
  }
  EXPECT_EQ(exit_code.get(), 0);
}
