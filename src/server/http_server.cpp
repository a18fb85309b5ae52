// Listener and HTTP/1.1 sessions: one coroutine per connection, reading requests in turn and
// either answering at once (catalogue routes, errors) or streaming audio as it is synthesized.
#include "server/http_server.hpp"

#include "api/catalogue_json.hpp"
#include "api/error_body.hpp"
#include "api/health_json.hpp"
#include "api/tts_query.hpp"
#include "audio/audio_chain.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdio>

namespace rtts::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

constexpr auto request_timeout = 30s; // to receive one whole request
constexpr auto idle_timeout = 60s;    // keep-alive wait between requests
constexpr auto write_timeout = 30s;   // a client that takes no audio for this long is dropped

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

response error_response(const error& e, bool keep_alive) {
  auto res = json_response(static_cast<http::status>(api::http_status(e.kind)), api::error_json(e), keep_alive);
  if (e.kind == error_kind::method_not_allowed) res.set(http::field::allow, "GET");
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

// Moves an audio chain step to the compute pool when it does real work (resampling, encoding),
// so the network thread only moves bytes.
asio::awaitable<std::string> encode_on_pool(audio::audio_chain* chain, std::vector<std::int16_t> samples, bool finish) {
  std::string out;
  if (!samples.empty()) chain->push(samples, out);
  if (finish) chain->finish(out);
  co_return out;
}

} // namespace

struct http_server::impl : std::enable_shared_from_this<impl> {
  asio::io_context& io;
  asio::thread_pool& compute;
  server_config config;
  synth::synthesizer& synth;
  tcp::acceptor acceptor;
  std::size_t active = 0;
  bool stopping = false;

  impl(asio::io_context& io_, asio::thread_pool& compute_, const server_config& config_, synth::synthesizer& synth_)
      : io(io_), compute(compute_), config(config_), synth(synth_), acceptor(io_) {}

  // RAII count of requests in flight, for graceful shutdown.
  struct in_flight {
    impl* s;
    explicit in_flight(impl* s_) : s(s_) { ++s->active; }
    ~in_flight() { --s->active; }
  };

  static asio::awaitable<void> accept_loop(std::shared_ptr<impl> self) {
    while (!self->stopping) {
      boost::system::error_code ec;
      tcp::socket socket = co_await self->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (self->stopping || ec == asio::error::operation_aborted) co_return;
        continue; // e.g. EMFILE: keep serving the connections we have
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(self->io, run_session(self, beast::tcp_stream(std::move(socket))), asio::detached);
    }
  }

