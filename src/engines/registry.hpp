#pragma once
// Which engines this build knows, and how to make one. Called inside worker processes.
#include "engines/engine.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rtts::engines {

std::vector<std::string> known_engines();
result<std::unique_ptr<engine>> create_engine(const std::string& name);

} // namespace rtts::engines
