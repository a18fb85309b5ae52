#pragma once
// The real `rtts serve` binary on a free port, with helpers to talk to it over real sockets.
#include "client/http_client.hpp"
#include "client/server_process.hpp"
#include "client/ws_client.hpp"

#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <vector>

namespace rtts::testing {

class rtts_server : public client::server_process {
public:
  // Two workers unless the arguments say otherwise.
  explicit rtts_server(std::vector<std::string> extra_args = {}, const std::string& stderr_path = {});

  const client::endpoint& endpoint() const { return at(); }
  std::vector<pid_t> worker_pids() const { return children(); }
  client::http_response get(const std::string& target, const client::body_callback& on_body = {}) const;
  // POST with a JSON body (Content-Type application/json unless `headers` says otherwise).
  client::http_response post(const std::string& target, const std::string& body, std::map<std::string, std::string> headers = {},
                             const client::body_callback& on_body = {}) const;
};

// A WebSocket session with the server on `target` (throws when the upgrade is refused).
std::unique_ptr<client::ws_client> open_websocket(const rtts_server& server, const std::string& target);

// Sends raw bytes and returns whatever the server answers until it closes (or 10 s pass).
std::string raw_exchange(const client::endpoint& to, const std::string& bytes);

std::string tts_target(const std::string& text, const std::string& extra = {});
// The value of one series of the server's /metrics ("name{labels}"), 0 when absent.
double metric(const rtts_server& server, const std::string& series);
// A text of `sentences` numbered sentences (about 2 s of speech each), for long speech.
std::string story(int sentences);

// The processes whose parent is `parent` right now (a worker's job processes).
std::vector<pid_t> children_of(pid_t parent);

// Stops a job process of `worker` that is at work right now (SIGSTOP, then checked: a process
// that already ended, a zombie, does not count); its pid, or 0 if none was caught in `tries`.
pid_t freeze_a_job(pid_t worker, int tries = 100);

// A loopback port that was free a moment ago (for listeners whose port the test must choose).
unsigned free_port();

// The JSON lines of a server's stderr (--log-format json), read once the server is gone; the
// file is removed.
std::vector<boost::json::object> read_json_log(const std::string& path);

// A server-sent-events answer (/tts with timestamps, /v1/audio/speech with stream_format sse):
// its non-audio events in order, the audio joined, and how many audio bytes had arrived before
// each event (to check that an event precedes the audio that holds its start).
struct sse_answer {
  std::vector<boost::json::object> events;
  std::vector<std::size_t> audio_bytes_before;
  std::string audio;
  // The events of one type ("speech.word"), in order.
  std::vector<boost::json::object> of_type(std::string_view type) const;
};
sse_answer read_sse(const std::string& body);

// A base64 decoder of the tests' own, so the server's encoder is checked by something else.
std::string base64_decode(std::string_view text);

} // namespace rtts::testing
