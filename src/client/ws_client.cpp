#include "client/ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <sys/socket.h>

namespace rtts::client {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct ws_client::impl {
  asio::io_context io;
  websocket::stream<tcp::socket> ws{io};
};

ws_client::ws_client(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

ws_client::~ws_client() {
  boost::system::error_code ignored;
  impl_->ws.next_layer().close(ignored);
}

result<std::unique_ptr<ws_client>> ws_client::connect(const endpoint& to, const std::string& target, std::chrono::milliseconds timeout) {
  auto fail = [](const std::string& what, const boost::system::error_code& ec) {
    return make_error(error_kind::unavailable, what + ": " + ec.message());
  };
  auto i = std::make_unique<impl>();
  tcp::resolver resolver(i->io);
  boost::system::error_code ec;
  auto endpoints = resolver.resolve(to.host, std::to_string(to.port), ec);
  if (ec) return fail("resolve", ec);
  asio::connect(i->ws.next_layer(), endpoints, ec);
  if (ec) return fail("connect", ec);
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(i->ws.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(i->ws.next_layer().native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  i->ws.read_message_max(64 << 20);
  websocket::response_type response;
  i->ws.handshake(response, host_header(to), target, ec);
  if (ec) {
    if (response.result_int() != 0 && response.result_int() != 101)
      return make_error(error_kind::unavailable, std::to_string(response.result_int()) + " " + response.body());
    return fail("handshake", ec);
  }
  return std::unique_ptr<ws_client>(new ws_client(std::move(i)));
}

result<void> ws_client::send_text(std::string_view text) {
  boost::system::error_code ec;
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(text.data(), text.size()), ec);
  if (ec) return make_error(error_kind::unavailable, "send: " + ec.message());
  return {};
}

result<void> ws_client::send_binary(std::string_view bytes) {
  boost::system::error_code ec;
  impl_->ws.binary(true);
  impl_->ws.write(asio::buffer(bytes.data(), bytes.size()), ec);
  if (ec) return make_error(error_kind::unavailable, "send: " + ec.message());
  return {};
}

result<ws_message> ws_client::read() {
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  impl_->ws.read(buffer, ec);
  if (ec) return make_error(error_kind::unavailable, "read: " + ec.message());
  return ws_message{impl_->ws.got_binary(), beast::buffers_to_string(buffer.data())};
}

result<void> ws_client::close() {
  boost::system::error_code ec;
  impl_->ws.close(websocket::close_code::normal, ec);
  if (ec) return make_error(error_kind::unavailable, "close: " + ec.message());
  // Drain until the server's close frame arrives.
  for (beast::flat_buffer buffer; !ec;) impl_->ws.read(buffer, ec);
  return {};
}

int ws_client::close_code() const { return static_cast<int>(impl_->ws.reason().code); }

void ws_client::abort() {
  boost::system::error_code ignored;
  impl_->ws.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->ws.next_layer().close(ignored);
}

} // namespace rtts::client
