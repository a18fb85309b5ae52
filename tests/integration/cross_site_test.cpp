// Other web pages in a user's browser against a loopback rtts: a page may not change the server's
// defaults (an <img src="/setvoice?...">), open a WebSocket from a foreign origin, or reach the
// server under its own host name after a DNS rebinding. Clients without an Origin (curl, SDKs,
// the seed's Python clients) keep working. Real server, real sockets.
#include "audio_check.hpp"
#include "server_fixture.hpp"

#include "client/ws_client.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace rtts::testing;
namespace json = boost::json;

namespace {

rtts::client::http_response get_with(const rtts_server& server, const std::string& target, std::map<std::string, std::string> headers) {
  rtts::client::http_request request;
  request.target = target;
  request.headers = std::move(headers);
  auto r = rtts::client::fetch(server.endpoint(), request);
  if (!r) throw std::runtime_error(r.error().message);
  return *r;
}

std::string error_code(const rtts::client::http_response& r) {
  return std::string(json::parse(r.body).at("error").at("code").as_string());
}

// The status line of a WebSocket upgrade sent by hand (so that Origin and Host can be set).
std::string upgrade_status(const rtts_server& server, const std::string& path, const std::string& extra_headers) {
  auto answer = raw_exchange(server.endpoint(), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
                                                    extra_headers + "\r\n");
  return answer.substr(0, answer.find("\r\n"));
}

// The samples of a default-voice answer: what every client that names no voice hears.
std::vector<std::int16_t> default_voice_audio(const rtts_server& server) {
  auto r = server.get(tts_target("Which voice is this?"));
  EXPECT_EQ(r.status, 200u);
  return decode_wav(r.body).samples;
}

} // namespace

TEST(CrossSite, AForeignPageCannotChangeTheDefaultVoice) {
  rtts_server server({"--engines", "espeak", "--workers", "1"});
  auto before = default_voice_audio(server);
  auto forged = get_with(server, "/setvoice?voice_name=de", {{"Origin", "http://evil.example"}});
  EXPECT_EQ(forged.status, 403u) << forged.body;
  EXPECT_EQ(error_code(forged), "origin_not_allowed");
  auto engine = get_with(server, "/set_engine?engine_name=espeak", {{"Origin", "http://evil.example"}});
  EXPECT_EQ(engine.status, 403u);
  auto opaque = get_with(server, "/setvoice?voice_name=de", {{"Origin", "null"}}); // sandboxed iframes, file:// pages
  EXPECT_EQ(opaque.status, 403u);
  EXPECT_EQ(default_voice_audio(server), before) << "nobody else hears German";

  // The seed's clients send no Origin; rtts's own page sends its own; a localhost dev page is a CORS origin.
  EXPECT_EQ(server.get("/setvoice?voice_name=en-gb").status, 200u);
  auto port = std::to_string(server.endpoint().port);
  EXPECT_EQ(get_with(server, "/setvoice?voice_name=en-us", {{"Origin", "http://127.0.0.1:" + port}}).status, 200u);
  EXPECT_EQ(get_with(server, "/setvoice?voice_name=en-us", {{"Origin", "http://localhost:5173"}}).status, 200u);
  // Reading routes are not changed by an Origin: CORS decides what the page may read.
  EXPECT_EQ(get_with(server, "/voices", {{"Origin", "http://evil.example"}}).status, 200u);
}

TEST(CrossSite, AConfiguredCorsOriginMayChangeTheDefaults) {
  rtts_server server({"--engines", "espeak", "--workers", "1", "--cors-origin", "https://app.example.com"});
  EXPECT_EQ(get_with(server, "/setvoice?voice_name=de", {{"Origin", "https://app.example.com"}}).status, 200u);
  EXPECT_EQ(get_with(server, "/setvoice?voice_name=en-us", {{"Origin", "https://other.example.com"}}).status, 403u);
}

