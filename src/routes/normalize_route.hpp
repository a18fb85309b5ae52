#pragma once
// GET /normalize?text=...&voice=... (or the same fields as a JSON POST): the exact text each
// engine call of that request would receive, and each piece's span in the text sent.
#include "server/route.hpp"

namespace rtts::routes {

boost::asio::awaitable<bool> normalize(server::exchange& ex);

} // namespace rtts::routes
