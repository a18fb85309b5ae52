// Listener and HTTP/1.1 sessions: one coroutine per connection, reading requests in turn and
// either answering at once (catalogue routes, errors) or streaming audio as it is synthesized.
#include "server/http_server.hpp"

#include "server/web_assets.hpp"
#include "server/ws_session.hpp"

#include "api/catalogue_json.hpp"
#include "api/error_body.hpp"
#include "api/health_json.hpp"
#include "api/marytts.hpp"
#include "api/metrics_text.hpp"
#include "api/cors.hpp"
#include "api/cross_site.hpp"
#include "api/request_log.hpp"
#include "text/utf8.hpp"
#include "metrics/registry.hpp"
#include "api/api_keys.hpp"
#include "api/openai_speech.hpp"
#include "api/sse_events.hpp"
#include "api/timing_json.hpp"
#include "api/tts_query.hpp"
#include "audio/format.hpp"
#include "audio/wav.hpp"
#include "net/listen.hpp"
#include "synth/encoded_stream.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <cstdio>

namespace rtts::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

response json_response(http::status status, std::string body, bool keep_alive) {
  response res{status, 11};
  res.set(http::field::server, "rtts");
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

// The page's files are public, like /health: they hold no data, and every API call the page
// makes is checked as usual.
response web_response(const server::web_asset& asset, bool keep_alive) {
  response res{http::status::ok, 11};
  res.set(http::field::server, "rtts");
  res.set(http::field::content_type, asset.content_type);
  res.set(http::field::cache_control, "no-cache");
  res.set("Content-Security-Policy", server::web_csp);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.keep_alive(keep_alive);
  res.body() = std::string(asset.body);
  res.prepare_payload();
  return res;
}

response error_response(const error& e, bool keep_alive) {
  auto res = json_response(static_cast<http::status>(api::http_status(e.kind)), api::error_json(e), keep_alive);
  if (e.kind == error_kind::overloaded) res.set(http::field::retry_after, "1"); // streams are short-lived
  return res;
}

std::size_t header_fields_bytes(const request& req) {
  std::size_t n = 0;
  for (const auto& f : req) n += f.name_string().size() + f.value().size() + 4;
  return n;
}

// Beast reports one limit for request line plus headers; tell the two apart for 414 vs 431.
error header_limit_error(std::string_view received, std::size_t max_request_line) {
  auto eol = received.find("\r\n");
  if (eol == std::string_view::npos || eol > max_request_line)
    return make_error(error_kind::uri_too_long, "request line longer than " + std::to_string(max_request_line) + " bytes");
  return make_error(error_kind::headers_too_large, "request header fields too large");
}

} // namespace

struct http_server::impl : server_context, std::enable_shared_from_this<impl> {
  tcp::acceptor acceptor;
  http_server::route_set routes_served;

  impl(asio::io_context& io_, asio::thread_pool& compute_, const server_config& config_, synth::synthesizer& synth_, http_server::route_set r)
      : server_context{io_, compute_, config_, synth_}, acceptor(io_), routes_served(r) {}

  std::vector<worker::worker_hello> engine_infos() const {
    std::vector<worker::worker_hello> engines;
    for (const auto& name : synth.engine_names()) engines.push_back(**synth.engine_info(name));
    return engines;
  }

