#include "net/listen.hpp"

namespace rtts::net {

result<unsigned> listen_on(boost::asio::ip::tcp::acceptor& acceptor, const std::string& host, unsigned port) {
  namespace asio = boost::asio;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) {
    // A name ("localhost"): its first IPv4 address, else its first address.
    asio::ip::tcp::resolver resolver(acceptor.get_executor());
    auto found = resolver.resolve(host, "", asio::ip::resolver_base::passive, ec);
    if (ec || found.empty()) return make_error(error_kind::invalid_request, "'" + host + "' is neither an IP address nor a name of this machine");
    address = found.begin()->endpoint().address();
    for (const auto& entry : found)
      if (entry.endpoint().address().is_v4()) {
        address = entry.endpoint().address();
        break;
      }
  }
  asio::ip::tcp::endpoint endpoint{address, static_cast<unsigned short>(port)};
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(error_kind::unavailable, "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  return acceptor.local_endpoint().port();
}

} // namespace rtts::net
