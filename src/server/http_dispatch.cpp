// Dispatch by route table (see route.hpp): the checks every route shares, in the order a client
// learns the most from (unknown path, preflight, key, method, cross-site), then the handler.
#include "server/route.hpp"

#include "api/api_keys.hpp"
#include "api/cross_site.hpp"
#include "metrics/registry.hpp"

#include <boost/beast/http.hpp>

#include <algorithm>

namespace rtts::server {
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

std::string allowed_methods(const route& r) {
  std::string allow(http::to_string(r.method));
  if (r.also != http::verb::unknown) allow += ", " + std::string(http::to_string(r.also));
  return allow;
}

// CORS preflight: allowed origins may send JSON bodies and API keys.
http_response preflight_response(const exchange& ex) {
  http_response res{ex.rec.cors_origin.empty() ? http::status::forbidden : http::status::no_content, 11};
  res.set(http::field::server, "rtts");
  if (!ex.rec.cors_origin.empty()) {
    res.set(http::field::access_control_allow_methods, "GET, POST, DELETE, OPTIONS");
    res.set(http::field::access_control_allow_headers, "Authorization, Content-Type, X-Request-ID");
    res.set(http::field::access_control_max_age, "600");
  }
  res.keep_alive(ex.keep_alive);
  res.prepare_payload();
  return res;
}

} // namespace

asio::awaitable<bool> dispatch(std::span<const route> table, exchange& ex) {
  const std::string& path = ex.target.path;
  const auto found = std::find_if(table.begin(), table.end(), [&](const route& r) {
    return r.path == path || (r.prefix && path.size() > r.path.size() && path.starts_with(r.path));
  });
  metrics::global().http_requests.inc({found == table.end() ? "unknown" : std::string(found->path)});
  if (found == table.end()) co_return co_await ex.reply(make_error(error_kind::not_found, "no route " + path, "unknown_route"));
  const route& r = *found;
  const auto method = ex.req.method();
  if (method == http::verb::options && r.preflight) co_return co_await ex.send(preflight_response(ex));
  if (r.needs == access::admin) {
    // A separate key: API keys let clients speak, this one changes what every client can use.
    if (ex.server->config.admin_key.empty())
      co_return co_await ex.reply(make_error(error_kind::forbidden, "changing voices over HTTP is off: start rtts with --admin-key",
                                             "admin_key_not_set"));
    if (auto ok = api::check_api_key(ex.req[http::field::authorization], {ex.server->config.admin_key}); !ok) {
      auto res = error_response(make_error(error_kind::unauthorized, "this route needs the admin key (--admin-key): send 'Authorization: Bearer <admin key>'",
                                           "invalid_admin_key"),
                                ex.keep_alive);
      res.set(http::field::www_authenticate, "Bearer");
      co_return co_await ex.send(std::move(res));
    }
  }
  if (r.needs == access::api_key) {
    if (auto ok = api::check_api_key(ex.req[http::field::authorization], ex.server->config.api_keys); !ok) {
      auto res = error_response(ok.error(), ex.keep_alive);
      res.set(http::field::www_authenticate, "Bearer");
      co_return co_await ex.send(std::move(res));
    }
  }
  if (method != r.method && (r.also == http::verb::unknown || method != r.also)) {
    std::string allow = allowed_methods(r);
    auto res = error_response(make_error(error_kind::method_not_allowed,
                                         std::string(ex.req.method_string()) + " is not allowed on " + path + "; use " + allow),
                              ex.keep_alive);
    res.set(http::field::allow, allow);
    co_return co_await ex.send(std::move(res));
  }
  if (r.same_site_only && !api::origin_allowed(ex.req[http::field::origin], ex.req[http::field::host], ex.server->config.cors_origins))
    co_return co_await ex.reply(api::origin_refusal(ex.req[http::field::origin]));
  co_return co_await r.handler(ex);
}

} // namespace rtts::server
