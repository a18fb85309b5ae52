#pragma once
#include "core/config.hpp"

namespace rtts::app {

// `rtts serve`: runs until SIGINT/SIGTERM, then drains in-flight streams. Returns the exit code.
int serve(const server_config& config);

} // namespace rtts::app
