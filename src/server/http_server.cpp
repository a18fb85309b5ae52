// Listener and HTTP/1.1 connections: one coroutine per connection reads requests in turn (with
// the timeouts and size limits of docs/api.md), hands WebSocket upgrades to their session, and
// passes every other request to the route table this listener serves (server/route.hpp).
#include "server/http_server.hpp"

#include "core/report_failure.hpp"

#include "server/route.hpp"
#include "server/ws_upgrade.hpp"

#include "api/cors.hpp"
#include "api/cross_site.hpp"
#include "api/request_log.hpp"
#include "net/listen.hpp"

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

using request = http_request;

namespace {

std::size_t header_fields_bytes(const request& req) {
  std::size_t n = 0;
  for (const auto& f : req) n += f.name_string().size() + f.value().size() + 4;
  return n;
}

} // namespace

struct http_server::impl : server_context, std::enable_shared_from_this<impl> {
  tcp::acceptor acceptor;
  std::span<const route> routes;

  impl(asio::io_context& io_, asio::thread_pool& compute_, const server_config& config_, synth::synthesizer& synth_, std::span<const route> r)
      : server_context{io_, compute_, config_, synth_}, acceptor(io_), routes(r) {}

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
        asio::co_spawn(self->io, refuse_connection(self, beast::tcp_stream(std::move(socket))), report_failure{"an HTTP refusal"});
        continue;
      }
      asio::co_spawn(self->io, run_session(self, beast::tcp_stream(std::move(socket))), report_failure{"an HTTP session"});
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

  // The checks of every request, before its route: sizes, Host (DNS rebinding), a parsable
  // target. One log line per request, written when this returns, however it returns. Returns
  // false if the connection can not be reused.
  static asio::awaitable<bool> handle(std::shared_ptr<impl> self, beast::tcp_stream& stream, request req, bool keep_alive) {
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
    auto target = api::parse_target(req.target());
    if (!target) co_return co_await reply(*self, stream, rec, keep_alive, target.error());
    exchange ex{self, stream, rec, std::move(req), std::move(*target), keep_alive};
    co_return co_await dispatch(self->routes, ex);
  }
};

http_server::http_server(asio::io_context& io, asio::thread_pool& compute, const server_config& config, synth::synthesizer& synthesizer,
                         route_table routes)
    : impl_(std::make_shared<impl>(io, compute, config, synthesizer, routes())) {}

http_server::~http_server() { stop_accepting(); }

result<unsigned> http_server::listen() { return listen(impl_->config.host, impl_->config.port); }

result<unsigned> http_server::listen(const std::string& host, unsigned port) { return net::listen_on(impl_->acceptor, host, port); }

void http_server::start() { asio::co_spawn(impl_->io, impl::accept_loop(impl_), report_failure{"the HTTP accept loop"}); }

void http_server::stop_accepting() {
  impl_->stopping = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->sessions.drain_all(); // idle WebSocket sessions close now, busy ones once spoken
}

std::size_t http_server::active_requests() const { return impl_->active + impl_->websockets; }

} // namespace rtts::server
