#pragma once
// Answers on an HTTP connection: building a response (JSON, plain text, the error envelope) and
// writing it, whole or streamed piece by piece (chunked for HTTP/1.1, close-delimited for
// HTTP/1.0, which has no chunks). Every writer sets the write timeout and counts the status.
#include "api/request_log.hpp"
#include "core/error.hpp"
#include "server/server_context.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <string_view>

namespace rtts::server {

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;
using stream_head = boost::beast::http::response<boost::beast::http::empty_body>;

http_response json_response(boost::beast::http::status status, std::string body, bool keep_alive);
http_response text_response(std::string_view content_type, std::string body, bool keep_alive);
// The error envelope of docs/api.md with the status its kind maps to.
http_response error_response(const error& e, bool keep_alive);
// Beast reports one limit for request line plus headers; tells the two apart for 414 vs 431.
error header_limit_error(std::string_view received, std::size_t max_request_line);

// Writes `res` (with the request id and CORS headers of `rec`); true if the connection may
// serve another request.
boost::asio::awaitable<bool> write_response(const server_context& server, boost::beast::tcp_stream& stream, api::request_record& rec,
                                            http_response res);
// A JSON answer: 200 with the body, or the error envelope with its status.
boost::asio::awaitable<bool> reply(const server_context& server, boost::beast::tcp_stream& stream, api::request_record& rec,
                                   bool keep_alive, result<std::string> body);

// A streamed answer: the head, its pieces, its end. Each returns false once the client is gone;
// the end returns true if the connection may serve another request.
boost::asio::awaitable<bool> write_stream_head(const server_context& server, boost::beast::tcp_stream& stream, api::request_record& rec,
                                               stream_head& head, bool chunked, bool keep_alive);
boost::asio::awaitable<bool> write_stream_piece(const server_context& server, boost::beast::tcp_stream& stream, api::request_record& rec,
                                                const std::string& wire, bool chunked);
boost::asio::awaitable<bool> write_stream_end(const server_context& server, boost::beast::tcp_stream& stream, bool chunked,
                                              bool keep_alive);

} // namespace rtts::server