  static asio::awaitable<void> run_session(std::shared_ptr<impl> self, beast::tcp_stream stream) {
    beast::flat_buffer buffer;
    bool first = true;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(self->config.max_request_line + self->config.max_header_bytes));
      parser.body_limit(self->config.max_body_bytes);
      stream.expires_after(first ? request_timeout : idle_timeout);
      first = false;
      boost::system::error_code ec;
      co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        std::optional<error> reply;
        if (ec == http::error::header_limit)
          reply = header_limit_error({static_cast<const char*>(buffer.data().data()), buffer.size()}, self->config.max_request_line);
        else if (ec == http::error::body_limit)
          reply = make_error(error_kind::payload_too_large, "request body over " + std::to_string(self->config.max_body_bytes) + " bytes");
        else if (ec != http::error::end_of_stream && ec != beast::error::timeout && ec != asio::error::operation_aborted &&
                 ec != asio::error::connection_reset && ec != asio::error::eof && buffer.size() > 0)
          reply = make_error(error_kind::invalid_request, "malformed HTTP request: " + ec.message(), "bad_http");
        if (reply) co_await write_response(stream, error_response(*reply, false));
        break;
      }
      request req = parser.release();
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
  static asio::awaitable<bool> write_response(beast::tcp_stream& stream, response res) {
    boost::system::error_code ec;
    stream.expires_after(write_timeout);
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec && res.keep_alive();
  }

  // A JSON answer: 200 with the body, or the error envelope with its status.
  static asio::awaitable<bool> reply(beast::tcp_stream& stream, bool keep_alive, result<std::string> body) {
    if (!body) co_return co_await write_response(stream, error_response(body.error(), keep_alive));
    co_return co_await write_response(stream, json_response(http::status::ok, std::move(*body), keep_alive));
  }

  // Returns false if the connection can not be reused.
  static asio::awaitable<bool> handle(std::shared_ptr<impl> self, beast::tcp_stream& stream, request req, bool keep_alive) {
    if (req.target().size() > self->config.max_request_line)
      co_return co_await write_response(stream, error_response(header_limit_error("", self->config.max_request_line), false));
    if (header_fields_bytes(req) > self->config.max_header_bytes)
      co_return co_await write_response(stream, error_response(make_error(error_kind::headers_too_large, "request header fields too large"), false));

    auto target = api::parse_target(req.target());
    if (!target) co_return co_await reply(stream, keep_alive, target.error());
    const std::string& path = target->path;
    static const std::string_view routes[] = {"/tts", "/engines", "/set_engine", "/voices", "/setvoice", "/health"};
    if (std::find(std::begin(routes), std::end(routes), path) == std::end(routes))
      co_return co_await reply(stream, keep_alive, make_error(error_kind::not_found, "no route " + path, "unknown_route"));
    if (req.method() != http::verb::get)
      co_return co_await reply(stream, keep_alive, make_error(error_kind::method_not_allowed, std::string(req.method_string()) + " is not allowed on " + path + "; use GET"));

    auto& synth = self->synth;
    if (path == "/tts") co_return co_await stream_tts(self, stream, *target, keep_alive);
    if (path == "/health") co_return co_await reply(stream, keep_alive, api::health_json(self->active - 1, synth.pool_stats()));
    if (path == "/engines") co_return co_await reply(stream, keep_alive, api::engines_json(synth.engine_names()));
    if (path == "/voices") {
      auto info = synth.engine_info(target->get("engine").value_or(""));
      if (!info) co_return co_await reply(stream, keep_alive, info.error());
      auto detail = target->get("detail").value_or("0");
      co_return co_await reply(stream, keep_alive, api::voices_json(**info, detail == "1" || detail == "true"));
    }
    if (path == "/set_engine") {
      auto name = target->get("engine_name");
      if (!name || name->empty())
        co_return co_await reply(stream, keep_alive, make_error(error_kind::invalid_request, "the 'engine_name' query parameter is required", "missing_engine_name", "engine_name"));
      if (auto set = synth.set_default_engine(*name); !set) co_return co_await reply(stream, keep_alive, set.error());
      co_return co_await reply(stream, keep_alive, api::message_json("Switched to " + *name + " engine"));
    }
    // /setvoice
    auto name = target->get("voice_name");
    if (!name || name->empty())
      co_return co_await reply(stream, keep_alive, make_error(error_kind::invalid_request, "the 'voice_name' query parameter is required", "missing_voice_name", "voice_name"));
    if (auto set = synth.set_default_voice(*name); !set) co_return co_await reply(stream, keep_alive, set.error());
    co_return co_await reply(stream, keep_alive, api::message_json("Voice set to " + *name + " successfully"));
  }

  static asio::awaitable<bool> stream_tts(std::shared_ptr<impl> self, beast::tcp_stream& stream, api::parsed_target target, bool keep_alive) {
    auto req = api::parse_tts_request(target);
    if (!req) co_return co_await write_response(stream, error_response(req.error(), keep_alive));
    auto started = self->synth.start_stream(req->text, req->voice);
    if (!started) co_return co_await write_response(stream, error_response(started.error(), keep_alive));
    std::shared_ptr<synth::speech_stream> speech = *started;
    // Whatever ends this coroutine (client gone, write timeout, shutdown) stops the synthesis.
    struct cancel_on_exit {
      std::shared_ptr<synth::speech_stream> s;
      ~cancel_on_exit() { s->cancel(); }
    } guard{speech};

    // The status line waits for the first event, so a request whose first fragment fails still
    // gets a real error status; the first event comes within milliseconds.
    synth::stream_event event = co_await speech->next();
    if (event.type == synth::stream_event::kind::failed)
      co_return co_await write_response(stream, error_response(event.failure, keep_alive));

    audio::audio_chain chain(speech->native_rate(), req->output);
    http::response<http::empty_body> head{http::status::ok, 11};
    head.set(http::field::server, "rtts");
    head.set(http::field::content_type, audio::content_type(req->output.format, chain.output_rate()));
    head.set(http::field::cache_control, "no-store");
    head.set("X-Audio-Sample-Rate", std::to_string(chain.output_rate()));
    head.chunked(true);
    head.keep_alive(keep_alive);
    http::response_serializer<http::empty_body> serializer{head};
    boost::system::error_code ec;
    stream.expires_after(write_timeout);
    co_await http::async_write_header(stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return false;

    std::string pending = chain.header();
    for (;;) {
      bool last = event.type == synth::stream_event::kind::end;
      if (event.type == synth::stream_event::kind::failed) {
        std::fprintf(stderr, "rtts: /tts stream failed: %s\n", event.failure.message.c_str());
        co_return false; // no last chunk: the client sees a truncated stream, not a clean end
      }
      if (chain.heavy())
        pending += co_await asio::co_spawn(self->compute, encode_on_pool(&chain, std::move(event.samples), last), asio::use_awaitable);
      else {
        chain.push(event.samples, pending);
        if (last) chain.finish(pending);
      }
      stream.expires_after(write_timeout);
      if (!pending.empty()) {
        co_await asio::async_write(stream, http::make_chunk(asio::buffer(pending)), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return false;
        pending.clear();
      }
      if (last) {
        co_await asio::async_write(stream, http::make_chunk_last(), asio::redirect_error(asio::use_awaitable, ec));
        co_return !ec;
      }
      event = co_await speech->next();
    }
  }
};

http_server::http_server(asio::io_context& io, asio::thread_pool& compute, const server_config& config, synth::synthesizer& synthesizer)
    : impl_(std::make_shared<impl>(io, compute, config, synthesizer)) {}

http_server::~http_server() { stop_accepting(); }

result<unsigned> http_server::listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(impl_->config.host, ec);
  if (ec) return make_error(error_kind::invalid_request, "--host '" + impl_->config.host + "' is not an IP address");
  tcp::endpoint endpoint{address, static_cast<unsigned short>(impl_->config.port)};
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(error_kind::unavailable, "cannot listen on " + impl_->config.host + ":" + std::to_string(impl_->config.port) + ": " + ec.message());
  return a.local_endpoint().port();
}

void http_server::start() { asio::co_spawn(impl_->io, impl::accept_loop(impl_), asio::detached); }

void http_server::stop_accepting() {
  impl_->stopping = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
}

std::size_t http_server::active_requests() const { return impl_->active; }

} // namespace rtts::server
