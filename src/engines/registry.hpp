#pragma once
// Which engines this build knows, and how to make one. Called inside worker processes.
#include "engines/engine.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rtts::engines {

std::vector<std::string> known_engines();
// The neural voices installed, read once from the voices folders (the runtime is not touched):
// which engines are worth starting (a neural family only with at least one voice), and one
// line on them for the server's log.
struct neural_inventory {
  std::vector<std::string> families; // engine names, e.g. "piper"
  std::string summary;
  // Whether starting `name` can succeed: any other engine always may.
  bool worth_starting(const std::string& name) const;
};
neural_inventory take_neural_inventory();
// Whether `name` is a neural family (its voices are files in the voices folders).
bool is_neural_engine(const std::string& name);
result<std::unique_ptr<engine>> create_engine(const std::string& name);

// The program that runs `name`'s workers: the server's own executable (`rtts worker`), or, for
// engines linked into a worker program of their own (Festival), that program next to it.
std::string worker_program(const std::string& name, const std::string& server_executable);

} // namespace rtts::engines