TEST(CrossSite, WebSocketsFromAForeignOriginAreRefused) {
  rtts_server server({"--engines", "espeak", "--workers", "1", "--ws-idle-timeout", "1"});
  for (std::string path : {"/ws", "/v1/audio/speech-stream"}) {
    EXPECT_EQ(upgrade_status(server, path, "Origin: http://evil.example\r\n"), "HTTP/1.1 403 Forbidden") << path;
    EXPECT_EQ(upgrade_status(server, path, "Origin: http://localhost:8080\r\n"), "HTTP/1.1 101 Switching Protocols") << path;
    EXPECT_EQ(upgrade_status(server, path, ""), "HTTP/1.1 101 Switching Protocols") << path << ": no Origin, not a browser";
  }
}

TEST(CrossSite, ForeignHostNamesAreRefused) {
  rtts_server server({"--engines", "espeak", "--workers", "1", "--allowed-host", "tts.example.org", "--ws-idle-timeout", "1"});
  // A DNS rebinding: the page's own name now points at 127.0.0.1, and its requests say so.
  for (const std::string& target : std::vector<std::string>{"/voices", "/", "/health", tts_target("Hello.")}) {
    auto r = get_with(server, target, {{"Host", "attacker.example:8000"}});
    EXPECT_EQ(r.status, 403u) << target;
    EXPECT_EQ(error_code(r), "host_not_allowed");
  }
  EXPECT_EQ(upgrade_status(server, "/ws", "").substr(9, 3), "101");
  auto ws_answer = raw_exchange(server.endpoint(), "GET /ws HTTP/1.1\r\nHost: attacker.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  EXPECT_EQ(ws_answer.substr(0, ws_answer.find("\r\n")), "HTTP/1.1 403 Forbidden");
  // Loopback names, IP literals (no rebinding yields one) and --allowed-host names are served.
  for (std::string host : {"localhost:8000", "LOCALHOST", "rtts.localhost", "127.0.0.1:1", "[::1]:8000", "192.0.2.7", "tts.example.org",
                           "TTS.example.org.:443"})
    EXPECT_EQ(get_with(server, "/voices", {{"Host", host}}).status, 200u) << host;
}

TEST(CrossSite, WithKeysTheDefaultRoutesNeedOne) {
  rtts_server server({"--engines", "espeak", "--workers", "1", "--api-key", "k-123"});
  EXPECT_EQ(server.get("/setvoice?voice_name=de").status, 401u);
  EXPECT_EQ(server.get("/set_engine?engine_name=espeak").status, 401u);
  // The scheme is case-insensitive (RFC 9110): "bearer" works as "Bearer" does.
  EXPECT_EQ(get_with(server, "/setvoice?voice_name=en-us", {{"Authorization", "bearer k-123"}}).status, 200u);
  EXPECT_EQ(get_with(server, "/setvoice?voice_name=en-us", {{"Authorization", "BEARER k-123"}}).status, 200u);
  EXPECT_EQ(get_with(server, "/setvoice?voice_name=en-us", {{"Authorization", "bearer k-12"}}).status, 401u);
}

TEST(CrossSite, AWebSocketKeyMayComeAsASubprotocol) {
  rtts_server server({"--engines", "espeak", "--workers", "1", "--api-key", "k-123", "--ws-idle-timeout", "1"});
  EXPECT_EQ(upgrade_status(server, "/ws", "").substr(9, 3), "401");
  auto answer = raw_exchange(server.endpoint(), "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                                                "Sec-WebSocket-Protocol: rtts, bearer.k-123\r\n\r\n");
  EXPECT_EQ(answer.substr(0, answer.find("\r\n")), "HTTP/1.1 101 Switching Protocols");
  EXPECT_NE(answer.find("Sec-WebSocket-Protocol: rtts\r\n"), std::string::npos) << "the browser needs one subprotocol back";
  EXPECT_EQ(answer.find("k-123"), std::string::npos) << "the key is never echoed";
  EXPECT_EQ(upgrade_status(server, "/ws", "Sec-WebSocket-Protocol: rtts, bearer.wrong\r\n").substr(9, 3), "401");
}
