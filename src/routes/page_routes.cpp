// The page's files (see page_routes.hpp), with the headers that keep the page to itself.
#include "routes/page_routes.hpp"

#include "server/web_assets.hpp"

#include <boost/beast/http.hpp>

namespace rtts::routes {
namespace http = boost::beast::http;

boost::asio::awaitable<bool> page_file(server::exchange& ex) {
  const server::web_asset* asset = server::find_web_asset(ex.target.path);
  server::http_response res{http::status::ok, 11};
  res.set(http::field::server, "rtts");
  res.set(http::field::content_type, asset->content_type);
  res.set(http::field::cache_control, "no-cache");
  res.set("Content-Security-Policy", server::web_csp);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.keep_alive(ex.keep_alive);
  res.body() = std::string(asset->body);
  res.prepare_payload();
  co_return co_await ex.send(std::move(res));
}

} // namespace rtts::routes
