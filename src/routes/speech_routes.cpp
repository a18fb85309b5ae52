// The HTTP speech routes (see speech_routes.hpp): one utterance per request, its audio written
// as the synthesizer makes it, raw in chunks or as OpenAI's server-sent events.
#include "routes/speech_routes.hpp"

#include "api/openai_speech.hpp"
#include "api/openai_voice_map.hpp"
#include "api/sse_events.hpp"
#include "api/timing_json.hpp"
#include "audio/format.hpp"
#include "session/speak.hpp"

#include <boost/beast/http.hpp>

#include <cstdio>

namespace rtts::routes {
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

struct speech_request {
  std::string text;
  voice_options voice;
  audio_format format;
  int requested_rate; // 0 = default_rate
  int default_rate;   // 0 = the engine's native rate
  bool sse;           // OpenAI speech.audio.delta events instead of raw audio
  bool body_params;   // options came in a JSON body: an unknown voice is a 400 there, not a 404
  bool ssml;
  timing_options timing;
  bool http10; // HTTP/1.0 knows no chunked framing: the body ends when the connection closes
  bool instructions_ignored = false; // OpenAI `instructions` came and no engine can follow them
};

// OpenAI's and /tts's framing of one utterance on an HTTP connection: the status line once the
// first piece is good, then raw encoded audio in chunks (or, for HTTP/1.0, a body the closing
// connection ends), or OpenAI's server-sent events.
class http_speech final : public session::speech_output {
public:
  http_speech(server::exchange& ex, const speech_request& request) : ex_(ex), request_(request), chunked_(!request.http10) {}
  // Whether the connection may serve another request.
  bool keep_alive() const { return keep_alive_; }

  asio::awaitable<bool> refused(const error& failure) override {
    error e = failure;
    if (request_.body_params && e.kind == error_kind::not_found) e.kind = error_kind::invalid_request;
    server::http_response answer = server::error_response(e, ex_.keep_alive);
    keep_alive_ = co_await ex_.send(std::move(answer));
    co_return keep_alive_;
  }
  asio::awaitable<bool> began(const synth::encoded_stream& speech, std::string header) override {
    server::stream_head head{http::status::ok, 11};
    head.set(http::field::server, "rtts");
    head.set(http::field::content_type, request_.sse ? "text/event-stream" : audio::content_type(request_.format, speech.output_rate()));
    head.set(http::field::cache_control, "no-store");
    head.set("X-Audio-Sample-Rate", std::to_string(speech.output_rate()));
    head.set("X-Request-ID", ex_.rec.id);
    if (request_.instructions_ignored) head.set("X-Instructions-Ignored", "true");
    if (!ex_.rec.cors_origin.empty()) {
      head.set(http::field::access_control_allow_origin, ex_.rec.cors_origin);
      head.set(http::field::vary, "Origin");
    }
    header_ = std::move(header); // goes out with the first audio
    co_return co_await server::write_stream_head(*ex_.server, ex_.stream, ex_.rec, head, chunked_, ex_.keep_alive);
  }
  asio::awaitable<bool> timing(const synth::timing_event& t) override {
    std::string event = api::sse_timing_event(t); // only asked for with SSE
    co_return co_await write(event);
  }
  asio::awaitable<bool> audio(std::string bytes) override {
    header_ += bytes;
    std::string audio = std::move(header_);
    header_.clear();
    if (request_.sse) audio = api::sse_audio_delta(audio);
    co_return co_await write(audio);
  }
  asio::awaitable<bool> ended() override {
    std::string rest = std::move(header_); // a stream without audio: its header alone
    if (request_.sse) rest = (rest.empty() ? std::string() : api::sse_audio_delta(rest)) + api::sse_audio_done(request_.text);
    if (!co_await write(rest)) co_return false;
    keep_alive_ = co_await server::write_stream_end(*ex_.server, ex_.stream, chunked_, ex_.keep_alive);
    co_return keep_alive_;
  }
  asio::awaitable<bool> failed(const error& e) override {
    std::fprintf(stderr, "rtts: stream failed: %s\n", e.message.c_str());
    if (!request_.sse) co_return false; // no last chunk: the client sees a truncated stream, not a clean end
    std::string event = api::sse_error_event(e);
    if (!co_await write(event)) co_return false;
    keep_alive_ = co_await server::write_stream_end(*ex_.server, ex_.stream, chunked_, ex_.keep_alive);
    co_return keep_alive_;
  }

private:
  // (Named strings only: g++ 12 frees temporaries in co_await expressions twice.)
  asio::awaitable<bool> write(const std::string& wire) { co_return co_await server::write_stream_piece(*ex_.server, ex_.stream, ex_.rec, wire, chunked_); }

  server::exchange& ex_;
  const speech_request& request_;
  bool chunked_; // HTTP/1.0 clients (and proxies such as nginx by default) would read chunk sizes as audio
  bool keep_alive_ = false;
  std::string header_;
};

// Streams one utterance (session/speak.hpp does the speaking, http_speech the framing).
asio::awaitable<bool> answer_with_speech(server::exchange& ex, speech_request request) {
  api::record_speech(ex.rec, {request.voice.engine, request.voice.voice, request.sse ? "sse" : audio::format_name(request.format), request.text});
  session::utterance u;
  u.text = request.text;
  u.ssml = request.ssml;
  u.voice = request.voice;
  u.output = {request.format, request.requested_rate, request.default_rate};
  u.timing = request.timing;
  u.ready_at = ex.rec.started;
  http_speech out(ex, request);
  co_await session::speak(ex.server->synth, ex.server->compute, u, out, ex.rec);
  co_return out.keep_alive();
}

} // namespace

asio::awaitable<bool> tts(server::exchange& ex) {
  auto query = api::parse_tts_request(ex.target);
  if (!query) co_return co_await ex.reply(query.error());
  // A named request, not a temporary: g++ 12 double-frees temporaries in co_await expressions.
  // Timing events need a channel beside the audio: with timestamps, /tts answers in SSE.
  speech_request request{std::move(query->text), query->voice, query->output.format, query->output.sample_rate, 0,
                     query->timing.level != timestamp_level::none, false, query->ssml, query->timing, ex.req.version() < 11};
  co_return co_await answer_with_speech(ex, std::move(request));
}

asio::awaitable<bool> openai_speech(server::exchange& ex) {
  auto aliases = api::openai_voice_map(ex.server->config, ex.server->engine_info_views());
  auto speech = api::parse_speech_request(ex.req[http::field::content_type], ex.req.body(), ex.server->config, ex.server->synth.requestable_engines(), &aliases);
  if (!speech) co_return co_await ex.reply(speech.error());
  speech_request request{std::move(speech->input), speech->voice, speech->format, speech->sample_rate, api::openai_default_rate, speech->sse, true,
                     speech->ssml, speech->timing, ex.req.version() < 11, speech->instructions_ignored};
  co_return co_await answer_with_speech(ex, std::move(request));
}

asio::awaitable<bool> websocket_required(server::exchange& ex) {
  co_return co_await ex.reply(
      make_error(error_kind::invalid_request, ex.target.path + " speaks WebSocket: send an Upgrade request", "websocket_required"));
}

} // namespace rtts::routes
