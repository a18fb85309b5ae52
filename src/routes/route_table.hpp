#pragma once
// The routes of rtts's HTTP listener, as data (see server/route.hpp).
#include "server/route.hpp"

#include <span>

namespace rtts::routes {

std::span<const server::route> rtts_routes();

} // namespace rtts::routes
