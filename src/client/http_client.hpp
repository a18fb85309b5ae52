#pragma once
// A small blocking HTTP/1.1 client (Beast underneath, kept out of this header): used by the
// command-line tools and by the black-box tests. Streams bodies piece by piece as they arrive.
#include "core/error.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rtts::client {

struct endpoint {
  std::string host = "127.0.0.1";
  unsigned port = 8000;
  // HTTPS: the server's certificate is verified against the system's CA store (OpenSSL's
  // default paths, so SSL_CERT_FILE / SSL_CERT_DIR apply) and must name `host`.
  bool tls = false;
};

struct http_request {
  std::string method = "GET";
  std::string target = "/";
  std::map<std::string, std::string> headers;
  std::string body;
  std::chrono::milliseconds timeout{30000}; // per socket operation
};

struct http_response {
  unsigned status = 0;
  std::map<std::string, std::string> headers; // names lower-cased
  std::string body;                           // empty when a body callback took it
  std::vector<std::size_t> chunk_sizes;       // sizes of the chunks of a chunked body, in order
  bool complete = false;                      // the whole message arrived (last chunk included)
  std::string header(const std::string& name) const;
};

// Called with each piece of the body as it arrives; return false to stop reading (disconnect).
using body_callback = std::function<bool(std::string_view)>;
// Called once the status line and headers are in, before any body.
using head_callback = std::function<void(const http_response&)>;

// Connects, sends one request, reads the response. A body cut short (connection closed before
// the end) gives complete=false, not an error; failures to connect or parse headers are errors.
result<http_response> fetch(const endpoint& to, const http_request& request, const body_callback& on_body = {},
                            const head_callback& on_head = {});

// "http://host:port" or "https://host[:port]" (or ws://; path ignored) to an endpoint.
// Errors name what is wrong.
// A server's URL: where to connect and the path under it (as written, percent-encoded).
// IPv6 literals come in brackets (http://[::1]:8000); the endpoint holds the bare address.
struct base_url {
  endpoint server;
  std::string path;
};
result<base_url> parse_url(std::string_view url);
// The endpoint of a base URL (http://HOST[:PORT], https://..., ws://...).
result<endpoint> parse_base_url(std::string_view url);
// The Host header for `to`: brackets around an IPv6 address, the port unless the scheme's own.
std::string host_header(const endpoint& to);

// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
std::string url_encode(std::string_view s);

} // namespace rtts::client
