// The HTTP speech routes (see speech_routes.hpp): one utterance per request, its audio written
// as the synthesizer makes it, raw in chunks or as OpenAI's server-sent events.
#include "routes/speech_routes.hpp"

#include "api/openai_speech.hpp"
#include "api/openai_voice_map.hpp"
#include "api/sse_events.hpp"
#include "api/timing_json.hpp"
#include "audio/format.hpp"
#include "synth/encoded_stream.hpp"

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

// Streams one utterance: raw encoded audio in HTTP chunks, or OpenAI's SSE events.
asio::awaitable<bool> stream_speech(server::exchange& ex, speech_request job) {
  const bool sse = job.sse;
  auto& rec = ex.rec;
  api::record_speech(rec, {job.voice.engine, job.voice.voice, sse ? "sse" : audio::format_name(job.format), job.text});
  synth::speech_input input{job.text, job.ssml, job.timing, {}};
  auto started = co_await synth::encoded_stream::start(ex.server->synth, ex.server->compute, input, job.voice,
                                              {job.format, job.requested_rate, job.default_rate});
  if (!started) {
    error e = started.error();
    if (job.body_params && e.kind == error_kind::not_found) e.kind = error_kind::invalid_request;
    co_return co_await ex.send(server::error_response(e, ex.keep_alive));
  }
  // Owned here: whatever ends this coroutine (client gone, write timeout, shutdown) destroys
  // it, which stops the synthesis.
  std::unique_ptr<synth::encoded_stream> speech = std::move(*started);
  rec.engine = speech->voice().engine;
  rec.voice = speech->voice().voice;

  // The status line waits for the first piece, so a request whose first fragment fails still
  // gets a real error status; the first piece comes within milliseconds.
  std::string audio = speech->header();
  synth::encoded_piece piece = co_await speech->next();
  if (piece.type == synth::encoded_piece::kind::failed) co_return co_await ex.send(server::error_response(piece.failure, ex.keep_alive));

  server::stream_head head{http::status::ok, 11};
  head.set(http::field::server, "rtts");
  head.set(http::field::content_type, sse ? "text/event-stream" : audio::content_type(job.format, speech->output_rate()));
  head.set(http::field::cache_control, "no-store");
  head.set("X-Audio-Sample-Rate", std::to_string(speech->output_rate()));
  head.set("X-Request-ID", rec.id);
  if (job.instructions_ignored) head.set("X-Instructions-Ignored", "true");
  if (!rec.cors_origin.empty()) {
    head.set(http::field::access_control_allow_origin, rec.cors_origin);
    head.set(http::field::vary, "Origin");
  }
  // HTTP/1.0 clients (and proxies such as nginx by default) would read chunk sizes as audio.
  const bool chunked = !job.http10;
  const auto& server = *ex.server;
  if (!co_await server::write_stream_head(server, ex.stream, rec, head, chunked, ex.keep_alive)) co_return false;

  for (;;) {
    std::string wire;
    bool last = piece.type == synth::encoded_piece::kind::end || piece.type == synth::encoded_piece::kind::failed;
    if (piece.type == synth::encoded_piece::kind::timing) {
      wire = api::sse_timing_event(piece.timing); // only asked for with SSE; the header waits for the audio
    } else if (piece.type == synth::encoded_piece::kind::failed) {
      std::fprintf(stderr, "rtts: stream failed: %s\n", piece.failure.message.c_str());
      if (!sse) co_return false; // no last chunk: the client sees a truncated stream, not a clean end
      wire = api::sse_error_event(piece.failure);
    } else {
      audio += piece.bytes;
      wire = sse ? (audio.empty() ? std::string() : api::sse_audio_delta(audio)) : std::move(audio);
      audio.clear();
      if (sse && last) wire += api::sse_audio_done(job.text);
    }
    if (!wire.empty() && rec.first_audio_ms < 0)
      rec.first_audio_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - rec.started).count();
    if (!co_await server::write_stream_piece(server, ex.stream, rec, wire, chunked)) co_return false;
    if (last) co_return co_await server::write_stream_end(server, ex.stream, chunked, ex.keep_alive);
    piece = co_await speech->next();
  }
}

} // namespace

asio::awaitable<bool> tts(server::exchange& ex) {
  auto query = api::parse_tts_request(ex.target);
  if (!query) co_return co_await ex.reply(query.error());
  // A named request, not a temporary: g++ 12 double-frees temporaries in co_await expressions.
  // Timing events need a channel beside the audio: with timestamps, /tts answers in SSE.
  speech_request job{std::move(query->text), query->voice, query->output.format, query->output.sample_rate, 0,
                     query->timing.level != timestamp_level::none, false, query->ssml, query->timing, ex.req.version() < 11};
  co_return co_await stream_speech(ex, std::move(job));
}

asio::awaitable<bool> openai_speech(server::exchange& ex) {
  auto aliases = api::openai_voice_map(ex.server->config, ex.server->engine_info_views());
  auto speech = api::parse_speech_request(ex.req[http::field::content_type], ex.req.body(), ex.server->config, ex.server->synth.requestable_engines(), &aliases);
  if (!speech) co_return co_await ex.reply(speech.error());
  speech_request job{std::move(speech->input), speech->voice, speech->format, speech->sample_rate, api::openai_default_rate, speech->sse, true,
                     speech->ssml, speech->timing, ex.req.version() < 11, speech->instructions_ignored};
  co_return co_await stream_speech(ex, std::move(job));
}

asio::awaitable<bool> websocket_required(server::exchange& ex) {
  co_return co_await ex.reply(
      make_error(error_kind::invalid_request, ex.target.path + " speaks WebSocket: send an Upgrade request", "websocket_required"));
}

} // namespace rtts::routes
