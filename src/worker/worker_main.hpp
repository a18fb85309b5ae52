#pragma once
// The body of `rtts worker`: one engine, one synthesis at a time, talking frames over `fd`.
#include "engines/engine.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace rtts::worker {

// Returns the process exit code. Ends when the server closes its end of the socket. The engine
// is made by the caller (`rtts worker` by name from the registry; rtts-festival its own), so
// that a worker program links only its engine.
// `stream_processes`: job processes kept for streams at most (src/worker/job_process.hpp).
int run_worker(result<std::unique_ptr<engines::engine>> engine, int fd, std::size_t stream_processes);

} // namespace rtts::worker
