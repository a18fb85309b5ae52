#pragma once
// Which engines this build knows, and how to make one. Called inside worker processes.
#include "engines/engine.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rtts::engines {

std::vector<std::string> known_engines();
// Whether starting `name` can succeed: the neural families only have workers where at least one
// of their voices is installed (read from the voices folders; the runtime is not touched).
bool installed(const std::string& name);
// One line on the neural voices found, for the server's log.
std::string neural_summary();
result<std::unique_ptr<engine>> create_engine(const std::string& name);

// The program that runs `name`'s workers: the server's own executable (`rtts worker`), or, for
// engines linked into a worker program of their own (Festival), that program next to it.
std::string worker_program(const std::string& name, const std::string& server_executable);

} // namespace rtts::engines
