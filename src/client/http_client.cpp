#include "client/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <sys/socket.h>

#include <algorithm>

namespace rtts::client {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string http_response::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

result<base_url> parse_url(std::string_view text) {
  auto bad = [&](const std::string& why) { return make_error(error_kind::invalid_request, "bad URL '" + std::string(text) + "': " + why); };
  auto url = boost::urls::parse_uri(text);
  if (!url) return bad("expected http://HOST[:PORT][/PATH]");
  const auto scheme = url->scheme();
  if (scheme != "http" && scheme != "ws" && scheme != "https") return bad("only http://, https:// and ws:// are supported");
  base_url out;
  out.server.tls = scheme == "https";
  // The address without IPv6 brackets, percent-decoded: what the resolver wants.
  out.server.host = std::string(url->host_address());
  if (out.server.host.empty()) return bad("no host");
  // Boost 1.81's parser takes "host:12ab" as port 12 and path "ab"; a path after an authority
  // must start with '/', so such a URL is refused here.
  if (!url->encoded_path().empty() && url->encoded_path().front() != '/') return bad("the port is not a number");
  if (url->has_port()) {
    // port_number() is 0 for an empty port or one that does not fit in 16 bits.
    if (url->port_number() == 0) return bad("the port must be 1..65535");
    out.server.port = url->port_number();
  } else {
    out.server.port = out.server.tls ? 443 : 80;
  }
  out.path = std::string(url->encoded_path());
  return out;
}

result<endpoint> parse_base_url(std::string_view url) {
  auto parsed = parse_url(url);
  if (!parsed) return parsed.error();
  return parsed->server;
}

std::string host_header(const endpoint& to) {
  std::string host = to.host.find(':') != std::string::npos ? "[" + to.host + "]" : to.host;
  if (to.port != (to.tls ? 443u : 80u)) host += ":" + std::to_string(to.port);
  return host;
}

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out.push_back(static_cast<char>(c));
    else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

namespace {

error transport_error(const std::string& what, const boost::system::error_code& ec) {
  return make_error(error_kind::unavailable, what + ": " + ec.message());
}

// One request and its response over an open stream (a socket, or TLS over one).
template <class Stream>
result<http_response> exchange(Stream& stream, const endpoint& to, const http_request& request, const body_callback& on_body,
                               const head_callback& on_head) {
  boost::system::error_code ec;
  http::request<http::string_body> req{http::string_to_verb(request.method), request.target, 11};
  req.set(http::field::host, host_header(to));
  req.set(http::field::user_agent, "rtts-client");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (!request.body.empty() || request.method == "POST") {
    req.body() = request.body;
    req.prepare_payload();
  }
  http::write(stream, req, ec);
  if (ec) return transport_error("send request", ec);

  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  parser.header_limit(1 << 20);
  http_response out;
  auto on_chunk_header = [&out](std::uint64_t size, std::string_view, boost::system::error_code&) {
    if (size > 0) out.chunk_sizes.push_back(static_cast<std::size_t>(size));
  };
  parser.on_chunk_header(on_chunk_header);
  http::read_header(stream, buffer, parser, ec);
  if (ec) return transport_error("read response header", ec);
  out.status = parser.get().result_int();
  for (const auto& f : parser.get()) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.headers[name] = std::string(f.value());
  }
  if (on_head) on_head(out);

  std::vector<char> piece(64 * 1024);
  while (!parser.is_done()) {
    parser.get().body().data = piece.data();
    parser.get().body().size = piece.size();
    // read_some, not read: read would wait until the 64 KB piece is full, hiding when the
    // server actually sent its first bytes.
    http::read_some(stream, buffer, parser, ec);
    if (ec == http::error::need_buffer) ec = {};
    std::size_t n = piece.size() - parser.get().body().size;
    if (n > 0) {
      std::string_view data(piece.data(), n);
      if (on_body) {
        if (!on_body(data)) return out; // the caller hung up on purpose
      } else {
        out.body.append(data);
      }
    }
    if (ec) return out; // truncated: complete stays false
  }
  out.complete = true;
  return out;
}

} // namespace

result<http_response> fetch(const endpoint& to, const http_request& request, const body_callback& on_body, const head_callback& on_head) {
  asio::io_context io;
  tcp::resolver resolver(io);
  tcp::socket socket(io);
  boost::system::error_code ec;
  auto endpoints = resolver.resolve(to.host, std::to_string(to.port), ec);
  if (ec) return transport_error("resolve " + to.host, ec);
  asio::connect(socket, endpoints, ec);
  if (ec) return transport_error("connect to " + to.host + ":" + std::to_string(to.port), ec);
  // Blocking calls with socket timeouts: a stuck server fails the call instead of hanging it.
  timeval tv{static_cast<time_t>(request.timeout.count() / 1000), static_cast<suseconds_t>((request.timeout.count() % 1000) * 1000)};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (!to.tls) return exchange(socket, to, request, on_body, on_head);

  asio::ssl::context context(asio::ssl::context::tls_client);
  context.set_default_verify_paths(ec); // the system CA store (SSL_CERT_FILE / SSL_CERT_DIR honoured)
  if (ec) return transport_error("load the system CA certificates", ec);
  context.set_verify_mode(asio::ssl::verify_peer);
  asio::ssl::stream<tcp::socket> tls(std::move(socket), context);
  tls.set_verify_callback(asio::ssl::host_name_verification(to.host));
  ::SSL_set_tlsext_host_name(tls.native_handle(), to.host.c_str()); // SNI
  tls.handshake(asio::ssl::stream_base::client, ec);
  if (ec) return transport_error("TLS with " + to.host + ":" + std::to_string(to.port), ec);
  auto response = exchange(tls, to, request, on_body, on_head);
  tls.shutdown(ec); // the server may just close: nothing to do about it
  return response;
}

} // namespace rtts::client