  // The MaryTTS listener (--marytts): its own small route set, no API keys (MaryTTS clients
  // cannot send them; the listener is off by default and belongs on a trusted network).
  static asio::awaitable<bool> handle_marytts(std::shared_ptr<impl> self, beast::tcp_stream& stream, api::request_record& rec, request req,
                                              bool keep_alive) {
    auto target = api::parse_target(req.target());
    if (!target) co_return co_await reply(*self, stream, rec, keep_alive, target.error());
    const std::string& path = target->path;
    auto text = [&](std::string body) {
      response res{http::status::ok, 11};
      res.set(http::field::server, "rtts");
      res.set(http::field::content_type, "text/plain; charset=utf-8");
      res.keep_alive(keep_alive);
      res.body() = std::move(body);
      res.prepare_payload();
      return res;
    };
    if (path == "/voices") co_return co_await write_response(*self, stream, rec, text(api::marytts_voices(self->engine_infos())));
    if (path == "/locales") co_return co_await write_response(*self, stream, rec, text(api::marytts_locales(self->engine_infos())));
    if (path == "/version") co_return co_await write_response(*self, stream, rec, text(api::marytts_version()));
    if (path == "/audioformats") co_return co_await write_response(*self, stream, rec, text(api::marytts_audioformats()));
    if (path != "/process") co_return co_await reply(*self, stream, rec, keep_alive, make_error(error_kind::not_found, "no route " + path, "unknown_route"));
    if (req.method() != http::verb::get && req.method() != http::verb::post)
      co_return co_await reply(*self, stream, rec, keep_alive, make_error(error_kind::method_not_allowed, "use GET or POST"));
    // A POST carries a form body, with or without a Content-Type saying so.
    auto params = req.method() == http::verb::post ? api::parse_target("/process?" + req.body()) : target;
    if (!params) co_return co_await reply(*self, stream, rec, keep_alive, params.error());
    auto parsed = api::parse_marytts_request(*params, self->engine_infos(), self->synth.default_engine());
    if (!parsed) co_return co_await reply(*self, stream, rec, keep_alive, parsed.error());
    synth::speech_input input{parsed->text, parsed->ssml, {}, {}};
    auto started = synth::encoded_stream::start(self->synth, self->compute, input, parsed->voice, {audio_format::pcm, 0, 0});
    if (!started) co_return co_await reply(*self, stream, rec, keep_alive, started.error());
    std::unique_ptr<synth::encoded_stream> speech = std::move(*started);
    // MaryTTS clients expect a whole WAV file with exact sizes: collected up to a bound that
    // covers every usual answer (minutes of speech). A longer one streams on from there with a
    // streaming header instead, so no answer holds more than the bound in memory.
    std::string pcm;
    for (;;) {
      auto piece = co_await speech->next();
      if (piece.type == synth::encoded_piece::kind::failed) co_return co_await reply(*self, stream, rec, keep_alive, piece.failure);
      pcm += piece.bytes;
      if (piece.type == synth::encoded_piece::kind::end) break;
      if (pcm.size() > marytts_whole_file_bytes)
        co_return co_await stream_marytts(self, stream, rec, std::move(speech), std::move(pcm), req.version() < 11 ? false : keep_alive, req.version() < 11);
    }
    auto header = audio::make_wav_header(static_cast<std::uint32_t>(speech->output_rate()), 1, static_cast<std::uint32_t>(pcm.size()));
    response res{http::status::ok, 11};
    res.set(http::field::server, "rtts");
    res.set(http::field::content_type, "audio/x-wav");
    res.keep_alive(keep_alive);
    res.body().assign(reinterpret_cast<const char*>(header.data()), header.size());
    res.body() += pcm;
    res.prepare_payload();
    co_return co_await write_response(*self, stream, rec, std::move(res));
  }

  // Audio collected in memory for one MaryTTS answer, at most (16 MiB: over 6 minutes at 22 kHz).
  static constexpr std::size_t marytts_whole_file_bytes = 16u << 20;

  // A MaryTTS answer too long to hold: what came so far, then the rest as it is made.
  static asio::awaitable<bool> stream_marytts(std::shared_ptr<impl> self, beast::tcp_stream& stream, api::request_record& rec,
                                              std::unique_ptr<synth::encoded_stream> speech, std::string pcm, bool keep_alive, bool http10) {
    auto header = audio::make_wav_header(static_cast<std::uint32_t>(speech->output_rate()));
    pcm.insert(0, reinterpret_cast<const char*>(header.data()), header.size());
    http::response<http::empty_body> head{http::status::ok, 11};
    head.set(http::field::server, "rtts");
    head.set(http::field::content_type, "audio/x-wav");
    head.set("X-Request-ID", rec.id);
    co_return co_await write_body(self, stream, rec, std::move(head), std::move(speech), std::move(pcm), keep_alive, http10);
  }

