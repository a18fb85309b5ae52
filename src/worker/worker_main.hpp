#pragma once
// The body of `rtts worker`: one engine, one synthesis at a time, talking frames over `fd`.
#include "engines/engine.hpp"

#include <memory>
#include <string>

namespace rtts::worker {

// Returns the process exit code. Ends when the server closes its end of the socket.
int run_worker(const std::string& engine_name, int fd);
// The same for an engine made by the caller (a worker program of its own, e.g. rtts-festival).
int run_worker(result<std::unique_ptr<engines::engine>> engine, int fd);

} // namespace rtts::worker
