#pragma once
// The WebSocket routes: /ws (the RealtimeTTS example's protocol) and /v1/audio/speech-stream
// (incremental text in, audio out, with barge-in). See docs/api.md for both protocols.
#include "server/server_context.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <memory>

namespace rtts::server {

// Takes over a connection whose request is a WebSocket upgrade: answers the upgrade (or an HTTP
// error), then runs the session until it closes.
boost::asio::awaitable<void> run_websocket(std::shared_ptr<server_context> ctx, boost::beast::tcp_stream stream,
                                           boost::beast::http::request<boost::beast::http::string_body> request);

} // namespace rtts::server
