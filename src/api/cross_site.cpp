#include "api/cross_site.hpp"

#include "core/ascii.hpp"

#include "api/cors.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace rtts::api {
namespace {


// The name or address of a Host header: "[::1]:8000" -> "::1", "Example.COM.:80" -> "example.com".
std::string host_name(std::string_view host) {
  if (host.starts_with('[')) {
    auto close = host.find(']');
    return close == std::string_view::npos ? std::string() : ascii_lower(host.substr(1, close - 1));
  }
  if (auto colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  while (host.ends_with('.')) host.remove_suffix(1);
  return ascii_lower(host);
}

} // namespace

bool host_allowed(std::string_view host, const std::vector<std::string>& allowed) {
  if (host.empty()) return true;
  std::string name = host_name(host);
  if (name.empty()) return false;
  boost::system::error_code ec;
  boost::asio::ip::make_address(name, ec);
  if (!ec) return true; // an IP literal: never the product of a rebinding
  if (name == "localhost" || name.ends_with(".localhost")) return true;
  for (const auto& a : allowed)
    if (a == "*" || host_name(a) == name) return true;
  return false;
}

bool origin_allowed(std::string_view origin, std::string_view host, const std::vector<std::string>& cors_origins) {
  if (origin.empty()) return true;
  std::string o = ascii_lower(origin), h = ascii_lower(host);
  if (!h.empty() && (o == "http://" + h || o == "https://" + h)) return true;
  return !cors_allow(origin, cors_origins).empty();
}

error host_refusal(std::string_view host) {
  return make_error(error_kind::forbidden,
                    "this server does not serve the host name '" + std::string(host) +
                        "' (a protection against DNS rebinding); start it with --allowed-host NAME to serve it",
                    "host_not_allowed");
}

error origin_refusal(std::string_view origin) {
  return make_error(error_kind::forbidden,
                    "requests from the web page at " + std::string(origin) + " may not change this server or open a WebSocket; " +
                        "start it with --cors-origin " + std::string(origin) + " to allow them",
                    "origin_not_allowed");
}

} // namespace rtts::api
