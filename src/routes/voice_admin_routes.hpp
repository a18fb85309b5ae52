#pragma once
// Changing the installed voices over HTTP (issue: voice management). Admin-key routes: refused
// without --admin-key, and API keys do not open them.
#include "server/route.hpp"

namespace rtts::routes {

// DELETE /v1/audio/voices/{id}: removes an installed neural voice (`engine:id`, an id, or a
// speaker's `id/speaker`) from the voices folders, as `rtts voices rm` does; the engines see it
// at once, and streams using it finish.
boost::asio::awaitable<bool> delete_voice(server::exchange& ex);

// POST /v1/audio/voices/pull {"id": "en_US-amy-medium"}: `rtts voices pull` in a child process
// (a download of minutes stays off the server's threads, and its failures stay in its process),
// its progress relayed as server-sent events; the voice is usable when the last event says so.
boost::asio::awaitable<bool> pull_voice(server::exchange& ex);

// GET /v1/audio/voices?available=1: the installed voices, and under "available" the catalogue's
// (`rtts voices list --available --json` in a child process: the catalogue may be fetched).
boost::asio::awaitable<bool> available_voices(server::exchange& ex);

} // namespace rtts::routes
