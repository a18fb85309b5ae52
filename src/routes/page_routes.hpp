#pragma once
// The web page's files (web/, embedded at build time), served at / and by name.
#include "server/route.hpp"

namespace rtts::routes {

// The page's files are open, like /health: they hold no data, and every API call the page makes
// is checked as usual.
boost::asio::awaitable<bool> page_file(server::exchange& ex);

} // namespace rtts::routes
