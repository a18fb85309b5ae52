#pragma once
// One log line per request (stderr): request id, route, status, engine, voice, text length,
// first-audio time, duration, bytes. HTTP requests, each utterance of a WebSocket or Wyoming
// session, and each WebSocket session as a whole get one. Text format by default, JSON with
// --log-format json. The text itself is logged only at --log-level debug.
#include <chrono>
#include <string>
#include <string_view>

namespace rtts::api {

enum class log_format { text, json };
void set_log_format(log_format f);
enum class log_level { info, debug };
void set_log_level(log_level l);

// The id a request is logged and answered under: the client's X-Request-ID when it is a sane
// token (1-64 of [A-Za-z0-9._-]), else a fresh random one.
std::string request_id_from(std::string_view header);

struct request_record {
  std::string id, method, route;
  unsigned status = 0;
  std::string engine, voice, format;
  std::size_t text_chars = 0;
  std::string text;           // logged only at log_level::debug
  double first_audio_ms = -1; // -1: no audio
  std::size_t bytes = 0;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::string cors_origin; // Access-Control-Allow-Origin for the response, if any
};

// Formats and writes the line (thread-safe: one write per line).
void log_request(const request_record& r);

// A record that is logged when it goes out of scope, however the request ends.
struct logged_request {
  request_record record;
  logged_request() = default;
  logged_request(const logged_request&) = delete;
  logged_request& operator=(const logged_request&) = delete;
  ~logged_request() { log_request(record); }
};
std::string format_request(const request_record& r, log_format f, log_level l = log_level::info);

// Fills the speech fields of a record (engine, voice, format, text) for one synthesis.
struct speech_fields {
  std::string_view engine, voice, format, text;
};
void record_speech(request_record& r, const speech_fields& f);

} // namespace rtts::api
