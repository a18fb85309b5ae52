#pragma once
// Opening a listening TCP socket, shared by every listener (HTTP, MaryTTS, Wyoming).
#include "core/error.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <string>

namespace rtts::net {

// Opens, binds (SO_REUSEADDR) and listens on host:port; returns the bound port (port 0 = any).
result<unsigned> listen_on(boost::asio::ip::tcp::acceptor& acceptor, const std::string& host, unsigned port);

} // namespace rtts::net
