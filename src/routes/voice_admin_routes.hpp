#pragma once
// Changing the installed voices over HTTP (issue: voice management). Admin-key routes: refused
// without --admin-key, and API keys do not open them.
#include "server/route.hpp"

namespace rtts::routes {

// DELETE /v1/audio/voices/{id}: removes an installed neural voice (`engine:id`, an id, or a
// speaker's `id/speaker`) from the voices folders, as `rtts voices rm` does; the engines see it
// at once, and streams using it finish.
boost::asio::awaitable<bool> delete_voice(server::exchange& ex);

} // namespace rtts::routes
