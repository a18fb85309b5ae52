#pragma once
// The body of `rtts worker`: one engine, one synthesis at a time, talking frames over `fd`.
#include <string>

namespace rtts::worker {

// Returns the process exit code. Ends when the server closes its end of the socket.
int run_worker(const std::string& engine_name, int fd);

} // namespace rtts::worker
