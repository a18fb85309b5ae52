// Response building and writing for every HTTP route (see http_reply.hpp).
#include "server/http_reply.hpp"

#include "api/error_body.hpp"
#include "metrics/registry.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

namespace rtts::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

http_response json_response(http::status status, std::string body, bool keep_alive) {
  http_response res{status, 11};
  res.set(http::field::server, "rtts");
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http_response text_response(std::string_view content_type, std::string body, bool keep_alive) {
  http_response res{http::status::ok, 11};
  res.set(http::field::server, "rtts");
  res.set(http::field::content_type, content_type);
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http_response error_response(const error& e, bool keep_alive) {
  auto res = json_response(static_cast<http::status>(api::http_status(e.kind)), api::error_json(e), keep_alive);
  // Admission says when capacity frees up; other refusals are brief (a stream ends, a slot frees).
  if (e.retry_after_s > 0) res.set(http::field::retry_after, std::to_string(e.retry_after_s));
  else if (e.kind == error_kind::overloaded) res.set(http::field::retry_after, "1");
  return res;
}

error header_limit_error(std::string_view received, std::size_t max_request_line) {
  auto eol = received.find("\r\n");
  if (eol == std::string_view::npos || eol > max_request_line)
    return make_error(error_kind::uri_too_long, "request line longer than " + std::to_string(max_request_line) + " bytes");
  return make_error(error_kind::headers_too_large, "request header fields too large");
}

asio::awaitable<bool> write_response(const server_context& server, beast::tcp_stream& stream, api::request_record& rec, http_response res) {
  metrics::global().http_responses.inc({std::to_string(res.result_int())});
  rec.status = res.result_int();
  rec.bytes += res.body().size();
  res.set("X-Request-ID", rec.id);
  if (!rec.cors_origin.empty()) {
    res.set(http::field::access_control_allow_origin, rec.cors_origin);
    res.set(http::field::vary, "Origin");
  }
  boost::system::error_code ec;
  stream.expires_after(std::chrono::seconds(server.config.write_timeout_s));
  co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec && res.keep_alive();
}

asio::awaitable<bool> reply(const server_context& server, beast::tcp_stream& stream, api::request_record& rec, bool keep_alive,
                            result<std::string> body) {
  if (!body) co_return co_await write_response(server, stream, rec, error_response(body.error(), keep_alive));
  co_return co_await write_response(server, stream, rec, json_response(http::status::ok, std::move(*body), keep_alive));
}

asio::awaitable<bool> write_stream_head(const server_context& server, beast::tcp_stream& stream, api::request_record& rec, stream_head& head,
                                        bool chunked, bool keep_alive) {
  head.chunked(chunked);
  head.keep_alive(keep_alive && chunked);
  http::response_serializer<http::empty_body> serializer{head};
  metrics::global().http_responses.inc({"200"});
  rec.status = 200;
  boost::system::error_code ec;
  stream.expires_after(std::chrono::seconds(server.config.write_timeout_s));
  co_await http::async_write_header(stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

asio::awaitable<bool> write_stream_piece(const server_context& server, beast::tcp_stream& stream, api::request_record& rec,
                                         const std::string& wire, bool chunked) {
  if (wire.empty()) co_return true;
  boost::system::error_code ec;
  stream.expires_after(std::chrono::seconds(server.config.write_timeout_s));
  if (chunked) co_await asio::async_write(stream, http::make_chunk(asio::buffer(wire)), asio::redirect_error(asio::use_awaitable, ec));
  else co_await asio::async_write(stream, asio::buffer(wire), asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) rec.bytes += wire.size();
  co_return !ec;
}

asio::awaitable<bool> write_stream_end(const server_context& server, beast::tcp_stream& stream, bool chunked, bool keep_alive) {
  if (!chunked) co_return false; // closing the connection ends the body
  boost::system::error_code ec;
  stream.expires_after(std::chrono::seconds(server.config.write_timeout_s));
  co_await asio::async_write(stream, http::make_chunk_last(), asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec && keep_alive;
}

} // namespace rtts::server
