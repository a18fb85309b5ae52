#pragma once
// The MaryTTS listener's routes (--marytts): /process, /voices, /locales, /version,
// /audioformats. No API keys (MaryTTS clients cannot send them; the listener is off by default
// and belongs on a trusted network) and no CORS.
#include "server/route.hpp"

#include <span>

namespace rtts::marytts {

std::span<const server::route> marytts_routes();

} // namespace rtts::marytts
