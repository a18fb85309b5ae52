#pragma once
// Routing as data: a listener serves a table of routes, and the table alone drives dispatch,
// 404/405/Allow, API keys, CORS preflight, the cross-site check and the request metrics. A
// handler gets the exchange (the request, its parsed target, the connection) and answers it.
#include "api/tts_query.hpp"
#include "server/http_reply.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include <memory>
#include <span>
#include <string_view>

namespace rtts::server {

// One request being answered on one connection.
struct exchange {
  std::shared_ptr<server_context> server;
  boost::beast::tcp_stream& stream;
  api::request_record& rec;
  http_request req;
  api::parsed_target target;
  bool keep_alive;

  boost::asio::awaitable<bool> send(http_response res) { return write_response(*server, stream, rec, std::move(res)); }
  boost::asio::awaitable<bool> reply(result<std::string> body) { return server::reply(*server, stream, rec, keep_alive, std::move(body)); }
};

// Returns true if the connection may serve another request.
using route_handler = boost::asio::awaitable<bool> (*)(exchange&);

enum class access {
  api_key, // needs one of --api-key when any is set
  open,    // /health, /ready, the page's files, the MaryTTS listener (its clients cannot send keys)
  admin,   // changes the server's installed voices: needs --admin-key (not an API key); refused without one
};

struct route {
  std::string_view path;
  boost::beast::http::verb method;
  route_handler handler;
  access needs = access::api_key;
  // Changes what every other client hears (/set_engine, /setvoice): refused for another site's page.
  bool same_site_only = false;
  // Answers CORS preflight (OPTIONS) for the allowed origins.
  bool preflight = true;
  boost::beast::http::verb also = boost::beast::http::verb::unknown; // a second method (MaryTTS POST /process)
  // `path` ends in '/' and names every path below it (the rest is the handler's: a voice id).
  bool prefix = false;
};

// Finds the route of the exchange's path and runs it, or answers 404/405/401/403 as the table says.
boost::asio::awaitable<bool> dispatch(std::span<const route> table, exchange& ex);

} // namespace rtts::server