  // The status line and headers of a streamed answer: chunked for HTTP/1.1; for HTTP/1.0, which
  // has no chunks, a body that ends when the connection closes. False if the client is gone.
  static asio::awaitable<bool> write_stream_head(const impl& self, beast::tcp_stream& stream, api::request_record& rec,
                                                 http::response<http::empty_body>& head, bool chunked, bool keep_alive) {
    head.chunked(chunked);
    head.keep_alive(keep_alive && chunked);
    http::response_serializer<http::empty_body> serializer{head};
    metrics::global().http_responses.inc({"200"});
    rec.status = 200;
    boost::system::error_code ec;
    stream.expires_after(std::chrono::seconds(self.config.write_timeout_s));
    co_await http::async_write_header(stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  // One piece of a streamed body (a chunk, or raw bytes for HTTP/1.0). False if the client is gone.
  static asio::awaitable<bool> write_stream_piece(const impl& self, beast::tcp_stream& stream, api::request_record& rec, const std::string& wire,
                                                  bool chunked) {
    if (wire.empty()) co_return true;
    boost::system::error_code ec;
    stream.expires_after(std::chrono::seconds(self.config.write_timeout_s));
    if (chunked) co_await asio::async_write(stream, http::make_chunk(asio::buffer(wire)), asio::redirect_error(asio::use_awaitable, ec));
    else co_await asio::async_write(stream, asio::buffer(wire), asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) rec.bytes += wire.size();
    co_return !ec;
  }

  // Ends a streamed body; true if the connection may serve another request.
  static asio::awaitable<bool> write_stream_end(const impl& self, beast::tcp_stream& stream, bool chunked, bool keep_alive) {
    if (!chunked) co_return false; // closing the connection ends the body
    boost::system::error_code ec;
    stream.expires_after(std::chrono::seconds(self.config.write_timeout_s));
    co_await asio::async_write(stream, http::make_chunk_last(), asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec && keep_alive;
  }

  // Sends `head`, then `first` and every later piece of audio of `speech` as the body.
  static asio::awaitable<bool> write_body(std::shared_ptr<impl> self, beast::tcp_stream& stream, api::request_record& rec,
                                          http::response<http::empty_body> head, std::unique_ptr<synth::encoded_stream> speech,
                                          std::string first, bool keep_alive, bool http10) {
    if (!co_await write_stream_head(*self, stream, rec, head, !http10, keep_alive)) co_return false;
    std::string wire = std::move(first);
    for (bool ended = false;;) {
      if (!co_await write_stream_piece(*self, stream, rec, wire, !http10)) co_return false;
      if (ended) co_return co_await write_stream_end(*self, stream, !http10, keep_alive);
      auto piece = co_await speech->next();
      if (piece.type == synth::encoded_piece::kind::failed) co_return false; // cut short: the client sees a truncated body
      wire = std::move(piece.bytes);
      ended = piece.type == synth::encoded_piece::kind::end;
    }
  }

  static asio::awaitable<void> accept_loop(std::shared_ptr<impl> self) {
    while (!self->stopping) {
      boost::system::error_code ec;
      tcp::socket socket = co_await self->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (self->stopping || ec == asio::error::operation_aborted) co_return;
        // e.g. EMFILE: keep serving the connections we have, and retry a little later instead of
        // spinning on an accept that fails at once.
        asio::steady_timer pause(self->io, 50ms);
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      if (self->connections >= self->config.max_connections) {
        asio::co_spawn(self->io, refuse_connection(self, beast::tcp_stream(std::move(socket))), asio::detached);
        continue;
      }
      asio::co_spawn(self->io, run_session(self, beast::tcp_stream(std::move(socket))), asio::detached);
    }
  }

  // Over --max-connections: one short 503 (the client learns why), then close.
  static asio::awaitable<void> refuse_connection(std::shared_ptr<impl> self, beast::tcp_stream stream) {
    api::request_record rec;
    rec.id = api::request_id_from("");
    rec.method = "-";
    rec.route = "-";
    auto refused = make_error(error_kind::unavailable, "too many connections (limit " + std::to_string(self->config.max_connections) + ")",
                              "too_many_connections");
    auto res = error_response(refused, false);
    res.set(http::field::retry_after, "1");
    co_await write_response(*self, stream, rec, std::move(res));
    api::log_request(rec);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.close();
  }

  // Reads one request in three timed phases: an idle keep-alive connection waits up to
  // --keepalive-timeout for its first byte; from then on the request line and headers must come
  // within --header-timeout (slowloris) and the whole request within --request-timeout.
  static asio::awaitable<void> read_request(const impl& self, beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                            http::request_parser<http::string_body>& parser, bool first, boost::system::error_code& ec) {
    using std::chrono::seconds;
    if (!first && buffer.size() == 0) {
      stream.expires_after(seconds(self.config.keepalive_timeout_s));
      auto n = co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
      buffer.commit(n);
      if (ec) co_return;
    }
    auto began = std::chrono::steady_clock::now();
    stream.expires_after(seconds(self.config.header_timeout_s));
    co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || parser.is_done()) co_return;
    stream.expires_at(began + seconds(self.config.request_timeout_s));
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  }

  static asio::awaitable<void> run_session(std::shared_ptr<impl> self, beast::tcp_stream stream) {
    open_connection counted_connection(self.get());
    beast::flat_buffer buffer;
    bool first = true;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(self->config.max_request_line + self->config.max_header_bytes));
      parser.body_limit(self->config.max_body_bytes);
      boost::system::error_code ec;
      co_await read_request(*self, stream, buffer, parser, first, ec);
      first = false;
      if (ec) {
        std::optional<error> reply;
        if (ec == http::error::header_limit)
          reply = header_limit_error({static_cast<const char*>(buffer.data().data()), buffer.size()}, self->config.max_request_line);
        else if (ec == http::error::body_limit)
          reply = make_error(error_kind::payload_too_large, "request body over " + std::to_string(self->config.max_body_bytes) + " bytes");
        else if (ec != http::error::end_of_stream && ec != beast::error::timeout && ec != asio::error::operation_aborted &&
                 ec != asio::error::connection_reset && ec != asio::error::eof && buffer.size() > 0)
          reply = make_error(error_kind::invalid_request, "malformed HTTP request: " + ec.message(), "bad_http");
        if (reply) {
          // A request that never parsed is still logged, under a fresh id.
          api::request_record rec;
          rec.id = api::request_id_from("");
          rec.method = "-";
          rec.route = "-";
          co_await write_response(*self, stream, rec, error_response(*reply, false));
          api::log_request(rec);
        }
        break;
      }
      request req = parser.release();
      if (websocket::is_upgrade(req)) {
        // The WebSocket session takes the connection over; it is gone when this returns.
        co_await run_websocket(self, std::move(stream), std::move(req));
        co_return;
      }
      in_flight counted(self.get());
      bool keep_alive = req.keep_alive() && !self->stopping;
      bool ok = co_await handle(self, stream, std::move(req), keep_alive);
      if (!ok || !keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.close();
  }

  // Returns true if the connection may serve another request.
  static asio::awaitable<bool> write_response(const impl& self, beast::tcp_stream& stream, api::request_record& rec, response res) {
    metrics::global().http_responses.inc({std::to_string(res.result_int())});
    rec.status = res.result_int();
    rec.bytes += res.body().size();
    res.set("X-Request-ID", rec.id);
    if (!rec.cors_origin.empty()) {
      res.set(http::field::access_control_allow_origin, rec.cors_origin);
      res.set(http::field::vary, "Origin");
    }
    boost::system::error_code ec;
    stream.expires_after(std::chrono::seconds(self.config.write_timeout_s));
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec && res.keep_alive();
  }

  // A JSON answer: 200 with the body, or the error envelope with its status.
  static asio::awaitable<bool> reply(const impl& self, beast::tcp_stream& stream, api::request_record& rec, bool keep_alive, result<std::string> body) {
    if (!body) co_return co_await write_response(self, stream, rec, error_response(body.error(), keep_alive));
    co_return co_await write_response(self, stream, rec, json_response(http::status::ok, std::move(*body), keep_alive));
  }

  struct route {
    std::string_view path;
    http::verb method;
  };
  static constexpr route routes[] = {
      {"/tts", http::verb::get},          {"/engines", http::verb::get},           {"/set_engine", http::verb::get},
      {"/voices", http::verb::get},       {"/setvoice", http::verb::get},          {"/health", http::verb::get},
      {"/v1/models", http::verb::get},    {"/v1/audio/voices", http::verb::get},   {"/v1/audio/speech", http::verb::post},
      {"/ws", http::verb::get},           {"/v1/audio/speech-stream", http::verb::get},
      {"/ready", http::verb::get},        {"/metrics", http::verb::get},
  };

  // Returns false if the connection can not be reused.
  static asio::awaitable<bool> handle(std::shared_ptr<impl> self, beast::tcp_stream& stream, request req, bool keep_alive) {
    // One log line per request, written when this returns, however it returns.
    api::logged_request entry;
    api::request_record& rec = entry.record;
    rec.id = api::request_id_from(req["X-Request-ID"]);
    rec.method = std::string(req.method_string());
    rec.route = std::string(req.target().substr(0, req.target().find('?')));
    rec.cors_origin = api::cors_allow(req[http::field::origin], self->config.cors_origins);
    if (req.target().size() > self->config.max_request_line)
      co_return co_await write_response(*self, stream, rec, error_response(header_limit_error("", self->config.max_request_line), false));
    if (header_fields_bytes(req) > self->config.max_header_bytes)
      co_return co_await write_response(*self, stream, rec, error_response(make_error(error_kind::headers_too_large, "request header fields too large"), false));

    if (!api::host_allowed(req[http::field::host], self->config.allowed_hosts))
      co_return co_await write_response(*self, stream, rec, error_response(api::host_refusal(req[http::field::host]), false));
    if (self->routes_served == http_server::route_set::marytts) co_return co_await handle_marytts(self, stream, rec, std::move(req), keep_alive);
    auto target = api::parse_target(req.target());
    if (!target) co_return co_await reply(*self, stream, rec, keep_alive, target.error());
    const std::string& path = target->path;
    if (const auto* asset = find_web_asset(path)) {
      if (req.method() == http::verb::get) co_return co_await write_response(*self, stream, rec, web_response(*asset, keep_alive));
      auto res = error_response(make_error(error_kind::method_not_allowed, std::string(req.method_string()) + " is not allowed on " + path + "; use GET"), keep_alive);
      res.set(http::field::allow, "GET");
      co_return co_await write_response(*self, stream, rec, std::move(res));
    }
    auto found = std::find_if(std::begin(routes), std::end(routes), [&](const route& r) { return r.path == path; });
    metrics::global().http_requests.inc({found == std::end(routes) ? "unknown" : std::string(found->path)});
    if (found == std::end(routes)) co_return co_await reply(*self, stream, rec, keep_alive, make_error(error_kind::not_found, "no route " + path, "unknown_route"));
    if (req.method() == http::verb::options) {
      // CORS preflight: allowed origins may send JSON bodies and API keys.
      response res{rec.cors_origin.empty() ? http::status::forbidden : http::status::no_content, 11};
      res.set(http::field::server, "rtts");
      if (!rec.cors_origin.empty()) {
        res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
        res.set(http::field::access_control_allow_headers, "Authorization, Content-Type, X-Request-ID");
        res.set(http::field::access_control_max_age, "600");
      }
      res.keep_alive(keep_alive);
      res.prepare_payload();
      co_return co_await write_response(*self, stream, rec, std::move(res));
    }
    if (path != "/health" && path != "/ready") {
      if (auto ok = api::check_api_key(req[http::field::authorization], self->config.api_keys); !ok) {
        auto res = error_response(ok.error(), keep_alive);
        res.set(http::field::www_authenticate, "Bearer");
        co_return co_await write_response(*self, stream, rec, std::move(res));
      }
    }
    if (req.method() != found->method) {
      auto res = error_response(make_error(error_kind::method_not_allowed, std::string(req.method_string()) + " is not allowed on " + path +
                                                                                  "; use " + std::string(http::to_string(found->method))),
                                keep_alive);
      res.set(http::field::allow, http::to_string(found->method));
      co_return co_await write_response(*self, stream, rec, std::move(res));
    }

    // Routes that change what every other client hears: never on behalf of another site's page.
    if ((path == "/set_engine" || path == "/setvoice") &&
        !api::origin_allowed(req[http::field::origin], req[http::field::host], self->config.cors_origins))
      co_return co_await reply(*self, stream, rec, keep_alive, api::origin_refusal(req[http::field::origin]));

    auto& synth = self->synth;
    if (path == "/ws" || path == "/v1/audio/speech-stream")
      co_return co_await reply(*self, stream, rec, keep_alive, make_error(error_kind::invalid_request, path + " speaks WebSocket: send an Upgrade request", "websocket_required"));
    if (path == "/tts") {
      auto tts = api::parse_tts_request(*target);
      if (!tts) co_return co_await reply(*self, stream, rec, keep_alive, tts.error());
      // A named job, not a temporary: g++ 12 double-frees temporaries in co_await expressions.
      // Timing events need a channel beside the audio: with timestamps, /tts answers in SSE.
      speech_job job{std::move(tts->text), tts->voice, tts->output.format, tts->output.sample_rate, 0,
                     tts->timing.level != timestamp_level::none, false, tts->ssml, tts->timing, req.version() < 11};
      co_return co_await stream_speech(self, stream, rec, std::move(job), keep_alive);
    }
    if (path == "/v1/audio/speech") {
      auto speech = api::parse_speech_request(req[http::field::content_type], req.body(), self->config, synth.engine_names());
      if (!speech) co_return co_await reply(*self, stream, rec, keep_alive, speech.error());
      speech_job job{std::move(speech->input), speech->voice, speech->format, speech->sample_rate, api::openai_default_rate, speech->sse, true,
                     speech->ssml, speech->timing, req.version() < 11};
      co_return co_await stream_speech(self, stream, rec, std::move(job), keep_alive);
    }
    if (path == "/metrics") {
      response res{http::status::ok, 11};
      res.set(http::field::server, "rtts");
      res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      res.keep_alive(keep_alive);
      res.body() = api::metrics_text(self->active - 1, self->websockets, self->connections, synth.pool_stats());
      res.prepare_payload();
      co_return co_await write_response(*self, stream, rec, std::move(res));
    }
    if (path == "/ready") {
      // For load balancers and orchestrators: 503 while an engine has no live worker or while
      // draining after SIGTERM, so traffic moves elsewhere.
      bool ready = !self->stopping;
      for (const auto& [name, s] : synth.pool_stats()) ready = ready && s.ready > 0;
      if (!ready)
        co_return co_await reply(*self, stream, rec, keep_alive, make_error(error_kind::unavailable, self->stopping ? "shutting down" : "an engine has no live worker", "not_ready"));
      co_return co_await reply(*self, stream, rec, keep_alive, std::string(R"({"status":"ready"})"));
    }
    if (path == "/health")
      co_return co_await reply(*self, stream, rec, keep_alive, api::health_json(self->active - 1, self->websockets, synth.pool_stats()));
    if (path == "/engines") {
      auto detail = target->get("detail").value_or("0");
      // A named local, not a conditional of temporaries inside co_await: g++ 12 double-frees those.
      std::string body = detail == "1" || detail == "true" ? api::engines_detail_json(self->engine_infos()) : api::engines_json(synth.engine_names());
      co_return co_await reply(*self, stream, rec, keep_alive, std::move(body));
    }
    if (path == "/v1/models") co_return co_await reply(*self, stream, rec, keep_alive, api::models_json(synth.engine_names()));
    if (path == "/v1/audio/voices") co_return co_await reply(*self, stream, rec, keep_alive, api::openai_voices_json(self->config.openai_voices, self->engine_infos()));
    if (path == "/voices") {
      auto info = synth.engine_info(target->get("engine").value_or(""));
      if (!info) co_return co_await reply(*self, stream, rec, keep_alive, info.error());
      auto detail = target->get("detail").value_or("0");
      auto broken = synth.broken_voices(target->get("engine").value_or(""));
      std::string body = api::voices_json(**info, detail == "1" || detail == "true", broken);
      co_return co_await reply(*self, stream, rec, keep_alive, std::move(body));
    }
    if (path == "/set_engine") {
      auto name = target->get("engine_name");
      if (!name || name->empty())
        co_return co_await reply(*self, stream, rec, keep_alive, make_error(error_kind::invalid_request, "the 'engine_name' query parameter is required", "missing_engine_name", "engine_name"));
      if (auto set = synth.set_default_engine(*name); !set) co_return co_await reply(*self, stream, rec, keep_alive, set.error());
      co_return co_await reply(*self, stream, rec, keep_alive, api::message_json("Switched to " + *name + " engine"));
    }
    // /setvoice
    auto name = target->get("voice_name");
    if (!name || name->empty())
      co_return co_await reply(*self, stream, rec, keep_alive, make_error(error_kind::invalid_request, "the 'voice_name' query parameter is required", "missing_voice_name", "voice_name"));
    if (auto set = synth.set_default_voice(*name); !set) co_return co_await reply(*self, stream, rec, keep_alive, set.error());
    co_return co_await reply(*self, stream, rec, keep_alive, api::message_json("Voice set to " + *name + " successfully"));
  }

  struct speech_job {
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
  };

  // Streams one utterance: raw encoded audio in HTTP chunks, or OpenAI's SSE events.
  static asio::awaitable<bool> stream_speech(std::shared_ptr<impl> self, beast::tcp_stream& stream, api::request_record& rec, speech_job job,
                                             bool keep_alive) {
    const bool sse = job.sse;
    api::record_speech(rec, {job.voice.engine, job.voice.voice, sse ? "sse" : audio::format_name(job.format), job.text});
    synth::speech_input input{job.text, job.ssml, job.timing, {}};
    auto started = synth::encoded_stream::start(self->synth, self->compute, input, job.voice, {job.format, job.requested_rate, job.default_rate});
    if (!started) {
      error e = started.error();
      if (job.body_params && e.kind == error_kind::not_found) e.kind = error_kind::invalid_request;
      co_return co_await write_response(*self, stream, rec, error_response(e, keep_alive));
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
    if (piece.type == synth::encoded_piece::kind::failed)
      co_return co_await write_response(*self, stream, rec, error_response(piece.failure, keep_alive));

    http::response<http::empty_body> head{http::status::ok, 11};
    head.set(http::field::server, "rtts");
    head.set(http::field::content_type, sse ? "text/event-stream" : audio::content_type(job.format, speech->output_rate()));
    head.set(http::field::cache_control, "no-store");
    head.set("X-Audio-Sample-Rate", std::to_string(speech->output_rate()));
    head.set("X-Request-ID", rec.id);
    if (!rec.cors_origin.empty()) {
      head.set(http::field::access_control_allow_origin, rec.cors_origin);
      head.set(http::field::vary, "Origin");
    }
    // HTTP/1.0 clients (and proxies such as nginx by default) would read chunk sizes as audio.
    const bool chunked = !job.http10;
    if (!co_await write_stream_head(*self, stream, rec, head, chunked, keep_alive)) co_return false;

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
      if (!co_await write_stream_piece(*self, stream, rec, wire, chunked)) co_return false;
      if (last) co_return co_await write_stream_end(*self, stream, chunked, keep_alive);
      piece = co_await speech->next();
    }
  }
};

http_server::http_server(asio::io_context& io, asio::thread_pool& compute, const server_config& config, synth::synthesizer& synthesizer,
                         route_set routes)
    : impl_(std::make_shared<impl>(io, compute, config, synthesizer, routes)) {}

http_server::~http_server() { stop_accepting(); }

result<unsigned> http_server::listen() { return listen(impl_->config.host, impl_->config.port); }

result<unsigned> http_server::listen(const std::string& host, unsigned port) { return net::listen_on(impl_->acceptor, host, port); }

void http_server::start() { asio::co_spawn(impl_->io, impl::accept_loop(impl_), asio::detached); }

void http_server::stop_accepting() {
  impl_->stopping = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
}

std::size_t http_server::active_requests() const { return impl_->active + impl_->websockets; }

} // namespace rtts::server
