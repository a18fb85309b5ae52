#pragma once
// The body of `rtts worker`: one engine, one synthesis at a time, talking frames over `fd`.
#include "engines/engine.hpp"

#include <memory>
#include <string>

namespace rtts::worker {

// Returns the process exit code. Ends when the server closes its end of the socket. The engine
// is made by the caller (`rtts worker` by name from the registry; rtts-festival its own), so
// that a worker program links only its engine.
int run_worker(result<std::unique_ptr<engines::engine>> engine, int fd);

} // namespace rtts::worker
